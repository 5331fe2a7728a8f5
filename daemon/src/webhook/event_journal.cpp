#include "webhook/event_journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/log.hpp"
#include "webhook/event.hpp"

namespace pgdialer::sync {
namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

std::string hex8(std::uint32_t v) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", v);
  return buffer;
}

// Writes all of `data` at the end of `fd` (O_APPEND) and makes it durable.
// On failure cuts the file back to `old_end` so no partial record remains.
void durable_append(int fd, const std::string& data, std::uint64_t old_end, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string message = errno_text("cannot write", path);
      if (ftruncate(fd, static_cast<off_t>(old_end)) != 0) message += " (and cannot cut it back)";
      throw JournalError(message);
    }
    done += static_cast<size_t>(n);
  }
  if (fdatasync(fd) != 0) {
    std::string message = errno_text("cannot fdatasync", path);
    if (ftruncate(fd, static_cast<off_t>(old_end)) != 0) message += " (and cannot cut it back)";
    throw JournalError(message);
  }
}

void sync_directory(const std::string& directory) {
  int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) throw JournalError(errno_text("cannot open directory", directory));
  int rc = fsync(dir);
  int saved = errno;
  ::close(dir);
  errno = saved;
  if (rc != 0) throw JournalError(errno_text("cannot fsync directory", directory));
}

std::string read_range(int fd, std::uint64_t from, std::uint64_t to, const std::string& path) {
  std::string data(static_cast<size_t>(to - from), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = pread(fd, &data[done], data.size() - done, static_cast<off_t>(from + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw JournalError(errno_text("cannot read", path));
    if (n == 0) break;  // shorter than expected: treat the rest as absent
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

// One record parsed from `data` at `pos`: its payload and the offset after
// it, or nothing when the bytes there are not a complete, intact record.
struct Parsed {
  bool ok = false;
  std::string payload;
  size_t next = 0;
};

Parsed parse_record(const std::string& data, size_t pos) {
  Parsed p;
  size_t newline = data.find('\n', pos);
  if (newline == std::string::npos || newline - pos < 9 || data[pos + 8] != ' ') return p;
  const std::string crc_text = data.substr(pos, 8);
  if (crc_text.find_first_not_of("0123456789abcdef") != std::string::npos) return p;
  std::string payload = data.substr(pos + 9, newline - pos - 9);
  if (hex8(crc32(payload)) != crc_text) return p;
  p.ok = true;
  p.payload = std::move(payload);
  p.next = newline + 1;
  return p;
}

constexpr std::uint64_t kReadChunk = 1 << 20;

}  // namespace

std::uint32_t crc32(const std::string& data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char byte : data) c = crc_table()[(c ^ byte) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

EventJournal::EventJournal(const std::string& directory)
    : directory_(directory),
      path_(directory + "/webhook-journal"),
      rejected_path_(directory + "/webhook-rejected.jsonl") {
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
  const std::string data = read_range(fd_, 0, size, path_);
  size_t pos = 0;
  while (pos < data.size()) {
    Parsed p = parse_record(data, pos);
    if (!p.ok) break;
    ++depth_;
    pos = p.next;
  }
  if (pos < data.size()) {
    const std::string rest = data.substr(pos);
    const size_t newline = rest.find('\n');
    if (newline != std::string::npos && newline + 1 < rest.size()) {
      // More than one damaged line: not a torn append, keep it for a human.
      const std::string aside = path_ + ".damaged-" + std::to_string(std::time(nullptr));
      int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) throw JournalError(errno_text("cannot create", aside));
      try {
        durable_append(fd, rest, 0, aside);
      } catch (...) {
        ::close(fd);
        throw;
      }
      ::close(fd);
      sync_directory(directory_);
      log::error("webhook journal " + path_ + " is damaged after record " + std::to_string(depth_) +
                 "; the remaining " + std::to_string(rest.size()) + " bytes were moved to " + aside);
    } else {
      log::warning("webhook journal: dropped a torn last record (" + std::to_string(rest.size()) +
                   " bytes) left by a crash during an append; it was never acknowledged");
    }
    if (ftruncate(fd_, static_cast<off_t>(pos)) != 0 || fsync(fd_) != 0)
      throw JournalError(errno_text("cannot cut the torn tail of", path_));
  }
  end_ = pos;
  consumed_ = 0;
}

void EventJournal::append(const std::string& payload) {
  if (payload.find('\n') != std::string::npos) throw JournalError("journal payload contains a newline");
  std::string record = hex8(crc32(payload)) + " " + payload + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  durable_append(fd_, record, end_, path_);
  end_ += record.size();
  ++depth_;
}

std::size_t EventJournal::depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return depth_;
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
    // Read a chunk; grow it until it holds at least one whole record.
    std::uint64_t chunk = kReadChunk;
    std::string data;
    Parsed first;
    while (true) {
      data = read_range(fd_, from, std::min(to, from + chunk), path_);
      first = parse_record(data, 0);
      if (first.ok || from + chunk >= to) break;
      chunk *= 2;
    }
    if (!first.ok)  // appended and synced by us, yet unreadable: stop, say so
      throw JournalError("journal " + path_ + " has an unreadable record at offset " + std::to_string(from));
    size_t pos = 0;
    while (pos < data.size()) {
      Parsed p = parse_record(data, pos);
      if (!p.ok) break;  // the chunk cut this record; the next read gets it
      if (handle(p.payload) == Step::stop) return consumed;
      pos = p.next;
      ++consumed;
      std::lock_guard<std::mutex> lock(mutex_);
      consumed_ = from + pos;
      --depth_;
    }
  }
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

void EventJournal::reject(const std::string& payload, const std::string& reason) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("rejected_at");
  const std::string now = format_received_at(std::chrono::system_clock::now());
  w.String(now.c_str());
  w.Key("error");
  w.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  w.Key("event");
  // The payload is our own compact JSON (it was written by normalize_event).
  w.RawValue(payload.c_str(), payload.size(), rapidjson::kObjectType);
  w.EndObject();
  std::string line(buffer.GetString(), buffer.GetSize());
  line += '\n';

  std::lock_guard<std::mutex> lock(rejected_mutex_);
  bool created = ::access(rejected_path_.c_str(), F_OK) != 0;
  int fd = ::open(rejected_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw JournalError(errno_text("cannot open", rejected_path_));
  struct stat st {};
  fstat(fd, &st);
  try {
    durable_append(fd, line, static_cast<std::uint64_t>(st.st_size), rejected_path_);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (created) sync_directory(directory_);
}

}  // namespace pgdialer::sync
