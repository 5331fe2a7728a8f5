// The preview's frequency_capped section (frequency_caps.hpp).
#include "frequency_caps.hpp"

extern "C" {
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
}

namespace pgdialer::glue {

struct FrequencyCapLists {
  MemoryContext context;
  ArrayBuildState* ids;
  ArrayBuildState* numbers;
  ArrayBuildState* states;
  long count;
};

namespace {

void accumulate_text(ArrayBuildState* state, const char* data, int len, MemoryContext context) {
  bool isnull = data == nullptr;
  Datum value = isnull ? Datum(0) : PointerGetDatum(cstring_to_text_with_len(data, len));
  accumArrayResult(state, value, isnull, TEXTOID, context);
}

bool caps_in_force() {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  // A 1.0 schema has no caps and no section function: ask the catalog first.
  int rc = SPI_execute(
      "SELECT to_regprocedure('dialer._frequency_capped_section(text[], text[], text[], timestamptz)') IS "
      "NOT NULL",
      true, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "dialer: reading the frequency caps failed");
  bool isnull = true;
  bool present = SPI_processed == 1 &&
                 DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) &&
                 !isnull;
  bool in_force = false;
  if (present) {
    rc = SPI_execute("SELECT dialer.frequency_caps_in_force()", true, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "dialer: reading the frequency caps failed");
    if (SPI_processed == 1) {
      Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
      in_force = !isnull && DatumGetBool(d);
    }
  }
  SPI_finish();
  return in_force;
}

}  // namespace

FrequencyCapLists* frequency_caps_begin(MemoryContextData* context) {
  if (!caps_in_force()) return nullptr;
  auto* lists = static_cast<FrequencyCapLists*>(MemoryContextAllocZero(context, sizeof(FrequencyCapLists)));
  lists->context = context;
  lists->ids = initArrayResult(TEXTOID, context, false);
  lists->numbers = initArrayResult(TEXTOID, context, false);
  lists->states = initArrayResult(TEXTOID, context, false);
  return lists;
}

void frequency_caps_add(FrequencyCapLists* lists, const char* id, int id_len, const char* e164, int e164_len,
                        const char* state, int state_len) {
  if (lists == nullptr || e164 == nullptr) return;
  accumulate_text(lists->ids, id, id_len, lists->context);
  accumulate_text(lists->numbers, e164, e164_len, lists->context);
  accumulate_text(lists->states, state, state_len, lists->context);
  lists->count++;
}

std::uintptr_t frequency_caps_section(FrequencyCapLists* lists, std::int64_t at) {
  if (lists == nullptr || lists->count == 0) return 0;
  MemoryContext caller = CurrentMemoryContext;
  Oid types[4] = {TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZOID};
  Datum values[4] = {makeArrayResult(lists->ids, caller), makeArrayResult(lists->numbers, caller),
                     makeArrayResult(lists->states, caller), TimestampTzGetDatum(at)};
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  int rc = SPI_execute_with_args(
      "SELECT jsonb_build_object('frequency_capped', s) "
      "FROM dialer._frequency_capped_section($1, $2, $3, $4) s WHERE s IS NOT NULL",
      4, types, values, nullptr, true, 1);
  if (rc != SPI_OK_SELECT) elog(ERROR, "dialer: reading the frequency caps failed");
  Datum result = 0;
  if (SPI_processed == 1) {
    bool isnull = true;
    Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    if (!isnull) result = SPI_datumTransfer(d, false, -1);
  }
  SPI_finish();
  return result;
}

}  // namespace pgdialer::glue
