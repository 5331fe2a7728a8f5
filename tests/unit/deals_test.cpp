// Deal-aware talking points: reading a buyer's EBITDA range, which active
// deals fit, and the sentence (deterministic, only the rows' facts, capped).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "deals.hpp"
#include "payload.hpp"
#include "talking_points.hpp"

using namespace pgdialer;

namespace {

Contact pe_buyer() {
  Contact c;
  c.id = "7";
  c.contact_type = "buyer";
  c.target_industries = "HVAC, Plumbing";
  c.target_geographies = "Southeast, Texas";
  c.target_ebitda_range = "$2M - $10M";
  return c;
}

std::vector<Deal> deals() {
  return {
      Deal{"Beta Plumbing", "Plumbing", "Texas", 2.5e6},   Deal{"Acme HVAC", "hvac ", "Southeast", 4e6},
      Deal{"Gamma HVAC", "HVAC", "Midwest", 5e6},           // geography does not fit
      Deal{"Delta HVAC", "HVAC", "Southeast", 15e6},        // EBITDA above the range
      Deal{"Echo Software", "Software", "Texas", 3e6},      // sector does not fit
      Deal{"Foxtrot HVAC", "HVAC", "Texas", std::nullopt},  // EBITDA unknown: cannot be checked
  };
}

}  // namespace

TEST(EbitdaRange, Shapes) {
  auto r = parse_ebitda_range("$2M - $10M");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 2e6);
  EXPECT_EQ(r->high, 10e6);
  r = parse_ebitda_range("2-10M");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 2e6);
  r = parse_ebitda_range("$500K-$2MM");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 5e5);
  EXPECT_EQ(r->high, 2e6);
  r = parse_ebitda_range("$5M+");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 5e6);
  EXPECT_TRUE(std::isinf(r->high));
  r = parse_ebitda_range("Up to $3M");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 0);
  EXPECT_EQ(r->high, 3e6);
  r = parse_ebitda_range("$1,500,000 - $4,000,000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->low, 1.5e6);
}

TEST(EbitdaRange, NotARange) {
  EXPECT_FALSE(parse_ebitda_range("flexible"));
  EXPECT_FALSE(parse_ebitda_range("$4M"));
  EXPECT_FALSE(parse_ebitda_range("$10M - $2M"));
  EXPECT_FALSE(parse_ebitda_range("1-2-3M"));
}

TEST(Deals, MatchSectorGeographyAndRangeInNameOrder) {
  const auto all = deals();
  auto matched = matching_deals(pe_buyer(), all);
  ASSERT_EQ(matched.size(), 2u);
  EXPECT_EQ(matched[0]->name, "Acme HVAC");
  EXPECT_EQ(matched[1]->name, "Beta Plumbing");
}

TEST(Deals, CriteriaTheBuyerLacksAreNotChecked) {
  const auto all = deals();
  Contact c = pe_buyer();
  c.target_geographies = std::nullopt;
  c.target_ebitda_range = "open to anything";
  auto matched = matching_deals(c, all);
  ASSERT_EQ(matched.size(), 5u);  // every HVAC and Plumbing deal
  c.target_industries = std::nullopt;
  EXPECT_TRUE(matching_deals(c, all).empty());  // no sectors: nothing is claimed to fit
}

TEST(Deals, Dollars) {
  EXPECT_EQ(format_dollars(4e6), "$4M");
  EXPECT_EQ(format_dollars(2.5e6), "$2.5M");
  EXPECT_EQ(format_dollars(750e3), "$750K");
  EXPECT_EQ(format_dollars(1.25e9), "$1.3B");
  EXPECT_EQ(format_dollars(900), "$900");
}

TEST(TalkingPoints, AddsMatchingDeals) {
  const auto all = deals();
  EXPECT_EQ(*talking_points(pe_buyer(), &all),
            "Targets: HVAC, Plumbing; EBITDA $2M - $10M. 2 active deals match: Acme HVAC (Southeast, $4M "
            "EBITDA), Beta Plumbing (Texas, $2.5M EBITDA).");
  const std::vector<Deal> one{Deal{"Acme HVAC", "HVAC", "Southeast", 4e6}};
  EXPECT_EQ(*talking_points(pe_buyer(), &one),
            "Targets: HVAC, Plumbing; EBITDA $2M - $10M. 1 active deal matches: Acme HVAC (Southeast, $4M "
            "EBITDA).");
  const std::vector<Deal> none;
  EXPECT_EQ(*talking_points(pe_buyer(), &none), "Targets: HVAC, Plumbing; EBITDA $2M - $10M.");
  EXPECT_EQ(*talking_points(pe_buyer()), "Targets: HVAC, Plumbing; EBITDA $2M - $10M.");
}

TEST(TalkingPoints, CappedWithWholeDealsDropped) {
  std::vector<Deal> many;
  for (int i = 0; i < 40; ++i)
    many.push_back(Deal{"HVAC Platform " + std::to_string(100 + i), "HVAC", "Southeast", 3e6});
  const std::string text = *talking_points(pe_buyer(), &many);
  EXPECT_LE(text.size(), kTalkingPointsMaxBytes);
  EXPECT_NE(text.find("40 active deals match: HVAC Platform 100 (Southeast, $3M EBITDA), "),
            std::string::npos);
  EXPECT_NE(text.find(" more."), std::string::npos);
  EXPECT_EQ(text.back(), '.');
}

TEST(TalkingPoints, PayloadCarriesTheDeals) {
  const auto all = deals();
  const std::string json = payload_json(pe_buyer(), "US", &all);
  EXPECT_NE(json.find("2 active deals match: Acme HVAC"), std::string::npos);
  // A talking-points column of the row's own still wins.
  Contact c = pe_buyer();
  c.call_talking_points = "Ask about add-ons";
  EXPECT_EQ(payload_json(c, "US", &all).find("active deals"), std::string::npos);
}

TEST(TalkingPoints, LongRowFactsAreCutOnACharacterBoundary) {
  Contact c;
  std::string deal;
  for (int i = 0; i < 300; ++i) deal += "é";  // 600 bytes
  c.last_deal_presented = deal;
  const std::string text = *talking_points(c);
  EXPECT_LE(text.size(), kTalkingPointsMaxBytes);
  const std::string prefix = "Last deal presented: ";
  ASSERT_EQ(text.compare(0, prefix.size(), prefix), 0);
  EXPECT_EQ((text.size() - prefix.size()) % 2, 0u);  // whole two-byte characters only
}
