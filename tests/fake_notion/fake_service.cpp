#include "fake_service.h"

#include <cstdio>
#include <exception>
#include <string>
#include <utility>

#include "notion_errors.h"
#include "util/redact.h"

namespace notion_mcp::fake_notion {
namespace {

const char* fault_name(FaultKind fault) {
  switch (fault) {
    case FaultKind::kNone:
      return "";
    case FaultKind::kUnauthorized:
      return " [unauthorized]";
    case FaultKind::kRateLimited:
      return " [rate_limited]";
    case FaultKind::kOverloaded:
      return " [service_overload]";
    case FaultKind::kServerError:
      return " [server_error]";
    case FaultKind::kTruncate:
      return " [truncated]";
  }
  return "";
}

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD"; }

notion::HttpResponse server_error(int status, const util::Json& additional_data = nullptr) {
  switch (status) {
    case 502:
      return error_response(502, "bad_gateway",
                            "Notion encountered an issue while attempting to complete this "
                            "request. Please try again.",
                            additional_data);
    case 503:
      return error_response(503, "service_unavailable",
                            "Notion is unavailable. Please try again later.", additional_data);
    case 504:
      return error_response(504, "gateway_timeout",
                            "Notion timed out while attempting to complete this request. Please "
                            "try again later.",
                            additional_data);
    default:
      return error_response(500, "internal_server_error", "Unexpected error occurred.",
                            additional_data);
  }
}

notion::HttpResponse with_retry_after(notion::HttpResponse response, int seconds) {
  response.headers.emplace_back("Retry-After", std::to_string(seconds));
  return response;
}

}  // namespace

FakeService::FakeService(std::unique_ptr<demo::Workspace> workspace, FaultConfig faults,
                         bool verbose)
    : workspace_(std::move(workspace)), faults_(std::move(faults)), verbose_(verbose) {
  add_control_routes();
  add_oauth_routes(router_, oauth_);
}

void FakeService::add_control_routes() {
  router_.add("GET", "/__fake/stats", RouteKind::kControl,
              [this](const notion::HttpRequest&) { return json_response(200, stats_.to_json()); });
  router_.add("POST", "/__fake/reset-stats", RouteKind::kControl,
              [this](const notion::HttpRequest&) {
                stats_.reset();
                return json_response(200, {{"ok", true}});
              });
  router_.add("GET", "/__fake/config", RouteKind::kControl, [this](const notion::HttpRequest&) {
    return json_response(200, faults_.describe());
  });
  router_.add("POST", "/__fake/config", RouteKind::kControl,
              [this](const notion::HttpRequest& request) {
                auto patch = util::parse_json(request.body);
                if (!patch) return error_response(400, "invalid_json", patch.error().message);
                auto updated = faults_.update(*patch);
                if (!updated) {
                  return error_response(400, "validation_error",
                                        updated.error().message + " " + updated.error().hint);
                }
                return json_response(200, *updated);
              });
}

Reply FakeService::handle(const ParsedRequest& parsed) {
  const notion::HttpRequest& request = parsed.request;
  bool path_known = false;
  const Route* route = router_.find(request.method, request.path, path_known);
  if (route != nullptr && route->kind == RouteKind::kControl) {
    return Reply{route->handler(request)};
  }
  if (route == nullptr && path_known) {
    return Reply{error_response(405, "invalid_request",
                                "This endpoint does not accept " + request.method + ".")};
  }
  std::string_view path = request.path;
  if (route != nullptr || path.substr(0, 4) == "/v1/") return handle_api(request, route);

  Reply reply{error_response(400, "invalid_request_url", "Invalid request URL.")};
  stats_.request_finished(path, reply.response.status, FaultKind::kNone);
  log(request, reply.response.status, FaultKind::kNone);
  return reply;
}

Reply FakeService::handle_api(const notion::HttpRequest& request, const Route* route) {
  // Routes the fake answers itself (OAuth) do their own authentication.
  // A token from the fake OAuth provider passes while it lives and is refused once expired.
  std::optional<bool> issued =
      route == nullptr ? oauth_.bearer_status(request.headers) : std::nullopt;
  FaultDecision decision = faults_.decide(request, /*check_bearer=*/route == nullptr && !issued);
  if (issued == false) decision.kind = FaultKind::kUnauthorized;
  auto answer = [&](const notion::HttpRequest& r) {
    return route != nullptr ? route->handler(r) : call_workspace(r);
  };

  Reply reply;
  reply.delay_ms = decision.slow_ms;
  FaultKind fault = decision.kind;
  switch (decision.kind) {
    case FaultKind::kUnauthorized:
      reply.response = error_response(401, "unauthorized", "API token is invalid.");
      break;
    case FaultKind::kRateLimited: {
      util::Json additional = nullptr;
      if (!decision.rate_limit_reason.empty()) {
        additional = {{"rate_limit_reason", decision.rate_limit_reason}};
      }
      reply.response = with_retry_after(
          error_response(429, "rate_limited",
                         "You have been rate limited. Please try again in a few minutes.",
                         additional),
          decision.retry_after);
      break;
    }
    case FaultKind::kOverloaded:
      reply.response = with_retry_after(
          error_response(529, "service_overload",
                         "Notion is experiencing high load. Please try again later."),
          decision.retry_after);
      break;
    case FaultKind::kServerError:
      if (decision.retry_guidance && decision.server_error_status == 503 &&
          is_write(request.method)) {
        bool performed = false;
        reply.response = committed_then_unavailable(request, performed);
        if (!performed) fault = FaultKind::kNone;  // the write failed on its own: pass it on
      } else {
        reply.response = server_error(decision.server_error_status);
      }
      break;
    case FaultKind::kTruncate:
      reply.response = answer(request);
      reply.truncate = true;
      break;
    case FaultKind::kNone:
      reply.response = answer(request);
      break;
  }
  stats_.request_finished(request.path, reply.response.status, fault);
  log(request, reply.response.status, fault);
  return reply;
}

notion::HttpResponse FakeService::call_workspace(const notion::HttpRequest& request) {
  std::lock_guard lock(workspace_mutex_);
  try {
    return workspace_->handle(request);
  } catch (const std::exception& e) {
    // A workspace bug must fail the one request visibly, not kill every test's server.
    return error_response(500, "internal_server_error",
                          std::string("The demo workspace failed: ") + e.what());
  }
}

// Notion may answer a write with 503 after saving it; the body says what was committed so a
// client re-reads instead of repeating the write.
notion::HttpResponse FakeService::committed_then_unavailable(const notion::HttpRequest& request,
                                                             bool& performed) {
  notion::HttpResponse written = call_workspace(request);
  performed = written.status >= 200 && written.status < 300;
  if (!performed) return written;
  util::Json additional = {{"retry_guidance",
                            "The request was committed. Read the resource again instead of "
                            "repeating the request."}};
  if (auto body = util::parse_json(written.body); body && body->is_object()) {
    if (const util::Json* id = util::member(*body, "id"); id && id->is_string()) {
      additional["committed_resource_id"] = *id;
    }
    if (const util::Json* results = util::member(*body, "results");
        results && results->is_array()) {
      util::Json children = util::Json::array();
      for (const util::Json& child : *results) {
        if (const util::Json* id = util::member(child, "id"); id && id->is_string()) {
          children.push_back(*id);
        }
      }
      additional["committed_child_ids"] = std::move(children);
    }
  }
  return server_error(503, additional);
}

Reply FakeService::reject(int status, std::string_view message) {
  std::string code = status == 413 ? "validation_error" : "invalid_request";
  Reply reply{error_response(status, code, message)};
  reply.close = true;
  stats_.request_finished("(unparsed)", status, FaultKind::kNone);
  if (verbose_)
    std::fprintf(stderr, "fake_notion: refused a request: %d %.*s\n", status,
                 static_cast<int>(message.size()), message.data());
  return reply;
}

void FakeService::log(const notion::HttpRequest& request, int status, FaultKind fault) const {
  if (!verbose_) return;
  std::string line = "fake_notion: " + request.method + " " + request.path + " -> " +
                     std::to_string(status) + fault_name(fault) + "\n";
  line = util::redact(line);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace notion_mcp::fake_notion
