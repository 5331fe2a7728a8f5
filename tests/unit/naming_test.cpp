// Session naming and dial-time estimates.
#include <gtest/gtest.h>

#include "dial_time.hpp"
#include "errors.hpp"
#include "session_name.hpp"

using namespace pgdialer;

namespace {
std::string name(std::vector<Text> types, std::vector<Text> buyer_types, SessionNameFilters filters = {},
                 int year = 2026, int month = 2) {
  return session_name(types, buyer_types, filters, year, month);
}
}  // namespace

TEST(SessionName, SpecExamples) {
  EXPECT_EQ(
      name({"buyer", "buyer"}, {"PE Firm", "PE Firm"}, {"Business Services", std::nullopt, "Northeast"}),
      "Buyers - PE Firm - Business Services - Northeast - Feb 2026");
  EXPECT_EQ(name({"seller"}, {}, {"Collision Repair", std::nullopt, std::nullopt}),
            "Sellers - Collision Repair - Feb 2026");
  EXPECT_EQ(name({"buyer"}, {"PE Firm", "Strategic"}), "Buyers - Feb 2026");
}

TEST(SessionName, AudienceFromDistinctNonNullTypes) {
  EXPECT_EQ(name({"prospect", std::nullopt, " "}, {}), "Prospects - Feb 2026");
  EXPECT_EQ(name({"buyer", "seller"}, {"PE Firm"}), "Contacts - Feb 2026");
  EXPECT_EQ(name({}, {}), "Contacts - Feb 2026");
  EXPECT_EQ(name({"Buyer", "BUYER"}, {"Family Office"}), "Buyers - Family Office - Feb 2026");
  EXPECT_EQ(name({"vendor"}, {}), "Contacts - Feb 2026");
}

TEST(SessionName, BuyerTypeOnlyForAllBuyers) {
  EXPECT_EQ(name({"seller"}, {"PE Firm"}), "Sellers - Feb 2026");
  EXPECT_EQ(name({"buyer"}, {"PE Firm", std::nullopt, ""}), "Buyers - PE Firm - Feb 2026");
}

TEST(SessionName, StateBeatsRegionAndBlanksAreSkipped) {
  EXPECT_EQ(name({"buyer"}, {}, {" ", "TX", "South"}), "Buyers - TX - Feb 2026");
  EXPECT_EQ(name({"buyer"}, {}, {std::nullopt, "", "South"}), "Buyers - South - Feb 2026");
}

TEST(SessionName, EnglishMonthsEveryMonth) {
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int m = 1; m <= 12; ++m)
    EXPECT_EQ(name({}, {}, {}, 2027, m), std::string("Contacts - ") + months[m - 1] + " 2027");
  EXPECT_THROW(name({}, {}, {}, 2027, 13), Error);
}

TEST(DialTime, Minutes) {
  EXPECT_EQ(dial_time(0, 2.5), "0 min");
  EXPECT_EQ(dial_time(1, 2.5), "~3 min");     // 2.5 rounds half up
  EXPECT_EQ(dial_time(3, 2.5), "~8 min");     // 7.5
  EXPECT_EQ(dial_time(23, 2.5), "~58 min");   // 57.5
  EXPECT_EQ(dial_time(10, 5.99), "~60 min");  // 59.9 is still under an hour
}

TEST(DialTime, Hours) {
  EXPECT_EQ(dial_time(24, 2.5), "~1 hour");     // 60 min
  EXPECT_EQ(dial_time(88, 2.5), "~3.5 hours");  // 220 min = 3.67h -> 3.5
  EXPECT_EQ(dial_time(90, 2.5), "~4 hours");    // 225 min = 3.75h -> 4 (half up)
  EXPECT_EQ(dial_time(30, 2.5), "~1.5 hours");  // 75 min = 1.25h -> 1.5 (half up)
  EXPECT_EQ(dial_time(29, 2.5), "~1 hour");     // 72.5 min
  EXPECT_EQ(dial_time(48, 2.5), "~2 hours");
}

TEST(DialTime, RejectsBadInput) {
  EXPECT_THROW(dial_time(-1, 2.5), Error);
  EXPECT_THROW(dial_time(10, 0), Error);
  EXPECT_THROW(dial_time(10, -2), Error);
  try {
    dial_time(10, 0);
  } catch (const Error& e) {
    EXPECT_STREQ(e.sqlstate(), "22023");
  }
}
