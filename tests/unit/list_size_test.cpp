// List size guidance: the priority tiers (engagement score bands) and the
// preview's proposed split when more contacts are ready than the limit.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "preview.hpp"
#include "priority_tier.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

rapidjson::Document parse(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

// n ready buyers (distinct valid numbers) with the given scores, in turn.
struct Buyers {
  std::vector<std::string> ids, phones, scores;
  Buyers(int n, const std::vector<std::string>& score_cycle) {
    for (int i = 0; i < n; ++i) {
      ids.push_back(std::to_string(i + 1));
      phones.push_back("+1919" + std::to_string(2000000 + i));
      scores.push_back(score_cycle[i % score_cycle.size()]);
    }
  }
  Contact at(int i) const {
    Contact c;
    c.id = ids[i];
    c.first_name = "Pat";
    c.last_name = "Lee";
    c.phone = phones[i];
    c.contact_type = "buyer";
    c.buyer_type = "PE Firm";
    if (!scores[i].empty()) c.engagement_score = scores[i];
    return c;
  }
};

std::string preview(const Buyers& list, long limit) {
  PreviewSettings settings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2};
  settings.size_limit = limit;
  PreviewBuilder b(settings, PreviewOptions{});
  for (size_t i = 0; i < list.ids.size(); ++i) b.add(list.at(static_cast<int>(i)));
  return std::string(b.finish_json());
}

}  // namespace

TEST(PriorityTier, Bands) {
  EXPECT_EQ(priority_tier(Text("100")), 1);
  EXPECT_EQ(priority_tier(Text("75")), 1);
  EXPECT_EQ(priority_tier(Text(" 74.9 ")), 2);
  EXPECT_EQ(priority_tier(Text("50")), 2);
  EXPECT_EQ(priority_tier(Text("49")), 3);
  EXPECT_EQ(priority_tier(Text("25")), 3);
  EXPECT_EQ(priority_tier(Text("24.99")), 4);
  EXPECT_EQ(priority_tier(Text("-3")), 4);
}

TEST(PriorityTier, NoScoreIsTheLastTier) {
  EXPECT_EQ(priority_tier(std::nullopt), 4);
  EXPECT_EQ(priority_tier(Text("  ")), 4);
  EXPECT_EQ(priority_tier(Text("high")), 4);
  EXPECT_EQ(priority_tier(Text("80 points")), 4);
  EXPECT_EQ(priority_tier(Text("nan")), 4);
  EXPECT_EQ(tier_band(1), "75+");
  EXPECT_EQ(tier_band(4), "under 25 or no score");
}

TEST(SizeGuidance, AbsentAtOrUnderTheLimit) {
  const Buyers list(200, {"80", "60"});
  EXPECT_FALSE(parse(preview(list, 200)).HasMember("size_guidance"));
  EXPECT_FALSE(parse(preview(list, 0)).HasMember("size_guidance"));  // 0: no guidance
}

TEST(SizeGuidance, OverTheLimitProposesASplitByTierHighestFirst) {
  // 201 ready: scores cycle 80, 10, 55, "" -> tiers 1, 4, 2, 4; tier 3 empty.
  const Buyers list(201, {"80", "10", "55", ""});
  auto d = parse(preview(list, 200));
  ASSERT_TRUE(d.HasMember("size_guidance"));
  const auto& g = d["size_guidance"];
  EXPECT_EQ(g["recommended_max"].GetInt(), 200);
  EXPECT_EQ(g["ready"].GetInt(), 201);
  EXPECT_EQ(std::string(g["message"].GetString()),
            "201 contacts are ready, more than the recommended 200 per session: split them into 3 "
            "sessions by priority tier (engagement score), highest first.");
  const auto& split = g["proposed_split"];
  ASSERT_EQ(split.Size(), 3u);
  EXPECT_EQ(split[0]["tier"].GetInt(), 1);
  EXPECT_EQ(split[0]["contacts"].GetInt(), 51);
  EXPECT_EQ(std::string(split[0]["engagement"].GetString()), "75+");
  EXPECT_EQ(std::string(split[0]["session_name"].GetString()), "Buyers - PE Firm - Feb 2026 - Tier 1");
  EXPECT_EQ(std::string(split[0]["estimated_dial_time"].GetString()), "~2 hours");
  EXPECT_EQ(split[1]["tier"].GetInt(), 2);
  EXPECT_EQ(split[1]["contacts"].GetInt(), 50);
  EXPECT_EQ(split[2]["tier"].GetInt(), 4);
  EXPECT_EQ(split[2]["contacts"].GetInt(), 100);
}

TEST(SizeGuidance, OneTierSaysToNarrowTheFilters) {
  const Buyers list(5, {"90"});
  auto d = parse(preview(list, 3));
  EXPECT_EQ(std::string(d["size_guidance"]["message"].GetString()),
            "5 contacts are ready, more than the recommended 3 per session: they are all in one priority "
            "tier; consider narrowing the filters.");
  EXPECT_EQ(d["size_guidance"]["proposed_split"].Size(), 1u);
}

TEST(SizeGuidance, CountsReadyContactsOnly) {
  Buyers list(4, {"90"});
  list.phones[3] = list.phones[0];  // a duplicate number is held back
  EXPECT_FALSE(parse(preview(list, 3)).HasMember("size_guidance"));
}
