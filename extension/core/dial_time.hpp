// Estimated dial time, as the push modal's List Summary shows it (dialer.dial_time in
// docs/sql-reference.md).
#pragma once
#include "pg_free.hpp"

#include <cstdint>
#include <string>

namespace pgdialer {

// Raw total T = contacts x minutes_per_contact. Under an hour: "~N min" with N
// rounded half up ("0 min" for no contacts). Otherwise hours rounded half up
// to the nearest half hour: "~1 hour", "~3.5 hours", "~2 hours".
// Throws pgdialer::Error (22023) for negative contacts or minutes <= 0.
std::string dial_time(std::int64_t contacts, double minutes_per_contact);

// contacts x minutes_per_contact, validated the same way.
double dial_minutes(std::int64_t contacts, double minutes_per_contact);

}  // namespace pgdialer
