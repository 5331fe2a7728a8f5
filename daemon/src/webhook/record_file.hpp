// The record format shared by the webhook journal and the held-events file,
// and the file operations both need. One record per line:
//   <crc32 of payload, 8 lowercase hex> <payload>\n
// (payloads are compact JSON, which never holds a raw newline). Records are
// read with a bounded buffer (RecordReader), so a journal of any size is
// checked and replayed without being loaded whole.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace pgdialer::sync {

class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configured size cap would be exceeded: nothing was written. The caller
// answers 503 (PhoneBurner sends the delivery again) instead of losing it.
class JournalFull : public JournalError {
 public:
  using JournalError::JournalError;
};

// CRC-32 (IEEE 802.3, as zlib's crc32), for torn-record detection.
std::uint32_t crc32(const std::string& data);

// "<crc> <payload>\n"; throws JournalError when payload holds a newline.
std::string encode_record(const std::string& payload);

// The longest record a reader accepts: a line longer than this, without a
// newline, is damage rather than a record (webhook bodies are capped far lower).
inline constexpr std::uint64_t kMaxRecordBytes = 80ull << 20;

// Writes all of `data` at the end of `fd` (O_APPEND) and makes it durable.
// On failure cuts the file back to `old_end` so no partial record remains.
void durable_append(int fd, const std::string& data, std::uint64_t old_end, const std::string& path);
// fsync()s a directory, so a file created or renamed in it survives a crash.
void sync_directory(const std::string& directory);
std::string errno_text(const std::string& what, const std::string& path);

// Reads the records of [from, to) of `fd` in order, holding at most about one
// read chunk plus one record in memory.
class RecordReader {
 public:
  RecordReader(int fd, std::string path, std::uint64_t from, std::uint64_t to)
      : fd_(fd), path_(std::move(path)), start_(from), to_(to) {}

  enum class Result {
    record,   // *payload holds the next record
    end,      // every byte up to `to` was a whole record
    damaged,  // the bytes at offset() are not a whole, intact record
  };
  Result next(std::string* payload);
  // The offset after the last record returned: where damage starts, or `to`
  // at the end. Read it before damage_spans_lines(), which moves on.
  std::uint64_t offset() const { return start_ + pos_; }
  // After `damaged`: whether a newline follows the damage before `to` (more
  // than a torn last line: records may follow it).
  bool damage_spans_lines();

 private:
  bool fill();  // reads another chunk; false at `to`

  int fd_;
  std::string path_;
  std::uint64_t start_;  // file offset of buffer_[0]
  std::uint64_t to_;
  std::string buffer_;
  std::size_t pos_ = 0;
};

// Appends bytes [from, to) of `fd` to `out` (whose size is `out_end`), durably.
void copy_range(int fd, const std::string& path, std::uint64_t from, std::uint64_t to, int out,
                const std::string& out_path, std::uint64_t out_end);
// Copies bytes [from, to) of `fd` into a new file `aside` (mode 0600), durably.
void copy_range_to_new_file(int fd, const std::string& path, std::uint64_t from, std::uint64_t to,
                            const std::string& aside);

}  // namespace pgdialer::sync
