// The active deals of the configured deals relation (dialer.configure_deals),
// for the deal-aware talking points: read once per statement, not per row.
//
// Include after the core headers and before postgres.h (see pg_free.hpp).
#pragma once

#include <memory>
#include <vector>

#include "deals.hpp"

namespace pgdialer::glue {

// The active deals as the active snapshot sees them, read with the caller's
// rights through dialer._active_deals() (empty when no deals relation is
// registered). The first call under a snapshot runs one query; later rows
// and calls of the statement reuse it. Borrowed: valid until the next call.
// May ereport (the query, or no SELECT on the relation), so call it outside
// cpp_call.
const std::vector<Deal>* statement_deals();

}  // namespace pgdialer::glue
