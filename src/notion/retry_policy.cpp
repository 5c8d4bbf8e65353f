#include "notion/retry_policy.h"

#include <algorithm>
#include <charconv>

namespace notion_mcp::notion {
namespace {

bool is_transient_status(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "DELETE" || method == "HEAD";
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 16) return std::nullopt;
  auto dot = value.find('.');
  std::string_view whole = value.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : value.substr(dot + 1);
  if (whole.empty()) return std::nullopt;
  long long seconds = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (ec != std::errc() || end != whole.data() + whole.size() || seconds < 0) return std::nullopt;
  long long millis = 0;
  int scale = 100;
  for (char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    millis += (c - '0') * scale;
    scale /= 10;
  }
  return std::chrono::milliseconds(std::min<long long>(seconds, 86400) * 1000 + millis);
}

std::chrono::milliseconds backoff_delay(int attempt, const RetryOptions& options,
                                        std::mt19937& rng) {
  auto base = std::max<long long>(0, options.backoff_base.count());
  auto ceiling = std::max<long long>(base, options.backoff_ceiling.count());
  long long upper = base;
  for (int i = 0; i < attempt && upper < ceiling; ++i) upper = std::max<long long>(1, upper * 2);
  upper = std::min(upper, ceiling);
  std::uniform_int_distribution<long long> pick(base, upper);
  return std::chrono::milliseconds(pick(rng));
}

std::string_view rate_limit_reason(const util::Json* error_body) {
  if (error_body == nullptr || !error_body->is_object()) return {};
  const util::Json* extra = util::member(*error_body, "additional_data");
  if (extra == nullptr || !extra->is_object()) return {};
  const util::Json* reason = util::member(*extra, "rate_limit_reason");
  if (reason == nullptr || !reason->is_string()) return {};
  return reason->get_ref<const std::string&>();
}

RetryDecision decide_after_status(std::string_view method, int status, const util::Json* error_body,
                                  std::string_view retry_after, int attempt,
                                  const RetryOptions& options, std::mt19937& rng) {
  RetryDecision decision;
  if (attempt >= options.max_attempts) return decision;
  auto asked = parse_retry_after(retry_after);
  if (asked) *asked = std::min(*asked, options.retry_after_cap);

  if (status == 429 || status == 529) {
    // Notion blocked the integration: repeating only makes it worse.
    if (rate_limit_reason(error_body) == "public_api_request_blocked") return decision;
    decision.retry = true;
    decision.delay = asked ? *asked : backoff_delay(attempt, options, rng);
    decision.pause_limiter = true;
    return decision;
  }
  if (is_transient_status(status) && is_idempotent(method)) {
    decision.retry = true;
    decision.delay =
        asked ? std::max(*asked, options.backoff_base) : backoff_delay(attempt, options, rng);
    return decision;
  }
  return decision;
}

RetryDecision decide_after_failure(std::string_view method, const util::Error& error, int attempt,
                                   const RetryOptions& options, std::mt19937& rng) {
  RetryDecision decision;
  if (attempt >= options.max_attempts || !is_idempotent(method)) return decision;
  // A write that failed in flight may have reached Notion, so only reads and deletes repeat.
  if (error.code == "network_error" || error.code == "invalid_response") {
    decision.retry = true;
    decision.delay = backoff_delay(attempt, options, rng);
  }
  return decision;
}

}  // namespace notion_mcp::notion
