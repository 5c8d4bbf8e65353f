#include "mcp/dispatcher.h"

#include <chrono>
#include <exception>

#include "mcp/jsonrpc.h"
#include "mcp/resources.h"
#include "mcp/schema_validator.h"
#include "policy/call_kind.h"
#include "policy/confirmation.h"
#include "policy/confirmation_facts.h"
#include "policy/scope_arguments.h"
#include "tools/errors.h"
#include "util/redact.h"

namespace notion_mcp::mcp {
namespace {

constexpr std::string_view kDemoLabel = "[demo workspace: sample data, not your Notion]\n";

// Request ids a call collects for its audit record (a long pagination stops adding).
constexpr size_t kMaxRequestIds = 50;

util::Json tool_result_body(tools::ToolResult result, bool demo) {
  std::string text = std::move(result.text);
  if (demo) text = std::string(kDemoLabel) + text;
  util::Json body{{"content", util::Json::array({{{"type", "text"}, {"text", std::move(text)}}})}};
  if (!result.structured.is_null()) body["structuredContent"] = std::move(result.structured);
  if (result.is_error) body["isError"] = true;
  if (demo) body["_meta"] = {{"notion-mcp/demo", true}};
  return body;
}

tools::ToolResult refusal(std::string code, std::string message, std::string hint = {}) {
  return tools::error_result(
      util::make_error(std::move(code), std::move(message), std::move(hint)));
}

std::string error_code_of(const tools::ToolResult& result) {
  if (!result.structured.is_object()) return "error";
  const util::Json* error = util::member(result.structured, "error");
  return error ? util::string_or(*error, "code", "error") : std::string("error");
}

// For the audit log: by the call's arguments, so a destructive edit is listed as destroying.
std::string call_kind_name(const tools::Tool& tool, const util::Json& arguments) {
  return std::string(policy::kind_name(policy::kind_of_call(tool, arguments).kind));
}

// The requests answered once the session is initialized. Anything else is unknown at any time
// (-32601), so a client can tell "not yet" (-32002) from "never".
bool is_served_method(std::string_view method) {
  for (std::string_view served : {"tools/list", "tools/call", "resources/templates/list",
                                  "resources/list", "resources/read", "logging/setLevel"}) {
    if (method == served) return true;
  }
  return false;
}

}  // namespace

Dispatcher::Dispatcher(util::EventLoop& loop, notion::Client& notion, const ToolRegistry& tools,
                       util::Logger& logger, ServerIdentity identity, Send send,
                       DispatcherOptions options)
    : loop_(loop),
      notion_(notion),
      tools_(tools),
      logger_(logger),
      session_(std::move(identity)),
      send_(std::move(send)),
      options_(std::move(options)) {}

Dispatcher::~Dispatcher() {
  cancel_all();
  // Whatever still waits for the client will not be resumed by us any more.
  for (auto& [key, pending] : outgoing_) loop_.cancel_timer(pending.timer);
  outgoing_.clear();
  logger_.set_client_sink(nullptr, util::LogLevel::emergency);
}

void Dispatcher::send(util::Json message) {
  util::redact_json(message);
  send_(util::dump_json(message));
}

void Dispatcher::send_tools_list(const util::Json& id, const util::Json& params) {
  // The result is the registry's own constant text (a test checks that the redactor finds
  // nothing in it); only the id, which the client chose, goes through the redactor.
  util::Json redacted_id = id;
  util::redact_json(redacted_id);
  std::string line = R"({"id":)";
  line += util::dump_json(redacted_id);
  line += R"(,"jsonrpc":"2.0","result":)";
  if (auto listed = tools_.list(params, line); !listed) {
    send(make_error(id, error_code::kInvalidParams, listed.error().message));
    return;
  }
  line += '}';
  send_(std::move(line));
}

void Dispatcher::handle_oversized(size_t limit) {
  send(make_error(nullptr, error_code::kInvalidRequest,
                  "Message too large: a line exceeded " + std::to_string(limit) +
                      " bytes and was discarded (raise --max-message-bytes if needed)."));
}

void Dispatcher::handle_line(std::string_view line) {
  auto parsed = util::parse_json(line);
  if (!parsed) {
    send(make_error(nullptr, error_code::kParseError, "Parse error: " + parsed.error().message));
    return;
  }
  Classified classified = classify(*parsed);
  if (!classified.ok) {
    send(std::move(classified.error_response));
    return;
  }
  switch (classified.message.kind) {
    case Message::Kind::request:
      handle_request(classified.message);
      break;
    case Message::Kind::notification:
      handle_notification(classified.message);
      break;
    case Message::Kind::response:
      handle_response(classified.message.id, *parsed);
      break;
  }
}

void Dispatcher::handle_request(const Message& message) {
  const std::string& method = message.method;
  const util::Json& id = message.id;
  if (method == "ping") {
    send(make_result(id, util::Json::object()));
    return;
  }
  if (method == "initialize") {
    auto result = session_.initialize(message.params);
    if (!result) {
      int code = result.error().code == "invalid_params" ? error_code::kInvalidParams
                                                         : error_code::kInvalidRequest;
      send(make_error(id, code, result.error().message));
      return;
    }
    send(make_result(id, std::move(result).value()));
    return;
  }
  if (!is_served_method(method)) {
    send(make_error(id, error_code::kMethodNotFound, "Method not found: " + method));
    return;
  }
  if (!session_.initialized()) {
    send(make_error(id, error_code::kNotInitialized,
                    "Server not initialized: send \"initialize\" first (only \"ping\" is "
                    "allowed before it)."));
    return;
  }
  if (method == "tools/list") {
    send_tools_list(id, message.params);
    return;
  }
  if (method == "tools/call") {
    call_tool(id, message.params);
    return;
  }
  if (method == "resources/templates/list") {
    send(make_result(id, resource_templates()));
    return;
  }
  if (method == "resources/list") {
    send(make_result(id, resource_list()));
    return;
  }
  if (method == "resources/read") {
    read_resource(id, message.params);
    return;
  }
  if (method == "logging/setLevel") {
    set_log_level(id, message.params);
    return;
  }
  send(make_error(id, error_code::kMethodNotFound, "Method not found: " + method));
}

void Dispatcher::handle_notification(const Message& message) {
  if (message.method == "notifications/initialized") {
    session_.mark_initialized();
  } else if (message.method == "notifications/cancelled") {
    const util::Json* request_id = util::member(message.params, "requestId");
    if (!request_id) return;
    auto found = calls_.find(util::dump_json(*request_id));
    if (found == calls_.end()) return;  // already answered: nothing to do, as the spec says
    found->second.cancelled = true;
    std::string reason = util::string_or(message.params, "reason", "no reason given");
    logger_.info("call " + found->first + " cancelled by the client: " + reason);
    found->second.cancel.cancel();
  }
  // Other notifications (progress from the client, roots changes) need no action.
}

void Dispatcher::handle_response(const util::Json& id, const util::Json& message) {
  std::string key = util::dump_json(id);
  if (outgoing_.find(key) == outgoing_.end()) {
    logger_.debug("ignoring a response to an unknown request " + key);
    return;
  }
  if (const util::Json* result = util::member(message, "result")) {
    finish_outgoing(key, *result, {});
    return;
  }
  const util::Json* error = util::member(message, "error");
  std::string text = error ? util::string_or(*error, "message", "no message") : "no message";
  if (text.size() > 200) text = text.substr(0, 200) + "…";  // the client's words, kept short
  finish_outgoing(
      key, util::make_error("client_error", "the client answered with an error: " + text), {});
}

util::Task<util::Result<util::Json>> Dispatcher::request_client(std::string method,
                                                                util::Json params,
                                                                std::chrono::milliseconds timeout,
                                                                util::CancelToken cancel) {
  if (cancel.cancelled()) co_return util::make_error("cancelled", "The call was cancelled.");
  util::Json id = next_outgoing_id_++;
  std::string key = util::dump_json(id);
  util::CancelRegistration registration;
  auto answer = co_await util::CallbackAwaitable<util::Result<util::Json>>(
      [&](std::function<void(util::Result<util::Json>)> complete) {
        Outgoing& pending = outgoing_[key];
        pending.id = id;
        pending.complete = std::move(complete);
        pending.timer = loop_.add_timer(timeout, [this, key] {
          finish_outgoing(key, util::make_error("timeout", "no answer in time"),
                          "no answer in time");
        });
        send(make_request(id, method, std::move(params)));
        registration = cancel.on_cancel([this, key] {
          finish_outgoing(key, util::make_error("cancelled", "The call was cancelled."),
                          "the call that asked was cancelled");
        });
      });
  co_return answer;
}

void Dispatcher::finish_outgoing(const std::string& key, util::Result<util::Json> value,
                                 std::string_view tell_client) {
  auto found = outgoing_.find(key);
  if (found == outgoing_.end()) return;  // already finished another way
  auto complete = std::move(found->second.complete);
  util::Json id = found->second.id;
  loop_.cancel_timer(found->second.timer);
  outgoing_.erase(found);
  if (!tell_client.empty()) {
    send(make_notification("notifications/cancelled",
                           {{"requestId", id}, {"reason", std::string(tell_client)}}));
  }
  // Resume the waiting call from the loop, never from inside the caller's stack.
  loop_.post([complete = std::move(complete), value = std::move(value)]() mutable {
    complete(std::move(value));
  });
}

void Dispatcher::set_log_level(const util::Json& id, const util::Json& params) {
  auto level = util::parse_log_level(util::string_or(params, "level"));
  if (!level) {
    send(make_error(id, error_code::kInvalidParams,
                    "params.level must be one of debug, info, notice, warning, error, critical, "
                    "alert, emergency."));
    return;
  }
  logger_.set_client_sink(
      [this](util::LogLevel lvl, const std::string& text) {
        send(make_notification(
            "notifications/message",
            {{"level", util::log_level_name(lvl)}, {"logger", "notion-mcp"}, {"data", text}}));
      },
      *level);
  send(make_result(id, util::Json::object()));
}

std::vector<audit::Target> Dispatcher::audit_targets(const util::Json& arguments) const {
  std::vector<audit::Target> out;
  auto targets = policy::scope_targets(arguments);
  if (!targets.ok()) return out;
  for (const auto& target : *targets) {
    std::string title = options_.guard ? options_.guard->index().title(target.ref.id) : "";
    out.push_back({target.argument, target.ref.id, std::move(title)});
  }
  return out;
}

void Dispatcher::write_audit(audit::Record record) {
  if (!options_.audit) return;
  record.client = session_.client_name();
  record.demo = session_.identity().demo;
  options_.audit(audit::format_line(record));
}

void Dispatcher::call_tool(const util::Json& id, const util::Json& params) {
  const util::Json* name = util::member(params, "name");
  if (!name || !name->is_string()) {
    send(make_error(id, error_code::kInvalidParams, "tools/call needs params.name (a string)."));
    return;
  }
  const tools::Tool* tool = tools_.find(name->get<std::string>());
  if (!tool) {
    send(make_error(id, error_code::kInvalidParams,
                    "Unknown tool: " + name->get<std::string>() +
                        ". Call tools/list to see the "
                        "available tools."));
    return;
  }
  util::Json arguments = util::Json::object();
  if (const util::Json* given = util::member(params, "arguments"); given && !given->is_null()) {
    arguments = *given;
  }
  std::string key = util::dump_json(id);
  if (calls_.count(key)) {
    send(make_error(id, error_code::kInvalidRequest,
                    "A request with id " + key + " is still in progress; use a new id."));
    return;
  }
  if (options_.guard) {
    policy::ToolDecision decision = options_.guard->decide(*tool, arguments);
    if (!decision.allowed) {
      audit::Record record;
      record.time = std::chrono::system_clock::now();
      record.tool = tool->name;
      record.kind = call_kind_name(*tool, arguments);
      record.arguments = arguments;
      record.targets = audit_targets(arguments);
      record.outcome = "refused";
      record.detail = decision.rule;
      write_audit(std::move(record));
      send(make_result(id, tool_result_body(refusal("tool_not_allowed", decision.reason),
                                            session_.identity().demo)));
      return;
    }
  }
  if (auto problem = validate_against_schema(tool->input_schema, arguments)) {
    audit::Record record;
    record.time = std::chrono::system_clock::now();
    record.tool = tool->name;
    record.kind = call_kind_name(*tool, arguments);
    record.arguments = arguments;
    record.outcome = "error";
    record.detail = "invalid_arguments";
    write_audit(std::move(record));
    util::Json result{
        {"content",
         util::Json::array({{{"type", "text"},
                             {"text", "Invalid arguments for " + tool->name + ": " + *problem +
                                          ". Fix the call and try again."}}})},
        {"isError", true}};
    send(make_result(id, std::move(result)));
    return;
  }
  util::Json progress_token;
  if (const util::Json* meta = util::member(params, "_meta")) {
    if (const util::Json* token = util::member(*meta, "progressToken");
        token && (token->is_string() || token->is_number_integer())) {
      progress_token = *token;
    }
  }
  calls_.emplace(key, Call{});
  util::spawn(run_tool(id, key, tool, std::move(arguments), std::move(progress_token)));
}

util::Task<Dispatcher::Confirmation> Dispatcher::confirm(const tools::Tool& tool,
                                                         const util::Json& arguments,
                                                         notion::Client& client,
                                                         util::CancelToken cancel) {
  policy::ConfirmLevel level = options_.guard->confirm();
  if (!session_.client_supports_form_elicitation()) {
    co_return Confirmation{false, "refused", "no_elicitation",
                           policy::no_elicitation_message(tool, level)};
  }
  policy::ObjectIndex& index = options_.guard->index();
  // A fresh session knows no titles yet: look them up so the person sees what will change.
  auto gathering = policy::gather_confirmation_facts(tool, arguments, index, client, cancel);
  std::vector<std::string> facts = co_await gathering;
  std::string message = policy::confirmation_message(
      tool, arguments, [&index](std::string_view id) { return index.title(id); }, facts);
  auto ask =
      request_client("elicitation/create",
                     policy::elicitation_params(std::move(message), session_.protocol_version()),
                     options_.confirm_timeout, cancel);
  auto answer = co_await ask;
  if (!answer.ok()) {
    const util::Error& error = answer.error();
    if (error.code == "cancelled") co_return Confirmation{false, "cancelled", "cancelled", {}};
    if (error.code == "timeout") {
      int seconds = static_cast<int>(
          std::chrono::duration_cast<std::chrono::seconds>(options_.confirm_timeout).count());
      co_return Confirmation{false, "refused", "confirmation_timeout",
                             policy::timeout_message(tool, seconds)};
    }
    co_return Confirmation{false, "refused", "confirmation_failed",
                           policy::failed_message(tool, error.message)};
  }
  switch (policy::read_answer(*answer)) {
    case policy::Answer::approved:
      co_return Confirmation{true, {}, "confirmed", {}};
    case policy::Answer::declined:
      co_return Confirmation{false, "declined", "declined", policy::declined_message(tool)};
    case policy::Answer::cancelled:
      co_return Confirmation{false, "declined", "dismissed", policy::cancelled_message(tool)};
    case policy::Answer::invalid:
      break;
  }
  co_return Confirmation{false, "refused", "confirmation_failed",
                         policy::failed_message(tool, "the client's answer was not understood")};
}

util::Task<void> Dispatcher::run_tool(util::Json id, std::string key, const tools::Tool* tool,
                                      util::Json arguments, util::Json progress_token) {
  auto started = std::chrono::steady_clock::now();
  audit::Record record;
  record.time = std::chrono::system_clock::now();
  record.tool = tool->name;
  record.kind = call_kind_name(*tool, arguments);
  record.arguments = arguments;
  std::vector<std::string>& request_ids = record.request_ids;
  policy::Guard* guard = options_.guard;
  // This call's view of the client: Notion's request ids for the audit log, and every answer
  // teaches the policy's index parents and titles.
  notion::Client client(notion_, [&request_ids, guard](const notion::ResponseInfo& info) {
    if (!info.request_id.empty() && request_ids.size() < kMaxRequestIds) {
      request_ids.emplace_back(info.request_id);
    }
    if (guard && info.body && info.status >= 200 && info.status < 300) guard->observe(*info.body);
  });
  util::CancelToken cancel = calls_.at(key).cancel.token();

  tools::ToolResult result;
  bool ran = false;
  bool allowed = true;
  if (guard) {
    auto check = guard->check_scope(*tool, arguments, client, cancel);
    std::optional<util::Error> outside = co_await check;
    if (outside) {
      allowed = false;
      result = tools::error_result(*outside);
      record.outcome = "refused";
      record.detail = outside->code;
    }
  }
  if (allowed && guard && guard->needs_confirmation(*tool, arguments)) {
    auto asking = confirm(*tool, arguments, client, cancel);
    Confirmation confirmation = co_await asking;
    if (!confirmation.approved) {
      allowed = false;
      result = refusal(confirmation.outcome == "declined" ? "declined_by_person" : "not_confirmed",
                       confirmation.message);
      record.outcome = confirmation.outcome;
    }
    record.detail = confirmation.detail;
  }
  if (allowed && !cancel.cancelled()) {
    tools::ToolContext context{
        client,
        loop_,
        cancel,
        [this, key, progress_token](double progress, double total, const std::string& message) {
          if (progress_token.is_null()) return;
          auto call = calls_.find(key);
          if (call == calls_.end() || call->second.cancelled) return;
          util::Json params{{"progressToken", progress_token}, {"progress", progress}};
          if (total > 0) params["total"] = total;
          if (!message.empty()) params["message"] = message;
          send(make_notification("notifications/progress", std::move(params)));
        },
        session_.identity().demo,
        options_.upload_roots,
        options_.read_upload};
    if (guard && guard->scope().active()) {
      context.check_in_scope = [guard, &client, cancel](const std::string& page_id) {
        return guard->check_object(
            policy::ObjectRef{policy::ObjectKind::page, policy::normalize_id(page_id)}, client,
            cancel);
      };
    }
    try {
      // A named task, not a temporary: GCC 12 mishandles temporaries inside co_await.
      auto task = tool->run(context, arguments);
      result = co_await task;
    } catch (const std::exception& e) {
      logger_.error("tool " + tool->name + " failed unexpectedly: " + e.what());
      result = tools::ToolResult::error("Internal error in " + tool->name +
                                        "; the server is still running. Try again, and report "
                                        "it if it persists.");
    }
    ran = true;
    if (guard) {
      auto filtering = guard->filter_results(*tool, result, client, cancel);
      co_await filtering;
    }
    record.outcome = result.is_error ? "error" : "ok";
    if (result.is_error) record.detail = error_code_of(result);
    // A scope refusal found while running (a relation's target) is a refusal like the others.
    if (record.detail == "outside_scope") record.outcome = "refused";
    if (!result.is_error && !tool->annotations.read_only && result.structured.is_object()) {
      record.result_id = util::string_or(result.structured, "id");
    }
  }

  auto call = calls_.find(key);
  bool cancelled = call == calls_.end() || call->second.cancelled;
  if (call != calls_.end()) calls_.erase(call);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  logger_.debug(tool->name +
                (cancelled         ? " cancelled"
                 : !ran            ? " refused"
                 : result.is_error ? " failed"
                                   : " done") +
                " in " + std::to_string(elapsed.count()) + " ms");
  if (cancelled) record.outcome = "cancelled";
  record.duration = elapsed;
  record.targets = audit_targets(arguments);  // after the call: titles are known by now
  write_audit(std::move(record));
  if (cancelled) co_return;  // the client no longer waits for this answer
  send(make_result(id, tool_result_body(std::move(result), session_.identity().demo)));
}

void Dispatcher::read_resource(const util::Json& id, const util::Json& params) {
  std::string uri = util::string_or(params, "uri");
  auto page_id = page_id_from_uri(uri);
  if (!page_id.ok()) {
    send(make_error(id, error_code::kInvalidParams,
                    page_id.error().message + " " + page_id.error().hint));
    return;
  }
  std::string key = util::dump_json(id);
  if (calls_.count(key)) {
    send(make_error(id, error_code::kInvalidRequest,
                    "A request with id " + key + " is still in progress; use a new id."));
    return;
  }
  // Reading a page as a resource is what get_page does: the same tool rule applies.
  if (options_.guard) {
    const tools::Tool* get_page = tools_.find("get_page");
    policy::ToolDecision decision =
        get_page ? options_.guard->decide(*get_page)
                 : policy::ToolDecision{false, "profile", "Pages cannot be read on this server."};
    if (!decision.allowed) {
      audit::Record record;
      record.time = std::chrono::system_clock::now();
      record.tool = "resources/read";
      record.kind = "read";
      record.arguments = {{"uri", uri}};
      record.targets = {{"uri", *page_id, options_.guard->index().title(*page_id)}};
      record.outcome = "refused";
      record.detail = decision.rule;
      write_audit(std::move(record));
      send(make_error(id, error_code::kInvalidParams,
                      "Reading pages is not allowed on this server: " + decision.reason));
      return;
    }
  }
  calls_.emplace(key, Call{});
  util::spawn(run_resource_read(id, key, std::move(uri), std::move(page_id).value()));
}

util::Task<void> Dispatcher::run_resource_read(util::Json id, std::string key, std::string uri,
                                               std::string page_id) {
  auto started = std::chrono::steady_clock::now();
  audit::Record record;
  record.time = std::chrono::system_clock::now();
  record.tool = "resources/read";
  record.kind = "read";
  record.arguments = {{"uri", uri}};
  std::vector<std::string>& request_ids = record.request_ids;
  policy::Guard* guard = options_.guard;
  notion::Client client(notion_, [&request_ids, guard](const notion::ResponseInfo& info) {
    if (!info.request_id.empty() && request_ids.size() < kMaxRequestIds) {
      request_ids.emplace_back(info.request_id);
    }
    if (guard && info.body && info.status >= 200 && info.status < 300) guard->observe(*info.body);
  });
  util::CancelToken cancel = calls_.at(key).cancel.token();

  util::Json response;
  std::optional<util::Error> outside;
  if (guard) {
    auto check =
        guard->check_object(policy::ObjectRef{policy::ObjectKind::page, page_id}, client, cancel);
    outside = co_await check;
  }
  if (outside) {
    record.outcome = "refused";
    record.detail = outside->code;
    response = make_error(id, error_code::kInvalidParams, outside->message);
  } else {
    auto reading = read_page_resource(client, page_id, cancel);
    auto markdown = co_await reading;
    if (markdown.ok()) {
      record.outcome = "ok";
      std::string text = std::move(markdown).value();
      bool demo = session_.identity().demo;
      if (demo) text = std::string(kDemoLabel) + text;  // as on every tool result
      util::Json content{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", std::move(text)}};
      if (demo) content["_meta"] = {{"notion-mcp/demo", true}};
      response = make_result(id, {{"contents", util::Json::array({std::move(content)})}});
    } else {
      const util::Error& error = markdown.error();
      record.outcome = "error";
      record.detail = error.code;
      int code = error.code == "object_not_found" ? error_code::kResourceNotFound
                                                  : error_code::kInternalError;
      response = make_error(id, code, error.message + (error.hint.empty() ? "" : " " + error.hint),
                            util::Json{{"uri", uri}});
    }
  }

  auto call = calls_.find(key);
  bool cancelled = call == calls_.end() || call->second.cancelled;
  if (call != calls_.end()) calls_.erase(call);
  if (cancelled) record.outcome = "cancelled";
  record.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  record.targets = {{"uri", page_id, guard ? guard->index().title(page_id) : std::string()}};
  write_audit(std::move(record));
  if (cancelled) co_return;
  send(std::move(response));
}

void Dispatcher::cancel_all() {
  for (auto& [key, call] : calls_) {
    call.cancelled = true;
    call.cancel.cancel();
  }
}

}  // namespace notion_mcp::mcp
