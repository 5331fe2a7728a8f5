// phone_metadata_rules: libphonenumber's metadata compiled with RE2.
#include "phone_metadata_rules.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>

namespace pgdialer::phone_fast {
namespace {

class PhoneMetadataRules : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(MetadataRules::instance(), nullptr); }
  static const MetadataRules& rules() { return *MetadataRules::instance(); }
};

// If RE2 rejected some region's patterns the fast path would silently lose
// that country: every geographic calling code must compile. Non-geographic
// entities ("+800") are deliberately left to libphonenumber.
TEST_F(PhoneMetadataRules, EveryGeographicCallingCodeCompiles) {
  std::set<int> non_geographic;
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedGlobalNetworkCallingCodes(&non_geographic);
  ASSERT_FALSE(non_geographic.empty());
  int geographic = 0;
  for (int code = 1; code < 1000; ++code) {
    if (!rules().is_country_code(code)) continue;
    const CountryRules* country = rules().country(code);
    if (non_geographic.count(code)) {
      EXPECT_EQ(country, nullptr) << code;
      continue;
    }
    ASSERT_NE(country, nullptr) << "calling code " << code;
    EXPECT_EQ(country->country_code, code);
    ++geographic;
  }
  EXPECT_GT(geographic, 200);
}

TEST_F(PhoneMetadataRules, NanpRegionsInLibphonenumberOrder) {
  const CountryRules* nanp = rules().country(1);
  ASSERT_NE(nanp, nullptr);
  EXPECT_EQ(nanp->main().code(), "US");  // the main country comes first
  EXPECT_GE(nanp->regions.size(), 20u);
  EXPECT_NE(nanp->find("JM"), nullptr);
  EXPECT_EQ(nanp->find("GB"), nullptr);
}

TEST_F(PhoneMetadataRules, RegionLookup) {
  ASSERT_NE(rules().region("GB"), nullptr);
  EXPECT_EQ(rules().region("GB")->country_code(), 44);
  EXPECT_EQ(rules().region("GB")->country_code_digits(), "44");
  EXPECT_EQ(rules().region("ZZ"), nullptr);
  EXPECT_EQ(rules().region("001"), nullptr);
  EXPECT_EQ(rules().region("gb"), nullptr);  // callers pass canonical codes
}

TEST_F(PhoneMetadataRules, UsNumberTypesAndLengths) {
  const RegionRules& us = *rules().region("US");
  EXPECT_TRUE(us.has_known_type("9195550123"));
  EXPECT_TRUE(us.has_known_type("8005550199"));   // toll-free
  EXPECT_FALSE(us.has_known_type("1234567890"));  // no area code starts with 1
  EXPECT_FALSE(us.has_known_type("4165550199"));  // Toronto: Canadian, not US
  EXPECT_FALSE(us.has_known_type("5550123"));     // seven digits: local only
  EXPECT_TRUE(us.general_matches("4165550199"));  // the general pattern covers all of NANP

  EXPECT_EQ(us.test_length(10), LengthCheck::possible);
  EXPECT_EQ(us.test_length(7), LengthCheck::possible_local_only);
  EXPECT_EQ(us.test_length(6), LengthCheck::too_short);
  EXPECT_EQ(us.test_length(9), LengthCheck::too_short);
  EXPECT_EQ(us.test_length(11), LengthCheck::too_long);
}

TEST_F(PhoneMetadataRules, PrefixesAndLeadingDigits) {
  const RegionRules& us = *rules().region("US");
  EXPECT_TRUE(us.may_strip_international_prefix("011442079460958"));
  EXPECT_FALSE(us.may_strip_international_prefix("9195550123"));
  EXPECT_EQ(us.national_prefix_length("19195550123"), 1u);
  EXPECT_EQ(us.national_prefix_length("9195550123"), std::nullopt);
  EXPECT_EQ(us.claims_by_leading_digits("9195550123"), std::nullopt);  // US has none

  const RegionRules& jm = *rules().region("JM");
  EXPECT_EQ(jm.claims_by_leading_digits("8769271234"), true);
  EXPECT_EQ(jm.claims_by_leading_digits("9195550123"), false);

  const RegionRules& gb = *rules().region("GB");
  EXPECT_EQ(gb.national_prefix_length("02079460958"), 1u);
  EXPECT_FALSE(gb.national_prefix_has_transform());
  EXPECT_TRUE(rules().region("AG")->national_prefix_has_transform());  // "1|([457]\d{6})$" -> "268$1"
}

// The first-character shortcut in front of the IDD, national-prefix and
// leading-digits patterns keeps their answers (the differential tests and
// bench_e164 compare every answer with libphonenumber's).
TEST_F(PhoneMetadataRules, FirstCharacterShortcutKeepsThePatternsAnswers) {
  const RegionRules* us = rules().region("US");
  ASSERT_NE(us, nullptr);
  EXPECT_TRUE(us->may_strip_international_prefix("0114420794609"));
  EXPECT_FALSE(us->may_strip_international_prefix("9195550123"));
  EXPECT_EQ(us->national_prefix_length("19195550123"), std::optional<std::size_t>(1));
  EXPECT_EQ(us->national_prefix_length("9195550123"), std::nullopt);
  const RegionRules* gb = rules().region("GB");
  ASSERT_NE(gb, nullptr);
  EXPECT_TRUE(gb->may_strip_international_prefix("0019195550123"));
  EXPECT_EQ(gb->national_prefix_length("02079460958"), std::optional<std::size_t>(1));
  EXPECT_EQ(gb->national_prefix_length("2079460958"), std::nullopt);
  const RegionRules* ag = rules().region("AG");  // leading digits 268
  ASSERT_NE(ag, nullptr);
  EXPECT_EQ(ag->claims_by_leading_digits("2684601234"), std::optional<bool>(true));
  EXPECT_EQ(ag->claims_by_leading_digits("9195550123"), std::optional<bool>(false));
}

}  // namespace
}  // namespace pgdialer::phone_fast
