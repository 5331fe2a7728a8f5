#include "webhook/event_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "common/log.hpp"

namespace pgdialer::sync {

EventJournal::EventJournal(const std::string& directory, std::uint64_t max_bytes)
    : directory_(directory), path_(directory + "/webhook-journal"), max_bytes_(max_bytes) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    throw JournalError(errno_text("cannot create journal directory", directory));
  bool created = ::access(path_.c_str(), F_OK) != 0;
  fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw JournalError(errno_text("cannot open journal", path_));
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string message = errno == EWOULDBLOCK ? "journal " + path_ + " is in use by another pgdialer-sync"
                                               : errno_text("cannot lock journal", path_);
    ::close(fd_);
    throw JournalError(message);
  }
  try {
    if (created) sync_directory(directory_);
    recover();
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

EventJournal::~EventJournal() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock; the records stay on disk
}

void EventJournal::recover() {
  struct stat st {};
  if (fstat(fd_, &st) != 0) throw JournalError(errno_text("cannot stat", path_));
  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  // Streamed: a journal left by a long outage may be far larger than memory.
  RecordReader reader(fd_, path_, 0, size);
  std::string payload;
  RecordReader::Result result;
  while ((result = reader.next(&payload)) == RecordReader::Result::record) ++depth_;
  const std::uint64_t pos = reader.offset();
  if (result == RecordReader::Result::damaged) {
    const std::uint64_t rest = size - pos;
    if (reader.damage_spans_lines()) {
      // More than one damaged line: not a torn append, keep it for a human.
      const std::string aside = path_ + ".damaged-" + std::to_string(std::time(nullptr));
      copy_range_to_new_file(fd_, path_, pos, size, aside);
      sync_directory(directory_);
      log::error("webhook journal " + path_ + " is damaged after record " + std::to_string(depth_) +
                 "; the remaining " + std::to_string(rest) + " bytes were moved to " + aside);
    } else {
      log::warning("webhook journal: dropped a torn last record (" + std::to_string(rest) +
                   " bytes) left by a crash during an append; it was never acknowledged");
    }
    if (ftruncate(fd_, static_cast<off_t>(pos)) != 0 || fsync(fd_) != 0)
      throw JournalError(errno_text("cannot cut the torn tail of", path_));
  }
  end_ = pos;
  consumed_ = 0;
}

void EventJournal::append(const std::string& payload) {
  const std::string record = encode_record(payload);
  std::lock_guard<std::mutex> lock(mutex_);
  if (max_bytes_ > 0 && end_ + record.size() > max_bytes_)
    throw JournalFull("journal " + path_ + " is full (" + std::to_string(end_) + " bytes, cap " +
                      std::to_string(max_bytes_) + ", PGDIALER_JOURNAL_MAX_BYTES)");
  durable_append(fd_, record, end_, path_);
  end_ += record.size();
  ++depth_;
}

std::size_t EventJournal::depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return depth_;
}

std::uint64_t EventJournal::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return end_;
}

std::size_t EventJournal::replay(const std::function<Step(const std::string&)>& handle) {
  std::lock_guard<std::mutex> one_replay(replay_mutex_);
  std::size_t consumed = 0;
  while (true) {
    std::uint64_t from, to;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (consumed_ == end_) {
        truncate_if_drained();
        return consumed;
      }
      from = consumed_;
      to = end_;
    }
    // The records durable when this round began; appends meanwhile are read
    // by the next round.
    RecordReader reader(fd_, path_, from, to);
    std::string payload;
    RecordReader::Result result;
    while ((result = reader.next(&payload)) == RecordReader::Result::record) {
      if (handle(payload) == Step::stop) return consumed;
      ++consumed;
      std::lock_guard<std::mutex> lock(mutex_);
      consumed_ = reader.offset();
      --depth_;
    }
    if (result == RecordReader::Result::damaged)  // appended and synced by us, yet unreadable: say so
      throw JournalError("journal " + path_ + " has an unreadable record at offset " +
                         std::to_string(reader.offset()));
  }
}

std::vector<std::string> EventJournal::following(std::size_t count) const {
  std::uint64_t from, to;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    from = consumed_;
    to = end_;
  }
  std::vector<std::string> records;
  RecordReader reader(fd_, path_, from, to);
  std::string payload;
  if (reader.next(&payload) != RecordReader::Result::record) return records;
  while (records.size() < count && reader.next(&payload) == RecordReader::Result::record)
    records.push_back(std::move(payload));
  return records;
}

void EventJournal::truncate_if_drained() {
  // Caller holds mutex_, so no append runs between the check and the cut.
  if (end_ == 0 || consumed_ != end_) return;
  if (ftruncate(fd_, 0) != 0 || fsync(fd_) != 0) {
    // Not fatal: the records are consumed; they would be replayed again
    // (idempotently) after a restart. Keep appending after them.
    log::warning(errno_text("webhook journal: cannot truncate", path_));
    return;
  }
  consumed_ = end_ = 0;
}

}  // namespace pgdialer::sync
