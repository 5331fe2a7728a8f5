// dialer.suppressions for the rules: loaded once per statement, not per row.
//
// Include after the core headers and before postgres.h (see pg_free.hpp).
#pragma once

#include <memory>

#include "suppression_list.hpp"

namespace pgdialer::glue {

// The suppression list as the active snapshot sees it. The first call under a
// snapshot runs one query; every later row and call site of the same
// statement gets the list from memory. Borrowed: valid until the next call.
// May ereport (the query), so call it outside cpp_call.
const SuppressionList* statement_suppressions();

// The list statement_suppressions() last returned, shared, for objects that
// keep it across rows (preview builders). noexcept: usable inside cpp_call.
std::shared_ptr<const SuppressionList> current_suppressions_shared() noexcept;

}  // namespace pgdialer::glue
