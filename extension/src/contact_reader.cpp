#include <climits>
#include <cstring>
#include <new>

#include "contact.hpp"
#include "contact_columns.hpp"

#include "contact_reader.hpp"
#include "maintained_phone.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

namespace pgdialer::glue {

namespace {

// How one present column is turned into a Contact field.
enum class ReadAs : uint8 {
  varlena_text,     // text, varchar, bpchar: the bytes as they are
  name,             // name
  output_function,  // anything else that is read as text
  boolean,
  timestamptz,
  timestamp,  // without time zone: local time in the session time zone
  date,
  text_array,  // text[], varchar[]: elements joined with ", "
};

constexpr int kMaxColumns = 64;
constexpr int kMaxCachedLayouts = 4;
constexpr int64 kPgEpochInUnixMicros = int64(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

struct ColumnRead {
  int column;    // index into contact_columns()
  int position;  // index into the values array
  ReadAs how;
  Text Contact::*text_member;                 // from contact_columns(), resolved once
  std::optional<bool> Contact::*bool_member;  // likewise
  FmgrInfo output;                            // for output_function
};

// What a call site keeps in fn_extra.
struct LayoutCache {
  int count;
  RowLayout* layouts[kMaxCachedLayouts];
  TupleDesc result;  // blessed result row type, for composite-returning functions
  void* extra;       // the calling function's own per-call-site state
};

bool is_text_like(Oid base) { return base == TEXTOID || base == VARCHAROID || base == BPCHAROID; }

[[noreturn]] void wrong_type(const char* function, std::string_view column, const char* expected, Oid type) {
  ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                  errmsg("%s: column \"%.*s\" must be %s, not %s", function, static_cast<int>(column.size()),
                         column.data(), expected, format_type_be(type))));
  pg_unreachable();
}

// Decide how a column of `type` is read, or fail naming the column.
ReadAs read_kind(const ColumnSpec& spec, Oid type, const char* function) {
  Oid base = getBaseType(type);
  switch (spec.kind) {
    case ColumnKind::boolean:
      if (base == BOOLOID) return ReadAs::boolean;
      wrong_type(function, spec.name, "boolean", type);
    case ColumnKind::timestamp:
      if (base == TIMESTAMPTZOID) return ReadAs::timestamptz;
      if (base == TIMESTAMPOID) return ReadAs::timestamp;
      if (base == DATEOID) return ReadAs::date;
      wrong_type(function, spec.name, "timestamptz, timestamp or date", type);
    case ColumnKind::text_list: {
      if (is_text_like(base)) return ReadAs::varlena_text;
      Oid element = get_element_type(base);
      if (OidIsValid(element) && is_text_like(getBaseType(element))) return ReadAs::text_array;
      wrong_type(function, spec.name, "text[] or text", type);
    }
    case ColumnKind::text:
      if (is_text_like(base)) return ReadAs::varlena_text;
      if (base == NAMEOID) return ReadAs::name;
      return ReadAs::output_function;
  }
  pg_unreachable();
}

void add_column(RowLayout* layout, MemoryContext mcxt, int column, int position, Oid type,
                const char* function);

}  // namespace

struct RowLayout {
  Oid typid;
  int32 typmod;
  ColumnSet set;
  TupleDesc tupdesc;  // rows only: to deform them
  Datum* values;      // rows only: deform scratch
  bool* nulls;
  bool wants_date;             // also format last_contact_date (payload)
  bool phone_e164_maintained;  // Contact::phone_e164_maintained for every row
  int count;
  ColumnRead reads[kMaxColumns];
  // Per-row scratch for read_arguments_into_scratch: zeroed once, then only
  // the layout's own fields are rewritten for each row.
  Contact scratch;
};

namespace {

void add_column(RowLayout* layout, MemoryContext mcxt, int column, int position, Oid type,
                const char* function) {
  const ColumnSpec& spec = contact_columns()[column];
  ColumnRead& read = layout->reads[layout->count++];
  read.column = column;
  read.position = position;
  read.how = read_kind(spec, type, function);
  read.text_member = spec.text_member;
  read.bool_member = spec.bool_member;
  if (read.how == ReadAs::output_function) {
    Oid output;
    bool varlena;
    getTypeOutputInfo(type, &output, &varlena);
    fmgr_info_cxt(output, &read.output, mcxt);
  }
}

// The relation whose row type this is; InvalidOid for a composite type,
// RECORD or a domain.
Oid typrelid_of(Oid typid) { return typid == RECORDOID ? InvalidOid : get_typ_typrelid(typid); }

LayoutCache* cache_of(FmgrInfo* flinfo) {
  if (flinfo->fn_extra == nullptr)
    flinfo->fn_extra = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(LayoutCache));
  return static_cast<LayoutCache*>(flinfo->fn_extra);
}

RowLayout* new_layout(FmgrInfo* flinfo, Oid typid, int32 typmod, ColumnSet set) {
  LayoutCache* cache = cache_of(flinfo);
  auto* layout = static_cast<RowLayout*>(MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(RowLayout)));
  new (&layout->scratch) Contact();  // trivially destructible: fn_mcxt may free it
  layout->typid = typid;
  layout->typmod = typmod;
  layout->set = set;
  layout->wants_date = set == ColumnSet::everything;
  // A call site sees one row type almost always; keep the most recent few.
  if (cache->count == kMaxCachedLayouts) {
    std::memmove(&cache->layouts[0], &cache->layouts[1], sizeof(RowLayout*) * (kMaxCachedLayouts - 1));
    cache->count--;
  }
  cache->layouts[cache->count++] = layout;
  return layout;
}

}  // namespace

UnixMicros to_unix_micros(TimestampTz ts) {
  if (TIMESTAMP_IS_NOBEGIN(ts)) return LLONG_MIN;
  if (TIMESTAMP_IS_NOEND(ts)) return LLONG_MAX;
  if (ts > LLONG_MAX - kPgEpochInUnixMicros) return LLONG_MAX;
  return ts + kPgEpochInUnixMicros;
}

TupleDesc result_descriptor(FunctionCallInfo fcinfo) {
  LayoutCache* cache = cache_of(fcinfo->flinfo);
  if (cache->result == nullptr) {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("function returning a row called in a context that cannot accept one")));
    MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
    cache->result = BlessTupleDesc(CreateTupleDescCopy(desc));
    MemoryContextSwitchTo(old);
  }
  return cache->result;
}

namespace {

Text format_date(int year, int month, int day) {
  char* buffer = static_cast<char*>(palloc(16));
  int n = snprintf(buffer, 16, "%04d-%02d-%02d", year, month, day);
  return std::string_view(buffer, n);
}

// The local calendar date of a timestamp: zone-converted for timestamptz,
// as written for timestamp.
Text local_date(Timestamp ts, bool with_zone) {
  if (TIMESTAMP_NOT_FINITE(ts)) return std::nullopt;
  struct pg_tm tm;
  fsec_t fsec;
  int tz;
  if (timestamp2tm(ts, with_zone ? &tz : nullptr, &tm, &fsec, nullptr, nullptr) != 0) return std::nullopt;
  return format_date(tm.tm_year, tm.tm_mon, tm.tm_mday);
}

void read_timestamp(const ColumnRead& read, Datum value, bool wants_date, Contact* c) {
  int overflow = 0;
  switch (read.how) {
    case ReadAs::timestamptz: {
      TimestampTz ts = DatumGetTimestampTz(value);
      c->last_call_attempt_at = to_unix_micros(ts);
      if (wants_date) c->last_contact_date = local_date(ts, true);
      break;
    }
    case ReadAs::timestamp: {
      Timestamp local = DatumGetTimestamp(value);
      TimestampTz ts = timestamp2timestamptz_opt_overflow(local, &overflow);
      c->last_call_attempt_at = overflow > 0 ? LLONG_MAX : overflow < 0 ? LLONG_MIN : to_unix_micros(ts);
      if (wants_date) c->last_contact_date = local_date(local, false);
      break;
    }
    case ReadAs::date: {
      DateADT date = DatumGetDateADT(value);
      TimestampTz ts = date2timestamptz_opt_overflow(date, &overflow);
      c->last_call_attempt_at = overflow > 0 ? LLONG_MAX : overflow < 0 ? LLONG_MIN : to_unix_micros(ts);
      if (wants_date && !DATE_NOT_FINITE(date)) {
        int y, m, d;
        j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
        c->last_contact_date = format_date(y, m, d);
      }
      break;
    }
    default: break;
  }
}

// The bytes of a text-like datum, without a copy unless it is toasted
// (compressed or out of line). The common short or plain in-line value is
// read where it lies, with no function call.
inline Text varlena_text(Datum value) {
  auto* v = reinterpret_cast<struct varlena*>(DatumGetPointer(value));
  if (unlikely(VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))) v = pg_detoast_datum_packed(v);
  return std::string_view(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

// Non-blank elements joined with ", "; nullopt when none.
Text joined_array(Datum value) {
  ArrayType* array = DatumGetArrayTypeP(value);
  Datum* elements;
  bool* nulls;
  int n;
  deconstruct_array(array, ARR_ELEMTYPE(array), -1, false, TYPALIGN_INT, &elements, &nulls, &n);
  StringInfoData out;
  initStringInfo(&out);
  for (int i = 0; i < n; i++) {
    if (nulls[i]) continue;
    Text element = present(varlena_text(elements[i]));
    if (!element) continue;
    if (out.len > 0) appendStringInfoString(&out, ", ");
    appendBinaryStringInfo(&out, element->data(), static_cast<int>(element->size()));
  }
  if (out.len == 0) return std::nullopt;
  return std::string_view(out.data, out.len);
}

inline void read_value(ColumnRead& read, Datum value, bool wants_date, Contact* c) {
  switch (read.how) {
    case ReadAs::boolean: c->*(read.bool_member) = DatumGetBool(value); return;
    case ReadAs::timestamptz:
    case ReadAs::timestamp:
    case ReadAs::date: read_timestamp(read, value, wants_date, c); return;
    case ReadAs::varlena_text: c->*(read.text_member) = varlena_text(value); return;
    case ReadAs::name: {
      const char* s = NameStr(*DatumGetName(value));
      c->*(read.text_member) = std::string_view(s, std::strlen(s));
      return;
    }
    case ReadAs::output_function: {
      char* s = OutputFunctionCall(&read.output, value);
      c->*(read.text_member) = std::string_view(s, std::strlen(s));
      return;
    }
    case ReadAs::text_array: c->*(read.text_member) = joined_array(value); return;
  }
}

// Forget what an earlier row put in this column's field(s).
inline void clear_value(const ColumnRead& read, Contact* c) {
  switch (read.how) {
    case ReadAs::boolean: c->*(read.bool_member) = std::nullopt; return;
    case ReadAs::timestamptz:
    case ReadAs::timestamp:
    case ReadAs::date:
      c->last_call_attempt_at = std::nullopt;
      c->last_contact_date = std::nullopt;
      return;
    default: c->*(read.text_member) = std::nullopt; return;
  }
}

void fill(RowLayout* layout, const Datum* values, const bool* nulls, Contact* c) {
  c->phone_e164_maintained = layout->phone_e164_maintained;
  for (int i = 0; i < layout->count; i++) {
    ColumnRead& read = layout->reads[i];
    if (nulls[read.position]) continue;
    read_value(read, values[read.position], layout->wants_date, c);
  }
}

}  // namespace

RowLayout* layout_for_row(FunctionCallInfo fcinfo, HeapTupleHeader row, ColumnSet set, const char* function) {
  Oid typid = HeapTupleHeaderGetTypeId(row);
  int32 typmod = HeapTupleHeaderGetTypMod(row);
  FmgrInfo* flinfo = fcinfo->flinfo;
  LayoutCache* cache = cache_of(flinfo);
  for (int i = cache->count - 1; i >= 0; i--) {
    RowLayout* l = cache->layouts[i];
    if (l->typid == typid && l->typmod == typmod && l->set == set) return l;
  }

  TupleDesc shared = lookup_rowtype_tupdesc(typid, typmod);
  MemoryContext old = MemoryContextSwitchTo(flinfo->fn_mcxt);
  TupleDesc tupdesc = CreateTupleDescCopy(shared);
  MemoryContextSwitchTo(old);
  ReleaseTupleDesc(shared);

  RowLayout* layout = new_layout(flinfo, typid, typmod, set);
  layout->tupdesc = tupdesc;
  // A table's own row type: does the table keep phone_e164 itself?
  Oid relid = typrelid_of(typid);
  layout->phone_e164_maintained =
      OidIsValid(relid) && phone_e164_maintained(relid, get_func_namespace(flinfo->fn_oid));
  layout->values =
      static_cast<Datum*>(MemoryContextAlloc(flinfo->fn_mcxt, sizeof(Datum) * Max(tupdesc->natts, 1)));
  layout->nulls =
      static_cast<bool*>(MemoryContextAlloc(flinfo->fn_mcxt, sizeof(bool) * Max(tupdesc->natts, 1)));
  for (int att = 0; att < tupdesc->natts; att++) {
    Form_pg_attribute attr = TupleDescAttr(tupdesc, att);
    if (attr->attisdropped) continue;
    int column = column_index(NameStr(attr->attname));
    if (column < 0 || !column_in_set(column, set)) continue;
    add_column(layout, flinfo->fn_mcxt, column, att, attr->atttypid, function);
  }
  return layout;
}

void** call_site_extra(FunctionCallInfo fcinfo) { return &cache_of(fcinfo->flinfo)->extra; }

RowLayout* cached_argument_layout(FunctionCallInfo fcinfo) {
  auto* cache = static_cast<LayoutCache*>(fcinfo->flinfo->fn_extra);
  return cache != nullptr && cache->count > 0 ? cache->layouts[0] : nullptr;
}

RowLayout* layout_for_arguments(FunctionCallInfo fcinfo, ArrayType* names, int first_arg,
                                bool phone_e164_maintained, const char* function) {
  FmgrInfo* flinfo = fcinfo->flinfo;
  LayoutCache* cache = cache_of(flinfo);
  if (cache->count > 0) return cache->layouts[0];

  Datum* elements;
  bool* nulls;
  int n;
  deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &n);
  if (first_arg + n != PG_NARGS())
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: %d column names for %d columns", function, n, PG_NARGS() - first_arg)));
  RowLayout* layout = new_layout(flinfo, InvalidOid, -1, ColumnSet::everything);
  layout->wants_date = false;
  layout->phone_e164_maintained = phone_e164_maintained;
  layout->scratch.phone_e164_maintained = phone_e164_maintained;
  for (int i = 0; i < n && i < kMaxColumns; i++) {
    char* name = TextDatumGetCString(elements[i]);
    int column = nulls[i] ? -1 : column_index(name);
    if (column < 0)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("%s: \"%s\" is not a contact column", function, name)));
    add_column(layout, flinfo->fn_mcxt, column, first_arg + i, get_fn_expr_argtype(flinfo, first_arg + i),
               function);
  }
  return layout;
}

void read_row(RowLayout* layout, HeapTupleHeader row, Contact* contact) {
  HeapTupleData tuple;
  tuple.t_len = HeapTupleHeaderGetDatumLength(row);
  ItemPointerSetInvalid(&tuple.t_self);
  tuple.t_tableOid = InvalidOid;
  tuple.t_data = row;
  heap_deform_tuple(&tuple, layout->tupdesc, layout->values, layout->nulls);
  fill(layout, layout->values, layout->nulls, contact);
}

const Contact* read_arguments_into_scratch(RowLayout* layout, FunctionCallInfo fcinfo) {
  Contact* contact = &layout->scratch;
  for (int i = 0; i < layout->count; i++) {
    ColumnRead& read = layout->reads[i];
    NullableDatum arg = fcinfo->args[read.position];
    if (arg.isnull)
      clear_value(read, contact);
    else
      read_value(read, arg.value, layout->wants_date, contact);
  }
  return contact;
}

void read_arguments(RowLayout* layout, FunctionCallInfo fcinfo, Contact* contact) {
  contact->phone_e164_maintained = layout->phone_e164_maintained;
  for (int i = 0; i < layout->count; i++) {
    ColumnRead& read = layout->reads[i];
    NullableDatum arg = fcinfo->args[read.position];
    if (arg.isnull) continue;
    read_value(read, arg.value, layout->wants_date, contact);
  }
}

}  // namespace pgdialer::glue
