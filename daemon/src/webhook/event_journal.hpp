// The webhook journal: where an event goes when PostgreSQL cannot take it
// right now, so the HTTP 200 can still go out and nothing acknowledged is
// lost, including across a crash or restart.
//
// One file, <dir>/webhook-journal, append-only, in the record format of
// webhook/record_file. An append returns only after fdatasync() — and, when
// it created the file, an fsync() of the directory — so a record is durable
// before its delivery is acknowledged. A crash during an append leaves at
// most one torn last record: it was never acknowledged, so opening the
// journal drops it (a damaged region longer than one line is kept aside in a
// .damaged-<time> file instead, because it may hold acknowledged events).
// Opening reads the file in bounded chunks, never whole.
//
// The file may not grow past a configured size: an append that would pass it
// throws JournalFull, and the delivery is answered 503 (PhoneBurner sends it
// again), instead of filling the disk.
//
// Replay hands the records out oldest first; once every record has been
// consumed the file is truncated to zero. A record replayed before a crash
// but not yet truncated is replayed again after the restart: the database
// side is idempotent (call_id / contact keys), so that is harmless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "webhook/record_file.hpp"

namespace pgdialer::sync {

class EventJournal {
 public:
  // Opens or creates the journal in `directory` (created with mode 0700 if
  // missing), checks every record, drops a torn tail, and takes an exclusive
  // lock so that two daemons never share one journal. `max_bytes` caps the
  // file's size (0: no cap). Throws JournalError.
  explicit EventJournal(const std::string& directory, std::uint64_t max_bytes = 0);
  ~EventJournal();
  EventJournal(const EventJournal&) = delete;
  EventJournal& operator=(const EventJournal&) = delete;

  // Appends one record durably, or throws JournalError having appended
  // nothing (JournalFull: the cap). `payload` must not contain a newline.
  void append(const std::string& payload);
  // The file's size, consumed records included until it is truncated.
  std::uint64_t bytes() const;
  std::uint64_t max_bytes() const { return max_bytes_; }

  // Records appended and not yet consumed by replay.
  std::size_t depth() const;
  bool empty() const { return depth() == 0; }

  enum class Step { consumed, stop };
  // Calls `handle` for each unconsumed record, oldest first, including
  // records appended meanwhile, until it returns Step::stop or none is left;
  // `handle` runs without the journal's lock, so appends go on. When all are
  // consumed the file is truncated. Returns how many were consumed. One
  // replay at a time (callers on other threads wait).
  std::size_t replay(const std::function<Step(const std::string& payload)>& handle);

  // Up to `count` records after the first unconsumed one, oldest first: a
  // replay handler asks whether the events behind a failing one fare better.
  std::vector<std::string> following(std::size_t count) const;

  const std::string& path() const { return path_; }

 private:
  void recover();  // at open: count records, cut a torn tail
  void truncate_if_drained();

  std::string directory_;
  std::string path_;
  std::uint64_t max_bytes_;
  int fd_ = -1;
  mutable std::mutex mutex_;    // guards the offsets, depth and the file's end
  std::mutex replay_mutex_;     // one replay at a time
  std::uint64_t consumed_ = 0;  // offset of the first unconsumed record
  std::uint64_t end_ = 0;       // offset after the last durable record
  std::size_t depth_ = 0;
};

}  // namespace pgdialer::sync
