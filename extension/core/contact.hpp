// A contact as the rules see it: plain values borrowed from one database row.
//
// The fmgr glue fills this from any row type by column name (a missing column
// stays empty) and the core never sees a Datum. Views (string_view) point into
// memory the caller owns for the duration of one call; the struct is trivially
// destructible so the glue may fill it while PostgreSQL calls that can longjmp
// are still running.
#pragma once
#include "pg_free.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace pgdialer {

using Text = std::optional<std::string_view>;

// Microseconds since the Unix epoch, UTC.
using UnixMicros = std::int64_t;

// Every column the extension reads, by the name it is read under.
// The catalogue that maps column names to these members is kColumns in
// contact_columns.cpp; the documented list is in docs/sql-reference.md.
struct Contact {
  Text id;
  Text contact_type;
  Text first_name;
  Text last_name;
  Text company;
  Text title;
  Text email;
  Text phone;
  Text phone_e164;
  Text address_line1;
  Text city;
  Text state;
  Text zip;
  std::optional<bool> do_not_call;
  Text do_not_call_reason;
  Text do_not_call_source;
  std::optional<bool> suppressed;
  std::optional<bool> phone_number_invalid;
  Text phone_invalid_reason;
  std::optional<UnixMicros> last_call_attempt_at;
  Text last_contact_date;  // last_call_attempt_at as YYYY-MM-DD in the session time zone
  Text last_contact_method;
  Text last_contact_outcome;
  Text buyer_type;
  Text aum;
  Text fund_size;
  Text target_ebitda_range;
  Text target_industries;   // arrays arrive joined with ", "
  Text target_geographies;  // arrays arrive joined with ", "
  Text engagement_score;
  Text relationship_strength;
  Text active_deals_count;
  Text last_deal_presented;
  Text last_deal_outcome;
  Text call_talking_points;
  Text preferred_contact_time;
  Text assistant_name;
  Text assistant_phone;
  Text contact_owner;
  Text contact_source;
  Text industry;
};

// ASCII white space, as the rules trim it.
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The value with surrounding white space removed, or nullopt when blank.
// Inline: the rules call it several times per row.
inline Text present(const Text& value) {
  if (!value) return std::nullopt;
  std::string_view v = *value;
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  return v;
}

// True when the value is absent or only white space.
inline bool is_blank(const Text& value) {
  if (!value) return true;
  for (char ch : *value)
    if (!is_space(ch)) return false;
  return true;
}

}  // namespace pgdialer
