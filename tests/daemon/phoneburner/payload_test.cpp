// phoneburner/payload: dialer.payload -> PhoneBurner's keys, as form pairs
// (PHP arrays) and as dial-session JSON.
#include "phoneburner/payload.hpp"

#include "fake-phoneburner/form_decode.hpp"  // the fake's PHP-array decoder

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>

namespace pgdialer::sync {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

MappedContact mapped(const std::string& json) {
  MappedContact m;
  std::string error;
  EXPECT_TRUE(map_payload(json, &m, &error)) << error;
  return m;
}

std::map<std::string, std::string> as_map(const Pairs& pairs) {
  return std::map<std::string, std::string>(pairs.begin(), pairs.end());
}

TEST(MapPayload, StandardKeysWithAddressAsAddress1InAFixedOrder) {
  const MappedContact m = mapped(R"({"country":"US","zip":"62701","state":"IL","city":"Springfield",
      "address2":"Apt 2","address":"1 Main St","email":"ann@example.com","phone":"+1 555 123 4567",
      "last_name":"Lee","first_name":"Ann"})");
  const Pairs want{{"first_name", "Ann"},
                   {"last_name", "Lee"},
                   {"phone", "+1 555 123 4567"},
                   {"email", "ann@example.com"},
                   {"address1", "1 Main St"},
                   {"address2", "Apt 2"},
                   {"city", "Springfield"},
                   {"state", "IL"},
                   {"zip", "62701"},
                   {"country", "US"}};
  EXPECT_EQ(m.fields, want);
  EXPECT_TRUE(m.custom_fields.empty());
}

TEST(MapPayload, CompanyAndTitleAreAlsoCustomFields) {
  const MappedContact m = mapped(R"({"first_name":"Ann","company":"Acme","title":"CTO"})");
  const auto fields = as_map(m.fields);
  EXPECT_EQ(fields.at("company"), "Acme");
  EXPECT_EQ(fields.at("title"), "CTO");
  EXPECT_EQ(m.custom_fields, (Pairs{{"company", "Acme"}, {"title", "CTO"}}));
}

TEST(MapPayload, AnExplicitCustomFieldOfThatNameWins) {
  const MappedContact m =
      mapped(R"({"company":"Acme","title":"CTO","custom_fields":{"company":"Acme Holdings Ltd"}})");
  EXPECT_EQ(m.custom_fields, (Pairs{{"company", "Acme Holdings Ltd"}, {"title", "CTO"}}));
}

TEST(MapPayload, CustomFieldsKeepOrderAndTextOfNumbersAndBooleans) {
  const MappedContact m = mapped(
      R"({"custom_fields":{"Case ID":"42","Score":7,"Ratio":0.5,"VIP":true,"Gone":null,"Obj":{"a":1},"List":[1]}})");
  EXPECT_EQ(m.custom_fields, (Pairs{{"Case ID", "42"}, {"Score", "7"}, {"Ratio", "0.5"}, {"VIP", "1"}}));
}

TEST(MapPayload, NullNonScalarUnknownAndNotesAreLeftOut) {
  const MappedContact m = mapped(
      R"({"first_name":null,"last_name":["x"],"phone":5551234567,"notes":"called twice","website":"w","lead_id":"no"})");
  EXPECT_EQ(m.fields, (Pairs{{"phone", "5551234567"}}));
  EXPECT_TRUE(m.custom_fields.empty());
}

TEST(MapPayload, NonObjectCustomFieldsAreIgnored) {
  const MappedContact m = mapped(R"({"first_name":"A","custom_fields":[{"name":"x","value":"y"}]})");
  EXPECT_TRUE(m.custom_fields.empty());
}

TEST(MapPayload, NotAJsonObjectIsAnError) {
  for (const char* bad : {"", "[]", "\"x\"", "{", "null", "{\"a\":1} trailing"}) {
    MappedContact m;
    m.fields.emplace_back("stale", "x");
    std::string error;
    EXPECT_FALSE(map_payload(bad, &m, &error)) << bad;
    EXPECT_FALSE(error.empty());
  }
}

TEST(MapPayload, ClearsThePreviousContents) {
  MappedContact m;
  m.fields.emplace_back("stale", "x");
  m.custom_fields.emplace_back("stale", "x");
  std::string error;
  ASSERT_TRUE(map_payload(R"({"first_name":"A"})", &m, &error));
  EXPECT_EQ(m.fields, (Pairs{{"first_name", "A"}}));
  EXPECT_TRUE(m.custom_fields.empty());
}

TEST(AddField, AppendsUnlessEmpty) {
  MappedContact m;
  add_field(&m, "lead_id", "42");
  add_field(&m, "category_id", "");
  EXPECT_EQ(m.fields, (Pairs{{"lead_id", "42"}}));
}

TEST(ToFormPairs, FieldsThenPhpArrayCustomFieldsWithTextType) {
  MappedContact m = mapped(R"({"first_name":"Ann","company":"Acme","custom_fields":{"Case ID":"42"}})");
  add_field(&m, "lead_id", "lead-7");
  const http::FormPairs want{{"first_name", "Ann"},
                             {"company", "Acme"},
                             {"lead_id", "lead-7"},
                             {"custom_fields[0][name]", "Case ID"},
                             {"custom_fields[0][type]", "1"},
                             {"custom_fields[0][value]", "42"},
                             {"custom_fields[1][name]", "company"},
                             {"custom_fields[1][type]", "1"},
                             {"custom_fields[1][value]", "Acme"}};
  EXPECT_EQ(to_form_pairs(m), want);
}

TEST(ToFormPairs, DecodesToTheArrayPhpWouldSee) {
  const MappedContact m = mapped(R"({"custom_fields":{"a&b":"x=y","c d":"e+f"}})");
  rapidjson::Document php;
  fake_pb::form_to_json(fake_pb::parse_form(http::form_encode(to_form_pairs(m))), php);
  ASSERT_TRUE(php.HasMember("custom_fields"));
  const auto& cf = php["custom_fields"];
  ASSERT_TRUE(cf.IsArray());
  ASSERT_EQ(cf.Size(), 2u);
  EXPECT_STREQ(cf[0]["name"].GetString(), "a&b");
  EXPECT_STREQ(cf[0]["value"].GetString(), "x=y");
  EXPECT_STREQ(cf[0]["type"].GetString(), "1");
  EXPECT_STREQ(cf[1]["name"].GetString(), "c d");
  EXPECT_STREQ(cf[1]["value"].GetString(), "e+f");
}

TEST(WriteContactJson, FieldsAndATypedCustomFieldList) {
  MappedContact m = mapped(R"({"first_name":"Zo\u00eb","address":"1 \"Main\" St","title":"CTO"})");
  add_field(&m, "lead_id", "lead-9");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  write_contact_json(w, m);
  rapidjson::Document doc;
  doc.Parse(buf.GetString(), buf.GetSize());
  ASSERT_FALSE(doc.HasParseError()) << buf.GetString();
  EXPECT_STREQ(doc["first_name"].GetString(), "Zo\xC3\xAB");
  EXPECT_STREQ(doc["address1"].GetString(), "1 \"Main\" St");
  EXPECT_STREQ(doc["lead_id"].GetString(), "lead-9");
  EXPECT_FALSE(doc.HasMember("address"));
  ASSERT_TRUE(doc["custom_fields"].IsArray());
  ASSERT_EQ(doc["custom_fields"].Size(), 1u);
  EXPECT_STREQ(doc["custom_fields"][0]["name"].GetString(), "title");
  EXPECT_EQ(doc["custom_fields"][0]["type"].GetInt(), kTextCustomFieldType);
  EXPECT_STREQ(doc["custom_fields"][0]["value"].GetString(), "CTO");
}

TEST(WriteContactJson, NoCustomFieldsNoKey) {
  const MappedContact m = mapped(R"({"first_name":"A"})");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  write_contact_json(w, m);
  EXPECT_EQ(std::string(buf.GetString(), buf.GetSize()), R"({"first_name":"A"})");
}

}  // namespace
}  // namespace pgdialer::sync
