// The shared libphonenumber instances the phone code uses, set up once.
//
// libphonenumber writes diagnostics through a process-wide logger; the core
// runs inside PostgreSQL backends, where nothing may print, so the accessor
// below installs a NullLogger before handing the singleton out.
#pragma once
#include "pg_free.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <string_view>

namespace pgdialer::phone_detail {

// libphonenumber's singleton with logging silenced. Thread-safe; its methods
// are const and safe to call concurrently.
const i18n::phonenumbers::PhoneNumberUtil& phone_number_util();

// libphonenumber's geographic region codes are two upper-case letters, so
// per-region tables are arrays indexed "AA" = 0 .. "ZZ" = 675.
inline constexpr int kRegionCodeSlots = 26 * 26;

// The slot of an upper-case two-letter code; -1 for anything else.
inline int region_code_slot(std::string_view code) {
  if (code.size() != 2) return -1;
  const char a = code[0], b = code[1];
  if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return -1;
  return (a - 'A') * 26 + (b - 'A');
}

}  // namespace pgdialer::phone_detail
