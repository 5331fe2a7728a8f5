// The calling-window check's inputs from PostgreSQL: the rules, holidays and
// area-code states (loaded once per statement, like suppression_cache.hpp)
// and PostgreSQL's own time-zone database as the core's ZoneClock.
//
// Include after the core headers and before postgres.h (see pg_free.hpp).
#pragma once

#include <memory>

#include "calling_window.hpp"
#include "preview_calling_window.hpp"

namespace pgdialer::glue {

// The rules as the active snapshot sees them (dialer._calling_window_data()),
// loaded by the first call of a statement. Borrowed: valid until the next
// call. May ereport: call it outside cpp_call.
const CallingRules* statement_calling_rules();

// What statement_calling_rules() last returned, shared, for objects that keep
// it across rows (window checkers). noexcept: usable inside cpp_call.
std::shared_ptr<const CallingRules> current_calling_rules_shared() noexcept;

// PostgreSQL's time-zone database (the one AT TIME ZONE uses). Every zone the
// tables name is looked up on first use in a backend; may ereport then, so
// call it outside cpp_call. The clock itself never ereports.
const ZoneClock& postgres_zone_clock();

// dialer.preview's calling_window section: prepare_calling_windows() loads the
// rules and the clock (may ereport: outside cpp_call), then
// make_preview_calling_windows() makes the section's tally (inside cpp_call).
void prepare_calling_windows();
std::shared_ptr<PreviewCallingWindows> make_preview_calling_windows(long long as_of_timestamptz);

// A timestamptz as whole unix seconds (floor) and back.
std::int64_t unix_seconds_of(long long timestamptz);
long long timestamptz_of(std::int64_t unix_seconds);

}  // namespace pgdialer::glue
