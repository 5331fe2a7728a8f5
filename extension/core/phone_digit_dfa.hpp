// IsValidNumber for North American numbers as one table walk over the ten
// national digits.
//
// The fast path (phone_fast_e164.cpp) decides the validity of a +1 number by
// asking RE2 up to a few dozen patterns: the union of every +1 region's types,
// then region by region (US first) its leading digits, general pattern and
// type patterns. Those answers depend on nothing but the ten digits, so they
// are computed once here, from the very same patterns of libphonenumber's own
// metadata (MetadataRules), into one deterministic automaton over the digits:
// each pattern becomes a decision diagram over the ten positions, and the
// region walk of is_valid is composed from them with boolean operations. The
// result is a table of states with ten successors each; a number is answered
// with at most ten lookups, no regex and no allocation.
//
// A pattern using syntax this small parser does not know (it reads digits,
// \d, classes, groups, alternation and the usual quantifiers, all that the +1
// metadata uses) leaves the automaton unavailable, and the callers keep the
// RE2 path. Differential tests hold it to the RE2 path and to libphonenumber.
#pragma once
#include "pg_free.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgdialer::phone_fast {

class NanpDigitDfa {
 public:
  static constexpr std::size_t kDigits = 10;

  // The process-wide automaton for +1, built on first use from
  // MetadataRules; nullptr when the metadata or one of its patterns could not
  // be compiled (then the RE2 path answers).
  static const NanpDigitDfa* instance();

  // Built from the +1 regions' patterns, in libphonenumber's region order
  // (the main region first). Each region: the general pattern (full match),
  // the union of its type patterns admitting ten digits (full match; empty:
  // none), its leading digits (prefix match; nullopt: none), and whether its
  // general lengths admit ten digits. nullopt when a pattern does not parse.
  struct RegionPatterns {
    std::string general;
    std::string any_type;
    std::optional<std::string> leading_digits;
    bool admits_ten = false;
  };
  static std::optional<NanpDigitDfa> build(const std::vector<RegionPatterns>& regions);

  // Is the national significant number `digits` (exactly ten ASCII digits)
  // a valid +1 number, as IsValidNumber says? Any other input: false.
  bool valid(std::string_view digits) const noexcept {
    if (digits.size() != kDigits) return false;
    std::int32_t state = root_;
    for (const char c : digits) {
      const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
      if (d > 9) return false;
      if (state >= 0) state = next_[static_cast<std::size_t>(state) * 10 + d];
    }
    return state == kTrue;
  }

  std::size_t state_count() const { return next_.size() / 10; }

 private:
  static constexpr std::int32_t kFalse = -1, kTrue = -2;  // constant over the remaining digits

  std::int32_t root_ = kFalse;
  std::vector<std::int32_t> next_;  // state * 10 + digit -> state, kFalse or kTrue
};

}  // namespace pgdialer::phone_fast
