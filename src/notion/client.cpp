#include "notion/client.h"

#include <utility>

#include "notion/error_mapping.h"
#include "notion/retry_policy.h"
#include "util/redact.h"

namespace notion_mcp::notion {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

bool has_body(std::string_view method) { return method == "POST" || method == "PATCH"; }

// Notion's request ids are short tokens of letters, digits and dashes; anything else is dropped.
bool plausible_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Client::Client(util::EventLoop& loop, Transport& transport, TokenSource tokens,
               ClientOptions options)
    : loop_(loop),
      transport_(transport),
      tokens_(std::move(tokens)),
      options_(options),
      limiter_(loop, options.rate_limit),
      rng_(std::random_device{}()) {}

Client::Client(Client& shared, ResponseObserver observer)
    : loop_(shared.loop_),
      transport_(shared.transport_),
      tokens_(shared.tokens_),
      options_(shared.options_),
      limiter_(shared.loop_, shared.options_.rate_limit),
      shared_(shared.shared_ ? shared.shared_ : &shared),
      observer_(std::move(observer)) {}

util::Task<util::Result<util::Json>> Client::request(std::string method, std::string path,
                                                     std::optional<util::Json> body,
                                                     util::CancelToken cancel) {
  std::string body_text;
  if (body) {
    body_text = util::dump_json(*body);
  } else if (has_body(method)) {
    body_text = "{}";  // Notion expects a JSON object on writes, even an empty one
  }
  auto task = request_raw(std::move(method), std::move(path), "application/json",
                          std::move(body_text), std::move(cancel));
  co_return co_await task;
}

util::Task<util::Result<util::Json>> Client::request_raw(std::string method, std::string path,
                                                         std::string content_type,
                                                         std::string body_text,
                                                         util::CancelToken cancel) {
  // A view uses the shared client's limiter, stats and jitter; only the observer is its own.
  Client& core = shared_ ? *shared_ : *this;
  const RetryOptions retry{options_.max_attempts, options_.backoff_base, options_.backoff_ceiling,
                           options_.retry_after_cap};

  bool token_renewed = false;
  for (int attempt = 1;; ++attempt) {
    // Asked on every attempt, so a token refreshed meanwhile is used for the retry.
    auto token = core.tokens_ ? core.tokens_() : util::Result<util::Secret>(util::Secret());
    if (!token.ok()) {
      util::Error error = token.error();
      if (error.hint.empty()) error.hint = hint_for(error.code);
      co_return error;
    }
    if (token->empty()) {
      co_return util::make_error(
          "unauthorized", "No Notion token is configured.",
          "Set NOTION_TOKEN to an internal integration token, or run `notion-mcp login`.");
    }
    if (!co_await core.limiter_.acquire(cancel)) co_return cancelled_error();

    HttpRequest request;
    request.method = method;
    request.path = path;
    request.headers.reserve(4);
    request.headers.emplace_back("Authorization", "Bearer " + std::string(token->reveal()));
    request.headers.emplace_back("Notion-Version", std::string(kNotionVersion));
    request.headers.emplace_back("Accept", "application/json");
    if (!body_text.empty()) request.headers.emplace_back("Content-Type", content_type);
    request.body = body_text;

    ++core.stats_.requests_sent;
    if (attempt > 1) ++core.stats_.retries;
    util::Result<HttpResponse> outcome =
        co_await util::CallbackAwaitable<util::Result<HttpResponse>>(
            [&](std::function<void(util::Result<HttpResponse>)> complete) {
              core.transport_.start(std::move(request), cancel, std::move(complete));
            });
    if (cancel.cancelled()) co_return cancelled_error();

    RetryDecision decision;
    std::optional<util::Error> failure;
    if (!outcome.ok()) {
      util::Error error = std::move(outcome).error();
      if (error.code == "cancelled") co_return cancelled_error();
      if (error.code == "network_error") ++core.stats_.network_errors;
      error.message = util::redact(error.message);
      if (error.hint.empty()) error.hint = hint_for(error.code, error.status);
      decision = decide_after_failure(method, error, attempt, retry, core.rng_);
      failure = std::move(error);
    } else {
      HttpResponse& response = *outcome;
      auto parsed = util::parse_json(response.body);
      if (observer_) report(method, path, response, parsed.ok() ? &parsed.value() : nullptr);
      if (is_success(response.status)) {
        if (parsed.ok() && parsed->is_object()) co_return std::move(parsed).value();
        util::Error error = invalid_response(
            response.status, response.body.empty() ? "the body was empty"
                             : parsed.ok()
                                 ? "the body is not a JSON object"
                                 : "the body is not valid JSON (it may have been cut short)");
        decision = decide_after_failure(method, error, attempt, retry, core.rng_);
        failure = std::move(error);
      } else {
        const util::Json* error_body = parsed.ok() ? &parsed.value() : nullptr;
        if (response.status == 429 || response.status == 529) ++core.stats_.rate_limited_responses;
        decision = decide_after_status(method, response.status, error_body,
                                       find_header(response.headers, "Retry-After"), attempt, retry,
                                       core.rng_);
        failure = map_error_response(method, response.status, error_body, response.headers);
        // A refused token is renewed once and the call repeated with the new one.
        if (response.status == 401 && !token_renewed && options_.token_rejected) {
          token_renewed = true;
          auto renewed = options_.token_rejected(*token);
          if (renewed.ok()) continue;
          failure->message = renewed.error().message;
          failure->hint =
              renewed.error().hint.empty() ? hint_for("unauthorized") : renewed.error().hint;
        }
      }
    }

    if (!decision.retry) co_return std::move(*failure);
    if (decision.pause_limiter) {
      // Everyone waits: the next acquire() (ours included) sleeps until the pause ends.
      core.limiter_.pause_until(loop_.now() + decision.delay);
    } else if (!co_await util::sleep_for(loop_, decision.delay, cancel)) {
      co_return cancelled_error();
    }
  }
}

void Client::report(std::string_view method, std::string_view path, const HttpResponse& response,
                    const util::Json* parsed) const {
  const util::Json* body = parsed != nullptr && parsed->is_object() ? parsed : nullptr;
  std::string body_id = body ? util::string_or(*body, "request_id") : std::string();
  std::string_view request_id = find_header(response.headers, "x-request-id");
  if (!plausible_request_id(request_id)) request_id = body_id;
  if (!plausible_request_id(request_id)) request_id = {};
  observer_(ResponseInfo{method, path, response.status, request_id, body});
}

}  // namespace notion_mcp::notion
