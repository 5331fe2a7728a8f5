// fmgr glue for the per-contact functions: dialer.exclusion, dialer.is_dialable,
// dialer.payload, dialer.talking_points, and the column-argument forms the
// planner support function rewrites exclusion and is_dialable into.
#include <cstring>
#include <optional>
#include <string>

#include "contact.hpp"
#include "contact_columns.hpp"
#include "exclusion.hpp"
#include "payload.hpp"
#include "phone_memo.hpp"
#include "talking_points.hpp"

#include "deals_cache.hpp"
#include "suppression_cache.hpp"  // before postgres.h: it includes a core header

#include "contact_reader.hpp"
#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "access/xact.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pgdialer_exclusion);
PG_FUNCTION_INFO_V1(pgdialer_exclusion_columns);
PG_FUNCTION_INFO_V1(pgdialer_is_dialable);
PG_FUNCTION_INFO_V1(pgdialer_is_dialable_columns);
PG_FUNCTION_INFO_V1(pgdialer_payload);
PG_FUNCTION_INFO_V1(pgdialer_talking_points);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

// Plain result of a classification, safe to hold across PostgreSQL calls.
struct ClassifyResult {
  bool excluded;
  ExclusionCategory category;
  text* reason;  // nullptr when cached
  bool overridable;
  int cached;  // index into CallSite::results, or -1
};

// min_days argument (NULL means the setting), validated.
int min_days_argument(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return min_days_between_calls();
  int32 days = PG_GETARG_INT32(arg);
  if (days < 0 || days > 365)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("min_days must be between 0 and 365, not %d", days)));
  return days;
}

TimestampTz as_of_argument(FunctionCallInfo fcinfo, int arg) {
  return PG_ARGISNULL(arg) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(arg);
}

// What one call site of exclusion or is_dialable keeps across rows (in its
// fn_mcxt): the phone memo, made when a row first needs a parse, and the
// results it built for excluded rows. Most excluded rows of a table share a
// handful of results ("Unrecognized phone number", "Do not call", ...), and
// forming the same row again cost each of them three pallocs and a
// heap_form_tuple. A cached result is returned as is: callers never write to
// a function's result, and whoever keeps it past the call copies it.
struct CallSite {
  static constexpr int kCachedResults = 8;
  static constexpr std::size_t kMaxCachedReason = 64;

  struct Result {
    ExclusionCategory category;
    bool overridable;
    std::size_t reason_length;
    char reason[kMaxCachedReason];
    Datum row;
  };

  PhoneMemo* memo;
  int cached;
  Result results[kCachedResults];

  // The cached result equal to `e`, or -1. Plain C++, no allocation.
  int find(const Exclusion& e) const noexcept {
    for (int i = 0; i < cached; i++) {
      const Result& r = results[i];
      if (r.category == e.category && r.overridable == e.overridable && r.reason_length == e.reason.size() &&
          std::memcmp(r.reason, e.reason.data(), r.reason_length) == 0)
        return i;
    }
    return -1;
  }
};

CallSite* call_site(FunctionCallInfo fcinfo) {
  void** slot = call_site_extra(fcinfo);
  if (*slot == nullptr) *slot = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallSite));
  return static_cast<CallSite*>(*slot);
}

// The memo for a row that is going to parse its phone (no stored phone_e164,
// not maintained, a phone to parse), made on first need; else the site's
// memo as it is (possibly nullptr: the row does not parse). C++ only.
PhoneMemo* memo_for(CallSite* site, MemoryContext context, const Contact& contact) {
  if (site->memo == nullptr && !contact.phone_e164_maintained && !present(contact.phone_e164) &&
      present(contact.phone))
    site->memo = context_owned<PhoneMemo>(context);
  return site->memo;
}

Datum exclusion_datum(FunctionCallInfo fcinfo, const Contact* contact, int min_days, TimestampTz as_of) {
  RuleSettings settings;
  settings.min_days = min_days;
  settings.as_of = to_unix_micros(as_of);
  settings.suppressions = statement_suppressions();
  // Most contacts are ready: say so without the exception boundary, the
  // region or the memo (certainly_ready is noexcept and does not allocate).
  if (certainly_ready(*contact, settings)) PG_RETURN_NULL();

  settings.region = default_region();
  CallSite* site = call_site(fcinfo);
  MemoryContext site_context = fcinfo->flinfo->fn_mcxt;
  ClassifyResult r = cpp_call([&] {
    settings.phone_memo = memo_for(site, site_context, *contact);
    auto exclusion = classify(*contact, settings);
    if (!exclusion) return ClassifyResult{false, ExclusionCategory::do_not_call, nullptr, false, -1};
    if (int hit = site->find(*exclusion); hit >= 0)
      return ClassifyResult{true, exclusion->category, nullptr, exclusion->overridable, hit};
    return ClassifyResult{true, exclusion->category, text_noerr(exclusion->reason), exclusion->overridable,
                          -1};
  });
  if (!r.excluded) PG_RETURN_NULL();
  if (r.cached >= 0) PG_RETURN_DATUM(site->results[r.cached].row);

  std::string_view category = category_name(r.category);  // static storage
  std::size_t reason_length = VARSIZE_ANY_EXHDR(r.reason);
  bool keep = site->cached < CallSite::kCachedResults && reason_length <= CallSite::kMaxCachedReason;
  // A result worth keeping is formed where the call site lives.
  MemoryContext old = MemoryContextSwitchTo(keep ? site_context : CurrentMemoryContext);
  Datum values[3] = {PointerGetDatum(cstring_to_text_with_len(category.data(), category.size())),
                     PointerGetDatum(r.reason), BoolGetDatum(r.overridable)};
  bool nulls[3] = {false, false, false};
  HeapTuple tuple = heap_form_tuple(result_descriptor(fcinfo), values, nulls);
  MemoryContextSwitchTo(old);
  Datum row = HeapTupleGetDatum(tuple);
  if (keep) {
    CallSite::Result& kept = site->results[site->cached++];
    kept.category = r.category;
    kept.overridable = r.overridable;
    kept.reason_length = reason_length;
    std::memcpy(kept.reason, VARDATA_ANY(r.reason), reason_length);
    kept.row = row;
  }
  PG_RETURN_DATUM(row);
}

bool dialable(FunctionCallInfo fcinfo, const Contact* contact) {
  const char* region = default_region();
  const SuppressionList* suppressions = statement_suppressions();
  CallSite* site = call_site(fcinfo);
  MemoryContext site_context = fcinfo->flinfo->fn_mcxt;
  return cpp_call(
      [&] { return is_dialable(*contact, region, suppressions, memo_for(site, site_context, *contact)); });
}

void read_contact_arg(FunctionCallInfo fcinfo, ColumnSet set, const char* function, Contact* contact) {
  HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);
  read_row(layout_for_row(fcinfo, row, set, function), row, contact);
}

}  // namespace

// dialer.exclusion(contact record, min_days integer, as_of timestamptz)
extern "C" Datum pgdialer_exclusion(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  Contact contact;
  read_contact_arg(fcinfo, ColumnSet::exclusion, "dialer.exclusion", &contact);
  return exclusion_datum(fcinfo, &contact, min_days_argument(fcinfo, 1), as_of_argument(fcinfo, 2));
}

// dialer._exclusion_columns(columns text[], phone_e164_maintained boolean, min_days integer,
//                           as_of timestamptz, VARIADIC "any")
extern "C" Datum pgdialer_exclusion_columns(PG_FUNCTION_ARGS) {
  RowLayout* layout = cached_argument_layout(fcinfo);
  if (layout == nullptr)
    layout = layout_for_arguments(fcinfo, PG_GETARG_ARRAYTYPE_P(0), 4, !PG_ARGISNULL(1) && PG_GETARG_BOOL(1),
                                  "dialer.exclusion");
  const Contact* contact = read_arguments_into_scratch(layout, fcinfo);
  return exclusion_datum(fcinfo, contact, min_days_argument(fcinfo, 2), as_of_argument(fcinfo, 3));
}

// dialer.is_dialable(contact record)
extern "C" Datum pgdialer_is_dialable(PG_FUNCTION_ARGS) {
  Contact contact;
  read_contact_arg(fcinfo, ColumnSet::dialable, "dialer.is_dialable", &contact);
  PG_RETURN_BOOL(dialable(fcinfo, &contact));
}

// dialer._is_dialable_columns(columns text[], phone_e164_maintained boolean, VARIADIC "any")
extern "C" Datum pgdialer_is_dialable_columns(PG_FUNCTION_ARGS) {
  RowLayout* layout = cached_argument_layout(fcinfo);
  if (layout == nullptr)
    layout = layout_for_arguments(fcinfo, PG_GETARG_ARRAYTYPE_P(0), 2, !PG_ARGISNULL(1) && PG_GETARG_BOOL(1),
                                  "dialer.is_dialable");
  PG_RETURN_BOOL(dialable(fcinfo, read_arguments_into_scratch(layout, fcinfo)));
}

// dialer.payload(contact record) RETURNS jsonb
extern "C" Datum pgdialer_payload(PG_FUNCTION_ARGS) {
  Contact contact;
  read_contact_arg(fcinfo, ColumnSet::everything, "dialer.payload", &contact);
  const char* region = default_region();
  const std::vector<Deal>* deals = statement_deals();
  char* json = cpp_call([&] { return pstrdup_noerr(payload_json(contact, region, deals)); });
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

// dialer.talking_points(contact record) RETURNS text
extern "C" Datum pgdialer_talking_points(PG_FUNCTION_ARGS) {
  Contact contact;
  read_contact_arg(fcinfo, ColumnSet::everything, "dialer.talking_points", &contact);
  const std::vector<Deal>* deals = statement_deals();
  text* result = cpp_call([&]() -> text* {
    auto points = talking_points(contact, deals);
    return points ? text_noerr(*points) : nullptr;
  });
  if (result == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(result);
}
