// Active deals and which of them fit a buyer: the facts behind the
// deal-aware talking points (dialer.configure_deals, dialer.talking_points in
// docs/sql-reference.md). Only what the deals relation and the contact row
// say is used; nothing is guessed.
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <vector>

#include "contact.hpp"

namespace pgdialer {

// One active deal, as read from the configured deals relation.
struct Deal {
  std::string name;
  std::string sector;
  std::string geography;
  std::optional<double> ebitda;  // US dollars
};

// A buyer's target EBITDA range in dollars, from text such as "$2M - $10M",
// "2-10M", "$5M+", "Up to $3M", "$500K-$2M". nullopt when the text does not
// read as a range (then EBITDA is not used to match).
struct EbitdaRange {
  double low = 0;
  double high = 0;  // infinity for "$5M+"
};
std::optional<EbitdaRange> parse_ebitda_range(std::string_view text);

// The deals that fit the contact, in a fixed order (name, then geography):
// the deal's sector is one of target_industries (case-insensitive, trimmed);
// when the contact has target_geographies, the deal's geography is one of
// them; when its target_ebitda_range reads as a range, the deal's EBITDA is
// known and inside it. A contact without target_industries fits none.
std::vector<const Deal*> matching_deals(const Contact& contact, const std::vector<Deal>& deals);

// "$4M", "$2.5M", "$750K", "$1.2B": a deal's EBITDA as the rep reads it.
std::string format_dollars(double amount);

}  // namespace pgdialer
