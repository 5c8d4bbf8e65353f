#include "mcp/dispatcher.h"

#include <chrono>
#include <exception>

#include "mcp/jsonrpc.h"
#include "mcp/schema_validator.h"

namespace notion_mcp::mcp {

Dispatcher::Dispatcher(util::EventLoop& loop, notion::Client& notion, const ToolRegistry& tools,
                       util::Logger& logger, ServerIdentity identity, Send send)
    : loop_(loop),
      notion_(notion),
      tools_(tools),
      logger_(logger),
      session_(std::move(identity)),
      send_(std::move(send)) {}

Dispatcher::~Dispatcher() {
  cancel_all();
  logger_.set_client_sink(nullptr, util::LogLevel::emergency);
}

void Dispatcher::handle_oversized(size_t limit) {
  send_(make_error(nullptr, error_code::kInvalidRequest,
                   "Message too large: a line exceeded " + std::to_string(limit) +
                       " bytes and was discarded (raise --max-message-bytes if needed)."));
}

void Dispatcher::handle_line(std::string_view line) {
  auto parsed = util::parse_json(line);
  if (!parsed) {
    send_(make_error(nullptr, error_code::kParseError, "Parse error: " + parsed.error().message));
    return;
  }
  Classified classified = classify(*parsed);
  if (!classified.ok) {
    send_(std::move(classified.error_response));
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
      // We send no requests to the client yet; an unexpected answer is only logged.
      logger_.debug("ignoring a response to an unknown request");
      break;
  }
}

void Dispatcher::handle_request(const Message& message) {
  const std::string& method = message.method;
  const util::Json& id = message.id;
  if (method == "ping") {
    send_(make_result(id, util::Json::object()));
    return;
  }
  if (method == "initialize") {
    auto result = session_.initialize(message.params);
    if (!result) {
      int code = result.error().code == "invalid_params" ? error_code::kInvalidParams
                                                         : error_code::kInvalidRequest;
      send_(make_error(id, code, result.error().message));
      return;
    }
    send_(make_result(id, std::move(result).value()));
    return;
  }
  if (!session_.initialized()) {
    send_(make_error(id, error_code::kNotInitialized,
                     "Server not initialized: send \"initialize\" first (only \"ping\" is "
                     "allowed before it)."));
    return;
  }
  if (method == "tools/list") {
    auto result = tools_.list(message.params);
    if (!result) {
      send_(make_error(id, error_code::kInvalidParams, result.error().message));
      return;
    }
    send_(make_result(id, std::move(result).value()));
    return;
  }
  if (method == "tools/call") {
    call_tool(id, message.params);
    return;
  }
  if (method == "logging/setLevel") {
    set_log_level(id, message.params);
    return;
  }
  send_(make_error(id, error_code::kMethodNotFound, "Method not found: " + method));
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

void Dispatcher::set_log_level(const util::Json& id, const util::Json& params) {
  auto level = util::parse_log_level(util::string_or(params, "level"));
  if (!level) {
    send_(make_error(id, error_code::kInvalidParams,
                     "params.level must be one of debug, info, notice, warning, error, critical, "
                     "alert, emergency."));
    return;
  }
  logger_.set_client_sink(
      [this](util::LogLevel lvl, const std::string& text) {
        send_(make_notification(
            "notifications/message",
            {{"level", util::log_level_name(lvl)}, {"logger", "notion-mcp"}, {"data", text}}));
      },
      *level);
  send_(make_result(id, util::Json::object()));
}

void Dispatcher::call_tool(const util::Json& id, const util::Json& params) {
  const util::Json* name = util::member(params, "name");
  if (!name || !name->is_string()) {
    send_(make_error(id, error_code::kInvalidParams, "tools/call needs params.name (a string)."));
    return;
  }
  const tools::Tool* tool = tools_.find(name->get<std::string>());
  if (!tool) {
    send_(make_error(id, error_code::kInvalidParams,
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
    send_(make_error(id, error_code::kInvalidRequest,
                     "A request with id " + key + " is still in progress; use a new id."));
    return;
  }
  if (auto problem = validate_against_schema(tool->input_schema, arguments)) {
    util::Json result{
        {"content",
         util::Json::array({{{"type", "text"},
                             {"text", "Invalid arguments for " + tool->name + ": " + *problem +
                                          ". Fix the call and try again."}}})},
        {"isError", true}};
    send_(make_result(id, std::move(result)));
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

util::Task<void> Dispatcher::run_tool(util::Json id, std::string key, const tools::Tool* tool,
                                      util::Json arguments, util::Json progress_token) {
  auto started = std::chrono::steady_clock::now();
  tools::ToolContext context{
      notion_, loop_, calls_.at(key).cancel.token(),
      [this, key, progress_token](double progress, double total, const std::string& message) {
        if (progress_token.is_null()) return;
        auto call = calls_.find(key);
        if (call == calls_.end() || call->second.cancelled) return;
        util::Json params{{"progressToken", progress_token}, {"progress", progress}};
        if (total > 0) params["total"] = total;
        if (!message.empty()) params["message"] = message;
        send_(make_notification("notifications/progress", std::move(params)));
      },
      session_.identity().demo};

  tools::ToolResult result;
  try {
    // A named task, not a temporary: GCC 12 mishandles temporaries inside co_await.
    auto task = tool->run(context, arguments);
    result = co_await task;
  } catch (const std::exception& e) {
    logger_.error("tool " + tool->name + " failed unexpectedly: " + e.what());
    result = tools::ToolResult::error("Internal error in " + tool->name +
                                      "; the server is still running. Try again, and report it "
                                      "if it persists.");
  }

  auto call = calls_.find(key);
  bool cancelled = call == calls_.end() || call->second.cancelled;
  if (call != calls_.end()) calls_.erase(call);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  logger_.debug(tool->name +
                (cancelled         ? " cancelled"
                 : result.is_error ? " failed"
                                   : " done") +
                " in " + std::to_string(elapsed.count()) + " ms");
  if (cancelled) co_return;  // the client no longer waits for this answer

  std::string text = std::move(result.text);
  if (session_.identity().demo) text = "[demo workspace: sample data, not your Notion]\n" + text;
  util::Json body{{"content", util::Json::array({{{"type", "text"}, {"text", std::move(text)}}})}};
  if (!result.structured.is_null()) body["structuredContent"] = std::move(result.structured);
  if (result.is_error) body["isError"] = true;
  if (session_.identity().demo) body["_meta"] = {{"notion-mcp/demo", true}};
  send_(make_result(id, std::move(body)));
}

void Dispatcher::cancel_all() {
  for (auto& [key, call] : calls_) {
    call.cancelled = true;
    call.cancel.cancel();
  }
}

}  // namespace notion_mcp::mcp
