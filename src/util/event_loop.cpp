#include "util/event_loop.h"

#include <poll.h>

#include <cerrno>
#include <vector>

namespace notion_mcp::util {

void EventLoop::watch(int fd, short events, FdCallback callback) {
  watches_[fd] = Watch{events, std::make_shared<FdCallback>(std::move(callback))};
}

void EventLoop::unwatch(int fd) { watches_.erase(fd); }

EventLoop::TimerId EventLoop::add_timer(std::chrono::milliseconds delay, Callback callback) {
  TimerId id = next_timer_++;
  auto deadline = Clock::now() + delay;
  timers_.emplace(deadline, std::make_pair(id, std::move(callback)));
  timer_deadlines_[id] = deadline;
  return id;
}

void EventLoop::cancel_timer(TimerId id) {
  auto found = timer_deadlines_.find(id);
  if (found == timer_deadlines_.end()) return;
  auto [begin, end] = timers_.equal_range(found->second);
  for (auto it = begin; it != end; ++it) {
    if (it->second.first == id) {
      timers_.erase(it);
      break;
    }
  }
  timer_deadlines_.erase(found);
}

void EventLoop::post(Callback callback) { posted_.push_back(std::move(callback)); }

bool EventLoop::run_once(std::chrono::milliseconds max_wait) {
  if (watches_.empty() && timers_.empty() && posted_.empty()) return false;

  int timeout_ms = static_cast<int>(max_wait.count());
  if (!posted_.empty()) {
    timeout_ms = 0;
  } else if (!timers_.empty()) {
    auto until =
        std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
    timeout_ms = std::max(0, std::min(timeout_ms, static_cast<int>(until.count())));
  }

  std::vector<pollfd> fds;
  fds.reserve(watches_.size());
  for (const auto& [fd, w] : watches_) fds.push_back(pollfd{fd, w.events, 0});
  int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0 && errno != EINTR) return false;

  if (ready > 0) {
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      auto it = watches_.find(p.fd);
      // A callback earlier in this turn may have removed or replaced this watch.
      if (it == watches_.end()) continue;
      auto callback = it->second.callback;  // keep alive even if the callback unwatches itself
      (*callback)(p.revents);
    }
  }

  auto now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto node = timers_.extract(timers_.begin());
    timer_deadlines_.erase(node.mapped().first);
    node.mapped().second();
  }

  // Only what was posted before this point runs now; newly posted work waits a turn.
  size_t count = posted_.size();
  for (size_t i = 0; i < count && !posted_.empty(); ++i) {
    auto callback = std::move(posted_.front());
    posted_.pop_front();
    callback();
  }
  return true;
}

void EventLoop::run() {
  stopped_ = false;
  while (!stopped_) {
    if (!run_once(std::chrono::milliseconds(60000))) break;
  }
}

bool EventLoop::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return done();
    if (!run_once(left)) return done();
  }
  return true;
}

Task<bool> sleep_for(EventLoop& loop, std::chrono::milliseconds delay, const CancelToken& cancel) {
  if (cancel.cancelled()) co_return false;
  struct State {
    EventLoop::TimerId timer = 0;
    CancelRegistration registration;
  };
  State state;
  bool elapsed = co_await CallbackAwaitable<bool>([&](std::function<void(bool)> complete) {
    auto shared_complete = std::make_shared<std::function<void(bool)>>(std::move(complete));
    state.timer = loop.add_timer(delay, [shared_complete] { (*shared_complete)(true); });
    state.registration = cancel.on_cancel([&loop, &state, shared_complete] {
      loop.cancel_timer(state.timer);
      // Resume from the loop, never from inside cancel().
      loop.post([shared_complete] { (*shared_complete)(false); });
    });
  });
  co_return elapsed;
}

bool run_to_completion(EventLoop& loop, Task<void> task, std::chrono::milliseconds limit) {
  // Shared, because a task that outlives the limit still finishes later.
  auto finished = std::make_shared<bool>(false);
  spawn(std::move(task), [finished](std::exception_ptr) { *finished = true; });
  return loop.run_until([&] { return *finished; }, limit);
}

}  // namespace notion_mcp::util
