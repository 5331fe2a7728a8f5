// libphonenumber's per-region metadata, compiled with RE2, answering the
// questions its parser and validator ask about a string of ASCII digits.
//
// Why: the Debian libphonenumber runs these patterns with ICU, and
// Parse + IsValidNumber costs several microseconds a number; the very same
// patterns (libphonenumber's metadata is written to work with RE2 too) run by
// RE2 give the same answers in a small fraction of that. The metadata is the
// library's own compiled-in copy, so the answers track the installed version.
//
// Every country calling code is compiled on first use. A code whose patterns
// RE2 rejects, or that belongs to a non-geographic entity ("+800"), is simply
// reported as unavailable and its numbers take the libphonenumber path.
#pragma once
#include "pg_free.hpp"

#include "phone_util.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace i18n::phonenumbers {
class PhoneMetadata;
class PhoneMetadataCollection;
}  // namespace i18n::phonenumbers

namespace pgdialer::phone_fast {

// libphonenumber's limits on a national significant number.
inline constexpr std::size_t kMinNationalLength = 2;
inline constexpr std::size_t kMaxNationalLength = 17;

// PhoneNumberUtil::ValidationResult, as TestNumberLength returns it.
enum class LengthCheck { possible, possible_local_only, too_short, too_long, invalid_length };

// A set of number lengths as a PhoneNumberDesc lists them. An empty list
// means "any length" for a type desc; -1 (listed, matches nothing) means the
// type does not exist in the region.
struct LengthSet {
  bool listed = false;
  std::uint32_t bits = 0;

  bool contains(std::size_t length) const { return length < 32 && (bits >> length) & 1; }
  // IsNumberMatchingDesc's length test.
  bool admits(std::size_t length) const { return !listed || contains(length); }
};

// The characters a match of a pattern can start with, as a range: a number
// starting outside it cannot match at its start, which spares RE2 the call
// (most numbers do not start with their region's IDD or national prefix).
struct FirstCharRange {
  bool known = false;  // false: the pattern may match the empty string, or RE2 could not tell
  char low = 0, high = 0;

  bool excludes(std::string_view text) const {
    return known && (text.empty() || text.front() < low || text.front() > high);
  }
};

class RegionRules {
 public:
  // nullptr when one of the region's patterns does not compile with RE2.
  static std::unique_ptr<RegionRules> compile(const i18n::phonenumbers::PhoneMetadata& metadata);
  ~RegionRules();

  const std::string& code() const { return code_; }
  int country_code() const { return country_code_; }
  const std::string& country_code_digits() const { return country_code_digits_; }

  // MatchNationalNumber(number, general_desc): the pattern alone, no lengths.
  bool general_matches(std::string_view number) const;

  // GetNumberTypeHelper(number) != UNKNOWN.
  bool has_known_type(std::string_view number) const;

  // The union of the type patterns admitting numbers of this length; null
  // when no type does.
  const re2::RE2* any_type_for_length(std::size_t length) const {
    return length <= kMaxNationalLength ? any_type_by_length_[length] : nullptr;
  }

  // The compiled patterns themselves, for phone_digit_dfa (null: none), and
  // whether the general desc admits a national number of this length.
  const re2::RE2* general_pattern() const { return general_.get(); }
  const re2::RE2* leading_digits_pattern() const { return leading_digits_.get(); }
  bool admits_length(std::size_t length) const { return general_lengths_.admits(length); }

  // For GetRegionCodeForNumberFromRegionList: do the region's leading_digits
  // match the start of the number? nullopt when the region has none.
  std::optional<bool> claims_by_leading_digits(std::string_view number) const;

  // Does the international (IDD) prefix pattern match the start of digits?
  bool may_strip_international_prefix(std::string_view digits) const;

  // national_prefix_for_parsing, as MaybeStripNationalPrefixAndCarrierCode
  // uses it: whether there is one, whether a transform rule comes with it,
  // and the length of its leftmost-first match at the start of the number.
  bool has_national_prefix() const { return national_prefix_ != nullptr; }
  bool national_prefix_has_transform() const { return national_prefix_has_transform_; }
  std::optional<std::size_t> national_prefix_length(std::string_view number) const;

  // TestNumberLength(number of this length, metadata) for type UNKNOWN.
  LengthCheck test_length(std::size_t length) const;

 private:
  RegionRules() = default;
  bool compile_type_unions(const i18n::phonenumbers::PhoneMetadata& metadata);

  std::string code_;
  int country_code_ = 0;
  std::string country_code_digits_;
  std::unique_ptr<re2::RE2> general_;
  LengthSet general_lengths_;
  std::vector<int> general_length_list_;  // as listed, for TestNumberLength
  LengthSet local_only_lengths_;
  // For each length, the union of the type patterns admitting it (null: none);
  // unions shared between lengths are compiled once and owned by type_unions_.
  std::array<const re2::RE2*, kMaxNationalLength + 1> any_type_by_length_{};
  std::vector<std::unique_ptr<re2::RE2>> type_unions_;
  std::unique_ptr<re2::RE2> leading_digits_;  // null: the region has none
  std::unique_ptr<re2::RE2> international_prefix_;
  std::unique_ptr<re2::RE2> national_prefix_;  // null: the region has none
  FirstCharRange leading_digits_first_, international_prefix_first_, national_prefix_first_;
  bool national_prefix_has_transform_ = false;
};

// The regions sharing one country calling code, in libphonenumber's order
// (the main region first).
struct CountryRules {
  CountryRules();
  ~CountryRules();

  int country_code = 0;
  std::vector<std::unique_ptr<RegionRules>> regions;

  const RegionRules& main() const { return *regions.front(); }
  const RegionRules* find(std::string_view region_code) const;

  // Can any region of the code give a number of this length a known type?
  // False means IsValidNumber is false without asking region by region: the
  // union of every region's type patterns is a superset of each region's
  // answer. Spares an invalid number of a shared code (the 25 regions of +1)
  // the walk over all of them, which made a failing number cost three times
  // a passing one.
  bool may_have_known_type(std::string_view number) const;
  // Builds the unions above; regions whose union RE2 rejects are asked one by one.
  void compile_country_unions();

 private:
  std::array<std::unique_ptr<re2::RE2>, kMaxNationalLength + 1> any_region_type_by_length_;
  std::array<bool, kMaxNationalLength + 1> has_union_{};
};

class MetadataRules {
 public:
  // The process-wide instance; nullptr when libphonenumber's metadata could
  // not be loaded, which disables the fast path.
  static const MetadataRules* instance();
  ~MetadataRules();

  // Does libphonenumber know this country calling code (ExtractCountryCode's
  // test)? True for non-geographic codes too.
  bool is_country_code(int country_code) const;

  // The compiled rules of a country calling code, built on first use; nullptr
  // when unavailable (unknown, non-geographic or not compilable).
  const CountryRules* country(int country_code) const;

  // The rules of a supported region code ("US"); nullptr when unavailable.
  const RegionRules* region(std::string_view region_code) const;

 private:
  static constexpr int kCountryCodes = 1000;  // codes have at most 3 digits

  struct Slot {
    std::vector<std::string> region_codes;  // libphonenumber's order
    mutable std::once_flag once;
    mutable std::unique_ptr<CountryRules> rules;
  };

  MetadataRules() = default;
  std::unique_ptr<CountryRules> compile(int country_code) const;

  std::unique_ptr<i18n::phonenumbers::PhoneMetadataCollection> collection_;
  std::array<const i18n::phonenumbers::PhoneMetadata*, phone_detail::kRegionCodeSlots> by_region_{};
  // region()'s answers once their calling code is compiled (set under its
  // once_flag), so that a call for the default region of every number is one
  // load instead of a search of the code's regions.
  mutable std::array<std::atomic<const RegionRules*>, phone_detail::kRegionCodeSlots> compiled_regions_{};
  std::array<Slot, kCountryCodes> countries_;
};

}  // namespace pgdialer::phone_fast
