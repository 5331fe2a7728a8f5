#include "phone_fast_e164.hpp"

#include "phone_digit_dfa.hpp"
#include "phone_metadata_rules.hpp"
#include "phone_scan.hpp"

namespace pgdialer::phone_fast {
namespace {

constexpr std::size_t kMaxCountryCodeLength = 3;

// What Parse would put in the PhoneNumber: the country calling code and the
// national significant number (a suffix of the scanned digits, since the only
// rewriting re-enacted here is removing a prefix).
struct Parsed {
  int country_code = 0;
  std::string_view national;
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// MaybeStripNationalPrefixAndCarrierCode: the number with the region's
// national prefix removed (or unchanged); nullopt when a transform rule could
// apply, which is not re-enacted.
std::optional<std::string_view> strip_national_prefix(const RegionRules& region, std::string_view number) {
  if (number.empty() || !region.has_national_prefix()) return number;
  const std::optional<std::size_t> prefix = region.national_prefix_length(number);
  if (!prefix) return number;
  if (region.national_prefix_has_transform()) return std::nullopt;
  const std::string_view stripped = number.substr(*prefix);
  // Keep the original when stripping would spoil a number that matched.
  if (region.general_matches(number) && !region.general_matches(stripped)) return number;
  return stripped;
}

// The tail of ParseHelper once the country is known: strip the national
// prefix if what remains is still long enough, then the length limits.
std::optional<Parsed> finish(const RegionRules& country, std::string_view national) {
  if (national.size() < kMinNationalLength) return std::nullopt;
  const std::optional<std::string_view> stripped = strip_national_prefix(country, national);
  if (!stripped) return std::nullopt;
  const LengthCheck check = country.test_length(stripped->size());
  if (check != LengthCheck::too_short && check != LengthCheck::possible_local_only &&
      check != LengthCheck::invalid_length) {
    national = *stripped;
  }
  if (national.size() < kMinNationalLength || national.size() > kMaxNationalLength) {
    return std::nullopt;
  }
  return Parsed{country.country_code(), national};
}

// The metadata ParseHelper uses once the number has given its own country
// code: the main region of that code. Non-geographic codes are not compiled.
std::optional<Parsed> finish_with_country_code(const MetadataRules& rules, int country_code,
                                               std::string_view national) {
  const CountryRules* country = rules.country(country_code);
  if (!country) return std::nullopt;
  return finish(country->main(), national);
}

// "+..." : MaybeExtractCountryCode after a plus sign (ExtractCountryCode:
// the shortest prefix of up to three digits that is a known calling code).
std::optional<Parsed> parse_international(const MetadataRules& rules, std::string_view digits) {
  // TOO_SHORT_AFTER_IDD, and calling codes never start with 0.
  if (digits.size() <= kMinNationalLength || digits[0] == '0') return std::nullopt;
  int code = 0;
  for (std::size_t length = 1; length <= kMaxCountryCodeLength; ++length) {
    code = code * 10 + (digits[length - 1] - '0');
    if (rules.is_country_code(code)) {
      return finish_with_country_code(rules, code, digits.substr(length));
    }
  }
  return std::nullopt;  // INVALID_COUNTRY_CODE_ERROR
}

// No plus sign: MaybeExtractCountryCode with the default region's metadata.
std::optional<Parsed> parse_national(const MetadataRules& rules, const RegionRules& home,
                                     std::string_view digits) {
  if (home.may_strip_international_prefix(digits)) return std::nullopt;  // IDD: not re-enacted

  // A number starting with the home calling code ("44 20 ...") is read as
  // international when it only makes sense that way.
  if (starts_with(digits, home.country_code_digits())) {
    const std::optional<std::string_view> rest =
        strip_national_prefix(home, digits.substr(home.country_code_digits().size()));
    if (!rest) return std::nullopt;
    if ((!home.general_matches(digits) && home.general_matches(*rest)) ||
        home.test_length(digits.size()) == LengthCheck::too_long) {
      return finish_with_country_code(rules, home.country_code(), *rest);
    }
  }
  return finish(home, digits);
}

// IsValidNumber: the region is the only one of the calling code, or else the
// first (in libphonenumber's order) that claims the number by its leading
// digits or, having none, gives it a known type; the number is valid iff its
// type in that region is known.
bool is_valid(const MetadataRules& rules, const Parsed& number) {
  const CountryRules* country = rules.country(number.country_code);
  if (!country) return false;
  if (country->regions.size() == 1) return country->main().has_known_type(number.national);
  // One match of the union of every region's types settles most invalid
  // numbers of a shared code without the walk below.
  if (!country->may_have_known_type(number.national)) return false;
  for (const auto& region : country->regions) {
    if (const std::optional<bool> claimed = region->claims_by_leading_digits(number.national)) {
      if (*claimed) return region->has_known_type(number.national);
    } else if (region->has_known_type(number.national)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Answer::Kind answer_into(std::string_view raw, std::string_view region, E164Buffer* out) {
  const MetadataRules* rules = MetadataRules::instance();
  if (!rules) return Answer::Kind::unsure;
  ScannedNumber scanned;
  if (!scan_into(raw, &scanned)) return Answer::Kind::unsure;

  std::optional<Parsed> parsed;
  if (scanned.plus) {
    parsed = parse_international(*rules, scanned.digits());
  } else if (const RegionRules* home = rules->region(region)) {
    parsed = parse_national(*rules, *home, scanned.digits());
  }
  if (!parsed) return Answer::Kind::unsure;
  // The parse succeeded exactly as libphonenumber's would, so its validity
  // check decides both ways; this spares libphonenumber's slowest case
  // (rejecting a number) for invalid numbers in plain shapes. A North
  // American number is one walk of the digit automaton.
  bool valid;
  const NanpDigitDfa* nanp = nullptr;
  if (parsed->country_code == 1 && parsed->national.size() == NanpDigitDfa::kDigits &&
      (nanp = NanpDigitDfa::instance()) != nullptr) {
    valid = nanp->valid(parsed->national);
  } else {
    valid = is_valid(*rules, *parsed);
  }
  if (!valid) return Answer::Kind::invalid;

  // "+", the calling code (1 to 3 digits), the national number (at most 17).
  char* p = out->data;
  *p++ = '+';
  const int code = parsed->country_code;
  if (code >= 100) *p++ = static_cast<char>('0' + code / 100);
  if (code >= 10) *p++ = static_cast<char>('0' + code / 10 % 10);
  *p++ = static_cast<char>('0' + code % 10);
  for (const char c : parsed->national) *p++ = c;
  out->size = static_cast<std::size_t>(p - out->data);
  return Answer::Kind::valid;
}

Answer answer(std::string_view raw, std::string_view region) {
  E164Buffer e164;
  const Answer::Kind kind = answer_into(raw, region, &e164);
  if (kind != Answer::Kind::valid) return Answer{kind, {}};
  return Answer{kind, std::string(e164.view())};
}

bool valid_by_rules(int country_code, std::string_view national) {
  const MetadataRules* rules = MetadataRules::instance();
  return rules && is_valid(*rules, Parsed{country_code, national});
}

std::optional<std::string> to_e164(std::string_view raw, std::string_view region) {
  Answer a = answer(raw, region);
  if (a.kind != Answer::Kind::valid) return std::nullopt;
  return std::move(a.e164);
}

}  // namespace pgdialer::phone_fast
