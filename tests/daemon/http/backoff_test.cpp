// http/backoff: the exponential ceiling, full jitter, Retry-After as a floor,
// and parsing Retry-After's two forms.
#include "http/backoff.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace pgdialer::sync::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffCeiling, DoublesFromTheBaseUpToTheCap) {
  EXPECT_EQ(backoff_ceiling(0, milliseconds(500), milliseconds(30000)), milliseconds(500));
  EXPECT_EQ(backoff_ceiling(1, milliseconds(500), milliseconds(30000)), milliseconds(1000));
  EXPECT_EQ(backoff_ceiling(3, milliseconds(500), milliseconds(30000)), milliseconds(4000));
  EXPECT_EQ(backoff_ceiling(6, milliseconds(500), milliseconds(30000)), milliseconds(30000));
  EXPECT_EQ(backoff_ceiling(7, milliseconds(500), milliseconds(30000)), milliseconds(30000));
}

TEST(BackoffCeiling, NeverOverflowsForAnyRetryCount) {
  for (int retry : {62, 63, 64, 1000, std::numeric_limits<int>::max()})
    EXPECT_EQ(backoff_ceiling(retry, milliseconds(500), milliseconds(30000)), milliseconds(30000))
        << "retry " << retry;
}

TEST(BackoffCeiling, NeverOverflowsForAHugeCap) {
  // A cap beyond half the representable range: doubling must stop at the cap
  // instead of wrapping into a negative (or zero) delay.
  const milliseconds huge = milliseconds::max();
  for (int retry : {61, 62, 63, 64, 100}) {
    const milliseconds c = backoff_ceiling(retry, milliseconds(1), huge);
    EXPECT_GT(c.count(), 0) << "retry " << retry;
    EXPECT_LE(c, huge);
  }
  EXPECT_EQ(backoff_ceiling(100, milliseconds(1), huge), huge);
  EXPECT_EQ(backoff_ceiling(0, milliseconds(1), huge), milliseconds(1));
}

TEST(BackoffCeiling, ABaseAboveTheCapIsCapped) {
  EXPECT_EQ(backoff_ceiling(0, milliseconds(5000), milliseconds(1000)), milliseconds(1000));
}

TEST(BackoffCeiling, ZeroOrNegativeBaseOrCapMeansNoWait) {
  EXPECT_EQ(backoff_ceiling(3, milliseconds(0), milliseconds(1000)), milliseconds(0));
  EXPECT_EQ(backoff_ceiling(3, milliseconds(100), milliseconds(0)), milliseconds(0));
  EXPECT_EQ(backoff_ceiling(3, milliseconds(-5), milliseconds(1000)), milliseconds(0));
}

TEST(BackoffDelay, IsTheJitterFractionOfTheCeiling) {
  EXPECT_EQ(backoff_delay(2, milliseconds(100), milliseconds(10000), 0.0, std::nullopt), milliseconds(0));
  EXPECT_EQ(backoff_delay(2, milliseconds(100), milliseconds(10000), 0.5, std::nullopt), milliseconds(200));
  EXPECT_EQ(backoff_delay(2, milliseconds(100), milliseconds(10000), 0.999999, std::nullopt),
            milliseconds(399));
}

TEST(BackoffDelay, AnOutOfRangeUnitStaysWithinTheCeiling) {
  EXPECT_EQ(backoff_delay(0, milliseconds(100), milliseconds(10000), 7.0, std::nullopt), milliseconds(100));
  EXPECT_EQ(backoff_delay(0, milliseconds(100), milliseconds(10000), -3.0, std::nullopt), milliseconds(0));
}

TEST(BackoffDelay, RetryAfterIsAFloorNeverShortenedByJitter) {
  // Even the smallest jitter draw waits what the server asked for.
  EXPECT_EQ(backoff_delay(0, milliseconds(100), milliseconds(10000), 0.0, seconds(3)), milliseconds(3000));
  // A longer backoff than the server asked for stands.
  EXPECT_EQ(backoff_delay(5, milliseconds(1000), milliseconds(60000), 1.0, seconds(2)), milliseconds(32000));
  EXPECT_EQ(backoff_delay(0, milliseconds(100), milliseconds(10000), 0.5, seconds(0)), milliseconds(50));
}

TEST(JitterUnit, StaysInTheHalfOpenUnitInterval) {
  double lo = 1, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = jitter_unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  // Actually random: not stuck on one value.
  EXPECT_LT(lo, 0.1);
  EXPECT_GT(hi, 0.9);
}

TEST(ParseRetryAfter, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", 0), seconds(120));
  EXPECT_EQ(parse_retry_after("0", 0), seconds(0));
  EXPECT_EQ(parse_retry_after("  7 \t", 0), seconds(7));
}

TEST(ParseRetryAfter, AHugeNumberIsStillAWait) {
  const auto v = parse_retry_after("99999999999999999999999", 0);
  ASSERT_TRUE(v);
  EXPECT_GE(*v, seconds(86400));
}

TEST(ParseRetryAfter, HttpDateIsRelativeToNow) {
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480.
  const long long when = 1445412480;
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when - 120), seconds(120));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when), seconds(0));
}

TEST(ParseRetryAfter, AnHttpDateInThePastIsZero) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 3600), seconds(0));
}

TEST(ParseRetryAfter, GarbageAndNegativesAreNothing) {
  EXPECT_EQ(parse_retry_after("", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("   ", 0), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1", 1445412480), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", 1445412480), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", 1445412480), std::nullopt);
}

}  // namespace
}  // namespace pgdialer::sync::http
