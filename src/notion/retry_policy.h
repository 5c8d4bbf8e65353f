// When a Notion call may be repeated, and after how long. Pure functions, so every rule is a
// unit test: 429/529 wait for Retry-After and pause every call; 5xx and network failures are
// repeated only for GET/DELETE, because a repeated write could apply twice.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include "util/json.h"
#include "util/result.h"

namespace notion_mcp::notion {

struct RetryOptions {
  int max_attempts = 6;  // first try included
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_ceiling{20000};
  // A Retry-After longer than this is shortened: a tool call should not hang for minutes.
  std::chrono::milliseconds retry_after_cap{60000};
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  // Notion asked this integration to slow down (429/529): every call waits, not just this one.
  bool pause_limiter = false;
};

// GET and DELETE may be repeated safely; POST and PATCH may not.
bool is_idempotent(std::string_view method);

// Retry-After in seconds ("2", "1.5"). HTTP dates and garbage give nullopt.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

// Exponential backoff with full jitter: uniform in [base, min(ceiling, base * 2^attempt)].
// `attempt` is the number of attempts made so far (1 after the first try).
std::chrono::milliseconds backoff_delay(int attempt, const RetryOptions& options,
                                        std::mt19937& rng);

// Notion's additional_data.rate_limit_reason, or empty.
std::string_view rate_limit_reason(const util::Json* error_body);

// After an HTTP answer with a non-2xx `status`. `error_body` is the parsed body when it was JSON.
RetryDecision decide_after_status(std::string_view method, int status, const util::Json* error_body,
                                  std::string_view retry_after, int attempt,
                                  const RetryOptions& options, std::mt19937& rng);

// After a transport failure or an unreadable answer (codes network_error, invalid_response,
// cancelled, ...).
RetryDecision decide_after_failure(std::string_view method, const util::Error& error, int attempt,
                                   const RetryOptions& options, std::mt19937& rng);

}  // namespace notion_mcp::notion
