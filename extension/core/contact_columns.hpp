// The catalogue of columns the extension reads from a contact row: name, how
// the value is read, and where it lands in Contact. The fmgr glue resolves
// these names against a row type once and caches the positions.
#pragma once
#include "pg_free.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

#include "contact.hpp"

namespace pgdialer {

enum class ColumnKind {
  text,       // any type, read through its output function
  boolean,    // must be boolean
  timestamp,  // timestamptz, timestamp or date
  text_list,  // text[] (joined with ", ") or text
};

struct ColumnSpec {
  std::string_view name;
  ColumnKind kind;
  Text Contact::*text_member;                 // for text and text_list
  std::optional<bool> Contact::*bool_member;  // for boolean
};

// All columns, in a fixed order; index into it with the values of `column_index`.
const ColumnSpec* contact_columns();

// Index of a column by name, or -1.
int column_index(std::string_view name);

// Which columns a function needs. The planner support function rewrites
// `dialer.exclusion(c)` to pass only these columns instead of the whole row.
// calling_window: what the window check reads (calling_window.hpp);
// preview_calling_window: preview's plus those, for options.calling_window.
enum class ColumnSet { exclusion, dialable, preview, everything, calling_window, preview_calling_window };
bool column_in_set(int index, ColumnSet set);

}  // namespace pgdialer
