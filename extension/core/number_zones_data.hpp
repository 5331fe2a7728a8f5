// The time zones of phone-number prefixes, as libphonenumber's time-zone
// metadata gives them. Generated at build time by extension/gen/number_zones.py
// (from python3-phonenumbers, which must be the release of the linked
// libphonenumber) into the build tree (a .cpp file named like this header); read through
// calling_window.hpp, not directly.
#pragma once
#include "pg_free.hpp"

#include <cstdint>

namespace pgdialer::number_zones_data {

// A prefix of an E.164 number's digits (country code first, no '+') and the
// zone set its numbers have: kSetMembers[kSetStarts[set] .. kSetStarts[set + 1]).
struct PrefixZones {
  const char* digits;
  std::uint16_t set;
};

extern const char kMetadataVersion[];
extern const char* const kZoneNames[];  // IANA names, sorted
extern const int kZoneCount;
extern const std::uint16_t kSetMembers[];  // indexes into kZoneNames
extern const std::uint32_t kSetStarts[];   // kSetCount + 1 entries
extern const int kSetCount;
extern const PrefixZones kPrefixes[];  // sorted by digits
extern const int kPrefixCount;

}  // namespace pgdialer::number_zones_data
