#include "phone_metadata_rules.hpp"

#include "phone_util.hpp"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <algorithm>
#include <list>
#include <map>

// libphonenumber exports its compiled-in metadata (a serialized
// PhoneMetadataCollection) but does not install the header declaring it
// (phonenumbers/metadata.h); these are its declarations.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace pgdialer::phone_fast {
namespace {

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using re2::RE2;

// ---- RE2 helpers ------------------------------------------------------------

std::unique_ptr<RE2> compile_pattern(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // RE2 would otherwise write to stderr
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return nullptr;
  return re;
}

// Compiles `pattern` into `slot`; false when RE2 rejects it.
bool compile_into(std::unique_ptr<RE2>& slot, const std::string& pattern) {
  slot = compile_pattern(pattern);
  return slot != nullptr;
}

// As compile_into, but an empty pattern leaves `slot` null: libphonenumber
// treats an empty national-number pattern as "matches nothing" and an empty
// national prefix as "nothing to strip".
bool compile_unless_empty(std::unique_ptr<RE2>& slot, const std::string& pattern) {
  if (pattern.empty()) {
    slot.reset();
    return true;
  }
  return compile_into(slot, pattern);
}

bool matches_fully(const RE2& re, std::string_view text) {
  return re.Match(text, 0, text.size(), RE2::ANCHOR_BOTH, nullptr, 0);
}

// ICU's lookingAt(), which libphonenumber's Consume() uses.
FirstCharRange first_chars(const std::unique_ptr<RE2>& re) {
  FirstCharRange range;
  std::string min, max;
  if (!re || !re->PossibleMatchRange(&min, &max, 1) || min.empty() || max.empty()) return range;
  range.known = true;
  range.low = min.front();
  range.high = max.front();
  return range;
}

bool matches_start(const RE2& re, std::string_view text) {
  return re.Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0);
}

// ---- metadata helpers -------------------------------------------------------

LengthSet length_set(const google::protobuf::RepeatedField<int>& lengths) {
  LengthSet set;
  set.listed = !lengths.empty();
  for (const int length : lengths) {
    if (length >= 0 && length < 32) set.bits |= std::uint32_t{1} << length;
  }
  return set;
}

// The type descs GetNumberTypeHelper tries after the general desc. Only
// "is the type UNKNOWN?" matters to validity, so their union is enough --
// except that with same_mobile_and_fixed_line_pattern the mobile desc is never
// consulted on its own, so it must not widen the union.
std::vector<const PhoneNumberDesc*> type_descs(const PhoneMetadata& m) {
  std::vector<const PhoneNumberDesc*> descs = {&m.premium_rate(), &m.toll_free(),       &m.shared_cost(),
                                               &m.voip(),         &m.personal_number(), &m.pager(),
                                               &m.uan(),          &m.voicemail(),       &m.fixed_line()};
  if (!m.same_mobile_and_fixed_line_pattern()) descs.push_back(&m.mobile());
  return descs;
}

// IsNumberMatchingDesc's checks that do not look at the digits.
bool desc_can_match_length(const PhoneNumberDesc& desc, std::size_t length) {
  return !desc.national_number_pattern().empty() && length_set(desc.possible_length()).admits(length);
}

}  // namespace

// ---- RegionRules ------------------------------------------------------------

RegionRules::~RegionRules() = default;

std::unique_ptr<RegionRules> RegionRules::compile(const PhoneMetadata& m) {
  const PhoneNumberDesc& general = m.general_desc();
  // TestNumberLength reads the first listed length unconditionally.
  if (general.possible_length().empty()) return nullptr;

  std::unique_ptr<RegionRules> r(new RegionRules());
  r->code_ = m.id();
  r->country_code_ = m.country_code();
  r->country_code_digits_ = std::to_string(m.country_code());
  r->general_lengths_ = length_set(general.possible_length());
  r->general_length_list_.assign(general.possible_length().begin(), general.possible_length().end());
  r->local_only_lengths_ = length_set(general.possible_length_local_only());
  r->national_prefix_has_transform_ = !m.national_prefix_transform_rule().empty();

  const bool compiled = compile_unless_empty(r->general_, general.national_number_pattern()) &&
                        r->compile_type_unions(m) &&
                        (!m.has_leading_digits() || compile_into(r->leading_digits_, m.leading_digits())) &&
                        // An empty IDD pattern matches everywhere in libphonenumber, so it is
                        // compiled as is rather than skipped.
                        compile_into(r->international_prefix_, m.international_prefix()) &&
                        compile_unless_empty(r->national_prefix_, m.national_prefix_for_parsing());
  if (!compiled) return nullptr;
  r->leading_digits_first_ = first_chars(r->leading_digits_);
  r->international_prefix_first_ = first_chars(r->international_prefix_);
  r->national_prefix_first_ = first_chars(r->national_prefix_);
  return r;
}

// One RE2 per distinct set of type descs: for each length the general desc
// admits, the alternation of the type patterns admitting that length too.
bool RegionRules::compile_type_unions(const PhoneMetadata& m) {
  const std::vector<const PhoneNumberDesc*> descs = type_descs(m);
  std::map<std::uint32_t, const RE2*> by_members;
  for (std::size_t length = 0; length <= kMaxNationalLength; ++length) {
    if (!general_lengths_.admits(length)) continue;
    std::uint32_t members = 0;
    std::string pattern;
    for (std::size_t i = 0; i < descs.size(); ++i) {
      if (!desc_can_match_length(*descs[i], length)) continue;
      members |= std::uint32_t{1} << i;
      if (!pattern.empty()) pattern += '|';
      pattern += "(?:" + descs[i]->national_number_pattern() + ")";
    }
    if (members == 0) continue;
    if (const auto it = by_members.find(members); it != by_members.end()) {
      any_type_by_length_[length] = it->second;
      continue;
    }
    std::unique_ptr<RE2> re = compile_pattern(pattern);
    if (!re) return false;
    any_type_by_length_[length] = by_members[members] = re.get();
    type_unions_.push_back(std::move(re));
  }
  return true;
}

bool RegionRules::general_matches(std::string_view number) const {
  return general_ && matches_fully(*general_, number);
}

bool RegionRules::has_known_type(std::string_view number) const {
  if (number.size() > kMaxNationalLength || !general_lengths_.admits(number.size()) ||
      !general_matches(number)) {
    return false;
  }
  const RE2* any_type = any_type_by_length_[number.size()];
  return any_type && matches_fully(*any_type, number);
}

std::optional<bool> RegionRules::claims_by_leading_digits(std::string_view number) const {
  if (!leading_digits_) return std::nullopt;
  if (leading_digits_first_.excludes(number)) return false;
  return matches_start(*leading_digits_, number);
}

bool RegionRules::may_strip_international_prefix(std::string_view digits) const {
  if (international_prefix_first_.excludes(digits)) return false;
  return matches_start(*international_prefix_, digits);
}

std::optional<std::size_t> RegionRules::national_prefix_length(std::string_view number) const {
  if (national_prefix_first_.excludes(number)) return std::nullopt;
  re2::StringPiece match;
  if (!national_prefix_ || !national_prefix_->Match(number, 0, number.size(), RE2::ANCHOR_START, &match, 1)) {
    return std::nullopt;
  }
  return match.size();
}

LengthCheck RegionRules::test_length(std::size_t length) const {
  const std::vector<int>& lengths = general_length_list_;
  const int actual = static_cast<int>(length);
  if (lengths.front() == -1) return LengthCheck::invalid_length;
  if (local_only_lengths_.contains(length)) return LengthCheck::possible_local_only;
  if (lengths.front() == actual) return LengthCheck::possible;
  if (lengths.front() > actual) return LengthCheck::too_short;
  if (lengths.back() < actual) return LengthCheck::too_long;
  return std::find(lengths.begin() + 1, lengths.end(), actual) != lengths.end() ? LengthCheck::possible
                                                                                : LengthCheck::invalid_length;
}

// ---- CountryRules -----------------------------------------------------------

CountryRules::CountryRules() = default;
CountryRules::~CountryRules() = default;

void CountryRules::compile_country_unions() {
  if (regions.size() < 2) return;  // a single region answers in one step anyway
  for (std::size_t length = 0; length <= kMaxNationalLength; ++length) {
    std::string pattern;
    for (const auto& region : regions) {
      const RE2* any_type = region->any_type_for_length(length);
      if (!any_type) continue;
      if (!pattern.empty()) pattern += '|';
      pattern += "(?:" + any_type->pattern() + ")";
    }
    if (pattern.empty()) {
      has_union_[length] = true;  // no region has a type of this length
      continue;
    }
    any_region_type_by_length_[length] = compile_pattern(pattern);
    has_union_[length] = any_region_type_by_length_[length] != nullptr;
  }
}

bool CountryRules::may_have_known_type(std::string_view number) const {
  if (number.size() > kMaxNationalLength || !has_union_[number.size()]) return true;
  const RE2* any = any_region_type_by_length_[number.size()].get();
  return any && matches_fully(*any, number);
}

const RegionRules* CountryRules::find(std::string_view region_code) const {
  for (const auto& region : regions) {
    if (region->code() == region_code) return region.get();
  }
  return nullptr;
}

// ---- MetadataRules ----------------------------------------------------------

MetadataRules::~MetadataRules() = default;

const MetadataRules* MetadataRules::instance() {
  static const MetadataRules* const rules = []() -> const MetadataRules* {
    auto collection = std::make_unique<PhoneMetadataCollection>();
    if (!collection->ParseFromArray(i18n::phonenumbers::metadata_get(),
                                    i18n::phonenumbers::metadata_size())) {
      return nullptr;
    }
    std::unique_ptr<MetadataRules> built(new MetadataRules());
    for (const PhoneMetadata& m : collection->metadata()) {
      // Non-geographic entities all have the id "001" and are not indexed.
      if (const int i = phone_detail::region_code_slot(m.id()); i >= 0) built->by_region_[i] = &m;
    }
    built->collection_ = std::move(collection);

    const auto& util = phone_detail::phone_number_util();
    for (int code = 1; code < kCountryCodes; ++code) {
      std::list<std::string> regions;
      util.GetRegionCodesForCountryCallingCode(code, &regions);
      built->countries_[code].region_codes.assign(regions.begin(), regions.end());
    }
    return built.release();  // lives for the whole process
  }();
  return rules;
}

bool MetadataRules::is_country_code(int country_code) const {
  return country_code > 0 && country_code < kCountryCodes && !countries_[country_code].region_codes.empty();
}

const CountryRules* MetadataRules::country(int country_code) const {
  if (!is_country_code(country_code)) return nullptr;
  const Slot& slot = countries_[country_code];
  std::call_once(slot.once, [&] {
    slot.rules = compile(country_code);
    if (!slot.rules) return;
    for (const auto& region : slot.rules->regions) {
      if (const int i = phone_detail::region_code_slot(region->code()); i >= 0) {
        compiled_regions_[i].store(region.get(), std::memory_order_release);
      }
    }
  });
  return slot.rules.get();
}

std::unique_ptr<CountryRules> MetadataRules::compile(int country_code) const {
  auto rules = std::make_unique<CountryRules>();
  rules->country_code = country_code;
  for (const std::string& code : countries_[country_code].region_codes) {
    const int i = phone_detail::region_code_slot(code);
    if (i < 0 || !by_region_[i]) return nullptr;  // e.g. "001": non-geographic
    std::unique_ptr<RegionRules> region = RegionRules::compile(*by_region_[i]);
    if (!region) return nullptr;
    rules->regions.push_back(std::move(region));
  }
  rules->compile_country_unions();
  return rules;
}

const RegionRules* MetadataRules::region(std::string_view region_code) const {
  const int i = phone_detail::region_code_slot(region_code);
  if (i < 0 || !by_region_[i]) return nullptr;
  if (const RegionRules* compiled = compiled_regions_[i].load(std::memory_order_acquire)) return compiled;
  const CountryRules* rules = country(by_region_[i]->country_code());
  return rules ? rules->find(region_code) : nullptr;
}

}  // namespace pgdialer::phone_fast
