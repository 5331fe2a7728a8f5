// The deals relation, cached per statement (the same snapshot key as the
// suppression list, statement_snapshot.hpp): a talking point or a payload per
// row must not cost a query per row, and a deal added or closed counts from
// the next statement. Deals are few (an M&A advisor's active pipeline), so
// they are read through SPI's tuple table and copied.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "deals.hpp"

#include "deals_cache.hpp"

#include "cpp_boundary.hpp"
#include "statement_snapshot.hpp"

extern "C" {
#include "executor/spi.h"
#include "utils/snapmgr.h"
}

namespace pgdialer::glue {

namespace {

constexpr const char* kLoadQuery = "SELECT name, sector, geography, ebitda FROM dialer._active_deals()";

StatementCache<std::unique_ptr<const std::vector<Deal>>> cache;

// One text column of the current SPI row, or "" when NULL (palloc'd in the
// SPI context, freed by SPI_finish).
const char* column(HeapTuple tuple, TupleDesc desc, int n) {
  const char* v = SPI_getvalue(tuple, desc, n);
  return v ? v : "";
}

// Runs the query under the active snapshot into `*into`.
void load(std::unique_ptr<const std::vector<Deal>>* into) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  int rc = SPI_execute(kLoadQuery, true, 0);
  if (rc != SPI_OK_SELECT) elog(ERROR, "dialer: reading the deals failed: %s", SPI_result_code_string(rc));
  // Copied as plain pointers first: nothing with a destructor while SPI may ereport.
  const uint64 n = SPI_processed;
  struct Row {
    const char *name, *sector, *geography, *ebitda;
    bool has_ebitda;
  };
  Row* rows = static_cast<Row*>(palloc0(sizeof(Row) * (n ? n : 1)));
  for (uint64 i = 0; i < n; ++i) {
    HeapTuple t = SPI_tuptable->vals[i];
    TupleDesc d = SPI_tuptable->tupdesc;
    bool isnull = false;
    SPI_getbinval(t, d, 4, &isnull);
    rows[i] = Row{column(t, d, 1), column(t, d, 2), column(t, d, 3), column(t, d, 4), !isnull};
  }
  cpp_call([&] {
    auto deals = std::make_unique<std::vector<Deal>>();
    deals->reserve(n);
    for (uint64 i = 0; i < n; ++i) {
      std::optional<double> ebitda;
      if (rows[i].has_ebitda) ebitda = std::strtod(rows[i].ebitda, nullptr);
      deals->push_back(Deal{rows[i].name, rows[i].sector, rows[i].geography, ebitda});
    }
    *into = std::move(deals);
  });
  SPI_finish();
}

}  // namespace

const std::vector<Deal>* statement_deals() { return cache.get(load); }

}  // namespace pgdialer::glue
