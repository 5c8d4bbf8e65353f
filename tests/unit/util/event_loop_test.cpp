#include "util/event_loop.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <vector>

namespace notion_mcp::util {
namespace {

using std::chrono::milliseconds;

TEST(UtilEventLoop, RunsTimersInDeadlineOrderAndPostedWork) {
  EventLoop loop;
  std::vector<int> order;
  loop.add_timer(milliseconds(20), [&] { order.push_back(2); });
  loop.add_timer(milliseconds(5), [&] { order.push_back(1); });
  auto cancelled = loop.add_timer(milliseconds(10), [&] { order.push_back(99); });
  loop.cancel_timer(cancelled);
  loop.post([&] { order.push_back(0); });
  EXPECT_TRUE(loop.run_until([&] { return order.size() == 3; }, milliseconds(2000)));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

TEST(UtilEventLoop, WatchesDescriptors) {
  EventLoop loop;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string received;
  loop.watch(fds[0], POLLIN, [&](short) {
    char buffer[16];
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n > 0) received.append(buffer, static_cast<size_t>(n));
    loop.unwatch(fds[0]);
  });
  loop.add_timer(milliseconds(5), [&] { ASSERT_EQ(::write(fds[1], "hi", 2), 2); });
  EXPECT_TRUE(loop.run_until([&] { return received == "hi"; }, milliseconds(2000)));
  EXPECT_FALSE(loop.watching(fds[0]));
  ::close(fds[0]);
  ::close(fds[1]);
}

Task<void> sleeper(EventLoop& loop, CancelToken token, bool& elapsed_out) {
  elapsed_out = co_await sleep_for(loop, milliseconds(10000), token);
}

TEST(UtilEventLoop, SleepIsCancellable) {
  EventLoop loop;
  CancelSource source;
  bool elapsed = true;
  loop.add_timer(milliseconds(5), [&] { source.cancel(); });
  auto started = EventLoop::Clock::now();
  EXPECT_TRUE(run_to_completion(loop, sleeper(loop, source.token(), elapsed), milliseconds(2000)));
  EXPECT_FALSE(elapsed);
  EXPECT_LT(EventLoop::Clock::now() - started, milliseconds(1000));
}

Task<int> add_later(EventLoop& loop, int a, int b) {
  co_await sleep_for(loop, milliseconds(1), CancelToken());
  co_return a + b;
}

Task<void> chain(EventLoop& loop, int& out) {
  int total = 0;
  for (int i = 0; i < 1000; ++i) total += co_await add_later(loop, i, 0);  // deep chains are fine
  out = total;
}

TEST(UtilEventLoop, TasksComposeAndReturnValues) {
  EventLoop loop;
  int out = 0;
  EXPECT_TRUE(run_to_completion(loop, chain(loop, out), milliseconds(20000)));
  EXPECT_EQ(out, 499500);
}

}  // namespace
}  // namespace notion_mcp::util
