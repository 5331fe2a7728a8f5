// Planner support for dialer.exclusion(c) and dialer.is_dialable(c).
//
// Passing a whole row (`dialer.exclusion(c) FROM contacts c`) makes the
// executor copy every row, all columns, before each call; that alone made the
// rules 3.4x slower than the same checks as a WHERE clause. At plan time this
// support function rewrites the call to pass only the columns the rules read:
//
//   dialer.exclusion(c, 7, now())
//   -> dialer._exclusion_columns('{do_not_call,phone,...}', 7, now(),
//                                c.do_not_call, c.phone, ...)
//
// It also tells the column form whether the table maintains phone_e164
// itself (maintained_phone.hpp), so that a blank one is trusted as "does not
// normalize" instead of parsing phone again on every row:
//
//   -> dialer._exclusion_columns('{...}', true, 7, now(), ...)
//
// It does so only where that is certainly equivalent: the argument is a
// whole-row reference to a plain table that no outer join can null-extend,
// or a ROW(...) expression (what a view's row becomes after the planner pulls
// the view up). Anything else keeps the original call.
#include "contact_columns.hpp"

#include "cpp_boundary.hpp"
#include "maintained_phone.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "parser/parsetree.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

PG_FUNCTION_INFO_V1(pgdialer_rules_support);
}

using namespace pgdialer;

namespace {

// Is range table entry `rtindex` on the nullable side of an outer join (or
// not found in the join tree at all, which we treat the same: don't touch)?
bool nullable_or_unknown(Node* node, Index rtindex, bool nullable, bool* found) {
  if (node == nullptr) return false;
  if (IsA(node, RangeTblRef)) {
    if (castNode(RangeTblRef, node)->rtindex != static_cast<int>(rtindex)) return false;
    *found = true;
    return nullable;
  }
  if (IsA(node, FromExpr)) {
    ListCell* lc;
    foreach (lc, castNode(FromExpr, node)->fromlist) {
      bool result = nullable_or_unknown(static_cast<Node*>(lfirst(lc)), rtindex, nullable, found);
      if (*found) return result;
    }
    return false;
  }
  if (IsA(node, JoinExpr)) {
    JoinExpr* join = castNode(JoinExpr, node);
    bool left_nullable = nullable, right_nullable = nullable;
    switch (join->jointype) {
      case JOIN_INNER: break;
      case JOIN_LEFT: right_nullable = true; break;
      case JOIN_RIGHT: left_nullable = true; break;
      default: left_nullable = right_nullable = true; break;  // FULL, SEMI, ANTI, ...
    }
    bool result = nullable_or_unknown(join->larg, rtindex, left_nullable, found);
    if (*found) return result;
    return nullable_or_unknown(join->rarg, rtindex, right_nullable, found);
  }
  return false;
}

struct ColumnArgs {
  List* names;  // of text Datums, as String nodes' values
  List* exprs;
  bool phone_e164_maintained;
};

void add_column(ColumnArgs* out, const char* name, Expr* expr) {
  out->names = lappend(out->names, makeString(pstrdup(name)));
  out->exprs = lappend(out->exprs, expr);
}

// Columns of a whole-row Var over a plain, never null-extended table.
bool columns_of_var(PlannerInfo* root, Var* var, ColumnSet set, Oid schema, ColumnArgs* out) {
  if (root == nullptr || var->varattno != InvalidAttrNumber || var->varlevelsup != 0) return false;
  if (var->varno < 1 || var->varno > static_cast<int>(list_length(root->parse->rtable))) return false;
  RangeTblEntry* rte = rt_fetch(var->varno, root->parse->rtable);
  if (rte->rtekind != RTE_RELATION) return false;
  bool found = false;
  if (nullable_or_unknown(reinterpret_cast<Node*>(root->parse->jointree), var->varno, false, &found) ||
      !found)
    return false;

  TupleDesc desc = lookup_rowtype_tupdesc(var->vartype, var->vartypmod);
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute attr = TupleDescAttr(desc, i);
    if (attr->attisdropped) continue;
    int column = column_index(NameStr(attr->attname));
    if (column < 0 || !column_in_set(column, set)) continue;
    add_column(out, NameStr(attr->attname),
               reinterpret_cast<Expr*>(makeVar(var->varno, attr->attnum, attr->atttypid, attr->atttypmod,
                                               attr->attcollation, 0)));
  }
  ReleaseTupleDesc(desc);
  out->phone_e164_maintained = glue::phone_e164_maintained(rte->relid, schema);
  return true;
}

// Columns of ROW(...): named by the row type, or by the RowExpr's colnames.
bool columns_of_row(RowExpr* row, ColumnSet set, ColumnArgs* out) {
  List* names = row->colnames;
  TupleDesc desc = nullptr;
  if (row->row_typeid != RECORDOID) desc = lookup_rowtype_tupdesc(row->row_typeid, -1);
  int n = list_length(row->args);
  for (int i = 0; i < n; i++) {
    const char* name = nullptr;
    if (desc != nullptr) {
      if (i >= desc->natts || TupleDescAttr(desc, i)->attisdropped) continue;
      name = NameStr(TupleDescAttr(desc, i)->attname);
    } else if (i < list_length(names)) {
      name = strVal(list_nth(names, i));
    }
    if (name == nullptr) continue;
    int column = column_index(name);
    if (column < 0 || !column_in_set(column, set)) continue;
    add_column(out, name, static_cast<Expr*>(list_nth(row->args, i)));
  }
  if (desc != nullptr) ReleaseTupleDesc(desc);
  return true;
}

Const* text_array_const(List* names) {
  int n = list_length(names);
  Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * Max(n, 1)));
  for (int i = 0; i < n; i++) items[i] = CStringGetTextDatum(strVal(list_nth(names, i)));
  ArrayType* array = construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT);
  return makeConst(TEXTARRAYOID, -1, InvalidOid, -1, PointerGetDatum(array), false, false);
}

// The column form next to the original function, in the same schema.
Oid column_form(Oid original, const char* name, int fixed_args, const Oid* fixed_types) {
  char* schema = get_namespace_name(get_func_namespace(original));
  List* qualified = list_make2(makeString(schema), makeString(pstrdup(name)));
  Oid types[5];
  for (int i = 0; i < fixed_args; i++) types[i] = fixed_types[i];
  types[fixed_args] = ANYOID;
  return LookupFuncName(qualified, fixed_args + 1, types, true);
}

Node* rewrite(SupportRequestSimplify* req) {
  FuncExpr* call = req->fcall;
  const char* name = get_func_name(call->funcid);
  bool is_exclusion = strcmp(name, "exclusion") == 0;
  if (!is_exclusion && strcmp(name, "is_dialable") != 0) return nullptr;
  int nargs = list_length(call->args);
  if ((is_exclusion && nargs != 3) || (!is_exclusion && nargs != 1)) return nullptr;

  ColumnSet set = is_exclusion ? ColumnSet::exclusion : ColumnSet::dialable;
  Node* contact = static_cast<Node*>(linitial(call->args));
  ColumnArgs columns{NIL, NIL, false};
  bool ok = false;
  if (IsA(contact, Var))
    ok = columns_of_var(req->root, castNode(Var, contact), set, get_func_namespace(call->funcid), &columns);
  else if (IsA(contact, RowExpr))
    ok = columns_of_row(castNode(RowExpr, contact), set, &columns);
  if (!ok) return nullptr;

  static const Oid exclusion_fixed[] = {TEXTARRAYOID, BOOLOID, INT4OID, TIMESTAMPTZOID};
  static const Oid dialable_fixed[] = {TEXTARRAYOID, BOOLOID};
  Oid target = is_exclusion ? column_form(call->funcid, "_exclusion_columns", 4, exclusion_fixed)
                            : column_form(call->funcid, "_is_dialable_columns", 2, dialable_fixed);
  if (!OidIsValid(target)) return nullptr;

  List* args =
      list_make2(text_array_const(columns.names), makeBoolConst(columns.phone_e164_maintained, false));
  if (is_exclusion) args = lappend(lappend(args, lsecond(call->args)), lthird(call->args));
  args = list_concat(args, columns.exprs);
  if (list_length(args) > FUNC_MAX_ARGS) return nullptr;

  FuncExpr* replacement = makeFuncExpr(target, call->funcresulttype, args, call->funccollid,
                                       call->inputcollid, COERCE_EXPLICIT_CALL);
  replacement->location = call->location;
  return reinterpret_cast<Node*>(replacement);
}

}  // namespace

// SUPPORT function of dialer.exclusion and dialer.is_dialable.
extern "C" Datum pgdialer_rules_support(PG_FUNCTION_ARGS) {
  Node* request = reinterpret_cast<Node*>(PG_GETARG_POINTER(0));
  if (!IsA(request, SupportRequestSimplify)) PG_RETURN_POINTER(nullptr);
  PG_RETURN_POINTER(rewrite(reinterpret_cast<SupportRequestSimplify*>(request)));
}
