// http/form: percent-encoding of form bodies, query strings and path segments.
#include "http/form.hpp"

#include "fake-phoneburner/form_decode.hpp"  // the fake's decoder: what PhoneBurner's PHP would read

#include <gtest/gtest.h>

#include <string>

namespace pgdialer::sync::http {
namespace {

TEST(FormEscape, LeavesUnreservedCharactersAlone) {
  const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(form_escape(unreserved), unreserved);
}

TEST(FormEscape, EncodesEverythingElseAsUppercaseHex) {
  EXPECT_EQ(form_escape("a&b=c"), "a%26b%3Dc");
  EXPECT_EQ(form_escape("1+1"), "1%2B1");
  EXPECT_EQ(form_escape("50%"), "50%25");
  EXPECT_EQ(form_escape("custom_fields[0][name]"), "custom_fields%5B0%5D%5Bname%5D");
  EXPECT_EQ(form_escape("a/b?c#d"), "a%2Fb%3Fc%23d");
  EXPECT_EQ(form_escape("\r\n"), "%0D%0A");
  EXPECT_EQ(form_escape(std::string("\0x", 2)), "%00x");
}

TEST(FormEscape, EncodesUtf8BytewiseAsUnsigned) {
  EXPECT_EQ(form_escape("Zo\xC3\xAB"), "Zo%C3%AB");
  EXPECT_EQ(form_escape("\xFF"), "%FF");
}

TEST(FormEscape, SpaceIsPlusInFormsAndPercent20InPaths) {
  EXPECT_EQ(form_escape("a b"), "a+b");
  EXPECT_EQ(form_escape("a b", true), "a+b");
  EXPECT_EQ(form_escape("a b", false), "a%20b");
}

TEST(FormEncode, JoinsPairsInOrderAndKeepsDuplicatesAndEmpties) {
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"a", "1"}}), "a=1");
  EXPECT_EQ(form_encode({{"b", "x y"}, {"a", "1"}, {"b", "2"}, {"e", ""}}), "b=x+y&a=1&b=2&e=");
}

TEST(FormEncode, RoundTripsThroughAFormDecoder) {
  const FormPairs pairs{{"first_name", "A&B=C+D 100% Zo\xC3\xAB"},
                        {"custom_fields[0][name]", "Case ID"},
                        {"custom_fields[0][value]", "line1\nline2"},
                        {"weird key=&", "v"}};
  const fake_pb::FormPairs decoded = fake_pb::parse_form(form_encode(pairs));
  ASSERT_EQ(decoded.size(), pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(decoded[i].first, pairs[i].first);
    EXPECT_EQ(decoded[i].second, pairs[i].second);
  }
}

}  // namespace
}  // namespace pgdialer::sync::http
