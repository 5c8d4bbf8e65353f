#include "notion/rate_limiter.h"

#include <gtest/gtest.h>

#include <vector>

namespace notion_mcp::notion {
namespace {

using Clock = util::EventLoop::Clock;
using std::chrono::milliseconds;

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

util::Task<void> acquire_and_record(RateLimiter& limiter, util::CancelToken cancel, int id,
                                    Clock::time_point start, std::vector<int>* order,
                                    std::vector<long long>* times, std::vector<bool>* results) {
  bool ok = co_await limiter.acquire(cancel);
  order->push_back(id);
  times->push_back(ms_since(start));
  results->push_back(ok);
}

TEST(NotionRateLimiter, BurstThenSteadyRateInArrivalOrder) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 20, .burst = 3, .enabled = true});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  for (int i = 0; i < 7; ++i) {
    util::spawn(acquire_and_record(limiter, {}, i, start, &order, &times, &results));
  }
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 7; }, milliseconds(5000)));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
  // Three go at once, then one per 50 ms.
  for (int i = 0; i < 3; ++i) EXPECT_LT(times[i], 30) << i;
  for (int i = 3; i < 7; ++i) {
    EXPECT_GE(times[i], (i - 2) * 50 - 2) << i;
    EXPECT_LT(times[i], (i - 2) * 50 + 150) << i;
  }
}

TEST(NotionRateLimiter, FiftyCallsTakeTheTheoreticalMinimum) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 100, .burst = 3, .enabled = true});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  for (int i = 0; i < 50; ++i) {
    util::spawn(acquire_and_record(limiter, {}, i, start, &order, &times, &results));
  }
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 50; }, milliseconds(5000)));
  // 47 after the burst at 10 ms each: 470 ms, within the 10% bar (plus scheduling slack).
  EXPECT_GE(times.back(), 465);
  EXPECT_LT(times.back(), 470 * 1.1 + 30);
}

TEST(NotionRateLimiter, CancelledWaitReturnsFalsePromptlyAndGivesItsSlotBack) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 2, .burst = 1, .enabled = true});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  util::CancelSource cancel;
  util::spawn(acquire_and_record(limiter, {}, 0, start, &order, &times, &results));
  util::spawn(acquire_and_record(limiter, cancel.token(), 1, start, &order, &times, &results));
  EXPECT_GT(limiter.current_delay(), milliseconds(900));
  loop.add_timer(milliseconds(20), [&] { cancel.cancel(); });
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 2; }, milliseconds(3000)));
  EXPECT_EQ(results, (std::vector<bool>{true, false}));
  EXPECT_LT(times[1], 200);
  // Only the first request's slot is still taken.
  EXPECT_LE(limiter.current_delay(), milliseconds(500));
}

TEST(NotionRateLimiter, PauseHoldsEveryoneEvenWhenDisabled) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 3, .burst = 3, .enabled = false});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  util::spawn(acquire_and_record(limiter, {}, 0, start, &order, &times, &results));
  ASSERT_EQ(order.size(), 1u);  // disabled and not paused: no wait at all
  limiter.pause_until(Clock::now() + milliseconds(120));
  EXPECT_GE(limiter.current_delay(), milliseconds(100));
  for (int i = 1; i < 4; ++i) {
    util::spawn(acquire_and_record(limiter, {}, i, start, &order, &times, &results));
  }
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 4; }, milliseconds(3000)));
  for (int i = 1; i < 4; ++i) EXPECT_GE(times[i], 119) << i;
}

TEST(NotionRateLimiter, PauseDuringAWaitMovesTheWaiterPastIt) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 20, .burst = 1, .enabled = true});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  util::spawn(acquire_and_record(limiter, {}, 0, start, &order, &times, &results));
  util::spawn(acquire_and_record(limiter, {}, 1, start, &order, &times, &results));  // ~50 ms
  loop.add_timer(milliseconds(10), [&] { limiter.pause_until(Clock::now() + milliseconds(200)); });
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 2; }, milliseconds(3000)));
  EXPECT_GE(times[1], 209);
}

TEST(NotionRateLimiter, AfterAPauseRequestsResumeAtTheSteadyRate) {
  util::EventLoop loop;
  RateLimiter limiter(loop, {.requests_per_second = 20, .burst = 5, .enabled = true});
  std::vector<int> order;
  std::vector<long long> times;
  std::vector<bool> results;
  auto start = Clock::now();
  limiter.pause_until(start + milliseconds(50));
  for (int i = 0; i < 3; ++i) {
    util::spawn(acquire_and_record(limiter, {}, i, start, &order, &times, &results));
  }
  ASSERT_TRUE(loop.run_until([&] { return order.size() == 3; }, milliseconds(3000)));
  EXPECT_GE(times[0], 49);
  EXPECT_GE(times[1], 99);
  EXPECT_GE(times[2], 149);
}

}  // namespace
}  // namespace notion_mcp::notion
