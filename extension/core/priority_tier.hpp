// Priority tiers: the spec's "200+ contacts: split into multiple sessions by
// priority tier", made concrete as bands of the contact's engagement score
// (docs/sql-reference.md, "List size guidance"). One definition, used by the
// preview's proposed split and, through dialer.priority_tier, by the push
// that splits a list into one session per tier.
#pragma once
#include "pg_free.hpp"

#include <string_view>

#include "contact.hpp"

namespace pgdialer {

inline constexpr int kTierCount = 4;

// 1: score 75 and up; 2: 50 to under 75; 3: 25 to under 50; 4: under 25,
// no score, or a score that is not a number. Highest engagement first, so
// the reps' best contacts are dialed in the first session.
int priority_tier(const Text& engagement_score);

// The band a tier covers, as the preview shows it: "75+", "50-74", ...
std::string_view tier_band(int tier);

}  // namespace pgdialer
