#include "maintained_phone.hpp"

extern "C" {
#include "access/relation.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "parser/parse_func.h"
#include "rewrite/rewriteHandler.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace pgdialer::glue {

namespace {

constexpr const char* kPhone = "phone";
constexpr const char* kPhoneE164 = "phone_e164";

Oid function_in(Oid schema, const char* name, int nargs, const Oid* types) {
  List* qualified = list_make2(makeString(get_namespace_name(schema)), makeString(pstrdup(name)));
  return LookupFuncName(qualified, nargs, types, true);
}

AttrNumber column(Relation rel, const char* name) {
  TupleDesc desc = RelationGetDescr(rel);
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute attr = TupleDescAttr(desc, i);
    if (!attr->attisdropped && strcmp(NameStr(attr->attname), name) == 0) return attr->attnum;
  }
  return InvalidAttrNumber;
}

// phone_e164 GENERATED ALWAYS AS (dialer.e164_immutable(phone, 'US')) STORED:
// the call may wrap `phone` in a binary coercion (varchar), nothing else.
bool generated_from_phone(Relation rel, Oid schema, AttrNumber phone, AttrNumber e164) {
  if (TupleDescAttr(RelationGetDescr(rel), e164 - 1)->attgenerated != ATTRIBUTE_GENERATED_STORED)
    return false;
  static const Oid kTextText[] = {TEXTOID, TEXTOID};
  Oid e164_immutable = function_in(schema, "e164_immutable", 2, kTextText);
  Node* expr = build_column_default(rel, e164);
  if (expr == nullptr || !IsA(expr, FuncExpr) || castNode(FuncExpr, expr)->funcid != e164_immutable)
    return false;
  List* args = castNode(FuncExpr, expr)->args;
  Node* source = strip_implicit_coercions(static_cast<Node*>(linitial(args)));
  Node* region = static_cast<Node*>(lsecond(args));
  return IsA(source, Var) && castNode(Var, source)->varattno == phone && IsA(region, Const) &&
         !castNode(Const, region)->constisnull;
}

// The trigger of the docs' recipe, on phone -> phone_e164.
bool kept_by_trigger(Relation rel, Oid schema, AttrNumber phone) {
  TriggerDesc* triggers = rel->trigdesc;
  if (triggers == nullptr) return false;
  Oid maintain = function_in(schema, "maintain_phone_e164", 0, nullptr);
  if (!OidIsValid(maintain)) return false;
  for (int i = 0; i < triggers->numtriggers; i++) {
    const Trigger& t = triggers->triggers[i];
    if (t.tgfoid != maintain || t.tgenabled == TRIGGER_DISABLED || t.tgqual != nullptr) continue;
    if (!TRIGGER_FOR_ROW(t.tgtype) || !TRIGGER_FOR_BEFORE(t.tgtype) || !TRIGGER_FOR_INSERT(t.tgtype) ||
        !TRIGGER_FOR_UPDATE(t.tgtype))
      continue;
    const char* source = t.tgnargs > 0 ? t.tgargs[0] : kPhone;
    const char* target = t.tgnargs > 1 ? t.tgargs[1] : kPhoneE164;
    if (strcmp(source, kPhone) != 0 || strcmp(target, kPhoneE164) != 0) continue;
    bool fires_on_phone = t.tgnattr == 0;
    for (int a = 0; a < t.tgnattr && !fires_on_phone; a++) fires_on_phone = t.tgattr[a] == phone;
    if (fires_on_phone) return true;
  }
  return false;
}

}  // namespace

bool phone_e164_maintained(Oid relid, Oid schema) {
  char kind = get_rel_relkind(relid);
  if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE) return false;
  Relation rel = try_relation_open(relid, AccessShareLock);
  if (rel == nullptr) return false;
  bool maintained = false;
  AttrNumber phone = column(rel, kPhone);
  AttrNumber e164 = column(rel, kPhoneE164);
  if (phone != InvalidAttrNumber && e164 != InvalidAttrNumber)
    maintained = generated_from_phone(rel, schema, phone, e164) || kept_by_trigger(rel, schema, phone);
  relation_close(rel, AccessShareLock);
  return maintained;
}

}  // namespace pgdialer::glue
