// http/rate_limiter: slots handed out on a virtual schedule (no sleeping here:
// reserve() takes the time as an argument).
#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace pgdialer::sync::http {
namespace {

using std::chrono::milliseconds;
using tp = RateLimiter::clock::time_point;

TEST(RateLimiter, UnlimitedAlwaysAnswersNow) {
  for (double rate : {0.0, -1.0}) {
    RateLimiter limiter(rate);
    EXPECT_TRUE(limiter.unlimited());
    const tp now = RateLimiter::clock::now();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.reserve(now), now);
  }
}

TEST(RateLimiter, SpacesBackToBackCallersByTheInterval) {
  RateLimiter limiter(10.0);  // 100 ms apart
  EXPECT_FALSE(limiter.unlimited());
  const tp now = RateLimiter::clock::now();
  EXPECT_EQ(limiter.reserve(now), now);
  EXPECT_EQ(limiter.reserve(now), now + milliseconds(100));
  EXPECT_EQ(limiter.reserve(now), now + milliseconds(200));
}

TEST(RateLimiter, AnIdleSpellDoesNotBankSlotsBeyondTheBurst) {
  RateLimiter limiter(10.0);
  const tp t0 = RateLimiter::clock::now();
  limiter.reserve(t0);
  const tp later = t0 + std::chrono::seconds(10);
  EXPECT_EQ(limiter.reserve(later), later);
  EXPECT_EQ(limiter.reserve(later), later + milliseconds(100));
}

TEST(RateLimiter, BurstLetsThatManyGoAtOnceAfterIdling) {
  RateLimiter limiter(10.0, 3.0);
  const tp t0 = RateLimiter::clock::now();
  limiter.reserve(t0);
  const tp later = t0 + std::chrono::seconds(10);
  EXPECT_EQ(limiter.reserve(later), later);
  EXPECT_EQ(limiter.reserve(later), later);
  EXPECT_EQ(limiter.reserve(later), later);
  EXPECT_EQ(limiter.reserve(later), later + milliseconds(100));
}

TEST(RateLimiter, ConcurrentCallersGetDistinctSlots) {
  RateLimiter limiter(1000.0);
  const tp now = RateLimiter::clock::now();
  std::vector<std::vector<tp>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) got[t].push_back(limiter.reserve(now));
    });
  for (auto& th : threads) th.join();
  std::set<tp> all;
  for (const auto& v : got) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_EQ(*all.begin(), now);
  EXPECT_EQ(*all.rbegin(), now + milliseconds(999));
}

}  // namespace
}  // namespace pgdialer::sync::http
