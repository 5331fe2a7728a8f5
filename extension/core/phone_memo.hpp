// A bounded memo of to_e164 answers, for the per-row rules.
//
// A contacts table without a stored phone_e164 for some rows (numbers that
// did not normalize, or a table with no such column) parses those rows'
// phones on every call. Plain digit shapes, valid or not, are answered by the
// fast path for less than a lookup would cost; what it cannot answer ("n/a",
// "TBD", numbers with letters or unusual prefixes) goes to libphonenumber,
// whose failed parse is its slowest answer (microseconds), and real lists
// repeat such values a lot. So the glue keeps one memo per call site of the
// libphonenumber answers: the answer for a raw string depends only on that
// string, the default region and libphonenumber, never on table data, so it
// may live across rows and statements. The region is part of the key (a
// changed setting starts afresh). Bounded: at most kMaxEntries answers for
// inputs up to kMaxKeyLength bytes; beyond that numbers are parsed as before.
#pragma once
#include "pg_free.hpp"

#include "phone_fast_e164.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pgdialer {

class PhoneMemo {
 public:
  static constexpr std::size_t kMaxEntries = 4096;
  static constexpr std::size_t kMaxKeyLength = 64;

  // Exactly to_e164(raw, region), remembered.
  std::optional<std::string> to_e164(std::string_view raw, std::string_view region);

  // The same answer without building a string: true when the number
  // normalizes, with the E.164 number in `out`. No allocation for the plain
  // shapes the fast path answers, nor for a remembered answer.
  bool normalize(std::string_view raw, std::string_view region, phone_fast::E164Buffer* out);

  // Does the number normalize? (is_dialable's question.)
  bool normalizes(std::string_view raw, std::string_view region) {
    phone_fast::E164Buffer unused;
    return normalize(raw, region, &unused);
  }

  std::size_t size() const { return answers_.size(); }

 private:
  std::string region_;  // as given
  std::string code_;    // canonical ("US"), checked once per region
  std::unordered_map<std::string, std::optional<std::string>> answers_;
};

}  // namespace pgdialer
