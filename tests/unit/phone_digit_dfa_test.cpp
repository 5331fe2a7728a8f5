// NanpDigitDfa: the +1 validity automaton must give exactly the RE2 walk's
// answer (valid_by_rules) and libphonenumber's, and its pattern parser must
// read the regex subset right or refuse.
#include "phone.hpp"
#include "phone_digit_dfa.hpp"
#include "phone_fast_e164.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

namespace pgdialer::phone_fast {
namespace {

using Regions = std::vector<NanpDigitDfa::RegionPatterns>;

NanpDigitDfa::RegionPatterns region(std::string general, std::string any_type,
                                    std::optional<std::string> leading = std::nullopt) {
  return {std::move(general), std::move(any_type), std::move(leading), true};
}

TEST(NanpDigitDfa, OneRegion) {
  const auto dfa = NanpDigitDfa::build({region("[2-9]\\d{9}", "(?:20[1-3]|5(?:0[05]|55))\\d{7}")});
  ASSERT_TRUE(dfa);
  EXPECT_TRUE(dfa->valid("2015550123"));
  EXPECT_TRUE(dfa->valid("2035550123"));
  EXPECT_FALSE(dfa->valid("2045550123"));
  EXPECT_TRUE(dfa->valid("5005550123"));
  EXPECT_FALSE(dfa->valid("5015550123"));
  EXPECT_TRUE(dfa->valid("5555550123"));
  EXPECT_FALSE(dfa->valid("201555012"));    // nine digits
  EXPECT_FALSE(dfa->valid("20155501234"));  // eleven
  EXPECT_FALSE(dfa->valid("201555012x"));
  EXPECT_FALSE(dfa->valid(""));
}

TEST(NanpDigitDfa, GeneralPatternAndLengthsGateTheTypes) {
  // The type admits 1xx..., the general pattern does not.
  auto dfa = NanpDigitDfa::build({region("[2-9]\\d{9}", "\\d{10}")});
  ASSERT_TRUE(dfa);
  EXPECT_TRUE(dfa->valid("2015550123"));
  EXPECT_FALSE(dfa->valid("1015550123"));
  NanpDigitDfa::RegionPatterns no_ten = region("\\d{10}", "\\d{10}");
  no_ten.admits_ten = false;
  dfa = NanpDigitDfa::build({no_ten});
  ASSERT_TRUE(dfa);
  EXPECT_FALSE(dfa->valid("2015550123"));
  dfa = NanpDigitDfa::build({region("\\d{10}", "")});  // no type admits ten digits
  ASSERT_TRUE(dfa);
  EXPECT_FALSE(dfa->valid("2015550123"));
}

// is_valid's walk: a region without leading digits accepts what it knows and
// otherwise passes on; the first region whose leading digits claim the number
// decides, even against a later region that would accept it.
TEST(NanpDigitDfa, RegionWalkOrder) {
  const auto dfa = NanpDigitDfa::build({
      region("\\d{10}", "20[12]\\d{7}"),                        // like US: no leading digits
      region("\\d{10}", "203[2-9]\\d{6}", std::string("203")),  // claims 203...
      region("\\d{10}", "20[3-4]\\d{7}"),                       // would take all of 203 and 204
  });
  ASSERT_TRUE(dfa);
  EXPECT_TRUE(dfa->valid("2015550123"));   // first region
  EXPECT_TRUE(dfa->valid("2035550123"));   // claimed and known by the second
  EXPECT_FALSE(dfa->valid("2031550123"));  // claimed by the second, unknown there: the third is never asked
  EXPECT_TRUE(dfa->valid("2045550123"));   // not claimed: the third
  EXPECT_FALSE(dfa->valid("2055550123"));
}

TEST(NanpDigitDfa, PatternSyntax) {
  struct Case {
    const char* pattern;
    const char* matching;
    const char* not_matching;
  };
  const Case cases[] = {
      {"[2-9]\\d{9}", "2000000000", "1000000000"},
      {"[^01]\\d{9}", "2000000000", "1000000000"},
      {"(?:2|3)(?:4|5)\\d{8}", "3500000000", "3600000000"},
      {"(2)\\d{9}", "2000000000", "3000000000"},  // a capturing group
      {"\\d{3,4}5\\d{5,6}", "1235123456", "1234123456"},
      {"2\\d{2,}", "2000000000", "3000000000"},  // unbounded
      {"2?\\d{9}3", "2000000003", "2000000004"},
      {"2\\d*3", "2000000003", "2000000004"},
      {"2\\d+?3", "2000000003", "2000000004"},  // lazy: same language
      {"[2-35-6]\\d{9}", "5000000000", "4000000000"},
  };
  for (const Case& c : cases) {
    const auto dfa = NanpDigitDfa::build({region("\\d{10}", c.pattern)});
    ASSERT_TRUE(dfa) << c.pattern;
    EXPECT_TRUE(dfa->valid(c.matching)) << c.pattern;
    EXPECT_FALSE(dfa->valid(c.not_matching)) << c.pattern;
  }
  // Leading digits match a prefix, as RE2's ANCHOR_START.
  const auto dfa = NanpDigitDfa::build(
      {region("\\d{10}", "\\d{10}", std::string("2(?:4[2-5]|68)")), region("\\d{10}", "3\\d{9}")});
  ASSERT_TRUE(dfa);
  EXPECT_TRUE(dfa->valid("2685550123"));
  EXPECT_FALSE(dfa->valid("2695550123"));  // not claimed, and the second region wants 3...
}

TEST(NanpDigitDfa, RefusesSyntaxOutsideTheSubset) {
  for (const char* pattern : {"\\w{10}", ".{10}", "(?=2)\\d{10}", "^\\d{10}$", "\\d{10", "[2-", "(\\d{10}",
                              "\\d{10})", "[9-2]\\d{9}", "a\\d{9}"}) {
    EXPECT_FALSE(NanpDigitDfa::build({region("\\d{10}", pattern)})) << pattern;
    EXPECT_FALSE(NanpDigitDfa::build({region("\\d{10}", "\\d{10}", std::string(pattern))})) << pattern;
  }
}

// ---- the real automaton, from libphonenumber's metadata ------------------------

TEST(NanpDigitDfa, BuiltFromTheMetadata) {
  const NanpDigitDfa* dfa = NanpDigitDfa::instance();
  ASSERT_NE(dfa, nullptr) << "a +1 pattern outside the parser's subset?";
  EXPECT_GT(dfa->state_count(), 100u);
  EXPECT_TRUE(dfa->valid("2015550123"));   // US
  EXPECT_TRUE(dfa->valid("4165550123"));   // CA (Toronto)
  EXPECT_TRUE(dfa->valid("8765550123"));   // JM
  EXPECT_FALSE(dfa->valid("2005550123"));  // 200 is not an area code
  EXPECT_FALSE(dfa->valid("9995550123"));
}

// Every area code and exchange (all 10^6 first six digits, with digits drawn
// for the last four) against the RE2 walk the fast path used before.
TEST(NanpDigitDfa, AgreesWithTheRe2WalkOnEveryAreaCodeAndExchange) {
  const NanpDigitDfa* dfa = NanpDigitDfa::instance();
  ASSERT_NE(dfa, nullptr);
  std::mt19937_64 rng(0x0dfa'0001);
  int valid = 0, differ = 0;
  char digits[11] = {};
  for (int prefix = 0; prefix < 1000000; ++prefix) {
    int p = prefix;
    for (int i = 5; i >= 0; --i, p /= 10) digits[i] = static_cast<char>('0' + p % 10);
    std::uint64_t r = rng();
    for (int i = 6; i < 10; ++i, r /= 10) digits[i] = static_cast<char>('0' + r % 10);
    const std::string_view number(digits, 10);
    const bool expected = valid_by_rules(1, number);
    valid += expected;
    if (dfa->valid(number) != expected && ++differ <= 10)
      ADD_FAILURE() << number << ": RE2 says " << expected;
  }
  EXPECT_EQ(differ, 0);
  EXPECT_GT(valid, 100000);  // the set holds both answers in bulk
  EXPECT_LT(valid, 900000);
}

// And to_e164 (which now uses the automaton) against plain libphonenumber on
// North American numbers as contact lists write them.
TEST(NanpDigitDfa, ToE164MatchesLibphonenumber) {
  std::mt19937_64 rng(0x0dfa'0002);
  const char* const regions[] = {"US", "CA", "JM", "PR", "GB"};
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t r = rng();
    std::string national;
    for (int k = 0; k < 10; ++k, r /= 10) national += static_cast<char>('0' + r % 10);
    if (i % 2 == 0) national[0] = static_cast<char>('2' + r % 8);  // mostly plausible area codes
    std::string raw;
    switch (i % 4) {
      case 0:
        raw = "(" + national.substr(0, 3) + ") " + national.substr(3, 3) + "-" + national.substr(6);
        break;
      case 1: raw = national; break;
      case 2: raw = "+1 " + national; break;
      default: raw = "1-" + national; break;
    }
    const char* region = regions[i % 5];
    const std::optional<std::string> expected = to_e164_reference(raw, region);
    valid += expected.has_value();
    ASSERT_EQ(to_e164(raw, region), expected) << raw << " in " << region;
  }
  EXPECT_GT(valid, 2500);
}

}  // namespace
}  // namespace pgdialer::phone_fast
