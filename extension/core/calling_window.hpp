// Calling windows in the contact's local time (dialer.calling_window in
// docs/sql-reference.md, the rules in docs/compliance.md).
//
// A contact's zones come from its address (the ZIP code's state, else the
// state column) when it has one, else from its number (libphonenumber's
// time-zone metadata, number_zones_data.hpp). Several zones are ambiguous:
// the contact may be called only when every one of them allows it. The rules
// that apply are the default one, the address's state's and the number's
// state's; a time is allowed when every rule allows it in every zone, so the
// narrowest window (and any Sunday or holiday ban) wins. An unknown zone
// fails closed: `blocked`, with the reason in `rule`.
//
// The answer depends only on (zones, states, rules, at), so a checker
// remembers it per combination: a list costs one zone lookup and one hash
// probe per contact.
#pragma once
#include "pg_free.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "contact.hpp"

namespace pgdialer {

// ---- zones -----------------------------------------------------------------

// Every zone the tables name, numbered 0..zone_count()-1. The first call
// builds the lookup tables (it may throw std::bad_alloc): call it before the
// noexcept lookups below, as the glue does inside its exception boundary
// (postgres_zone_clock), so that they never allocate.
int zone_count();
std::string_view zone_name(int zone);

// A zone set: ids of zones, sorted. Set ids are -1 for "unknown".
struct ZoneSet {
  const std::uint16_t* begin = nullptr;
  const std::uint16_t* end = nullptr;
  std::size_t size() const { return static_cast<std::size_t>(end - begin); }
};
ZoneSet zone_set(int set_id);

// The zones libphonenumber's metadata gives an E.164 number ("+" and
// digits), by its longest listed prefix; -1 when none.
int number_zone_set(std::string_view e164) noexcept;
// A USPS state or territory code (upper case) -> its zones; -1 when unknown.
int state_zone_set(std::string_view state) noexcept;
// A US ZIP code ("12345", "12345-6789", "123456789") -> its USPS state, or
// empty when it is not a ZIP code or its prefix has no state.
std::string_view zip_state(std::string_view zip) noexcept;

// The UTC offset of zones at an instant, from the time-zone database of
// whoever runs the check (PostgreSQL's in the extension).
class ZoneClock {
 public:
  virtual ~ZoneClock() = default;
  // Seconds east of UTC of `zone` at `unix_seconds`; nullopt when the
  // database does not know the zone.
  virtual std::optional<int> utc_offset(int zone, std::int64_t unix_seconds) const noexcept = 0;
};

// ---- rules -----------------------------------------------------------------

// A two-letter code packed into 16 bits ('F' << 8 | 'L'); 0 is none.
using StateCode = std::uint16_t;
StateCode state_code(std::string_view state) noexcept;  // 0 unless two ASCII letters (either case)
std::string state_text(StateCode code);

struct CallingRule {
  std::string state = "default";  // 'default' or a USPS code
  int opens = 8 * 3600;           // seconds after local midnight: calls at or after
  int closes = 21 * 3600;         // and before
  bool sunday_calls = true;
  bool holiday_calls = true;
  std::string source;
};

// What dialer.calling_rules_in_force, dialer.calling_holidays and
// dialer.area_code_states hold, loaded once per statement.
struct CallingRules {
  CallingRule default_rule;
  std::unordered_map<StateCode, CallingRule> states;
  // Holidays by state (0: 'default', every state whose rule bans holiday
  // calls): local day (days since 1970-01-01) -> name.
  std::unordered_map<StateCode, std::map<std::int32_t, std::string>> holidays;
  std::array<StateCode, 1000> area_code_state{};  // the state of each +1 area code, 0 none

  // Throws pgdialer::Error (22023) for a state that is neither 'default' nor a code.
  void add_rule(CallingRule rule);
  void add_holiday(std::string_view state, std::int32_t day, std::string name);
  void add_area_code(int area_code, std::string_view state);
};

// ---- answers ---------------------------------------------------------------

enum class WindowStatus { callable, later_today, next_day, blocked };
inline constexpr int kWindowStatusCount = 4;
std::string_view status_name(WindowStatus status);  // "callable", ...

struct WindowAnswer {
  WindowStatus status = WindowStatus::blocked;
  std::optional<std::int64_t> opens_at;  // unix seconds; later_today and next_day only
  std::string zone;                      // the zones, comma-separated; empty when unknown
  std::string rule;                      // the rule that decided, or why blocked
  // When it is callable from `at` on, as [start, end) unix seconds, sorted:
  // within the checker's horizon, empty when blocked.
  std::vector<std::pair<std::int64_t, std::int64_t>> windows;
};

// What decides a contact's window.
struct WindowKey {
  int zone_set = -1;
  StateCode address_state = 0;  // the state column
  StateCode zip_state = 0;      // the ZIP code's state
  StateCode number_state = 0;   // the area code's state
  std::uint64_t packed() const;
};

// The number a contact's window follows: its E.164 number, as the rules
// normalize it (exclusion.hpp's normalized_phone).
WindowKey window_key(const Contact& contact, const std::optional<std::string>& e164,
                     const CallingRules& rules) noexcept;

// Answers for one instant, remembered per key.
class WindowChecker {
 public:
  // Horizon: how many local days ahead a window is looked for.
  static constexpr int kHorizonDays = 10;

  WindowChecker(std::shared_ptr<const CallingRules> rules, const ZoneClock& clock,
                std::int64_t at_unix_seconds);

  const WindowAnswer& answer(const WindowKey& key);
  const WindowAnswer& check(const Contact& contact, const std::optional<std::string>& e164) {
    return answer(window_key(contact, e164, *rules_));
  }
  const CallingRules& rules() const { return *rules_; }
  std::int64_t at() const { return at_; }

 private:
  WindowAnswer compute(const WindowKey& key) const;

  std::shared_ptr<const CallingRules> rules_;
  const ZoneClock& clock_;
  std::int64_t at_;
  std::unordered_map<std::uint64_t, WindowAnswer> memo_;
};

}  // namespace pgdialer
