// The webhook journal: where an event goes when PostgreSQL cannot take it
// right now, so the HTTP 200 can still go out and nothing acknowledged is
// lost, including across a crash or restart.
//
// One file, <dir>/webhook-journal, append-only, one record per line:
//   <crc32 of payload, 8 lowercase hex> <payload>\n
// (payloads are compact JSON, which never holds a raw newline). An append
// returns only after fdatasync() — and, when it created the file, an fsync()
// of the directory — so a record is durable before its delivery is
// acknowledged. A crash during an append leaves at most one torn last record:
// it was never acknowledged, so opening the journal drops it (a damaged
// region longer than one line is kept aside in a .damaged-<time> file
// instead, because it may hold acknowledged events).
//
// Replay hands the records out oldest first; once every record has been
// consumed the file is truncated to zero. A record replayed before a crash
// but not yet truncated is replayed again after the restart: the database
// side is idempotent (call_id / contact keys), so that is harmless.
//
// Events the database refuses as malformed go to <dir>/webhook-rejected.jsonl
// (one JSON object per line: rejected_at, error, event) for a human to look
// at, instead of blocking the journal forever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>

namespace pgdialer::sync {

class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// CRC-32 (IEEE 802.3, as zlib's crc32), for torn-record detection.
std::uint32_t crc32(const std::string& data);

class EventJournal {
 public:
  // Opens or creates the journal in `directory` (created with mode 0700 if
  // missing), checks every record, drops a torn tail, and takes an exclusive
  // lock so that two daemons never share one journal. Throws JournalError.
  explicit EventJournal(const std::string& directory);
  ~EventJournal();
  EventJournal(const EventJournal&) = delete;
  EventJournal& operator=(const EventJournal&) = delete;

  // Appends one record durably, or throws JournalError having appended
  // nothing. `payload` must not contain a newline.
  void append(const std::string& payload);

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

  // Keeps a refused event in the rejected file, durably. Throws JournalError.
  void reject(const std::string& payload, const std::string& reason);

  const std::string& path() const { return path_; }
  const std::string& rejected_path() const { return rejected_path_; }

 private:
  void recover();  // at open: count records, cut a torn tail
  void truncate_if_drained();

  std::string directory_;
  std::string path_;
  std::string rejected_path_;
  int fd_ = -1;
  mutable std::mutex mutex_;  // guards the offsets, depth and the file's end
  std::mutex replay_mutex_;   // one replay at a time
  std::mutex rejected_mutex_;
  std::uint64_t consumed_ = 0;  // offset of the first unconsumed record
  std::uint64_t end_ = 0;       // offset after the last durable record
  std::size_t depth_ = 0;
};

}  // namespace pgdialer::sync
