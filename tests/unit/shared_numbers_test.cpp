// The preview's shared_numbers section: contacts of one list sharing a number
// are grouped, the first one kept, and the duplicate-number exclusion stays.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "preview.hpp"
#include "shared_numbers.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

struct Row {
  std::string id, first, phone;
  bool dnc = false;
};

rapidjson::Document preview(const std::vector<Row>& rows) {
  PreviewSettings settings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2};
  PreviewBuilder b(settings, PreviewOptions{});
  for (const Row& r : rows) {
    Contact c;
    c.id = r.id;
    c.first_name = r.first;
    c.last_name = "Lee";
    c.phone = r.phone;
    if (r.dnc) c.do_not_call = true;
    b.add(c);
  }
  rapidjson::Document d;
  const std::string json(b.finish_json());
  d.Parse(json.data(), json.size());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

std::string str(const rapidjson::Value& v) { return v.IsNull() ? "<null>" : std::string(v.GetString()); }

}  // namespace

TEST(SharedNumbers, AlwaysPresentEvenWithoutSharing) {
  auto d = preview({{"1", "Ann", "+12125550100"}, {"2", "Bob", "+12125550101"}});
  ASSERT_TRUE(d.HasMember("shared_numbers"));
  EXPECT_EQ(d["shared_numbers"]["numbers"].GetInt(), 0);
  EXPECT_EQ(d["shared_numbers"]["contacts"].GetInt(), 0);
  EXPECT_EQ(d["shared_numbers"]["groups"].Size(), 0u);
  EXPECT_EQ(d["ready"].GetInt(), 2);
}

TEST(SharedNumbers, GroupsTheContactsOfOneNumberAndKeepsTheFirst) {
  auto d = preview({{"1", "Ann", "(212) 555-0100"},
                    {"2", "Bob", "+12125550101"},
                    {"3", "Cy", "212.555.0100"},
                    {"4", "Di", "+1 212 555 0100"}});
  // The exclusion stays the default: two held back, one ready for the number.
  EXPECT_EQ(d["ready"].GetInt(), 2);
  EXPECT_EQ(d["excluded_by_category"]["invalid_phone"].GetInt(), 2);
  EXPECT_EQ(str(d["exclusions"][0]["reason"]), "Duplicate number of Ann Lee");
  const auto& s = d["shared_numbers"];
  EXPECT_EQ(s["numbers"].GetInt(), 1);
  EXPECT_EQ(s["contacts"].GetInt(), 3);
  EXPECT_EQ(s["held_back"].GetInt(), 2);
  const auto& g = s["groups"][0];
  EXPECT_EQ(str(g["number"]), "+12125550100");
  EXPECT_EQ(str(g["display"]), "+1 212-555-0100");
  EXPECT_EQ(str(g["summary"]), "3 contacts at +1 212-555-0100");
  EXPECT_EQ(str(g["kept"]["contact_id"]), "1");
  ASSERT_EQ(g["members"].Size(), 3u);
  EXPECT_EQ(str(g["members"][1]["contact_id"]), "3");
  EXPECT_EQ(str(g["members"][2]["name"]), "Di Lee");
  EXPECT_TRUE(g["members"][0]["kept"].GetBool());
  EXPECT_FALSE(g["members"][2]["kept"].GetBool());
}

TEST(SharedNumbers, OnlyContactsThatPassTheRulesAreGrouped) {
  // A do-not-call contact with the number is excluded for that, not grouped;
  // the next one with the number is kept.
  auto d = preview({{"1", "Ann", "+12125550100", true}, {"2", "Bob", "+12125550100"}});
  EXPECT_EQ(d["ready"].GetInt(), 1);
  EXPECT_EQ(d["shared_numbers"]["numbers"].GetInt(), 0);
}

TEST(SharedNumbers, ListsAreCappedCountsAreNot) {
  SharedNumbers s(std::pmr::get_default_resource());
  const std::size_t groups = SharedNumbers::kMaxGroupsListed + 5;
  for (std::size_t i = 0; i < groups; ++i) {
    const std::string number = "+1919555" + std::to_string(1000 + i);
    EXPECT_FALSE(s.add(number, std::string_view("a"), std::nullopt));
    EXPECT_EQ(s.add(number, std::string_view("b"), std::string_view("B")), std::string_view(""));
  }
  for (std::size_t i = 0; i < SharedNumbers::kMaxContactsListed + 10; ++i)
    EXPECT_EQ(s.add("+19195551000", std::nullopt, std::nullopt), std::string_view(""));
  rapidjson::Document d;
  const std::string json = s.json("US");
  d.Parse(json.data(), json.size());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["numbers"].GetUint64(), groups);
  EXPECT_EQ(d["groups_listed"].GetUint64(), SharedNumbers::kMaxGroupsListed);
  EXPECT_EQ(d["groups"].Size(), SharedNumbers::kMaxGroupsListed);
  EXPECT_EQ(d["contacts"].GetInt64(), static_cast<long>(2 * groups + SharedNumbers::kMaxContactsListed + 10));
  EXPECT_EQ(d["groups"][0]["contacts"].GetInt64(),
            static_cast<long>(2 + SharedNumbers::kMaxContactsListed + 10));
  EXPECT_EQ(d["groups"][0]["members"].Size(), SharedNumbers::kMaxContactsListed);
  EXPECT_TRUE(d["groups"][0]["kept"]["name"].IsNull());
}
