// A short call-prep line built only from facts in the row.
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>

#include "contact.hpp"

namespace pgdialer {

// Deterministic, from last_deal_presented, last_deal_outcome,
// target_industries, target_ebitda_range and last_contact_outcome, e.g.
// "Last deal presented: Collision Repair Platform - Dec 2025 (Passed - Too early
//  stage). Targets: Business Services, Healthcare IT; EBITDA $2M - $10M. Last
//  contact: Opened, no response."
// nullopt when the row has none of those facts.
std::optional<std::string> talking_points(const Contact& contact);

}  // namespace pgdialer
