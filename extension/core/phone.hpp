// Phone numbers: normalization to E.164 and descriptive info, backed by
// libphonenumber. No PostgreSQL here (see pg_free.hpp).
#pragma once
#include "pg_free.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pgdialer {

// True when libphonenumber supports this ISO 3166-1 alpha-2 region code.
// Case-insensitive ("us" == "US").
bool is_known_region(std::string_view region);

// Upper-cased region code; throws pgdialer::Error (22023) when unknown.
std::string canonical_region(std::string_view region);

// Longer input is not a phone number. libphonenumber's C++ Parse has no length
// limit and its regexes take quadratic time on long strings (120 ms at 3,000
// characters, minutes at 100,000, with no way to cancel the query), so to_e164
// and phone_info answer "not a number" above this without parsing. Its Java
// port stops at 250; up to this length the answers are libphonenumber's own.
inline constexpr std::size_t kMaxPhoneInputLength = 1000;

// Exactly what libphonenumber's Parse + IsValidNumber + Format(E164) give:
// "+19195550123", or nullopt when the input is empty, cannot be parsed, or is
// not a valid number. `region` is the default region for numbers written
// without a country code. Throws pgdialer::Error (22023) for an unknown region.
//
// Hot path: numbers written as digits with spaces, dashes, dots, parentheses
// and an optional leading '+' are parsed by a hand-written replica of
// libphonenumber's steps and validated with RE2 programs compiled from its own
// metadata; anything else (and every number the fast path does not accept as
// valid) goes through libphonenumber itself, so the output is identical.
std::optional<std::string> to_e164(std::string_view raw, std::string_view region);

// The plain libphonenumber path (Parse + IsValidNumber + Format), no fast path.
// Used by tests and by the benchmark as its baseline.
std::optional<std::string> to_e164_reference(std::string_view raw, std::string_view region);

struct PhoneInfo {
  std::optional<std::string> e164;                  // set only when valid
  bool valid = false;                               // IsValidNumber
  bool possible = false;                            // IsPossibleNumber
  std::string number_type;                          // "FIXED_LINE_OR_MOBILE", "MOBILE", ..., "UNKNOWN"
  std::optional<std::string> region_code;           // GetRegionCodeForNumber; nullopt for "ZZ"
  std::optional<std::string> national_format;       // Format(NATIONAL)
  std::optional<std::string> international_format;  // Format(INTERNATIONAL)
  std::optional<std::string> location;              // offline geocoder, English ("North Carolina")
};

// Descriptive info; nullopt when the input is empty or cannot be parsed.
// Throws pgdialer::Error (22023) for an unknown region.
std::optional<PhoneInfo> phone_info(std::string_view raw, std::string_view region);

}  // namespace pgdialer
