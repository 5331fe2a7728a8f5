// Phone numbers through the public API (phone.hpp): E.164 normalisation of
// real-world formats, rejection of invalid input, region handling, phone_info.
// Expected values are what libphonenumber 8.12 says, written out literally.
#include "phone.hpp"

#include "errors.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pgdialer {
namespace {

struct Case {
  const char* raw;
  const char* region;
  const char* e164;  // nullptr: not a valid number
};

void expect_e164(const Case& c) {
  const std::optional<std::string> expected = c.e164 ? std::optional<std::string>(c.e164) : std::nullopt;
  EXPECT_EQ(to_e164(c.raw, c.region), expected) << '"' << c.raw << "\" in " << c.region;
  EXPECT_EQ(to_e164_reference(c.raw, c.region), expected) << '"' << c.raw << "\" in " << c.region;
}

TEST(PhoneE164, NorthAmericanFormats) {
  const Case cases[] = {
      {"(919) 555-0123", "US", "+19195550123"},    {"919-555-0123", "US", "+19195550123"},
      {"919.555.0123", "US", "+19195550123"},      {"9195550123", "US", "+19195550123"},
      {"1-919-555-0123", "US", "+19195550123"},    {"19195550123", "US", "+19195550123"},
      {"+19195550123", "US", "+19195550123"},      {"+1 (919) 555-0123", "US", "+19195550123"},
      {"  (919)555-0123  ", "US", "+19195550123"}, {"(202) 456-1111", "US", "+12024561111"},
      {"212 736 5000", "US", "+12127365000"},      {"+1 (650) 253-0000", "US", "+16502530000"},
      {"+1 800 555 0199", "US", "+18005550199"},  // toll-free
      {"(416) 555-0199", "CA", "+14165550199"},    {"604-555-0143", "CA", "+16045550143"},
      {"(514) 555 0170", "US", "+15145550170"},  // Canadian number, US default
      {"876-927-1234", "JM", "+18769271234"},      {"1 (876) 927-1234", "US", "+18769271234"},
      {"246 234 5678", "BB", "+12462345678"},      {"(787) 555-1234", "PR", "+17875551234"},
      {"+1 919 555 0123", "GB", "+19195550123"},  // +1 with a non-NANP default
  };
  for (const Case& c : cases) expect_e164(c);
}

TEST(PhoneE164, InternationalFormats) {
  const Case cases[] = {
      {"020 7946 0958", "GB", "+442079460958"},       {"+44 20 7946 0958", "US", "+442079460958"},
      {"+44 (0)20 7946 0958", "US", "+442079460958"}, {"0044 20 7946 0958", "GB", "+442079460958"},
      {"011 44 20 7946 0958", "US", "+442079460958"}, {"(0161) 496 0000", "GB", "+441614960000"},
      {"07911 123456", "GB", "+447911123456"},        {"030 901820", "DE", "+4930901820"},
      {"+49 30 901820", "US", "+4930901820"},         {"0151 23456789", "DE", "+4915123456789"},
      {"+49 (0)89 1234567", "US", "+49891234567"},    {"01 23 45 67 89", "FR", "+33123456789"},
      {"06 12 34 56 78", "FR", "+33612345678"},       {"+33 1 42 68 53 00", "US", "+33142685300"},
      {"(02) 9374 4000", "AU", "+61293744000"},       {"0412 345 678", "AU", "+61412345678"},
      {"+61 2 9374 4000", "US", "+61293744000"},      {"098765 43210", "IN", "+919876543210"},
      {"+91 98765 43210", "US", "+919876543210"},     {"022 2345 6789", "IN", "+912223456789"},
      {"(11) 96123-4567", "BR", "+5511961234567"},    {"+55 11 96123-4567", "US", "+5511961234567"},
      {"55 1234 5678", "MX", "+525512345678"},        {"+52 1 55 1234 5678", "US", "+525512345678"},
      {"03-1234-5678", "JP", "+81312345678"},         {"090-1234-5678", "JP", "+819012345678"},
      {"+81 3-1234-5678", "US", "+81312345678"},      {"+34 912 34 56 78", "US", "+34912345678"},
      {"06 6982 1234", "IT", "+390669821234"},  // Italian leading zero kept
      {"+39 06 6982 1234", "US", "+390669821234"},    {"+31 20 123 4567", "US", "+31201234567"},
      {"+353 1 234 5678", "US", "+35312345678"},      {"+7 495 123-45-67", "US", "+74951234567"},
  };
  for (const Case& c : cases) expect_e164(c);
}

// Shapes the fast path leaves to libphonenumber, which still normalises them.
TEST(PhoneE164, ExtensionsLettersAndUrisAreNormalised) {
  const Case cases[] = {
      {"919-555-0123 ext. 45", "US", "+19195550123"},
      {"919-555-0123 x45", "US", "+19195550123"},
      {"212-736-5000;ext=12", "US", "+12127365000"},
      {"1-800-FLOWERS", "US", "+18003569377"},
      {"tel:+1-919-555-0123", "US", "+19195550123"},
      {"212/736-5000", "US", "+12127365000"},
      {"\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x95"
       "\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93",  // full-width digits
       "US", "+19195550123"},
  };
  for (const Case& c : cases) expect_e164(c);
}

TEST(PhoneE164, InvalidNumbersAreNull) {
  const Case cases[] = {
      {"123-456-7890", "US", nullptr},  // area codes never start with 1
      {"(000) 000-0000", "US", nullptr},
      {"+1 555 555 5555", "US", nullptr},  // 555 is not an area code
      {"911", "US", nullptr},
      {"555-0123", "US", nullptr},       // seven digits: no area code
      {"919-555-012", "US", nullptr},    // nine digits
      {"919-555-01234", "US", nullptr},  // eleven digits, no leading 1
      {"+1 919 555 01234", "US", nullptr},
      {"020 7946", "GB", nullptr},
      {"+44 12", "US", nullptr},
      {"+999 1234 5678", "US", nullptr},    // no such country code
      {"+1\t212 736 5000", "US", nullptr},  // a tab is not phone punctuation
      {"\xFF\xFE", "US", nullptr},          // not UTF-8
  };
  for (const Case& c : cases) expect_e164(c);
}

TEST(PhoneE164, EmptyBlankAndGarbageAreNull) {
  for (const char* raw : {"", " ", "   \t ", "n/a", "call me", "+", "()", "---", "TBD", "x"}) {
    EXPECT_EQ(to_e164(raw, "US"), std::nullopt) << '"' << raw << '"';
  }
}

TEST(PhoneRegion, UnknownRegionThrowsInvalidParameterValue) {
  for (const char* region : {"XX", "", "USA", "U", "001", "ZZ", "U1"}) {
    try {
      to_e164("919-555-0123", region);
      ADD_FAILURE() << "no error for region \"" << region << '"';
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "22023");
      EXPECT_EQ(std::string(e.what()), std::string("unknown region code \"") + region + '"');
      EXPECT_NE(e.hint().find("ISO 3166-1 alpha-2"), std::string::npos) << e.hint();
    }
    EXPECT_THROW(to_e164_reference("919-555-0123", region), Error);
    EXPECT_THROW(phone_info("919-555-0123", region), Error);
    EXPECT_THROW(canonical_region(region), Error);
    EXPECT_FALSE(is_known_region(region));
  }
}

TEST(PhoneRegion, RegionCodesAreCaseInsensitive) {
  EXPECT_EQ(to_e164("919-555-0123", "us"), "+19195550123");
  EXPECT_EQ(to_e164("919-555-0123", "uS"), "+19195550123");
  EXPECT_EQ(to_e164("020 7946 0958", "gb"), "+442079460958");
  EXPECT_EQ(to_e164_reference("020 7946 0958", "Gb"), "+442079460958");
  EXPECT_EQ(canonical_region("jm"), "JM");
  EXPECT_TRUE(is_known_region("ca"));
  EXPECT_TRUE(is_known_region("DE"));
}

TEST(PhoneInfo, UsNumber) {
  const std::optional<PhoneInfo> info = phone_info("+1 919-555-0123", "US");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->e164, "+19195550123");
  EXPECT_TRUE(info->valid);
  EXPECT_TRUE(info->possible);
  EXPECT_EQ(info->number_type, "FIXED_LINE_OR_MOBILE");
  EXPECT_EQ(info->region_code, "US");
  EXPECT_EQ(info->national_format, "(919) 555-0123");
  EXPECT_EQ(info->international_format, "+1 919-555-0123");
  EXPECT_EQ(info->location, "North Carolina");
}

TEST(PhoneInfo, NumberTypesAndPlaces) {
  const std::optional<PhoneInfo> toll_free = phone_info("1-800-555-0199", "us");
  ASSERT_TRUE(toll_free);
  EXPECT_EQ(toll_free->number_type, "TOLL_FREE");

  const std::optional<PhoneInfo> premium = phone_info("+1 900 555 0123", "US");
  ASSERT_TRUE(premium);
  EXPECT_EQ(premium->number_type, "PREMIUM_RATE");

  const std::optional<PhoneInfo> london = phone_info("020 7946 0958", "GB");
  ASSERT_TRUE(london);
  EXPECT_EQ(london->number_type, "FIXED_LINE");
  EXPECT_EQ(london->region_code, "GB");
  EXPECT_EQ(london->national_format, "020 7946 0958");
  EXPECT_EQ(london->international_format, "+44 20 7946 0958");
  EXPECT_EQ(london->location, "London");

  const std::optional<PhoneInfo> mobile = phone_info("+61 412 345 678", "US");
  ASSERT_TRUE(mobile);
  EXPECT_EQ(mobile->number_type, "MOBILE");
  EXPECT_EQ(mobile->region_code, "AU");
  EXPECT_EQ(mobile->national_format, "0412 345 678");

  const std::optional<PhoneInfo> jamaica = phone_info("876-927-1234", "JM");
  ASSERT_TRUE(jamaica);
  EXPECT_EQ(jamaica->region_code, "JM");
  EXPECT_EQ(jamaica->location, "Jamaica");
}

TEST(PhoneInfo, ParseableButInvalid) {
  const std::optional<PhoneInfo> info = phone_info("+1 123 456 7890", "US");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->valid);
  EXPECT_TRUE(info->possible);  // ten digits is a possible NANP length
  EXPECT_EQ(info->e164, std::nullopt);
  EXPECT_EQ(info->number_type, "UNKNOWN");
  EXPECT_EQ(info->region_code, std::nullopt);  // libphonenumber says "ZZ"
  EXPECT_EQ(info->location, std::nullopt);
  EXPECT_EQ(info->international_format, "+1 1234567890");
}

TEST(PhoneInfo, UnparseableIsNull) {
  EXPECT_EQ(phone_info("", "US"), std::nullopt);
  EXPECT_EQ(phone_info("garbage", "US"), std::nullopt);
  EXPECT_EQ(phone_info("+999 1234 5678", "US"), std::nullopt);
}

// The daemon calls the core from several threads; first use builds shared
// state (RE2 programs, the geocoder), which must be safe to race on.
TEST(PhoneConcurrency, ThreadsAgreeWithSerialResults) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"(919) 555-0123", "US"}, {"+44 20 7946 0958", "US"}, {"030 901820", "DE"},
      {"876-927-1234", "JM"},   {"+81 3-1234-5678", "CA"},  {"123-456-7890", "US"},
      {"+352 26 12 34", "US"},  {"0412 345 678", "AU"},     {"garbage", "GB"},
  };
  std::vector<std::optional<std::string>> expected;
  for (const auto& [raw, region] : inputs) expected.push_back(to_e164_reference(raw, region));

  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          const std::size_t k = (i + t) % inputs.size();  // threads start on different countries
          if (to_e164(inputs[k].first, inputs[k].second) != expected[k]) ++mismatches[t];
        }
        if (round % 50 == 0 && !phone_info(inputs[t].first, inputs[t].second)) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace pgdialer

// libphonenumber would still find the number in 3,000 characters of junk, but
// only after ~100 ms of regex work; past kMaxPhoneInputLength it is not parsed.
TEST(PhoneInputLength, OverlongInputIsNotANumber) {
  std::string near_limit(pgdialer::kMaxPhoneInputLength - 13, 'a');
  near_limit += " 919-555-0123";
  ASSERT_EQ(near_limit.size(), pgdialer::kMaxPhoneInputLength);
  EXPECT_EQ(pgdialer::to_e164(near_limit, "US").value_or("NULL"), "+19195550123");
  std::string over = "a" + near_limit;
  EXPECT_EQ(pgdialer::to_e164_reference(over, "US").value_or("NULL"), "+19195550123");
  EXPECT_FALSE(pgdialer::to_e164(over, "US").has_value());
  EXPECT_FALSE(pgdialer::phone_info(over, "US").has_value());
  EXPECT_THROW(pgdialer::to_e164(over, "XX"), pgdialer::Error);  // region is still checked
}
