// First step of to_e164's fast path: recognise the plain ways numbers are
// written -- ASCII digits separated by spaces, dashes, dots and parentheses,
// optionally led by one plus sign ("(919) 555-0123", "+44 20 7946 0958",
// "030 901820") -- without regular expressions.
//
// The scanner is deliberately narrow: it accepts only strings for which
// libphonenumber's text handling (ExtractPossibleNumber, IsViablePhoneNumber,
// MaybeStripExtension, Normalize) provably reduces to "the digits, and whether
// a plus sign came first". Letters, extensions, "tel:" URIs, other punctuation
// and non-ASCII text are left to libphonenumber.
#pragma once
#include "pg_free.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace pgdialer::phone_fast {

struct ScannedNumber {
  // Room for a 3-digit country code and a 17-digit national number; longer
  // inputs are never valid and are left to libphonenumber.
  static constexpr std::size_t kMaxDigits = 20;

  bool plus = false;                    // the number started with "+"
  std::array<char, kMaxDigits> buffer;  // the first `count` are set
  std::size_t count = 0;

  std::string_view digits() const { return {buffer.data(), count}; }
};

// The digits of `raw`, or nullopt when `raw` is not one of the plain shapes.
// Says nothing about validity.
std::optional<ScannedNumber> scan(std::string_view raw);

// The same into `scanned` (false: not a plain shape; `scanned` then holds
// nothing useful).
bool scan_into(std::string_view raw, ScannedNumber* scanned);

}  // namespace pgdialer::phone_fast
