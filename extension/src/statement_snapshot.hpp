// What one statement's snapshot can see, as a key: two snapshots with equal
// keys see the same rows. The per-statement caches (suppression_cache.cpp,
// deals_cache.cpp) load once per key; suppression_cache.cpp says why each
// part is needed.
//
// Include after postgres.h.
#pragma once

extern "C" {
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/snapshot.h"
}

namespace pgdialer::glue {

struct SnapshotKey {
  LocalTransactionId lxid;
  SubTransactionId subxid;
  CommandId curcid;
  TransactionId xmin;
  TransactionId xmax;
  uint32 xcnt;
  uint64 completions;

  bool operator==(const SnapshotKey& o) const {
    return lxid == o.lxid && subxid == o.subxid && curcid == o.curcid && xmin == o.xmin && xmax == o.xmax &&
           xcnt == o.xcnt && completions == o.completions;
  }
};

inline SnapshotKey key_of(Snapshot snapshot) {
  return SnapshotKey{
      MyProc->lxid,   GetCurrentSubTransactionId(),     snapshot->curcid, snapshot->xmin, snapshot->xmax,
      snapshot->xcnt, snapshot->snapXactCompletionCount};
}

}  // namespace pgdialer::glue
