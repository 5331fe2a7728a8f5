// to_e164's fast path must agree with the plain libphonenumber path
// (to_e164_reference) on every input it answers. 200,000 pseudo-random inputs from a fixed
// seed, in the shapes contact data really has and in the shapes that sit on
// the fast path's boundaries: formatted and bare NANP numbers, "+1" and "1"
// prefixes, extensions, letters, numbers of many countries in local,
// international, IDD and country-code-without-plus forms, and garbage.
#include "phone.hpp"
#include "phone_fast_e164.hpp"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pgdialer {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

class InputGenerator {
 public:
  struct Input {
    std::string raw;
    std::string region;
  };

  explicit InputGenerator(std::uint64_t seed) : rng_(seed) { load_examples(); }

  Input next() {
    switch (below(12)) {
      case 0:
      case 1:
      case 2: return {nanp_formatted(), nanp_default_region()};
      case 3: return {nanp_loose(), nanp_default_region()};
      case 4: return {with_extension(nanp_formatted()), nanp_default_region()};
      case 5: return {with_letters(nanp_formatted()), nanp_default_region()};
      case 6:
      case 7: return foreign_number();
      case 8: return {foreign_digits_only(), nanp_default_region()};
      case 9: return {random_digits(), any_default_region()};
      case 10: return {garbage(), nanp_default_region()};
      default: return {padded(nanp_formatted()), any_default_region()};
    }
  }

 private:
  // ---- randomness (std::mt19937_64's sequence is fixed by the standard) ----
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  char digit() { return static_cast<char>('0' + below(10)); }
  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  std::string digits(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += digit();
    return s;
  }

  // ---- default regions: the NANP ones the daemon uses, upper or lower case ----
  std::string nanp_default_region() {
    static const char* const regions[] = {"US", "US", "CA", "GB", "JM", "us", "Ca", "BB"};
    return pick(regions);
  }
  std::string any_default_region() {
    static const char* const regions[] = {"US", "CA", "GB", "JM", "DE", "FR", "AU", "IN", "BR", "MX", "JP"};
    return pick(regions);
  }

  // ---- North American numbers ----
  std::string area_code() {
    // Real US, Canadian and Caribbean area codes, plus invalid ones.
    static const char* const codes[] = {"919", "212", "415", "202", "312", "713", "305", "617", "206", "512",
                                        "416", "604", "514", "403", "876", "246", "787", "441", "800", "888",
                                        "900", "555", "123", "011", "911", "684", "671", "340", "242", "868"};
    return one_in(6) ? digits(3) : pick(codes);
  }

  std::string nanp_formatted() {
    const std::string a = area_code();
    const std::string e =
        one_in(5) ? digits(3) : std::string(1, static_cast<char>('2' + below(8))) + digits(2);
    const std::string l = digits(one_in(40) ? 3 + below(3) : 4);  // sometimes a wrong length
    static const char* const prefixes[] = {"", "", "", "+1 ", "+1-", "+1", "1-", "1 ", "1", "+1 (", "+ 1 "};
    const std::string prefix = pick(prefixes);
    switch (below(8)) {
      case 0: return prefix + "(" + a + ") " + e + "-" + l;
      case 1: return prefix + a + "-" + e + "-" + l;
      case 2: return prefix + a + "." + e + "." + l;
      case 3: return prefix + a + e + l;
      case 4: return prefix + a + " " + e + " " + l;
      case 5: return prefix + "(" + a + ")" + e + "-" + l;
      case 6: return prefix + a + ") " + e + " - " + l;
      default: return prefix + a + e + "-" + l;
    }
  }

  // Digits 7..13 long with random separators: wrong lengths, stray 0/1 prefixes.
  std::string nanp_loose() {
    static const char* const separators[] = {" ", "-", ".", "(", ")", "--", " . "};
    std::string s = one_in(3) ? "+" : "";
    const std::size_t n = 7 + below(7);
    for (std::size_t i = 0; i < n; ++i) {
      s += digit();
      if (one_in(4)) s += pick(separators);
    }
    return s;
  }

  std::string with_extension(const std::string& number) {
    static const char* const extensions[] = {" ext. ", " x", " x ", "#",     " #",
                                             ";ext=",  ",,", ", ",  " ext ", " - "};
    std::string s = number + pick(extensions) + digits(1 + below(5));
    if (one_in(3)) s += "#";
    return s;
  }

  std::string with_letters(const std::string& number) {
    std::string s = number;
    const std::size_t n = 1 + below(4);
    for (std::size_t i = 0; i < n && !s.empty(); ++i) {
      s[below(s.size())] = static_cast<char>((one_in(2) ? 'A' : 'a') + below(26));
    }
    return s;
  }

  std::string padded(const std::string& number) {
    static const char* const pads[] = {" ", "  ", "\t", "\n", "(", ")", " (", "\r\n", ".", "-", "+"};
    return std::string(pick(pads)) + number + pick(pads);
  }

  // ---- other countries, from libphonenumber's example numbers ----
  void load_examples() {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    static const char* const regions[] = {"GB", "DE", "FR", "AU", "IN", "BR", "MX", "JP", "IT", "ES",
                                          "NL", "IE", "ZA", "CN", "RU", "AR", "KR", "SE", "CH", "NZ",
                                          "SG", "AE", "NG", "PH", "PL", "GG", "KZ", "VA", "AS", "BS"};
    for (const char* region : regions) {
      for (const auto type :
           {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE, PhoneNumberUtil::TOLL_FREE}) {
        PhoneNumber number;
        if (util.GetExampleNumberForType(region, type, &number)) examples_.push_back({region, number});
      }
    }
  }

  // An example number with its last digits changed (mostly still valid), in
  // one of libphonenumber's own formats or a variant of one.
  Input foreign_number() {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    const auto& [region, example] = pick(examples_);
    PhoneNumber number = example;
    std::string nsn = std::to_string(number.national_number());
    for (std::size_t i = nsn.size() - std::min<std::size_t>(nsn.size(), 4); i < nsn.size(); ++i) {
      if (one_in(2)) nsn[i] = digit();
    }
    if (one_in(30)) nsn += digit();
    number.set_national_number(std::stoull(nsn));

    std::string formatted;
    switch (below(6)) {
      case 0: util.Format(number, PhoneNumberUtil::NATIONAL, &formatted); return {formatted, region};
      case 1:
        util.Format(number, PhoneNumberUtil::INTERNATIONAL, &formatted);
        return {formatted, nanp_default_region()};
      case 2:
        util.Format(number, PhoneNumberUtil::E164, &formatted);
        return {formatted, any_default_region()};
      case 3: util.Format(number, PhoneNumberUtil::RFC3966, &formatted); return {formatted, region};
      case 4: {  // with an IDD prefix instead of "+"
        static const char* const idds[] = {"00 ", "011 ", "0011 ", "010 ", "00"};
        util.Format(number, PhoneNumberUtil::INTERNATIONAL, &formatted);
        return {pick(idds) + formatted.substr(1), one_in(2) ? region : any_default_region()};
      }
      default: {  // national format with separators rewritten
        util.Format(number, PhoneNumberUtil::NATIONAL, &formatted);
        for (char& c : formatted) {
          if (c == ' ') c = one_in(2) ? '-' : '.';
        }
        return {formatted, region};
      }
    }
  }

  // A foreign number as bare digits, with the country code but no plus.
  std::string foreign_digits_only() {
    const auto& [region, number] = pick(examples_);
    return std::to_string(number.country_code()) + std::to_string(number.national_number());
  }

  std::string random_digits() {
    std::string s = one_in(2) ? "+" : "";
    if (one_in(4)) s += "0";
    return s + digits(2 + below(17));
  }

  std::string garbage() {
    static const char* const words[] = {"",
                                        " ",
                                        "n/a",
                                        "none",
                                        "call me",
                                        "unknown",
                                        "TBD",
                                        "-",
                                        "()",
                                        "+",
                                        "++1 919 555 0123",
                                        "tel:",
                                        "999",
                                        "\xEF\xBC\x8B"
                                        "1 919 555 0123",  // full-width plus
                                        "919\xC2\xA0"
                                        "555\xC2\xA0"
                                        "0123"};  // no-break spaces
    if (one_in(2)) return pick(words);
    static const char alphabet[] = "0123456789 +-().xX#;,/abcdefghijklmnopqrstuvwxyz";
    std::string s;
    const std::size_t n = below(20);
    for (std::size_t i = 0; i < n; ++i) s += alphabet[below(sizeof alphabet - 1)];
    return s;
  }

  std::mt19937_64 rng_;
  std::vector<std::pair<std::string, PhoneNumber>> examples_;
};

// The fast path is called directly so the test can tell its answers apart:
// to_e164 is "fast answer, else libphonenumber", so comparing only to_e164
// would pass trivially if the fast path stopped answering. Every eighth input
// also goes through the public to_e164 end to end.
TEST(PhoneE164Differential, FastPathMatchesLibphonenumber) {
  constexpr int kInputs = 200000;
  InputGenerator generator(20240611);
  int mismatches = 0;
  int answered = 0;
  int answered_invalid = 0;
  int valid = 0;
  auto report = [&](const InputGenerator::Input& input, const char* path,
                    const std::optional<std::string>& got, const std::optional<std::string>& expected) {
    if (++mismatches <= 20) {
      ADD_FAILURE() << '"' << input.raw << "\" in " << input.region << ": " << path << '='
                    << got.value_or("null") << " libphonenumber=" << expected.value_or("null");
    }
  };
  for (int i = 0; i < kInputs; ++i) {
    const InputGenerator::Input input = generator.next();
    const std::optional<std::string> reference = to_e164_reference(input.raw, input.region);
    if (reference) ++valid;
    const phone_fast::Answer fast = phone_fast::answer(input.raw, canonical_region(input.region));
    if (fast.kind == phone_fast::Answer::Kind::valid) {
      ++answered;
      if (fast.e164 != reference) report(input, "fast path", fast.e164, reference);
    } else if (fast.kind == phone_fast::Answer::Kind::invalid) {
      ++answered_invalid;
      if (reference) report(input, "fast path", std::nullopt, reference);
    }
    if (i % 8 == 0) {
      const std::optional<std::string> full = to_e164(input.raw, input.region);
      if (full != reference) report(input, "to_e164", full, reference);
    }
  }
  EXPECT_EQ(mismatches, 0);
  // The mix must exercise both outcomes and the fast path must really answer,
  // or the comparison proves little.
  EXPECT_GT(valid, kInputs / 3);
  EXPECT_LT(valid, kInputs * 9 / 10);
  EXPECT_GT(answered, valid / 2);
  EXPECT_GT(answered_invalid, 0);
}

}  // namespace
}  // namespace pgdialer
