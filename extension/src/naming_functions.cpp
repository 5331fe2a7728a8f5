// fmgr glue for dialer.session_name and dialer.dial_time.
#include <optional>
#include <string>
#include <vector>

#include "dial_time.hpp"
#include "preview.hpp"
#include "session_name.hpp"

#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(pgdialer_session_name);
PG_FUNCTION_INFO_V1(pgdialer_dial_time);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

// A text[] argument as parallel arrays of pointers and lengths (NULL
// elements have a null pointer). NULL arrays read as empty.
struct TextArray {
  int n;
  const char** data;
  int* size;
};

TextArray text_array_arg(FunctionCallInfo fcinfo, int arg) {
  TextArray out{0, nullptr, nullptr};
  if (PG_ARGISNULL(arg)) return out;
  ArrayType* array = PG_GETARG_ARRAYTYPE_P(arg);
  if (ARR_NDIM(array) > 1)
    ereport(ERROR, (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                    errmsg("dialer.session_name expects one-dimensional arrays")));
  Datum* elements;
  bool* nulls;
  deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &out.n);
  out.data = static_cast<const char**>(palloc0(sizeof(char*) * Max(out.n, 1)));
  out.size = static_cast<int*>(palloc0(sizeof(int) * Max(out.n, 1)));
  for (int i = 0; i < out.n; i++) {
    if (nulls[i]) continue;
    text* t = DatumGetTextPP(elements[i]);
    out.data[i] = VARDATA_ANY(t);
    out.size[i] = VARSIZE_ANY_EXHDR(t);
  }
  return out;
}

std::vector<Text> texts(const TextArray& a) {
  std::vector<Text> out;
  out.reserve(a.n);
  for (int i = 0; i < a.n; i++)
    out.push_back(a.data[i] ? Text(std::string_view(a.data[i], a.size[i])) : std::nullopt);
  return out;
}

}  // namespace

// dialer.session_name(contact_types text[], buyer_types text[], filters jsonb, as_of date)
extern "C" Datum pgdialer_session_name(PG_FUNCTION_ARGS) {
  TextArray types = text_array_arg(fcinfo, 0);
  TextArray buyer_types = text_array_arg(fcinfo, 1);
  const char* filters = PG_ARGISNULL(2) ? "{}" : JsonbToCString(nullptr, &PG_GETARG_JSONB_P(2)->root, 0);
  DateADT date = PG_ARGISNULL(3) ? GetSQLCurrentDate() : PG_GETARG_DATEADT(3);
  if (DATE_NOT_FINITE(date))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("as_of must be a finite date")));
  int year, month, day;
  j2date(date + POSTGRES_EPOCH_JDATE, &year, &month, &day);

  text* name = cpp_call([&] {
    OwnedFilters f = parse_filters(filters);
    return text_noerr(session_name(texts(types), texts(buyer_types), f.view(), year, month));
  });
  PG_RETURN_TEXT_P(name);
}

// dialer.dial_time(contacts bigint, minutes_per_contact real DEFAULT NULL)
extern "C" Datum pgdialer_dial_time(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  int64 contacts = PG_GETARG_INT64(0);
  double minutes = PG_ARGISNULL(1) ? minutes_per_contact() : PG_GETARG_FLOAT4(1);
  text* result = cpp_call([&] { return text_noerr(dial_time(contacts, minutes)); });
  PG_RETURN_TEXT_P(result);
}
