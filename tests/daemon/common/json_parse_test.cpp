// common/json_parse: the one JSON parser of the daemon. Deep nesting is
// refused without recursion (a default RapidJSON parse of these inputs
// overflows the stack and kills the test binary), and what is accepted is
// the same document RapidJSON's own parser builds.
#include "common/json_parse.hpp"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace pgdialer::sync::testing {
namespace {

using json::ParseResult;

std::string nested(int depth, const std::string& inner = "1") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

TEST(JsonParse, ReadsADocumentAsRapidJsonDoes) {
  const std::string text = R"({"a":[1,2.5,"x",true,null,{"b":{}}],"c":-3,"d":18446744073709551615})";
  rapidjson::Document doc;
  const ParseResult r = json::parse(text, &doc);
  ASSERT_TRUE(r.ok()) << r.problem();
  EXPECT_FALSE(r.contains_nul);
  EXPECT_EQ(r.problem(), "");
  rapidjson::Document reference;
  reference.Parse(text.c_str());
  EXPECT_TRUE(doc == reference);
  EXPECT_EQ(compact(doc), text);
}

TEST(JsonParse, ScalarsAndAByteOrderMarkAreFine) {
  rapidjson::Document doc;
  ASSERT_TRUE(json::parse("42", &doc).ok());
  EXPECT_EQ(doc.GetInt(), 42);
  ASSERT_TRUE(json::parse("\xEF\xBB\xBF{\"a\":1}", &doc).ok());
  EXPECT_EQ(doc["a"].GetInt(), 1);
}

TEST(JsonParse, TheDepthLimitIsExact) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(nested(json::kMaxDepth), &doc).ok());
  const ParseResult r = json::parse(nested(json::kMaxDepth + 1), &doc);
  EXPECT_EQ(r.status, ParseResult::Status::too_deep);
  EXPECT_EQ(r.problem(), "is nested deeper than 64 levels");
  // Objects count like arrays, mixed in any order.
  std::string mixed;
  for (int i = 0; i < json::kMaxDepth; ++i) mixed += i % 2 ? "[" : "{\"k\":";
  std::string closing;
  for (int i = json::kMaxDepth - 1; i >= 0; --i) closing += i % 2 ? "]" : "}";
  EXPECT_TRUE(json::parse(mixed + "0" + closing, &doc).ok());
  EXPECT_EQ(json::parse(mixed + "{}" + closing, &doc).status, ParseResult::Status::too_deep);
}

TEST(JsonParse, ASmallerLimitCanBeAsked) {
  rapidjson::Document doc;
  json::ParseOptions options;
  options.max_depth = 2;
  EXPECT_TRUE(json::parse(R"({"a":[1]})", &doc, options).ok());
  const ParseResult r = json::parse(R"({"a":[[1]]})", &doc, options);
  EXPECT_EQ(r.status, ParseResult::Status::too_deep);
  EXPECT_EQ(r.problem(), "is nested deeper than 2 levels");
}

// The attack of issue 11: ~180 KB of '[' (under the webhook body limit).
TEST(JsonParse, HundredsOfKilobytesOfOpenBracketsAreTooDeepNotACrash) {
  rapidjson::Document doc;
  EXPECT_EQ(json::parse(std::string(180 * 1024, '['), &doc).status, ParseResult::Status::too_deep);
  EXPECT_EQ(json::parse(std::string(180 * 1024, '{'), &doc).status, ParseResult::Status::invalid);
  EXPECT_EQ(json::parse(nested(100000), &doc).status, ParseResult::Status::too_deep);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(json::parse(objects, &doc).status, ParseResult::Status::too_deep);
  // Without a limit the iterative parser still does not recurse.
  json::ParseOptions unlimited;
  unlimited.max_depth = 1 << 30;
  EXPECT_TRUE(json::parse(nested(100000), &doc, unlimited).ok());
}

TEST(JsonParse, MalformedTextIsInvalid) {
  rapidjson::Document doc;
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{} {}", "{}x", "nul", "'a'", "[1]]"}) {
    const ParseResult r = json::parse(bad, &doc);
    EXPECT_EQ(r.status, ParseResult::Status::invalid) << bad;
    EXPECT_EQ(r.problem(), "is not valid JSON") << bad;
  }
}

TEST(JsonParse, Utf8IsCheckedOnlyWhenAsked) {
  rapidjson::Document doc;
  const std::string text = "{\"s\":\"\xff\xfe\"}";
  EXPECT_TRUE(json::parse(text, &doc).ok());
  json::ParseOptions options;
  options.validate_utf8 = true;
  EXPECT_EQ(json::parse(text, &doc, options).status, ParseResult::Status::invalid);
  EXPECT_TRUE(json::parse("{\"s\":\"caf\xc3\xa9\"}", &doc, options).ok());
}

TEST(JsonParse, ANulInAStringOrKeyIsReported) {
  rapidjson::Document doc;
  EXPECT_FALSE(json::parse(R"({"a":"b"})", &doc).contains_nul);
  EXPECT_TRUE(json::parse(R"({"a":"b\u0000c"})", &doc).contains_nul);
  EXPECT_TRUE(json::parse(R"({"a\u0000":1})", &doc).contains_nul);
  EXPECT_TRUE(json::parse(R"([[[{"deep":["\u0000"]}]]])", &doc).contains_nul);
}

TEST(JsonParse, TheDocumentIsReplacedAndLeftNullOnFailure) {
  rapidjson::Document doc;
  ASSERT_TRUE(json::parse(R"({"a":1})", &doc).ok());
  EXPECT_FALSE(json::parse("[", &doc).ok());
  EXPECT_TRUE(doc.IsNull());
  ASSERT_TRUE(json::parse("[2]", &doc).ok());
  EXPECT_EQ(doc[0].GetInt(), 2);
}

}  // namespace
}  // namespace pgdialer::sync::testing
