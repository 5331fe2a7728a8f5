// The rule dialer._contacts_with_number (extension/sql/12_call_outcomes.sql)
// relies on to find a do-not-call number's other contacts without parsing
// every row: in an ASCII text with fewer than three letters that parses to a
// number, the number's last four E.164 digits appear in order. Checked
// against plain libphonenumber (to_e164_reference) over every region's
// example numbers of every type, typed in each format people use
// (international, national with its national prefix, international prefix,
// country code without a plus, bare digits, odd punctuation, an extension),
// read with several default regions, plus the national-prefix rewrites known
// to move digits around.
#include "phone.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace pgdialer {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// What the SQL's cheap tests leave to LIKE: ASCII, fewer than three letters.
bool covered_by_the_rule(const std::string& raw) {
  int letters = 0;
  for (unsigned char c : raw) {
    if (c >= 0x80) return false;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
  }
  return letters < 3;
}

std::string last_digits(const std::string& text, std::size_t n) {
  std::string digits;
  for (char c : text)
    if (c >= '0' && c <= '9') digits += c;
  return digits.size() <= n ? digits : digits.substr(digits.size() - n);
}

// LIKE '%d%d%d%d%': the digits appear in `text` in this order.
bool appear_in_order(const std::string& digits, const std::string& text) {
  std::size_t at = 0;
  for (char d : digits) {
    at = text.find(d, at);
    if (at == std::string::npos) return false;
    ++at;
  }
  return true;
}

// Fails the test when the rule does not hold for `raw` read in `region`;
// returns whether it had an E.164 form (so the test knows it checked something).
bool check(const std::string& raw, const std::string& region) {
  const std::optional<std::string> e164 = to_e164_reference(raw, region);
  if (!e164 || !covered_by_the_rule(raw)) return false;
  EXPECT_TRUE(appear_in_order(last_digits(*e164, 4), raw))
      << "\"" << raw << "\" in " << region << " -> " << *e164;
  return true;
}

TEST(PhoneSuffixRule, TheLastFourDigitsAppearInOrderInWhatWasTyped) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::set<std::string> regions;
  util.GetSupportedRegions(&regions);
  const PhoneNumberUtil::PhoneNumberType types[] = {
      PhoneNumberUtil::FIXED_LINE,      PhoneNumberUtil::MOBILE,      PhoneNumberUtil::TOLL_FREE,
      PhoneNumberUtil::PREMIUM_RATE,    PhoneNumberUtil::SHARED_COST, PhoneNumberUtil::VOIP,
      PhoneNumberUtil::PERSONAL_NUMBER, PhoneNumberUtil::PAGER,       PhoneNumberUtil::UAN,
      PhoneNumberUtil::VOICEMAIL};
  std::mt19937 rng(20260220);
  const char punctuation[] = " ()+.-/";
  std::size_t checked = 0;
  for (const std::string& region : regions) {
    for (auto type : types) {
      PhoneNumber number;
      if (!util.GetExampleNumberForType(region, type, &number)) continue;
      const std::string cc = std::to_string(number.country_code());
      std::string nsn, international, national, e164;
      util.GetNationalSignificantNumber(number, &nsn);
      util.Format(number, PhoneNumberUtil::INTERNATIONAL, &international);
      util.Format(number, PhoneNumberUtil::NATIONAL, &national);
      util.Format(number, PhoneNumberUtil::E164, &e164);
      std::vector<std::string> typed = {international,           national, e164, "00" + cc + nsn,
                                        "011 " + cc + " " + nsn, cc + nsn, nsn};
      // The same digits with punctuation sprinkled in.
      std::string sprinkled;
      for (char c : national) {
        sprinkled += c;
        if (rng() % 3 == 0) sprinkled += punctuation[rng() % (sizeof punctuation - 1)];
      }
      typed.push_back(sprinkled);
      typed.push_back(national + " x12");
      typed.push_back(international + " #4");
      typed.push_back(national + ",,55");
      for (const std::string& raw : typed)
        for (const std::string& default_region : {region, std::string("US"), std::string("GB")})
          checked += check(raw, default_region);
    }
  }
  EXPECT_GT(checked, 5000u);
}

TEST(PhoneSuffixRule, HoldsForNationalPrefixRewrites) {
  // Argentina's mobile "15" after the area code becomes a 9 before it;
  // Mexico's old 044/045 mobile prefixes; Brazil's carrier codes.
  EXPECT_TRUE(check("011 15 2345-6789", "AR"));
  EXPECT_TRUE(check("(011) 15-2345-6789", "AR"));
  EXPECT_TRUE(check("0351 15 423-4567", "AR"));
  EXPECT_TRUE(check("+54 9 11 2345-6789", "AR"));
  check("044 55 1234 5678", "MX");
  check("045 33 1234 5678", "MX");
  check("0 21 11 98765-4321", "BR");
  check("0 15 11 98765 4321", "BR");
}

TEST(PhoneSuffixRule, VanityNumbersAndOtherScriptsAreLeftToTheFullParse) {
  // The SQL parses these rows whatever they hold: the rule does not cover them.
  EXPECT_FALSE(covered_by_the_rule("1-800-FLOWERS"));
  EXPECT_FALSE(covered_by_the_rule("\xEF\xBC\x93\xEF\xBC\x91\xEF\xBC\x92 555 0100"));  // fullwidth digits
  EXPECT_FALSE(appear_in_order(last_digits(*to_e164_reference("1-800-FLOWERS", "US"), 4), "1-800-FLOWERS"));
  EXPECT_TRUE(covered_by_the_rule("(312) 555-0100 x123"));
  EXPECT_TRUE(check("(919) 555-0199 x12", "US"));
  EXPECT_TRUE(check("919-555-0199 #4", "US"));
}

}  // namespace
}  // namespace pgdialer
