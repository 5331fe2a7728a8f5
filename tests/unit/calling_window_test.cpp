// Calling windows in the core, with a clock whose offsets the test chooses:
// zone lookups (number prefixes, ZIP codes, states), a daylight-saving change
// that skips the opening hour, zones whose windows never overlap, and the
// preview's tally. pg_regress calling_window tests the same against
// PostgreSQL's real time-zone database.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "calling_window.hpp"
#include "preview_calling_window.hpp"

using namespace pgdialer;

namespace {

int zone_id(std::string_view name) {
  for (int i = 0; i < zone_count(); ++i)
    if (zone_name(i) == name) return i;
  return -1;
}

std::string zones_of(int set) {
  std::string out;
  ZoneSet z = zone_set(set);
  for (const std::uint16_t* p = z.begin; p != z.end; ++p)
    out += (out.empty() ? "" : ",") + std::string(zone_name(*p));
  return out;
}

// Fixed offsets per zone, with an optional change at an instant.
class FakeClock : public ZoneClock {
 public:
  struct Rule {
    int before, after;
    std::int64_t change_at;
  };
  std::map<int, Rule> rules;
  std::optional<int> fallback;  // the offset of every other zone; none: unknown
  std::optional<int> utc_offset(int zone, std::int64_t t) const noexcept override {
    auto it = rules.find(zone);
    if (it == rules.end()) return fallback;
    return t < it->second.change_at ? it->second.before : it->second.after;
  }
};

constexpr std::int64_t kWed = 1'772'582'400;  // 2026-03-04 00:00 UTC, a Wednesday
constexpr std::int64_t kHour = 3600;

std::shared_ptr<CallingRules> default_rules() {
  auto r = std::make_shared<CallingRules>();
  r->default_rule.source = "TCPA";
  return r;
}

}  // namespace

TEST(CallingWindowZones, NumbersByLongestPrefix) {
  EXPECT_EQ(zones_of(number_zone_set("+12125550100")), "America/New_York");
  EXPECT_EQ(zones_of(number_zone_set("+17095550100")), "America/Puerto_Rico,America/St_Johns");
  EXPECT_EQ(zones_of(number_zone_set("+919876543210")), "Asia/Calcutta");
  // A non-geographic +1 number falls back to the country's prefix: every NANP zone.
  EXPECT_GT(zone_set(number_zone_set("+18005550100")).size(), 30u);
  EXPECT_EQ(number_zone_set("+80012345678"), -1);
  EXPECT_EQ(number_zone_set("2125550100"), -1);
  EXPECT_EQ(number_zone_set("+1212555x100"), -1);
}

TEST(CallingWindowZones, ZipCodesAndStates) {
  EXPECT_EQ(zip_state("90210"), "CA");
  EXPECT_EQ(zip_state("90210-1234"), "CA");
  EXPECT_EQ(zip_state("902101234"), "CA");
  EXPECT_EQ(zip_state("33101"), "FL");
  EXPECT_EQ(zip_state("00501"), "NY");
  EXPECT_EQ(zip_state("09001"), "");  // military mail
  EXPECT_EQ(zip_state("SW1A 1AA"), "");
  EXPECT_EQ(zip_state("9021"), "");
  EXPECT_EQ(zones_of(state_zone_set("FL")), "America/Chicago,America/New_York");
  EXPECT_EQ(zones_of(state_zone_set("ny")), "America/New_York");
  EXPECT_EQ(state_zone_set("XX"), -1);
}

TEST(CallingWindow, EdgesOfTheWindow) {
  FakeClock clock;
  int ny = zone_id("America/New_York");
  clock.rules[ny] = {-5 * 3600, -5 * 3600, 0};
  WindowKey key;
  key.zone_set = number_zone_set("+12125550100");
  auto at = [&](std::int64_t t) {
    WindowChecker c(default_rules(), clock, t);
    return c.answer(key);
  };
  EXPECT_EQ(at(kWed + 13 * kHour - 1).status, WindowStatus::later_today);
  EXPECT_EQ(*at(kWed + 13 * kHour - 1).opens_at, kWed + 13 * kHour);
  EXPECT_EQ(at(kWed + 13 * kHour).status, WindowStatus::callable);
  EXPECT_EQ(at(kWed + 26 * kHour - 1).status, WindowStatus::callable);
  EXPECT_EQ(at(kWed + 26 * kHour).status, WindowStatus::next_day);
  EXPECT_EQ(*at(kWed + 26 * kHour).opens_at, kWed + 37 * kHour);
}

TEST(CallingWindow, AClockChangeThatSkipsTheOpeningHourOpensAfterIt) {
  // A zone at UTC+0 that jumps to UTC+1 at 07:30 UTC: 8:00 local never
  // happens that day (07:30 UTC is already 8:30); the window opens at the
  // jump, never before it.
  FakeClock clock;
  int z = zone_id("Asia/Calcutta");
  clock.rules[z] = {0, 3600, kWed + 7 * kHour + 1800};
  WindowKey key;
  key.zone_set = number_zone_set("+919876543210");
  WindowChecker c(default_rules(), clock, kWed + 6 * kHour);
  const WindowAnswer& a = c.answer(key);
  EXPECT_EQ(a.status, WindowStatus::later_today);
  EXPECT_GE(*a.opens_at, kWed + 7 * kHour + 1800);
  EXPECT_LE(*a.opens_at, kWed + 8 * kHour);
}

TEST(CallingWindow, ZonesWhoseWindowsNeverOverlapAreBlocked) {
  // Two 13-hour windows always overlap somewhere in a day; three zones 8
  // hours apart do not. A non-geographic +1 number's zones, made so.
  FakeClock clock;
  clock.fallback = 0;
  clock.rules[zone_id("America/New_York")] = {8 * 3600, 8 * 3600, 0};
  clock.rules[zone_id("America/Chicago")] = {16 * 3600, 16 * 3600, 0};
  WindowKey key;
  key.zone_set = number_zone_set("+18005550100");
  WindowChecker c(default_rules(), clock, kWed + 12 * kHour);
  const WindowAnswer& a = c.answer(key);
  EXPECT_EQ(a.status, WindowStatus::blocked);
  EXPECT_FALSE(a.opens_at);
  EXPECT_NE(a.rule.find("every zone"), std::string::npos) << a.rule;
  // Two of them 12 hours apart still share 8:00-9:00 and 20:00-21:00 UTC.
  FakeClock two;
  two.rules[zone_id("America/Puerto_Rico")] = {0, 0, 0};
  two.rules[zone_id("America/St_Johns")] = {12 * 3600, 12 * 3600, 0};
  WindowKey pair;
  pair.zone_set = number_zone_set("+17095550100");
  WindowChecker d(default_rules(), two, kWed + 12 * kHour);
  EXPECT_EQ(d.answer(pair).status, WindowStatus::later_today);
  EXPECT_EQ(*d.answer(pair).opens_at, kWed + 20 * kHour);
}

TEST(CallingWindow, AZoneTheClockDoesNotKnowFailsClosed) {
  FakeClock clock;  // knows no zone
  WindowKey key;
  key.zone_set = number_zone_set("+12125550100");
  WindowChecker c(default_rules(), clock, kWed + 15 * kHour);
  EXPECT_EQ(c.answer(key).status, WindowStatus::blocked);
  EXPECT_NE(c.answer(key).rule.find("not in the time zone database"), std::string::npos);
}

TEST(CallingWindow, ThePreviewTallyFindsTheEarliestTimeForTheWholeList) {
  FakeClock clock;
  clock.rules[zone_id("America/New_York")] = {-5 * 3600, -5 * 3600, 0};
  clock.rules[zone_id("America/Los_Angeles")] = {-8 * 3600, -8 * 3600, 0};
  PreviewCallingWindows tally(default_rules(), clock, kWed + 12 * kHour);
  Contact ny, ca;
  ny.state = "NY";
  ca.zip = "90210";
  tally.add(ny, std::nullopt);
  tally.add(ca, std::nullopt);
  std::string json = tally.json();
  EXPECT_NE(json.find("\"later_today\":2"), std::string::npos) << json;
  // 8:00 in Los Angeles (16:00 UTC), when New York is open too.
  EXPECT_NE(json.find("\"all_callable_at\":\"2026-03-04T16:00:00Z\""), std::string::npos) << json;
  EXPECT_EQ(iso_utc(kWed), "2026-03-04T00:00:00Z");
}
