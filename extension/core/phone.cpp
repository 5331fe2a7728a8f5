#include "phone.hpp"

#include "errors.hpp"
#include "phone_fast_e164.hpp"
#include "phone_util.hpp"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/phonenumber.pb.h>
#include <unicode/locid.h>

#include <array>
#include <set>

namespace pgdialer {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberOfflineGeocoder;
using i18n::phonenumbers::PhoneNumberUtil;
using phone_detail::phone_number_util;

// ---- regions --------------------------------------------------------------

// Supported regions as a table over "AA".."ZZ": to_e164 checks the region on
// every call, and this avoids a string set lookup. ("001", libphonenumber's
// non-geographic entity, is not among GetSupportedRegions.)
class RegionTable {
 public:
  RegionTable() {
    std::set<std::string> regions;
    phone_number_util().GetSupportedRegions(&regions);
    for (const std::string& r : regions) {
      if (const int slot = phone_detail::region_code_slot(r); slot >= 0) known_[slot] = true;
    }
  }

  // The upper-cased code when supported, "" otherwise.
  std::string canonical(std::string_view region) const {
    std::string upper(region);
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    const int slot = phone_detail::region_code_slot(upper);
    return slot >= 0 && known_[slot] ? upper : std::string();
  }

 private:
  std::array<bool, phone_detail::kRegionCodeSlots> known_{};
};

const RegionTable& region_table() {
  static const RegionTable table;
  return table;
}

// ---- libphonenumber paths -------------------------------------------------

std::optional<PhoneNumber> parse(std::string_view raw, const std::string& region) {
  PhoneNumber number;
  if (phone_number_util().Parse(std::string(raw), region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  return number;
}

std::string format(const PhoneNumber& number, PhoneNumberUtil::PhoneNumberFormat style) {
  std::string out;
  phone_number_util().Format(number, style, &out);
  return out;
}

std::optional<std::string> reference_e164(std::string_view raw, const std::string& region) {
  const std::optional<PhoneNumber> number = parse(raw, region);
  if (!number || !phone_number_util().IsValidNumber(*number)) return std::nullopt;
  return format(*number, PhoneNumberUtil::E164);
}

// ---- phone_info helpers ---------------------------------------------------

const char* type_name(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE: return "FIXED_LINE";
    case PhoneNumberUtil::MOBILE: return "MOBILE";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return "FIXED_LINE_OR_MOBILE";
    case PhoneNumberUtil::TOLL_FREE: return "TOLL_FREE";
    case PhoneNumberUtil::PREMIUM_RATE: return "PREMIUM_RATE";
    case PhoneNumberUtil::SHARED_COST: return "SHARED_COST";
    case PhoneNumberUtil::VOIP: return "VOIP";
    case PhoneNumberUtil::PERSONAL_NUMBER: return "PERSONAL_NUMBER";
    case PhoneNumberUtil::PAGER: return "PAGER";
    case PhoneNumberUtil::UAN: return "UAN";
    case PhoneNumberUtil::VOICEMAIL: return "VOICEMAIL";
    case PhoneNumberUtil::UNKNOWN: return "UNKNOWN";
  }
  return "UNKNOWN";
}

std::optional<std::string> non_empty(std::string s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::string> region_of(const PhoneNumber& number) {
  std::string region;
  phone_number_util().GetRegionCodeForNumber(number, &region);
  if (region == "ZZ") return std::nullopt;  // RegionCode::GetUnknown()
  return non_empty(std::move(region));
}

// English place name ("North Carolina"), or nullopt when the geocoder has none.
std::optional<std::string> location_of(const PhoneNumber& number) {
  // Building the geocoder loads its prefix tables: do it once. It guards its
  // lazily loaded data with a mutex, so sharing it between threads is safe.
  // (Callers have parsed `number` already, so logging is silenced by now.)
  static const PhoneNumberOfflineGeocoder geocoder;
  static const icu::Locale english("en", "US");
  return non_empty(geocoder.GetDescriptionForNumber(number, english));
}

}  // namespace

bool is_known_region(std::string_view region) { return !region_table().canonical(region).empty(); }

std::string canonical_region(std::string_view region) {
  std::string code = region_table().canonical(region);
  if (code.empty()) {
    throw invalid_argument("unknown region code \"" + std::string(region) + "\"",
                           "Use an ISO 3166-1 alpha-2 code such as \"US\" or \"GB\".");
  }
  return code;
}

std::optional<std::string> to_e164(std::string_view raw, std::string_view region) {
  const std::string code = canonical_region(region);
  if (raw.size() > kMaxPhoneInputLength) return std::nullopt;
  // The fast path answers only when sure; otherwise ask libphonenumber.
  phone_fast::Answer fast = phone_fast::answer(raw, code);
  switch (fast.kind) {
    case phone_fast::Answer::Kind::valid: return std::move(fast.e164);
    case phone_fast::Answer::Kind::invalid: return std::nullopt;
    case phone_fast::Answer::Kind::unsure: break;
  }
  return reference_e164(raw, code);
}

std::optional<std::string> to_e164_reference(std::string_view raw, std::string_view region) {
  return reference_e164(raw, canonical_region(region));
}

std::optional<PhoneInfo> phone_info(std::string_view raw, std::string_view region) {
  const std::string code = canonical_region(region);
  if (raw.size() > kMaxPhoneInputLength) return std::nullopt;
  const std::optional<PhoneNumber> number = parse(raw, code);
  if (!number) return std::nullopt;

  const PhoneNumberUtil& util = phone_number_util();
  PhoneInfo info;
  info.valid = util.IsValidNumber(*number);
  info.possible = util.IsPossibleNumber(*number);
  if (info.valid) info.e164 = format(*number, PhoneNumberUtil::E164);
  info.number_type = type_name(util.GetNumberType(*number));
  info.region_code = region_of(*number);
  info.national_format = non_empty(format(*number, PhoneNumberUtil::NATIONAL));
  info.international_format = non_empty(format(*number, PhoneNumberUtil::INTERNATIONAL));
  info.location = location_of(*number);
  return info;
}

}  // namespace pgdialer
