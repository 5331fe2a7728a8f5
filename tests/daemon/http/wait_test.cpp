// http/wait: a sleep that a shutdown cuts short. Only lower bounds on time,
// except where the whole point is that a long sleep did not run to its end.
#include "http/wait.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace pgdialer::sync::http {
namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

TEST(SleepUnlessStopped, SleepsTheWholeDurationWhenNotStopped) {
  const auto start = clock::now();
  EXPECT_TRUE(sleep_unless_stopped(milliseconds(120), [] { return false; }));
  EXPECT_GE(clock::now() - start, milliseconds(120));
}

TEST(SleepUnlessStopped, AnEmptyPredicateNeverStops) {
  const auto start = clock::now();
  EXPECT_TRUE(sleep_unless_stopped(milliseconds(60), {}));
  EXPECT_GE(clock::now() - start, milliseconds(60));
}

TEST(SleepUnlessStopped, ZeroOrNegativeDurationReturnsAtOnce) {
  EXPECT_TRUE(sleep_unless_stopped(milliseconds(0), [] { return false; }));
  EXPECT_TRUE(sleep_unless_stopped(milliseconds(-500), [] { return false; }));
}

TEST(SleepUnlessStopped, AStopOnEntryReturnsFalseWithoutSleeping) {
  int polls = 0;
  const auto start = clock::now();
  EXPECT_FALSE(sleep_unless_stopped(std::chrono::seconds(20), [&] {
    ++polls;
    return true;
  }));
  EXPECT_EQ(polls, 1);
  EXPECT_LT(clock::now() - start, std::chrono::seconds(10));
  // Even a zero-length sleep reports the stop.
  EXPECT_FALSE(sleep_unless_stopped(milliseconds(0), [] { return true; }));
}

TEST(SleepUnlessStopped, AStopFromAnotherThreadEndsALongSleepEarly) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    stop = true;
  });
  const auto start = clock::now();
  // Ending well before its 20 s is the point; the bound leaves ample slack.
  const bool slept = sleep_unless_stopped(std::chrono::seconds(20), [&] { return stop.load(); });
  const auto took = clock::now() - start;
  stopper.join();
  EXPECT_FALSE(slept);
  EXPECT_GE(took, milliseconds(50));
  EXPECT_LT(took, std::chrono::seconds(10));
}

}  // namespace
}  // namespace pgdialer::sync::http
