#include "notion/rate_limiter.h"

#include <algorithm>

namespace notion_mcp::notion {
namespace {

using Clock = util::EventLoop::Clock;

Clock::duration seconds_to_duration(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

RateLimiter::RateLimiter(util::EventLoop& loop, RateLimiterOptions options)
    : loop_(loop), options_(options), next_free_(), paused_until_() {
  if (options_.requests_per_second <= 0) options_.enabled = false;
  if (options_.burst < 1) options_.burst = 1;
}

// GCRA ("virtual scheduling"): next_free_ is the theoretical arrival time of the next request.
// A request may go at max(now, next_free_ - tolerance), where tolerance lets `burst` requests
// through at once after a quiet spell. Each caller reserves its slot before sleeping, so callers
// are served in arrival order without a queue.
util::Task<bool> RateLimiter::acquire(util::CancelToken cancel) {
  while (true) {
    if (cancel.cancelled()) co_return false;
    auto now = loop_.now();
    Clock::time_point send_at = std::max(now, paused_until_);
    Clock::time_point reserved_next{};
    bool reserved = false;
    if (options_.enabled) {
      auto interval = seconds_to_duration(1.0 / options_.requests_per_second);
      auto tolerance = seconds_to_duration((options_.burst - 1.0) / options_.requests_per_second);
      send_at = std::max(send_at, next_free_ - tolerance);
      next_free_ = std::max(next_free_, send_at) + interval;
      reserved_next = next_free_;
      reserved = true;
    }
    if (send_at <= now) co_return true;

    auto pause_seen = paused_until_;
    auto delay = std::chrono::ceil<std::chrono::milliseconds>(send_at - now);
    if (!co_await util::sleep_for(loop_, delay, cancel)) {
      // Give the slot back when nobody reserved after us, so a cancelled wait costs nothing.
      if (reserved && next_free_ == reserved_next) {
        next_free_ -= seconds_to_duration(1.0 / options_.requests_per_second);
      }
      co_return false;
    }
    // A 429 that arrived while we slept moved the pause past our slot: take a new one.
    if (paused_until_ == pause_seen || paused_until_ <= loop_.now()) co_return true;
  }
}

void RateLimiter::pause_until(Clock::time_point until) {
  if (until <= paused_until_) return;
  paused_until_ = until;
  if (options_.enabled) {
    // Notion's budget is spent: resume at the steady rate instead of with a full burst.
    auto tolerance = seconds_to_duration((options_.burst - 1.0) / options_.requests_per_second);
    next_free_ = std::max(next_free_, until + tolerance);
  }
}

std::chrono::milliseconds RateLimiter::current_delay() const {
  auto now = loop_.now();
  Clock::time_point send_at = std::max(now, paused_until_);
  if (options_.enabled) {
    auto tolerance = seconds_to_duration((options_.burst - 1.0) / options_.requests_per_second);
    send_at = std::max(send_at, next_free_ - tolerance);
  }
  return std::chrono::ceil<std::chrono::milliseconds>(send_at - now);
}

}  // namespace notion_mcp::notion
