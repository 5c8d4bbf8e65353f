#include "notion/retry_policy.h"

#include <gtest/gtest.h>

namespace notion_mcp::notion {
namespace {

using std::chrono::milliseconds;

RetryOptions options() {
  RetryOptions o;
  o.max_attempts = 4;
  o.backoff_base = milliseconds(100);
  o.backoff_ceiling = milliseconds(1000);
  o.retry_after_cap = milliseconds(60000);
  return o;
}

util::Json rate_limited(std::string_view reason) {
  return util::Json{{"object", "error"},
                    {"status", 429},
                    {"code", "rate_limited"},
                    {"message", "slow down"},
                    {"additional_data", {{"rate_limit_reason", reason}}}};
}

TEST(NotionRetryPolicy, OnlyGetAndDeleteAreIdempotent) {
  EXPECT_TRUE(is_idempotent("GET"));
  EXPECT_TRUE(is_idempotent("DELETE"));
  EXPECT_FALSE(is_idempotent("POST"));
  EXPECT_FALSE(is_idempotent("PATCH"));
}

TEST(NotionRetryPolicy, ParsesRetryAfterSeconds) {
  EXPECT_EQ(parse_retry_after("2"), milliseconds(2000));
  EXPECT_EQ(parse_retry_after(" 0 "), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1.5"), milliseconds(1500));
  EXPECT_EQ(parse_retry_after("0.25"), milliseconds(250));
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after("soon"));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("1.x"));
}

TEST(NotionRetryPolicy, BackoffStaysBetweenBaseAndCeilingAndGrows) {
  std::mt19937 rng(42);
  auto o = options();
  milliseconds max_seen_first{0}, max_seen_late{0};
  for (int i = 0; i < 500; ++i) {
    auto first = backoff_delay(1, o, rng);
    auto late = backoff_delay(10, o, rng);
    EXPECT_GE(first, o.backoff_base);
    EXPECT_LE(first, milliseconds(200));
    EXPECT_GE(late, o.backoff_base);
    EXPECT_LE(late, o.backoff_ceiling);
    max_seen_first = std::max(max_seen_first, first);
    max_seen_late = std::max(max_seen_late, late);
  }
  // Full jitter: late attempts spread up to the ceiling, early ones stay short.
  EXPECT_GT(max_seen_late, milliseconds(800));
  EXPECT_GT(max_seen_first, milliseconds(150));
}

TEST(NotionRetryPolicy, RateLimitHonoursRetryAfterForAnyMethodAndPausesEveryone) {
  std::mt19937 rng(1);
  auto body = rate_limited("public_api_request_rate_limit");
  for (std::string_view method : {"GET", "POST", "PATCH", "DELETE"}) {
    auto d = decide_after_status(method, 429, &body, "3", 1, options(), rng);
    EXPECT_TRUE(d.retry) << method;
    EXPECT_TRUE(d.pause_limiter);
    EXPECT_EQ(d.delay, milliseconds(3000));
  }
  auto overload = decide_after_status("POST", 529, nullptr, "1", 1, options(), rng);
  EXPECT_TRUE(overload.retry);
  EXPECT_TRUE(overload.pause_limiter);
  EXPECT_EQ(overload.delay, milliseconds(1000));
}

TEST(NotionRetryPolicy, RetryAfterIsCapped) {
  std::mt19937 rng(1);
  auto d = decide_after_status("GET", 429, nullptr, "3600", 1, options(), rng);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, milliseconds(60000));
}

TEST(NotionRetryPolicy, RateLimitWithoutRetryAfterBacksOff) {
  std::mt19937 rng(1);
  auto d = decide_after_status("GET", 429, nullptr, "", 2, options(), rng);
  EXPECT_TRUE(d.retry);
  EXPECT_GE(d.delay, milliseconds(100));
  EXPECT_LE(d.delay, milliseconds(400));
}

TEST(NotionRetryPolicy, BlockedIsNeverRetried) {
  std::mt19937 rng(1);
  auto body = rate_limited("public_api_request_blocked");
  EXPECT_FALSE(decide_after_status("GET", 429, &body, "1", 1, options(), rng).retry);
  EXPECT_EQ(rate_limit_reason(&body), "public_api_request_blocked");
  EXPECT_EQ(rate_limit_reason(nullptr), "");
}

TEST(NotionRetryPolicy, ServerErrorsRetryOnlyReadsAndDeletes) {
  std::mt19937 rng(1);
  for (int status : {500, 502, 503, 504}) {
    EXPECT_TRUE(decide_after_status("GET", status, nullptr, "", 1, options(), rng).retry);
    EXPECT_TRUE(decide_after_status("DELETE", status, nullptr, "", 1, options(), rng).retry);
    EXPECT_FALSE(decide_after_status("POST", status, nullptr, "", 1, options(), rng).retry);
    EXPECT_FALSE(decide_after_status("PATCH", status, nullptr, "", 1, options(), rng).retry);
  }
  auto d = decide_after_status("GET", 503, nullptr, "", 1, options(), rng);
  EXPECT_FALSE(d.pause_limiter);
}

TEST(NotionRetryPolicy, ClientErrorsAreNotRetried) {
  std::mt19937 rng(1);
  for (int status : {400, 401, 403, 404, 409, 501}) {
    EXPECT_FALSE(decide_after_status("GET", status, nullptr, "1", 1, options(), rng).retry)
        << status;
  }
}

TEST(NotionRetryPolicy, StopsAfterMaxAttempts) {
  std::mt19937 rng(1);
  EXPECT_TRUE(decide_after_status("GET", 429, nullptr, "1", 3, options(), rng).retry);
  EXPECT_FALSE(decide_after_status("GET", 429, nullptr, "1", 4, options(), rng).retry);
  EXPECT_FALSE(decide_after_status("GET", 500, nullptr, "", 4, options(), rng).retry);
  auto network = util::make_error("network_error", "reset");
  EXPECT_FALSE(decide_after_failure("GET", network, 4, options(), rng).retry);
}

TEST(NotionRetryPolicy, NetworkErrorsRetryOnlyReadsAndDeletes) {
  std::mt19937 rng(1);
  auto network = util::make_error("network_error", "connection reset");
  EXPECT_TRUE(decide_after_failure("GET", network, 1, options(), rng).retry);
  EXPECT_TRUE(decide_after_failure("DELETE", network, 1, options(), rng).retry);
  EXPECT_FALSE(decide_after_failure("POST", network, 1, options(), rng).retry);
  EXPECT_FALSE(decide_after_failure("PATCH", network, 1, options(), rng).retry);
  EXPECT_FALSE(
      decide_after_failure("GET", util::make_error("cancelled", "x"), 1, options(), rng).retry);
}

}  // namespace
}  // namespace notion_mcp::notion
