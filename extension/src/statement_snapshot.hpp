// What one statement's snapshot can see, as a key: two snapshots with equal
// keys see the same rows; and StatementCache, a value loaded once per key. The
// per-statement caches (suppression_cache.cpp, deals_cache.cpp,
// calling_window_cache.cpp) are StatementCaches; suppression_cache.cpp says
// why each part of the key is needed.
//
// Include after postgres.h.
#pragma once

#include <utility>

extern "C" {
#include "access/xact.h"
#include "storage/proc.h"
#include "utils/snapmgr.h"
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

// A value (a smart pointer, Ptr) loaded on first use in a statement and
// reused while the active snapshot's key stays the same; forgotten, value
// and all, at the end of every transaction, so an idle backend holds nothing.
// Outside any statement (not reached from SQL) it loads under a fresh
// snapshot and keeps nothing for the next call, since nothing says when that
// goes stale.
//
// get(load) calls load(&value) when a load is due. load may raise a
// PostgreSQL ERROR, so it builds the new value where an error frees it (a
// memory context, cpp_boundary.hpp's context_owned) and assigns *value last:
// an error leaves the old value, under a key no later snapshot matches.
template <typename Ptr>
class StatementCache {
 public:
  template <typename Load>
  auto get(Load load) -> decltype(std::declval<const Ptr&>().get()) {
    if (!registered_) {
      RegisterXactCallback(&StatementCache::forget, this);
      registered_ = true;
    }
    if (ActiveSnapshotSet()) {
      const SnapshotKey key = key_of(GetActiveSnapshot());
      if (valid_ && key == key_) return value_.get();
      valid_ = false;
      load(&value_);
      key_ = key;
      valid_ = true;
    } else {
      valid_ = false;
      PushActiveSnapshot(GetTransactionSnapshot());
      load(&value_);
      PopActiveSnapshot();
    }
    return value_.get();
  }

  // The value loaded last (for a caller that keeps it past the statement).
  const Ptr& value() const noexcept { return value_; }

 private:
  static void forget(XactEvent event, void* self) {
    switch (event) {
      case XACT_EVENT_COMMIT:
      case XACT_EVENT_PARALLEL_COMMIT:
      case XACT_EVENT_ABORT:
      case XACT_EVENT_PARALLEL_ABORT:
      case XACT_EVENT_PREPARE: {
        auto* cache = static_cast<StatementCache*>(self);
        cache->valid_ = false;
        cache->value_.reset();
        break;
      }
      default: break;
    }
  }

  Ptr value_;
  SnapshotKey key_{};
  bool valid_ = false;
  bool registered_ = false;
};

}  // namespace pgdialer::glue
