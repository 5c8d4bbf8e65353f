#include "notion/client.h"

#include <utility>

#include "notion/error_mapping.h"
#include "notion/retry_policy.h"
#include "util/redact.h"

namespace notion_mcp::notion {
namespace {

bool is_success(int status) { return status >= 200 && status < 300; }

bool has_body(std::string_view method) { return method == "POST" || method == "PATCH"; }

}  // namespace

Client::Client(util::EventLoop& loop, Transport& transport, TokenSource tokens,
               ClientOptions options)
    : loop_(loop),
      transport_(transport),
      tokens_(std::move(tokens)),
      options_(options),
      limiter_(loop, options.rate_limit),
      rng_(std::random_device{}()) {}

util::Task<util::Result<util::Json>> Client::request(std::string method, std::string path,
                                                     std::optional<util::Json> body,
                                                     util::CancelToken cancel) {
  const RetryOptions retry{options_.max_attempts, options_.backoff_base, options_.backoff_ceiling,
                           options_.retry_after_cap};
  std::string body_text;
  if (body) {
    body_text = util::dump_json(*body);
  } else if (has_body(method)) {
    body_text = "{}";  // Notion expects a JSON object on writes, even an empty one
  }

  for (int attempt = 1;; ++attempt) {
    // Asked on every attempt, so a token refreshed meanwhile is used for the retry.
    auto token = tokens_ ? tokens_() : util::Result<util::Secret>(util::Secret());
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
    if (!co_await limiter_.acquire(cancel)) co_return cancelled_error();

    HttpRequest request;
    request.method = method;
    request.path = path;
    request.headers.reserve(4);
    request.headers.emplace_back("Authorization", "Bearer " + std::string(token->reveal()));
    request.headers.emplace_back("Notion-Version", std::string(kNotionVersion));
    request.headers.emplace_back("Accept", "application/json");
    if (!body_text.empty()) request.headers.emplace_back("Content-Type", "application/json");
    request.body = body_text;

    ++stats_.requests_sent;
    if (attempt > 1) ++stats_.retries;
    util::Result<HttpResponse> outcome =
        co_await util::CallbackAwaitable<util::Result<HttpResponse>>(
            [&](std::function<void(util::Result<HttpResponse>)> complete) {
              transport_.start(std::move(request), cancel, std::move(complete));
            });
    if (cancel.cancelled()) co_return cancelled_error();

    RetryDecision decision;
    std::optional<util::Error> failure;
    if (!outcome.ok()) {
      util::Error error = std::move(outcome).error();
      if (error.code == "cancelled") co_return cancelled_error();
      if (error.code == "network_error") ++stats_.network_errors;
      error.message = util::redact(error.message);
      if (error.hint.empty()) error.hint = hint_for(error.code, error.status);
      decision = decide_after_failure(method, error, attempt, retry, rng_);
      failure = std::move(error);
    } else {
      HttpResponse& response = *outcome;
      auto parsed = util::parse_json(response.body);
      if (is_success(response.status)) {
        if (parsed.ok() && parsed->is_object()) co_return std::move(parsed).value();
        util::Error error = invalid_response(
            response.status, response.body.empty() ? "the body was empty"
                             : parsed.ok()
                                 ? "the body is not a JSON object"
                                 : "the body is not valid JSON (it may have been cut short)");
        decision = decide_after_failure(method, error, attempt, retry, rng_);
        failure = std::move(error);
      } else {
        const util::Json* error_body = parsed.ok() ? &parsed.value() : nullptr;
        if (response.status == 429 || response.status == 529) ++stats_.rate_limited_responses;
        decision =
            decide_after_status(method, response.status, error_body,
                                find_header(response.headers, "Retry-After"), attempt, retry, rng_);
        failure = map_error_response(method, response.status, error_body, response.headers);
      }
    }

    if (!decision.retry) co_return std::move(*failure);
    if (decision.pause_limiter) {
      // Everyone waits: the next acquire() (ours included) sleeps until the pause ends.
      limiter_.pause_until(loop_.now() + decision.delay);
    } else if (!co_await util::sleep_for(loop_, decision.delay, cancel)) {
      co_return cancelled_error();
    }
  }
}

}  // namespace notion_mcp::notion
