// fmgr glue for dialer.e164, dialer.e164_immutable and dialer.phone_info.
#include <optional>
#include <string>

#include "phone.hpp"

#include "contact_reader.hpp"
#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "funcapi.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pgdialer_e164);
PG_FUNCTION_INFO_V1(pgdialer_e164_immutable);
PG_FUNCTION_INFO_V1(pgdialer_phone_info);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

struct Arg {
  const char* data;
  int size;
};

Arg text_arg(FunctionCallInfo fcinfo, int n) {
  text* t = PG_GETARG_TEXT_PP(n);
  return Arg{VARDATA_ANY(t), static_cast<int>(VARSIZE_ANY_EXHDR(t))};
}

// The region argument, or dialer.default_region when it is NULL.
Arg region_arg(FunctionCallInfo fcinfo, int n) {
  if (n < PG_NARGS() && !PG_ARGISNULL(n)) return text_arg(fcinfo, n);
  const char* region = default_region();
  return Arg{region, static_cast<int>(strlen(region))};
}

Datum e164(FunctionCallInfo fcinfo, Arg phone, Arg region) {
  text* result = cpp_call([&]() -> text* {
    auto e164 = to_e164(std::string_view(phone.data, phone.size), std::string_view(region.data, region.size));
    return e164 ? text_noerr(*e164) : nullptr;
  });
  if (result == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(result);
}

Datum optional_text(const std::optional<std::string>& s) {
  return s ? PointerGetDatum(text_noerr(*s)) : Datum(0);
}

}  // namespace

// dialer.e164(phone text, region text DEFAULT NULL): STABLE, NULL region = setting.
extern "C" Datum pgdialer_e164(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  return e164(fcinfo, text_arg(fcinfo, 0), region_arg(fcinfo, 1));
}

// dialer.e164_immutable(phone text, region text): IMMUTABLE STRICT, for stored
// and generated columns.
extern "C" Datum pgdialer_e164_immutable(PG_FUNCTION_ARGS) {
  return e164(fcinfo, text_arg(fcinfo, 0), text_arg(fcinfo, 1));
}

// dialer.phone_info(phone text, region text DEFAULT NULL) RETURNS dialer.phone_info
// A number that cannot be parsed gives a row with valid = possible = false.
extern "C" Datum pgdialer_phone_info(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  Arg phone = text_arg(fcinfo, 0), region = region_arg(fcinfo, 1);
  constexpr int kFields = 8;
  Datum values[kFields];
  bool nulls[kFields];
  cpp_call([&] {
    auto info =
        phone_info(std::string_view(phone.data, phone.size), std::string_view(region.data, region.size));
    PhoneInfo none;
    const PhoneInfo& i = info ? *info : none;
    values[0] = optional_text(i.e164);
    values[1] = BoolGetDatum(i.valid);
    values[2] = BoolGetDatum(i.possible);
    values[3] = info ? optional_text(i.number_type) : Datum(0);
    values[4] = optional_text(i.region_code);
    values[5] = optional_text(i.national_format);
    values[6] = optional_text(i.international_format);
    values[7] = optional_text(i.location);
    nulls[0] = !i.e164;
    nulls[1] = nulls[2] = false;
    nulls[3] = !info;
    nulls[4] = !i.region_code;
    nulls[5] = !i.national_format;
    nulls[6] = !i.international_format;
    nulls[7] = !i.location;
  });
  HeapTuple tuple = heap_form_tuple(result_descriptor(fcinfo), values, nulls);
  PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}
