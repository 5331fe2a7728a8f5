// The PhoneBurner payload, talking points and the List Summary.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "errors.hpp"
#include "payload.hpp"
#include "preview.hpp"
#include "talking_points.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;
constexpr UnixMicros kDay = 86'400'000'000LL;

rapidjson::Document parse(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

std::string str(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd()) return "<absent>";
  if (!it->value.IsString()) return "<not a string>";
  return it->value.GetString();
}

Contact buyer(const char* id, const char* first, const char* last, const char* phone) {
  Contact c;
  c.id = id;
  c.first_name = first;
  c.last_name = last;
  c.phone = phone;
  c.company = "Heritage Capital";
  c.contact_type = "buyer";
  c.buyer_type = "PE Firm";
  return c;
}

}  // namespace

TEST(Payload, StandardAndCustomFields) {
  Contact c = buyer("sc_buyer_789", "John", "Smith", "(919) 555-0123");
  c.address_line1 = "1 Main St";
  c.email = "  ";  // blank: omitted
  c.target_industries = "Business Services, Healthcare IT";
  c.last_contact_date = "2026-01-15";
  c.assistant_phone = "919-555-0124";
  c.engagement_score = "75";
  auto d = parse(payload_json(c, "US"));
  EXPECT_EQ(str(d, "first_name"), "John");
  EXPECT_EQ(str(d, "phone"), "+19195550123");
  EXPECT_EQ(str(d, "address"), "1 Main St");
  EXPECT_EQ(str(d, "email"), "<absent>");
  EXPECT_EQ(str(d, "title"), "<absent>");
  const auto& cf = d["custom_fields"];
  EXPECT_EQ(str(cf, "sourceco_contact_id"), "sc_buyer_789");
  EXPECT_EQ(str(cf, "target_sectors"), "Business Services, Healthcare IT");
  EXPECT_EQ(str(cf, "last_contact_date"), "2026-01-15");
  EXPECT_EQ(str(cf, "assistant_phone"), "+19195550124");
  EXPECT_EQ(str(cf, "engagement_score"), "75");
  EXPECT_EQ(str(cf, "call_talking_points"), "Targets: Business Services, Healthcare IT.");
  EXPECT_EQ(str(cf, "aum"), "<absent>");
}

TEST(Payload, AssistantPhoneKeptAsWrittenWhenItDoesNotNormalize) {
  Contact c = buyer("1", "A", "B", "919-555-0123");
  c.assistant_phone = "ext. 204";
  auto d = parse(payload_json(c, "US"));
  EXPECT_EQ(str(d["custom_fields"], "assistant_phone"), "ext. 204");
}

TEST(Payload, WrittenTalkingPointsWin) {
  Contact c = buyer("1", "A", "B", "919-555-0123");
  c.call_talking_points = "Ask about add-ons";
  c.last_deal_presented = "Collision Repair Platform - Dec 2025";
  auto d = parse(payload_json(c, "US"));
  EXPECT_EQ(str(d["custom_fields"], "call_talking_points"), "Ask about add-ons");
}

TEST(TalkingPoints, OnlyFactsInTheRow) {
  Contact c;
  EXPECT_FALSE(talking_points(c));
  c.last_deal_presented = "Collision Repair Platform - Dec 2025";
  c.last_deal_outcome = "Passed - Too early stage";
  c.target_industries = "Business Services";
  c.target_ebitda_range = "$2M - $10M";
  c.last_contact_outcome = "Opened, no response";
  EXPECT_EQ(*talking_points(c),
            "Last deal presented: Collision Repair Platform - Dec 2025 (Passed - Too early stage). "
            "Targets: Business Services; EBITDA $2M - $10M. Last contact: Opened, no response.");
  Contact only_outcome;
  only_outcome.last_deal_outcome = "Passed";
  EXPECT_EQ(*talking_points(only_outcome), "Last deal outcome: Passed.");
}

TEST(Preview, CountsCategoriesDuplicatesAndName) {
  PreviewOptions options = parse_preview_options(R"({"filters":{"industry":"Software"}})");
  PreviewBuilder b(PreviewSettings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2}, options);
  b.add(buyer("1", "John", "Smith", "919-555-0123"));
  b.add(buyer("1", "John", "Smith", "919-555-0123"));       // same id: counted once
  b.add(buyer("2", "Sarah", "Johnson", "(919) 555 0123"));  // same number as John
  Contact dnc = buyer("3", "Mike", "Chen", "919-555-0199");
  dnc.do_not_call = true;
  dnc.do_not_call_source = "registry";
  b.add(dnc);
  Contact recent = buyer("4", "Lisa", "Chen", "919-555-0177");
  recent.last_call_attempt_at = kNow - 2 * kDay;
  b.add(recent);
  b.add(buyer("5", "Tom", "Wilson", "919-555-0166"));

  auto d = parse(b.finish_json());
  EXPECT_EQ(d["total"].GetInt(), 5);
  EXPECT_EQ(d["ready"].GetInt(), 2);
  EXPECT_EQ(d["excluded"].GetInt(), 3);
  EXPECT_EQ(d["excluded_by_category"]["do_not_call"].GetInt(), 1);
  EXPECT_EQ(d["excluded_by_category"]["invalid_phone"].GetInt(), 1);
  EXPECT_EQ(d["excluded_by_category"]["recently_contacted"].GetInt(), 1);
  EXPECT_EQ(d["excluded_by_category"]["missing_required_fields"].GetInt(), 0);
  const auto& ex = d["exclusions"];
  ASSERT_EQ(ex.Size(), 3u);
  EXPECT_EQ(str(ex[0], "contact_id"), "2");
  EXPECT_EQ(str(ex[0], "reason"), "Duplicate number of John Smith");
  EXPECT_TRUE(ex[0]["overridable"].GetBool());
  EXPECT_EQ(str(ex[1], "category"), "do_not_call");
  EXPECT_FALSE(ex[1]["overridable"].GetBool());
  EXPECT_EQ(str(ex[2], "reason"), "Called 2 days ago");
  EXPECT_EQ(d["estimated_dial_minutes"].GetDouble(), 5.0);
  EXPECT_EQ(str(d, "estimated_dial_time"), "~5 min");
  EXPECT_EQ(str(d, "suggested_session_name"), "Buyers - PE Firm - Software - Feb 2026");
}

TEST(Preview, OptionsAreValidated) {
  EXPECT_THROW(parse_preview_options(R"({"min_day": 3})"), Error);
  EXPECT_THROW(parse_preview_options(R"({"min_days": 366})"), Error);
  EXPECT_THROW(parse_preview_options(R"({"min_days": "7"})"), Error);
  EXPECT_THROW(parse_preview_options(R"({"filters": []})"), Error);
  EXPECT_THROW(parse_preview_options(R"([])"), Error);
  EXPECT_EQ(parse_preview_options(R"({"min_days": 14})").min_days.value(), 14);
  auto o = parse_preview_options(R"({"filters": {"state": "TX", "industry": 5}})");
  EXPECT_EQ(o.filters.state.value(), "TX");
  EXPECT_EQ(o.filters.industry.value(), "5");
}

TEST(Preview, EmptyList) {
  PreviewBuilder b(PreviewSettings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 3}, PreviewOptions{});
  auto d = parse(b.finish_json());
  EXPECT_EQ(d["total"].GetInt(), 0);
  EXPECT_EQ(d["exclusions"].Size(), 0u);
  EXPECT_EQ(str(d, "estimated_dial_time"), "0 min");
  EXPECT_EQ(str(d, "suggested_session_name"), "Contacts - Mar 2026");
}
