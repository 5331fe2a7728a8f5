// Where a US address is, in time: the time zones of each state and territory,
// and the state of each three-digit ZIP prefix. Hand-kept tables (sources in
// us_zones.cpp); read through calling_window.hpp.
#pragma once
#include "pg_free.hpp"

#include <string_view>

namespace pgdialer::us_zones {

struct StateZones {
  const char* state;     // USPS code
  const char* zones[3];  // IANA names, nullptr after the last
};
extern const StateZones kStateZones[];
extern const int kStateZoneCount;

// The USPS state of each ZIP3 prefix ("000" to "999"), "" where none (unused
// prefixes, military mail).
std::string_view zip3_state(int zip3);

}  // namespace pgdialer::us_zones
