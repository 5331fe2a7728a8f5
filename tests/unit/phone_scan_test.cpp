// phone_scan: which raw strings the fast path may read as "plus sign + digits".
// Anything it accepts must be a string whose libphonenumber parse depends on
// nothing else; everything else must be refused (and so left to libphonenumber).
#include "phone_scan.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pgdialer::phone_fast {
namespace {

struct Scan {
  bool plus;
  std::string digits;
};

std::optional<Scan> scan_of(std::string_view raw) {
  const std::optional<ScannedNumber> scanned = scan(raw);
  if (!scanned) return std::nullopt;
  return Scan{scanned->plus, std::string(scanned->digits())};
}

TEST(PhoneScan, ReadsPlainFormats) {
  const struct {
    const char* raw;
    bool plus;
    const char* digits;
  } cases[] = {
      {"(919) 555-0123", false, "9195550123"},
      {"919.555.0123", false, "9195550123"},
      {"1-919-555-0123", false, "19195550123"},
      {"+1 (919) 555-0123", true, "19195550123"},
      {"+19195550123", true, "19195550123"},
      {"+ 1 919 555 0123", true, "19195550123"},
      {"  (919)555-0123\r\n", false, "9195550123"},
      {"(+44) 20 7946 0958", true, "442079460958"},
      {"020 7946 0958", false, "02079460958"},
      {"06.12.34.56.78", false, "0612345678"},
      {"123", false, "123"},
  };
  for (const auto& c : cases) {
    const std::optional<Scan> scanned = scan_of(c.raw);
    ASSERT_TRUE(scanned) << c.raw;
    EXPECT_EQ(scanned->plus, c.plus) << c.raw;
    EXPECT_EQ(scanned->digits, c.digits) << c.raw;
  }
}

TEST(PhoneScan, RefusesWhatLibphonenumberReadsDifferently) {
  for (const char* raw : {
           "",                  // nothing
           "12",                // too short to be viable
           "919-555-0123 x12",  // extension
           "919-555-0123 ext. 12", "919-555-0123#12", "919-555-0123;ext=12", "919-555-0123,,12",
           "919/555-0123",         // "/" may start a second number
           "1-800-FLOWERS",        // letters
           "tel:+1-919-555-0123",  // RFC 3966
           "919\t555\t0123",       // a tab inside is not punctuation
           "++1 919 555 0123",     // more than one plus
           "919+555",
           "919~555~0123",  // "~" is an extension label
           "919_555_0123",
           "919\xC2\xA0"
           "555\xC2\xA0"
           "0123",  // non-ASCII
           "\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x99",
           "123456789012345678901",  // more digits than any number has
       }) {
    EXPECT_EQ(scan(raw), std::nullopt) << '"' << raw << '"';
  }
  EXPECT_EQ(scan(std::string(100, ' ') + "9195550123"), std::nullopt);  // over-long input
}

TEST(PhoneScan, EmbeddedNulIsRefused) {
  const std::string raw(
      "919\0"
      "5550123",
      11);
  EXPECT_EQ(scan(raw), std::nullopt);
}

}  // namespace
}  // namespace pgdialer::phone_fast
