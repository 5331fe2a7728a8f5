// dialer.suppressions, cached per statement.
//
// Design. The rules must consult the suppression list for every contact
// without a query per row, and a number inserted or deleted by one statement
// must count from the next statement on. So the list is loaded with one query
// (a saved plan, rows streamed straight into a SuppressionList, no tuple
// store) under the statement's snapshot, and cached in this backend together
// with a key that identifies what that snapshot can see:
//
//   - the local transaction and the current subtransaction (a rolled-back
//     savepoint starts a new one, so its inserts can never linger);
//   - the snapshot's command id (our own transaction's later writes);
//   - its xmin, xmax, running-xid count and transaction-completion count
//     (other transactions' commits: the count moves whenever one completes).
//
// Two snapshots with equal keys see the same rows, so every row and call
// site of one statement shares one load, while the next statement (new
// snapshot in READ COMMITTED, new command id after a write in any isolation
// level) loads afresh. This holds where a per-call-site fn_extra cache would
// not: PL/pgSQL keeps a simple expression's state (and so its fn_extra) for
// the whole transaction, across statements that change the table.
//
// The query reads with read_only = true, i.e. under the active snapshot
// itself (no new snapshot, no command counter increment), which is what a
// STABLE function may do and what makes the key describe the loaded rows.
// SPI_connect nests, so this also works when the caller (PL/pgSQL, SQL
// functions such as dialer.push) is itself inside SPI; it opens an atomic
// connection of its own and always closes it.
//
// Cost: an empty table is one tiny query per statement and a pointer check per
// row. A listed number costs the load once per statement (see
// docs/benchmarks.md) and one hash probe per contact. The cache is dropped at the end
// of every transaction, so an idle backend holds nothing.
//
// The list is read through dialer._suppressed_numbers(), a SECURITY DEFINER
// function that returns only the numbers and their source: whoever may run
// the rules (PUBLIC) needs no grant on the table. A caller without EXECUTE on
// it gets an error rather than rules that silently skip legal DNC.
#include <cstring>
#include <memory>

#include "suppression_list.hpp"

#include "cpp_boundary.hpp"
#include "statement_snapshot.hpp"
#include "suppression_cache.hpp"

extern "C" {
#include "access/xact.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "storage/proc.h"
#include "tcop/dest.h"
#include "utils/snapmgr.h"
#include "utils/snapshot.h"
}

namespace pgdialer::glue {

namespace {

constexpr const char* kLoadQuery = "SELECT phone_e164, source FROM dialer._suppressed_numbers()";

// The backend's one cached list. A shared_ptr: builders that copied it keep
// their list alive when the cache moves on to the next statement.
StatementCache<std::shared_ptr<const SuppressionList>> cache;
SPIPlanPtr load_plan = nullptr;  // saved: parsed and planned once per backend

// Streams the query's rows into a list: 50,000 numbers never become a tuple
// store first.
struct ListReceiver {
  DestReceiver pub;  // first: the executor sees a DestReceiver*
  SuppressionList* list;
};

std::string_view text_view(Datum value) {
  auto* t = reinterpret_cast<text*>(PG_DETOAST_DATUM_PACKED(value));
  return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

bool receive_row(TupleTableSlot* slot, DestReceiver* self) {
  SuppressionList* list = reinterpret_cast<ListReceiver*>(self)->list;
  slot_getallattrs(slot);
  if (slot->tts_isnull[0]) return true;
  std::string_view number = text_view(slot->tts_values[0]);
  std::string_view source = slot->tts_isnull[1] ? std::string_view() : text_view(slot->tts_values[1]);
  cpp_call([&] { list->add(number, source); });
  return true;
}

void receiver_startup(DestReceiver*, int, TupleDesc) {}
void receiver_shutdown(DestReceiver*) {}
void receiver_destroy(DestReceiver*) {}

// Runs the load query into `list` under the active snapshot.
void load_into(SuppressionList* list) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  if (load_plan == nullptr) {
    SPIPlanPtr plan = SPI_prepare(kLoadQuery, 0, nullptr);
    if (plan == nullptr)
      elog(ERROR, "dialer: preparing the suppression list query failed: %s",
           SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "dialer: SPI_keepplan failed");
    load_plan = plan;
  }
  ListReceiver receiver;
  std::memset(&receiver, 0, sizeof receiver);
  receiver.pub.receiveSlot = receive_row;
  receiver.pub.rStartup = receiver_startup;
  receiver.pub.rShutdown = receiver_shutdown;
  receiver.pub.rDestroy = receiver_destroy;
  receiver.pub.mydest = DestNone;
  receiver.list = list;

  SPIExecuteOptions options;
  std::memset(&options, 0, sizeof options);
  options.read_only = true;  // the active snapshot, as the key describes
  options.dest = &receiver.pub;
  int rc = SPI_execute_plan_extended(load_plan, &options);
  if (rc < 0) elog(ERROR, "dialer: reading dialer.suppressions failed: %s", SPI_result_code_string(rc));
  SPI_finish();
}

// Loads the list into `*into`. The list under construction is owned by a
// memory context until it is complete, so an error (or a cancel) mid-load
// frees it and leaves the previous list untouched.
void load(std::shared_ptr<const SuppressionList>* into) {
  MemoryContext load_context =
      AllocSetContextCreate(CurrentMemoryContext, "dialer suppression list load", ALLOCSET_SMALL_SIZES);
  auto* building = cpp_call([&] {
    return context_owned<std::shared_ptr<SuppressionList>>(load_context, std::make_shared<SuppressionList>());
  });
  load_into(building->get());
  *into = *building;                  // noexcept; the old list goes unless a builder holds it
  MemoryContextDelete(load_context);  // drops the loader's reference only
}

}  // namespace

const SuppressionList* statement_suppressions() { return cache.get(load); }

std::shared_ptr<const SuppressionList> current_suppressions_shared() noexcept { return cache.value(); }

}  // namespace pgdialer::glue
