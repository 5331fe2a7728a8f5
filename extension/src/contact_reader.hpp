// Reads a contact from any row type, by column name, into pgdialer::Contact.
//
// A row's layout (which of our columns it has, at which position, of which
// type, read how) is resolved once per row type and call site and cached in
// fn_extra; reading a row is then a deform plus a walk over the present
// columns. Columns that are missing read as NULL; a column of a type we
// cannot use is an error naming the column.
#pragma once

#include "contact.hpp"
#include "contact_columns.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
}

namespace pgdialer::glue {

struct RowLayout;

// Layout for a composite datum's row type, cached in flinfo->fn_extra. When
// the row type is a table's own, whether that table maintains phone_e164 is
// looked up once here (maintained_phone.hpp). `function` names the SQL
// function in error messages.
RowLayout* layout_for_row(FunctionCallInfo fcinfo, HeapTupleHeader row, ColumnSet set, const char* function);

// Layout for the planner-rewritten form: `names` (a text[] constant) names the
// arguments from `first_arg` on; `phone_e164_maintained` is what the planner
// found of the relation (maintained_phone.hpp).
RowLayout* layout_for_arguments(FunctionCallInfo fcinfo, ArrayType* names, int first_arg,
                                bool phone_e164_maintained, const char* function);

// The layout layout_for_arguments cached for this call site, or nullptr.
RowLayout* cached_argument_layout(FunctionCallInfo fcinfo);

// Fill `contact`, which must be freshly constructed (every field empty): only
// the columns the row has are written, so a missing column stays NULL. Not
// re-zeroing the ~1 KB struct matters on the per-row path. Strings point into memory allocated in
// CurrentMemoryContext or into the row itself.
void read_row(RowLayout* layout, HeapTupleHeader row, Contact* contact);
void read_arguments(RowLayout* layout, FunctionCallInfo fcinfo, Contact* contact);

// The per-row hot path of the planner-rewritten form: the same as
// read_arguments, into a Contact the layout keeps (so a ~1 KB struct is not
// zeroed for every row; each of the layout's fields is rewritten, a NULL one
// cleared). Valid until the next call on this layout.
const Contact* read_arguments_into_scratch(RowLayout* layout, FunctionCallInfo fcinfo);

// A pointer-sized slot next to the call site's layouts (in fn_extra, so it
// lives as long as they do) for the calling function's own state; NULL at first.
void** call_site_extra(FunctionCallInfo fcinfo);

// The call site's cached result row descriptor (for functions returning a
// composite), looked up and blessed on first use.
TupleDesc result_descriptor(FunctionCallInfo fcinfo);

// A PostgreSQL timestamptz as microseconds since the Unix epoch; infinities
// saturate.
UnixMicros to_unix_micros(TimestampTz ts);

}  // namespace pgdialer::glue
