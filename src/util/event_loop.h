// The one event loop: poll(2) over watched descriptors, timers and posted callbacks.
// Everything in the server (stdin, stdout, libcurl's sockets, waits) runs on it; nothing blocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "util/cancel.h"
#include "util/task.h"

namespace notion_mcp::util {

class EventLoop {
 public:
  using Clock = std::chrono::steady_clock;
  using Callback = std::function<void()>;
  using FdCallback = std::function<void(short revents)>;
  using TimerId = uint64_t;

  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Calls `callback` with poll's revents whenever `fd` is ready for `events` (POLLIN/POLLOUT).
  // Watching an fd again replaces its events and callback.
  void watch(int fd, short events, FdCallback callback);
  void unwatch(int fd);
  bool watching(int fd) const { return watches_.count(fd) != 0; }

  TimerId add_timer(std::chrono::milliseconds delay, Callback callback);
  void cancel_timer(TimerId id);

  // Runs `callback` on the next turn of the loop.
  void post(Callback callback);

  // Runs until stop() is called.
  void run();
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }

  // One turn: waits at most `max_wait` for work, then runs what is ready. Returns false when
  // nothing is left to wait for (no fds, timers or posted callbacks).
  bool run_once(std::chrono::milliseconds max_wait);

  // Runs turns until `done()` is true or `limit` has passed; returns done(). For tests and
  // synchronous command-line paths.
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::milliseconds(30000));

  Clock::time_point now() const { return Clock::now(); }

 private:
  struct Watch {
    short events;
    std::shared_ptr<FdCallback> callback;
  };
  std::unordered_map<int, Watch> watches_;
  std::multimap<Clock::time_point, std::pair<TimerId, Callback>> timers_;
  std::unordered_map<TimerId, Clock::time_point> timer_deadlines_;
  std::deque<Callback> posted_;
  TimerId next_timer_ = 1;
  bool stopped_ = false;
};

// Waits `delay` on `loop`; returns true when the time passed and false when `cancel` fired first.
Task<bool> sleep_for(EventLoop& loop, std::chrono::milliseconds delay, const CancelToken& cancel);

// Drives `task` on `loop` until it finishes (or `limit` passes) and returns whether it finished.
// For tests and one-shot commands; the server itself never blocks like this.
bool run_to_completion(EventLoop& loop, Task<void> task,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(30000));

}  // namespace notion_mcp::util
