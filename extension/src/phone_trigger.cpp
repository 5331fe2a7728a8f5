// dialer.maintain_phone_e164(): BEFORE INSERT OR UPDATE row trigger that sets a
// stored E.164 column from a phone column, so the rules never re-parse.
// Written in C rather than PL/pgSQL: the generic PL/pgSQL version had to go
// through jsonb and cost ~40 us a row on a wide contacts table.
#include <optional>
#include <string>

#include "phone.hpp"

#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(pgdialer_maintain_phone_e164);
}

using namespace pgdialer;
using namespace pgdialer::glue;

namespace {

int column_number(Relation relation, const char* name) {
  int attnum = SPI_fnumber(RelationGetDescr(relation), name);
  if (attnum <= 0)
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                    errmsg("dialer.maintain_phone_e164: column \"%s\" of relation \"%s\" does not exist",
                           name, RelationGetRelationName(relation)),
                    errhint("Name the columns as trigger arguments: "
                            "EXECUTE FUNCTION dialer.maintain_phone_e164('phone', 'phone_e164').")));
  return attnum;
}

}  // namespace

extern "C" Datum pgdialer_maintain_phone_e164(PG_FUNCTION_ARGS) {
  if (!CALLED_AS_TRIGGER(fcinfo))
    ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                    errmsg("dialer.maintain_phone_e164 must be called as a trigger")));
  auto* trigger = reinterpret_cast<TriggerData*>(fcinfo->context);
  TriggerEvent event = trigger->tg_event;
  if (!TRIGGER_FIRED_BEFORE(event) || !TRIGGER_FIRED_FOR_ROW(event) ||
      !(TRIGGER_FIRED_BY_INSERT(event) || TRIGGER_FIRED_BY_UPDATE(event)))
    ereport(
        ERROR,
        (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
         errmsg("dialer.maintain_phone_e164 must be a BEFORE INSERT OR UPDATE ... FOR EACH ROW trigger")));
  if (trigger->tg_trigger->tgnargs > 2)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("dialer.maintain_phone_e164 takes at most two arguments: the phone column and the "
                           "E.164 column")));

  Relation relation = trigger->tg_relation;
  TupleDesc desc = RelationGetDescr(relation);
  char** args = trigger->tg_trigger->tgargs;
  int nargs = trigger->tg_trigger->tgnargs;
  int source = column_number(relation, nargs > 0 ? args[0] : "phone");
  int target = column_number(relation, nargs > 1 ? args[1] : "phone_e164");
  Oid target_type = getBaseType(TupleDescAttr(desc, target - 1)->atttypid);
  if (target_type != TEXTOID && target_type != VARCHAROID)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("dialer.maintain_phone_e164: column \"%s\" must be text or varchar, not %s",
                           NameStr(TupleDescAttr(desc, target - 1)->attname),
                           format_type_be(TupleDescAttr(desc, target - 1)->atttypid))));

  HeapTuple row = TRIGGER_FIRED_BY_UPDATE(event) ? trigger->tg_newtuple : trigger->tg_trigtuple;
  char* raw = SPI_getvalue(row, desc, source);  // NULL for a NULL phone
  const char* region = default_region();
  text* e164 = nullptr;
  if (raw != nullptr) {
    e164 = cpp_call([&]() -> text* {
      std::optional<std::string> number = to_e164(raw, region);
      return number ? text_noerr(*number) : nullptr;
    });
  }
  Datum value = PointerGetDatum(e164);
  bool isnull = e164 == nullptr;
  return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, 1, &target, &value, &isnull));
}
