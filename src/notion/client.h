// The Notion REST client every tool uses: adds Notion-Version and the bearer token, shares one
// rate limiter across all calls, retries what is safe to retry, and turns Notion's error bodies
// into {code, message, hint} that a model can act on. The transport underneath is libcurl
// (real API or loopback test server) or the in-process demo workspace.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "notion/http.h"
#include "notion/rate_limiter.h"
#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/json.h"
#include "util/result.h"
#include "util/secret.h"
#include "util/task.h"

namespace notion_mcp::notion {

inline constexpr std::string_view kNotionVersion = "2026-03-11";

// Told that Notion answered 401 to the token `rejected`: returns a token to repeat the call with
// once (the broker refreshes an OAuth login), or the reason there is none.
using TokenRejected = std::function<util::Result<util::Secret>(const util::Secret& rejected)>;

struct ClientOptions {
  RateLimiterOptions rate_limit;  // shared by every call through this client
  TokenRejected token_rejected;   // null: a 401 fails the call at once
  int max_attempts = 6;           // first try included
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_ceiling{20000};
  std::chrono::milliseconds retry_after_cap{60000};  // a longer Retry-After is shortened
};

// Supplies the current bearer token. Returns an Error (code "unauthorized") when there is none.
using TokenSource = std::function<util::Result<util::Secret>()>;

// What the client saw of one Notion answer, for the audit log's request ids and the policy's
// cache of parents. `body` is null unless the answer was a JSON object.
struct ResponseInfo {
  std::string_view method;
  std::string_view path;
  int status = 0;
  std::string_view request_id;  // x-request-id, or the body's request_id; may be empty
  const util::Json* body = nullptr;
};
using ResponseObserver = std::function<void(const ResponseInfo&)>;

class Client {
 public:
  Client(util::EventLoop& loop, Transport& transport, TokenSource tokens, ClientOptions options);
  // A view for one caller (a tool call): shares `shared`'s transport, tokens, rate limiter,
  // retries and stats, and also reports every answer it receives to `observer`.
  Client(Client& shared, ResponseObserver observer);

  // `path` starts with "/v1/" and may carry a query string. `body` is sent as JSON for
  // POST/PATCH. On success the parsed JSON body; on failure an Error whose code is Notion's
  // (object_not_found, validation_error, rate_limited, unauthorized, ...) or one of ours
  // (network_error, tls_error, cancelled, invalid_response, response_too_large,
  // write_may_have_committed), with a hint that says how to fix the call.
  util::Task<util::Result<util::Json>> request(std::string method, std::string path,
                                               std::optional<util::Json> body,
                                               util::CancelToken cancel);

  // Like request, but sends `body` as it is, with `content_type` (the multipart/form-data of
  // file uploads). The answer is read and errors are mapped the same way.
  util::Task<util::Result<util::Json>> request_raw(std::string method, std::string path,
                                                   std::string content_type, std::string body,
                                                   util::CancelToken cancel);

  util::Task<util::Result<util::Json>> get(std::string path, util::CancelToken cancel) {
    return request("GET", std::move(path), std::nullopt, std::move(cancel));
  }
  util::Task<util::Result<util::Json>> post(std::string path, util::Json body,
                                            util::CancelToken cancel) {
    return request("POST", std::move(path), std::move(body), std::move(cancel));
  }
  util::Task<util::Result<util::Json>> patch(std::string path, util::Json body,
                                             util::CancelToken cancel) {
    return request("PATCH", std::move(path), std::move(body), std::move(cancel));
  }
  util::Task<util::Result<util::Json>> del(std::string path, util::CancelToken cancel) {
    return request("DELETE", std::move(path), std::nullopt, std::move(cancel));
  }

  // Counters for tests and the status command.
  struct Stats {
    int requests_sent = 0;
    int retries = 0;
    int rate_limited_responses = 0;  // 429 and 529 answers, retried or not
    int network_errors = 0;
  };
  const Stats& stats() const { return shared_ ? shared_->stats_ : stats_; }

 private:
  void report(std::string_view method, std::string_view path, const HttpResponse& response,
              const util::Json* parsed) const;

  util::EventLoop& loop_;
  Transport& transport_;
  TokenSource tokens_;
  ClientOptions options_;
  RateLimiter limiter_;
  Stats stats_;
  std::mt19937 rng_;          // backoff jitter; per client, so tests and clients never share state
  Client* shared_ = nullptr;  // set for a view: the client whose state it uses
  ResponseObserver observer_;
};

}  // namespace notion_mcp::notion
