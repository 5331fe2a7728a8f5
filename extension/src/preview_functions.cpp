// fmgr glue for dialer.preview(contacts anyarray, options jsonb), the
// aggregate dialer.preview_agg and dialer.classify_list.
//
// Memory: each call's builder and everything it accumulates live in one
// memory context of their own ("dialer.preview state"), through
// ContextMemory, which caps it at dialer.preview_memory_limit. The builder is
// deleted by that context's reset callback, which PostgreSQL runs before it
// frees the context's memory, on success and on error alike.
//
// Interrupts: the loops over the list run here, and call CHECK_FOR_INTERRUPTS
// between contacts, in frames that hold nothing with a destructor (pointers
// and the trivially destructible Contact); one contact's work in the core is
// short and bounded. The aggregate is driven by the executor, which checks
// for interrupts between rows.
#include <new>
#include <optional>
#include <string>

#include "contact.hpp"
#include "contact_columns.hpp"
#include "payload.hpp"
#include "preview.hpp"

#include "deals_cache.hpp"
#include "suppression_cache.hpp"     // before postgres.h: it includes a core header
#include "calling_window_cache.hpp"  // likewise

#include "context_memory.hpp"

#include "contact_reader.hpp"
#include "cpp_boundary.hpp"
#include "frequency_caps.hpp"
#include "settings.hpp"

extern "C" {
#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "funcapi.h"

PG_FUNCTION_INFO_V1(pgdialer_preview);
PG_FUNCTION_INFO_V1(pgdialer_preview_step);
PG_FUNCTION_INFO_V1(pgdialer_preview_final);
PG_FUNCTION_INFO_V1(pgdialer_classify_list);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

const char* jsonb_arg_text(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return "{}";
  return JsonbToCString(nullptr, &PG_GETARG_JSONB_P(arg)->root, 0);
}

TimestampTz parse_timestamptz(const char* text) {
  return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(text),
                                                 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

// Calendar month of `ts` in the session time zone, for the session name.
void year_month(TimestampTz ts, int* year, int* month) {
  struct pg_tm tm;
  fsec_t fsec;
  int tz;
  if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, &tz, &tm, &fsec, nullptr, nullptr) != 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("dialer.preview: as_of must be a finite timestamp")));
  *year = tm.tm_year;
  *month = tm.tm_mon;
}

// Elements of the contacts array must be rows: array_agg(c) of a table, view
// or subquery, or an array of a composite type.
void check_contact_array(FunctionCallInfo fcinfo, ArrayType* contacts) {
  if (type_is_rowtype(ARR_ELEMTYPE(contacts))) return;
  ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                  errmsg("dialer.preview expects an array of contact rows, not %s",
                         format_type_be(get_fn_expr_argtype(fcinfo->flinfo, 0))),
                  errhint("Aggregate whole rows: SELECT dialer.preview(array_agg(c)) FROM contacts c "
                          "WHERE ...")));
}

// The list size guidance's limit (dialer.configure_list_size), read once per
// preview through a definer function: the configuration table needs no
// grant. 0 when the function is not there to ask.
long list_size_limit() {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  int rc = SPI_execute("SELECT dialer._list_size_limit()", true, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "dialer: reading the list size limit failed");
  long limit = 0;
  bool isnull = true;
  if (SPI_processed == 1) {
    Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    if (!isnull) limit = DatumGetInt32(d);
  }
  SPI_finish();
  return limit;
}

// One preview under way: its builder and the memory context holding all of
// its state. Plain pointers, so PostgreSQL may longjmp over it.
struct Preview {
  MemoryContext state;
  PreviewBuilder* builder;
  FrequencyCapLists* caps;  // nullptr: no frequency cap in force (or not asked)
  TimestampTz as_of;
};

// A builder for one preview, in a new memory context under `parent` that
// holds its whole state: options parsed and validated, settings captured
// once. `what` (a string literal) names the SQL function in errors.
Preview begin_preview(const char* options_json, MemoryContext parent, const char* what,
                      bool size_guidance = true, bool frequency_caps = true) {
  MemoryContext state = AllocSetContextCreate(parent, "dialer.preview state", ALLOCSET_DEFAULT_SIZES);
  // Never destroyed: it holds no resources, and its storage is the context's.
  auto* memory = new (MemoryContextAlloc(state, sizeof(ContextMemory)))
      ContextMemory(state, preview_memory_limit_bytes(), what);
  // The finished summary is the result, not working memory: a child context
  // of its own (the limit counts only the state context), bounded by jsonb's
  // size. PostgreSQL deletes it before the builder's destructor runs (child
  // contexts go first), hence a resource that never frees.
  MemoryContext summary = AllocSetContextCreate(state, "dialer.preview summary", ALLOCSET_DEFAULT_SIZES);
  auto* summary_memory = new (MemoryContextAlloc(state, sizeof(ContextMemory)))
      ContextMemory(ContextMemory::never_freeing(summary, MaxAllocSize, what));
  PreviewOptions* options =
      cpp_call([&] { return context_owned<PreviewOptions>(state, parse_preview_options(options_json)); });
  TimestampTz as_of =
      options->as_of ? parse_timestamptz(options->as_of->c_str()) : GetCurrentTransactionStartTimestamp();
  int year, month;
  year_month(as_of, &year, &month);
  int min_days = options->min_days ? *options->min_days : min_days_between_calls();
  UnixMicros as_of_unix = to_unix_micros(as_of);
  const char* region = default_region();
  double minutes = minutes_per_contact();
  // The whole list is classified against one load of dialer.suppressions.
  statement_suppressions();
  long size_limit = size_guidance ? list_size_limit() : 0;
  if (options->calling_window) prepare_calling_windows();
  PreviewBuilder* builder = cpp_call([&] {
    PreviewSettings settings{RuleSettings{min_days, as_of_unix, region},
                             minutes,
                             year,
                             month,
                             current_suppressions_shared(),
                             size_limit};
    if (options->calling_window) settings.calling_windows = make_preview_calling_windows(as_of);
    return context_owned<PreviewBuilder>(state, std::move(settings), *options, memory, summary_memory);
  });
  FrequencyCapLists* caps = frequency_caps ? frequency_caps_begin(state) : nullptr;
  return Preview{state, builder, caps, as_of};
}

// Frees a preview's state now rather than with its parent context, which may
// live much longer (a PL/pgSQL loop of previews).
void end_preview(Preview preview) { MemoryContextDelete(preview.state); }

// Read one contact row and add it. Its strings live in `row_context`, which
// is reset first, so memory stays flat however long the list.
// A ready contact's number goes to the frequency caps' lists when there are.
void add_row(FunctionCallInfo fcinfo, const Preview& preview, Datum value, MemoryContext row_context) {
  MemoryContextReset(row_context);
  MemoryContext old = MemoryContextSwitchTo(row_context);
  HeapTupleHeader row = DatumGetHeapTupleHeader(value);
  Contact contact;
  PreviewBuilder* builder = preview.builder;
  ColumnSet set = builder->reads_calling_window() ? ColumnSet::preview_calling_window : ColumnSet::preview;
  read_row(layout_for_row(fcinfo, row, set, "dialer.preview"), row, &contact);
  bool want_number = preview.caps != nullptr;
  char* e164 = cpp_call([&]() -> char* {
    PreviewBuilder::Decision d = builder->add(contact);
    return want_number && d.e164 ? pstrdup_noerr(*d.e164) : nullptr;
  });
  if (e164 != nullptr)
    frequency_caps_add(preview.caps, contact.id ? contact.id->data() : nullptr,
                       contact.id ? static_cast<int>(contact.id->size()) : 0, e164,
                       static_cast<int>(strlen(e164)), contact.state ? contact.state->data() : nullptr,
                       contact.state ? static_cast<int>(contact.state->size()) : 0);
  MemoryContextSwitchTo(old);
}

// A number as a PostgreSQL numeric varlena, in the current memory context.
std::string_view numeric_bytes(const char* text) {
  Datum value =
      DirectFunctionCall3(numeric_in, CStringGetDatum(text), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
  struct varlena* v = reinterpret_cast<struct varlena*>(DatumGetPointer(value));
  return std::string_view(reinterpret_cast<const char*>(v), VARSIZE(v));
}

std::string_view numeric_bytes(long n) {
  char text[32];
  snprintf(text, sizeof text, "%ld", n);
  return numeric_bytes(text);
}

// The preview's shared_numbers section (always there) as a jsonb container,
// made by jsonb_in from its JSON text: small (its lists are capped).
std::string_view shared_numbers_jsonb(PreviewBuilder* builder) {
  char* json = cpp_call([&] { return pstrdup_noerr(builder->shared_numbers_json()); });
  Jsonb* made = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
  return std::string_view(reinterpret_cast<const char*>(&made->root), VARSIZE(made) - VARHDRSZ);
}

// The summary as jsonb, in the caller's memory context. The builder writes
// jsonb's binary form itself (jsonb_encoding.hpp): parsing ~1 MB of JSON text
// with jsonb_in cost more than classifying the contacts. Only its numbers
// are made here, by numeric_in, so they are exactly what jsonb_in would store.
Datum finish_preview(const Preview& preview) {
  PreviewBuilder* builder = preview.builder;
  PreviewBuilder::Numbers n = cpp_call([&] { return builder->numbers(); });
  PreviewBuilder::EncodedNumbers encoded;
  encoded.total = numeric_bytes(n.total);
  encoded.ready = numeric_bytes(n.ready);
  encoded.excluded = numeric_bytes(n.excluded);
  for (int i = 0; i < kExclusionCategoryCount; ++i) encoded.by_category[i] = numeric_bytes(n.by_category[i]);
  encoded.dial_minutes = numeric_bytes(n.dial_minutes);
  // The list-size guidance, when there is one: small, so jsonb_in makes it.
  char* guidance = cpp_call([&]() -> char* {
    auto json = builder->size_guidance_json();
    return json ? pstrdup_noerr(*json) : nullptr;
  });
  if (guidance != nullptr) {
    Jsonb* made = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(guidance)));
    encoded.size_guidance =
        std::string_view(reinterpret_cast<const char*>(&made->root), VARSIZE(made) - VARHDRSZ);
  }
  encoded.shared_numbers = shared_numbers_jsonb(builder);
  // The calling_window section, when asked for: small, so jsonb_in makes it.
  char* windows = cpp_call([&]() -> char* {
    auto json = builder->calling_window_json();
    return json ? pstrdup_noerr(*json) : nullptr;
  });
  if (windows != nullptr) {
    Jsonb* made = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(windows)));
    encoded.calling_window =
        std::string_view(reinterpret_cast<const char*>(&made->root), VARSIZE(made) - VARHDRSZ);
  }
  const std::pmr::string* bytes = cpp_call([&] { return &builder->finish_jsonb(encoded); });
  auto* result = static_cast<struct varlena*>(palloc(bytes->size()));
  memcpy(result, bytes->data(), bytes->size());
  SET_VARSIZE(result, bytes->size());
  // The frequency caps' section, when a contact is capped: one query.
  Datum capped = frequency_caps_section(preview.caps, preview.as_of);
  if (capped != 0) return DirectFunctionCall2(jsonb_concat, PointerGetDatum(result), capped);
  PG_RETURN_POINTER(result);
}

// The aggregate's state, in the aggregate's memory context.
struct PreviewAggState {
  Preview preview;
  MemoryContext row_context;
};

}  // namespace

// dialer.preview(contacts anyarray, options jsonb DEFAULT '{}') RETURNS jsonb
// A NULL array (array_agg over no rows) previews an empty list.
extern "C" Datum pgdialer_preview(PG_FUNCTION_ARGS) {
  MemoryContext call_context = CurrentMemoryContext;
  Preview preview = begin_preview(jsonb_arg_text(fcinfo, 1), call_context, "dialer.preview");
  if (!PG_ARGISNULL(0)) {
    ArrayType* contacts = PG_GETARG_ARRAYTYPE_P(0);
    check_contact_array(fcinfo, contacts);
    MemoryContext row_context =
        AllocSetContextCreate(call_context, "dialer.preview row", ALLOCSET_SMALL_SIZES);
    ArrayIterator it = array_create_iterator(contacts, 0, nullptr);
    Datum value;
    bool isnull;
    while (array_iterate(it, &value, &isnull)) {
      CHECK_FOR_INTERRUPTS();
      if (!isnull) add_row(fcinfo, preview, value, row_context);
    }
    array_free_iterator(it);
    MemoryContextDelete(row_context);
  }
  Datum summary = finish_preview(preview);
  end_preview(preview);
  return summary;
}

// Transition function of the aggregate dialer.preview_agg(contact, options):
// the same summary without building an array of every row first.
extern "C" Datum pgdialer_preview_step(PG_FUNCTION_ARGS) {
  MemoryContext aggregate_context;
  if (!AggCheckCallContext(fcinfo, &aggregate_context))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("dialer._preview_step can only be called as part of dialer.preview_agg")));
  auto* state = PG_ARGISNULL(0) ? nullptr : reinterpret_cast<PreviewAggState*>(PG_GETARG_POINTER(0));
  if (state == nullptr) {
    state = static_cast<PreviewAggState*>(MemoryContextAlloc(aggregate_context, sizeof(PreviewAggState)));
    state->preview = begin_preview(jsonb_arg_text(fcinfo, 2), aggregate_context, "dialer.preview_agg");
    state->row_context =
        AllocSetContextCreate(aggregate_context, "dialer.preview_agg row", ALLOCSET_SMALL_SIZES);
  }
  if (!PG_ARGISNULL(1)) {
    Oid type = get_fn_expr_argtype(fcinfo->flinfo, 1);
    if (!type_is_rowtype(type))
      ereport(ERROR,
              (errcode(ERRCODE_DATATYPE_MISMATCH),
               errmsg("dialer.preview_agg expects contact rows, not %s", format_type_be(type)),
               errhint("Aggregate whole rows: SELECT dialer.preview_agg(c) FROM contacts c WHERE ...")));
    // The executor checks between input rows too; this also covers inputs
    // that come without a scan node (VALUES, a function's tuplestore).
    CHECK_FOR_INTERRUPTS();
    add_row(fcinfo, state->preview, PG_GETARG_DATUM(1), state->row_context);
  }
  PG_RETURN_POINTER(state);
}

// Final function of dialer.preview_agg. No rows at all gives NULL, as
// aggregates over nothing do; wrap in coalesce() for an empty summary.
extern "C" Datum pgdialer_preview_final(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  return finish_preview(reinterpret_cast<PreviewAggState*>(PG_GETARG_POINTER(0))->preview);
}

namespace {

// One contact's verdict, in storage PostgreSQL may longjmp over.
struct ListVerdict {
  bool duplicate_id;
  bool excluded;
  ExclusionCategory category;
  text* reason;
  bool overridable;
  char* payload;  // JSON text
};

}  // namespace

// dialer.classify_list(contacts anyarray, options jsonb DEFAULT '{}')
//   RETURNS TABLE (list_position, contact_id, category, reason, overridable, payload)
// The rows behind dialer.preview: one per distinct contact, in array order,
// with the same verdicts (including duplicate numbers) and the payload that
// would be pushed. dialer.push builds its queue from it.
extern "C" Datum pgdialer_classify_list(PG_FUNCTION_ARGS) {
  InitMaterializedSRF(fcinfo, 0);
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  if (PG_ARGISNULL(0)) return (Datum)0;
  ArrayType* contacts = PG_GETARG_ARRAYTYPE_P(0);
  check_contact_array(fcinfo, contacts);
  MemoryContext call_context = CurrentMemoryContext;
  Preview preview =
      begin_preview(jsonb_arg_text(fcinfo, 1), call_context, "dialer.classify_list", false, false);
  PreviewBuilder* builder = preview.builder;
  const char* region = default_region();
  const std::vector<Deal>* deals = statement_deals();
  MemoryContext row_context =
      AllocSetContextCreate(call_context, "dialer.classify_list row", ALLOCSET_SMALL_SIZES);
  ArrayIterator it = array_create_iterator(contacts, 0, nullptr);
  Datum value;
  bool isnull;
  int position = 0;
  while (array_iterate(it, &value, &isnull)) {
    CHECK_FOR_INTERRUPTS();
    position++;
    if (isnull) continue;
    MemoryContextReset(row_context);
    MemoryContext old = MemoryContextSwitchTo(row_context);
    HeapTupleHeader row = DatumGetHeapTupleHeader(value);
    Contact contact;
    read_row(layout_for_row(fcinfo, row, ColumnSet::everything, "dialer.classify_list"), row, &contact);
    ListVerdict v = cpp_call([&] {
      PreviewBuilder::Decision d = builder->add(contact);
      ListVerdict out{d.kind == PreviewBuilder::Decision::Kind::duplicate_id,
                      false,
                      ExclusionCategory::do_not_call,
                      nullptr,
                      false,
                      nullptr};
      if (out.duplicate_id) return out;
      if (d.exclusion) {
        out.excluded = true;
        out.category = d.exclusion->category;
        out.reason = text_noerr(d.exclusion->reason);
        out.overridable = d.exclusion->overridable;
      }
      out.payload = pstrdup_noerr(payload_json(contact, region, deals));
      return out;
    });
    if (!v.duplicate_id) {
      std::string_view category = category_name(v.category);
      Datum values[6] = {
          Int32GetDatum(position),
          contact.id ? PointerGetDatum(cstring_to_text_with_len(contact.id->data(), contact.id->size()))
                     : Datum(0),
          v.excluded ? PointerGetDatum(cstring_to_text_with_len(category.data(), category.size())) : Datum(0),
          PointerGetDatum(v.reason),
          BoolGetDatum(v.overridable),
          DirectFunctionCall1(jsonb_in, CStringGetDatum(v.payload))};
      bool nulls[6] = {false, !contact.id, !v.excluded, !v.excluded, !v.excluded, false};
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    MemoryContextSwitchTo(old);
  }
  array_free_iterator(it);
  MemoryContextDelete(row_context);
  end_preview(preview);
  return (Datum)0;
}
