// fmgr glue for dialer.calling_window(contact record, at timestamptz).
#include <memory>
#include <optional>
#include <string>

#include "calling_window.hpp"
#include "contact.hpp"
#include "contact_columns.hpp"
#include "exclusion.hpp"

#include "calling_window_cache.hpp"  // before postgres.h: it includes a core header

#include "contact_reader.hpp"
#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "access/xact.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pgdialer_calling_window);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

// A call site's checker, kept while the statement's rules and `at` stay the
// same (every row of one statement, usually), so each combination of zones
// and states is worked out once.
struct CallSiteWindows {
  std::unique_ptr<WindowChecker> checker;
};

// The answer in storage PostgreSQL may longjmp over.
struct PlainAnswer {
  WindowStatus status;
  bool has_opens_at;
  std::int64_t opens_at;
  text* zone;
  text* rule;
};

}  // namespace

// dialer.calling_window(contact record, at timestamptz DEFAULT now())
extern "C" Datum pgdialer_calling_window(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  TimestampTz at = PG_ARGISNULL(1) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(1);
  if (TIMESTAMP_NOT_FINITE(at))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("dialer.calling_window: at must be a finite timestamp")));
  Contact contact;
  HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
  read_row(layout_for_row(fcinfo, row, ColumnSet::calling_window, "dialer.calling_window"), row, &contact);
  statement_calling_rules();
  const ZoneClock& clock = postgres_zone_clock();
  const char* region = default_region();
  std::int64_t at_seconds = unix_seconds_of(at);
  void** slot = call_site_extra(fcinfo);
  MemoryContext site_context = fcinfo->flinfo->fn_mcxt;
  PlainAnswer a = cpp_call([&] {
    auto* site = static_cast<CallSiteWindows*>(*slot);
    if (site == nullptr) *slot = site = context_owned<CallSiteWindows>(site_context);
    std::shared_ptr<const CallingRules> rules = current_calling_rules_shared();
    if (!site->checker || &site->checker->rules() != rules.get() || site->checker->at() != at_seconds)
      site->checker = std::make_unique<WindowChecker>(rules, clock, at_seconds);
    std::optional<std::string> e164 = normalized_phone(contact, region);
    const WindowAnswer& w = site->checker->check(contact, e164);
    return PlainAnswer{w.status, w.opens_at.has_value(), w.opens_at.value_or(0),
                       w.zone.empty() ? nullptr : text_noerr(w.zone), text_noerr(w.rule)};
  });
  std::string_view status = status_name(a.status);  // static storage
  Datum values[4] = {PointerGetDatum(cstring_to_text_with_len(status.data(), status.size())),
                     TimestampTzGetDatum(a.has_opens_at ? timestamptz_of(a.opens_at) : 0),
                     PointerGetDatum(a.zone), PointerGetDatum(a.rule)};
  bool nulls[4] = {false, !a.has_opens_at, a.zone == nullptr, false};
  HeapTuple tuple = heap_form_tuple(result_descriptor(fcinfo), values, nulls);
  PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
