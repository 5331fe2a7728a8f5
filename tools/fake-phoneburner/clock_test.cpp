// The Central wall clock of simulated calls and zoneless datetime arithmetic.
#include "clock.hpp"

#include <gtest/gtest.h>

namespace fake_pb {
namespace {

long long utc(const std::string& text) {
  long long s = 0;
  EXPECT_TRUE(parse_datetime(text, s)) << text;
  return s;
}

TEST(Clock, CentralTimeFollowsUsDaylightSaving) {
  EXPECT_EQ(central_datetime(utc("2026-11-24 18:46:54")), "2026-11-24 12:46:54");  // CST
  EXPECT_EQ(central_datetime(utc("2026-07-01 12:00:00")), "2026-07-01 07:00:00");  // CDT
  // 2026: CDT from Sunday 8 March 08:00 UTC to Sunday 1 November 07:00 UTC.
  EXPECT_EQ(central_datetime(utc("2026-03-08 07:59:59")), "2026-03-08 01:59:59");
  EXPECT_EQ(central_datetime(utc("2026-03-08 08:00:00")), "2026-03-08 03:00:00");
  EXPECT_EQ(central_datetime(utc("2026-11-01 06:59:59")), "2026-11-01 01:59:59");
  EXPECT_EQ(central_datetime(utc("2026-11-01 07:00:00")), "2026-11-01 01:00:00");
}

TEST(Clock, DatetimesParseStrictlyAndAddSeconds) {
  EXPECT_EQ(format_datetime(utc("2026-11-24 23:59:30") + 45), "2026-11-25 00:00:15");
  long long s = 0;
  for (const char* bad : {"2026-11-24T09:00:00", "2026-02-30 09:00:00", "2026-11-24 9:00:00",
                          "2026-11-24 09:00:00Z", "", "0000-00-00 00:00:00"})
    EXPECT_FALSE(parse_datetime(bad, s)) << bad;
}

}  // namespace
}  // namespace fake_pb
