// A short call-prep line built only from facts in the row and, when a deals
// relation is registered, from the active deals that fit the buyer.
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <vector>

#include "contact.hpp"
#include "deals.hpp"

namespace pgdialer {

// The longest line written, in bytes: it goes into one PhoneBurner custom
// field, whose limit is not documented; 500 keeps it readable on the
// dialer's screen. Cut at a UTF-8 character boundary, whole deals dropped
// first ("and 3 more").
inline constexpr size_t kTalkingPointsMaxBytes = 500;

// Deterministic, from last_deal_presented, last_deal_outcome,
// target_industries, target_ebitda_range and last_contact_outcome, e.g.
// "Last deal presented: Collision Repair Platform - Dec 2025 (Passed - Too early
//  stage). Targets: Business Services, Healthcare IT; EBITDA $2M - $10M. Last
//  contact: Opened, no response."
// then, with `deals`, the ones matching_deals() finds:
// "2 active deals match: Acme HVAC (Southeast, $4M EBITDA), Beta Plumbing
//  (Texas, $2.5M EBITDA)."
// nullopt when there is none of those facts.
std::optional<std::string> talking_points(const Contact& contact, const std::vector<Deal>* deals = nullptr);

}  // namespace pgdialer
