// The PHP-array form decoding, without sockets.
#include "body_decode.hpp"
#include "form_decode.hpp"
#include "json_util.hpp"

#include <gtest/gtest.h>

namespace fake_pb {
namespace {

std::string form_json(const std::string& body) {
  rapidjson::Document doc;
  form_to_json(parse_form(body), doc);
  return to_json(doc);
}

TEST(FormDecode, UrlDecoding) {
  EXPECT_EQ(url_decode("Ann+Lee%20%2B1%2f"), "Ann Lee +1/");
  EXPECT_EQ(url_decode("100%"), "100%");  // a stray '%' stays
  EXPECT_EQ(url_decode("a+b", false), "a+b");
}

TEST(FormDecode, FlatPairsKeepOrderAndLastWins) {
  EXPECT_EQ(form_json("first_name=Ann&phone=555&first_name=Bo"), R"({"first_name":"Bo","phone":"555"})");
  EXPECT_EQ(form_json("flag&empty=&=x"), R"({"flag":"","empty":"","":"x"})");
}

TEST(FormDecode, PhpArraysBecomeJsonArrays) {
  EXPECT_EQ(form_json("custom_fields%5B0%5D%5Bname%5D=Case+ID&custom_fields[0][type]=1"
                      "&custom_fields[0][value]=42&custom_fields[1][name]=Source"),
            R"({"custom_fields":[{"name":"Case ID","type":"1","value":"42"},{"name":"Source"}]})");
}

TEST(FormDecode, AppendSyntaxAndIndexOrder) {
  EXPECT_EQ(form_json("tags[]=a&tags[]=b"), R"({"tags":["a","b"]})");
  EXPECT_EQ(form_json("x[2]=c&x[0]=a"), R"({"x":["a","c"]})");          // ordered by index
  EXPECT_EQ(form_json("x[k]=1&x[0]=2"), R"({"x":{"k":"1","0":"2"}})");  // mixed keys: an object
  EXPECT_EQ(form_json("a[b=1"), R"({"a[b":"1"})");                      // unclosed bracket: literal key
}

TEST(BodyDecode, PicksTheEncodingFromContentTypeOrBody) {
  ApiRequest req;
  rapidjson::Document doc;
  std::string error;
  req.content_type = "application/json; charset=utf-8";
  req.body = R"({"name":"x"})";
  ASSERT_TRUE(decode_body(req, doc, error));
  EXPECT_EQ(to_json(doc), R"({"name":"x"})");
  req.content_type = "";
  ASSERT_TRUE(decode_body(req, doc, error));
  EXPECT_EQ(to_json(doc), R"({"name":"x"})");
  req.body = "name=y";
  ASSERT_TRUE(decode_body(req, doc, error));
  EXPECT_EQ(to_json(doc), R"({"name":"y"})");
  req.content_type = "application/json";
  req.body = "{broken";
  EXPECT_FALSE(decode_body(req, doc, error));
  req.body = "[1]";
  EXPECT_FALSE(decode_body(req, doc, error));
  req.body = "";
  ASSERT_TRUE(decode_body(req, doc, error));
  EXPECT_EQ(to_json(doc), "{}");
}

}  // namespace
}  // namespace fake_pb
