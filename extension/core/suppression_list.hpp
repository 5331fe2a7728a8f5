// The number-level suppression list (dialer.suppressions) as the rules see it:
// a set of E.164 numbers, each with the source that listed it.
//
// The glue loads it once per statement and the rules look every contact's
// number up in it, so a lookup must cost next to nothing: numbers in canonical
// E.164 form ("+" and 1-15 digits, no leading zero) are kept as integers in
// an open-addressing table (one probe, no string hashing or compare). Anything
// else a row may hold is kept as an exact string in a fallback map, so the
// semantics stay plain string equality either way.
#pragma once
#include "pg_free.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pgdialer {

class SuppressionList {
 public:
  // Lists `number` (dialer.suppressions.phone_e164, compared exactly after
  // trimming white space) as put there by `source`. A number listed twice
  // keeps its first source. Blank numbers are ignored.
  void add(std::string_view number, std::string_view source);

  // The exclusion reason for a listed number, e.g.
  // "On the suppression list (requested)"; nullopt when it is not listed.
  // The view stays valid as long as the list.
  std::optional<std::string_view> find(std::string_view number) const;

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

 private:
  std::uint16_t reason_index(std::string_view source);
  void grow();
  bool insert_packed(std::uint64_t key, std::uint16_t reason);

  // Slots hold key | reason << kReasonShift; 0 is empty (no E.164 number is 0).
  std::vector<std::uint64_t> slots_;
  std::size_t packed_count_ = 0;
  std::unordered_map<std::string, std::uint16_t> other_;  // non-canonical numbers
  std::vector<std::string> reasons_;                      // by index
  std::unordered_map<std::string, std::uint16_t> reason_by_source_;
  std::string last_source_;  // the source add() saw last, and its reason
  std::uint16_t last_reason_ = 0;
  std::size_t size_ = 0;
};

// "On the suppression list (registry)"; without parentheses for a blank source.
std::string suppression_reason(std::string_view source);

}  // namespace pgdialer
