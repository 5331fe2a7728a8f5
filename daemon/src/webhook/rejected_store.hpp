// Where events go that leave the journal without reaching PostgreSQL, so a
// bad event never blocks the ones behind it and is never dropped:
//   - refused as data by the database (SQLSTATE class 22): one JSON line in
//     <dir>/webhook-rejected.jsonl (rejected_at, error, event), for a human;
//     retrying would not make it acceptable;
//   - set aside after failing again and again while later events went
//     through (a poison event): the same line (with "set_aside": true and the
//     attempts), and the event itself in the held file (webhook/held_file),
//     which `pgdialer-sync --replay-held` puts back once the cause is fixed.
//
// The rejected file rotates: once it reaches a eighth of the cap it is
// renamed webhook-rejected-<UTC time>.jsonl and a new one starts. All of
// them together with the held file stay under one configured cap: a write
// that would pass it throws JournalFull (nothing is deleted to make room;
// the administrator decides what to remove), and the caller keeps the event
// or answers 503.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "webhook/record_file.hpp"

namespace pgdialer::sync {

class RejectedStore {
 public:
  // `max_bytes`: the cap on the rejected files and the held file together
  // (0: none). The directory must exist (the journal creates it).
  RejectedStore(std::string directory, std::uint64_t max_bytes);

  // Durably; throws JournalError (JournalFull: the cap).
  void reject(const std::string& payload, const std::string& reason);
  void set_aside(const std::string& payload, const std::string& reason, int attempts);

  // What the cap counts now (rescanned: an administrator may have removed files).
  std::uint64_t bytes();
  std::uint64_t max_bytes() const { return max_bytes_; }
  const std::string& rejected_path() const { return rejected_path_; }
  const std::string& directory() const { return directory_; }

 private:
  std::string line(const std::string& payload, const std::string& reason, int attempts) const;
  void make_room(std::uint64_t adding);  // caller holds mutex_
  void append_line(const std::string& line);
  void rotate();
  std::uint64_t scan() const;

  std::string directory_;
  std::string rejected_path_;
  std::uint64_t max_bytes_;
  std::uint64_t rotate_bytes_;
  std::mutex mutex_;
  std::uint64_t used_ = 0;  // as of the last scan plus what we wrote since
};

}  // namespace pgdialer::sync
