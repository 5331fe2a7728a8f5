// fmgr glue for the Quick Filters bar: dialer.never_contacted(c) and
// dialer.called_this_week(c), over a row of any type, reading
// last_call_attempt_at by name (a row without it reads as never contacted).
// dialer.is_dialable is the third quick filter (rule_functions.cpp). In a
// segment the same filters compile to plain conditions on the column
// (19_filters.sql), which an index can serve.
#include <optional>

#include "contact.hpp"
#include "contact_columns.hpp"

#include "contact_reader.hpp"
#include "cpp_boundary.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pgdialer_never_contacted);
PG_FUNCTION_INFO_V1(pgdialer_called_this_week);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

std::optional<UnixMicros> last_call(FunctionCallInfo fcinfo, const char* function) {
  HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
  Contact contact;
  read_row(layout_for_row(fcinfo, row, ColumnSet::exclusion, function), row, &contact);
  return contact.last_call_attempt_at;
}

}  // namespace

// dialer.never_contacted(contact record) RETURNS boolean
extern "C" Datum pgdialer_never_contacted(PG_FUNCTION_ARGS) {
  PG_RETURN_BOOL(!last_call(fcinfo, "dialer.never_contacted").has_value());
}

// dialer.called_this_week(contact record) RETURNS boolean: called on or after
// Monday 00:00 of this week and before next Monday 00:00, in the session time
// zone (date_trunc('week', now()): ISO weeks start on Monday), as of the
// transaction's start, like now().
extern "C" Datum pgdialer_called_this_week(PG_FUNCTION_ARGS) {
  std::optional<UnixMicros> at = last_call(fcinfo, "dialer.called_this_week");
  if (!at) PG_RETURN_BOOL(false);
  Datum now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
  Datum monday = DirectFunctionCall2(timestamptz_trunc, CStringGetTextDatum("week"), now);
  // Seven calendar days, not 168 hours, so a week with a DST change ends at midnight.
  Interval week{};
  week.day = 7;
  Datum next_monday = DirectFunctionCall2(timestamptz_pl_interval, monday, IntervalPGetDatum(&week));
  UnixMicros from = to_unix_micros(DatumGetTimestampTz(monday));
  UnixMicros to = to_unix_micros(DatumGetTimestampTz(next_monday));
  PG_RETURN_BOOL(*at >= from && *at < to);
}
