// Client-side token bucket shared by every Notion call, so a burst of tool calls is spread out
// instead of hitting Notion's 429s. Waits are cancellable.
#pragma once

#include <chrono>

#include "util/cancel.h"
#include "util/event_loop.h"
#include "util/task.h"

namespace notion_mcp::notion {

struct RateLimiterOptions {
  double requests_per_second = 3.0;  // Notion: ~180/min on most plans; 600/min on Business+
  double burst = 3.0;                // requests that may go at once after a quiet spell
  bool enabled = true;               // the demo workspace has no limit
};

class RateLimiter {
 public:
  RateLimiter(util::EventLoop& loop, RateLimiterOptions options);

  // Waits until a request may be sent. Returns false if cancelled while waiting.
  util::Task<bool> acquire(util::CancelToken cancel);

  // Called on a 429/529 with Retry-After: nobody sends before `until`.
  void pause_until(util::EventLoop::Clock::time_point until);

  // How long a request asked for now would wait (for tests and progress messages).
  std::chrono::milliseconds current_delay() const;

 private:
  util::EventLoop& loop_;
  RateLimiterOptions options_;
  // Virtual-time scheduling: each caller reserves the next free slot, so waiters are served in
  // arrival order without a queue.
  util::EventLoop::Clock::time_point next_free_;
  util::EventLoop::Clock::time_point paused_until_;
};

}  // namespace notion_mcp::notion
