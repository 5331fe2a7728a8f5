#include "webhook/record_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pgdialer::sync {
namespace {

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

constexpr std::uint64_t kReadChunk = 1 << 20;

}  // namespace

std::string errno_text(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

std::uint32_t crc32(const std::string& data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char byte : data) c = crc_table()[(c ^ byte) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string encode_record(const std::string& payload) {
  if (payload.find('\n') != std::string::npos) throw JournalError("journal payload contains a newline");
  return hex8(crc32(payload)) + " " + payload + "\n";
}

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

bool RecordReader::fill() {
  const std::uint64_t have = start_ + buffer_.size();
  if (have >= to_) return false;
  // Drop what was consumed, so memory stays about one chunk plus one record.
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    start_ += pos_;
    pos_ = 0;
  }
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kReadChunk, to_ - have));
  const std::size_t old = buffer_.size();
  buffer_.resize(old + want);
  std::size_t done = 0;
  while (done < want) {
    ssize_t n = pread(fd_, &buffer_[old + done], want - done, static_cast<off_t>(have + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      buffer_.resize(old);
      throw JournalError(errno_text("cannot read", path_));
    }
    if (n == 0) break;  // shorter than expected: treat the rest as absent
    done += static_cast<std::size_t>(n);
  }
  buffer_.resize(old + done);
  if (done < want) to_ = have + done;
  return done > 0;
}

RecordReader::Result RecordReader::next(std::string* payload) {
  std::size_t newline;
  while ((newline = buffer_.find('\n', pos_)) == std::string::npos) {
    if (buffer_.size() - pos_ > kMaxRecordBytes) return Result::damaged;
    if (!fill()) return pos_ == buffer_.size() ? Result::end : Result::damaged;
  }
  if (newline - pos_ < 9 || buffer_[pos_ + 8] != ' ') return Result::damaged;
  const std::string crc_text = buffer_.substr(pos_, 8);
  if (crc_text.find_first_not_of("0123456789abcdef") != std::string::npos) return Result::damaged;
  std::string data = buffer_.substr(pos_ + 9, newline - pos_ - 9);
  if (hex8(crc32(data)) != crc_text) return Result::damaged;
  *payload = std::move(data);
  pos_ = newline + 1;
  return Result::record;
}

bool RecordReader::damage_spans_lines() {
  // A newline anywhere before the last byte: more than one torn line.
  std::size_t from = pos_;
  while (true) {
    const std::size_t newline = buffer_.find('\n', from);
    if (newline != std::string::npos && start_ + newline + 1 < to_) return true;
    if (newline != std::string::npos) return false;
    from = buffer_.size();
    // Keep only a little: the damaged bytes themselves are not needed here.
    if (buffer_.size() - pos_ > kReadChunk) {
      start_ += buffer_.size();
      buffer_.clear();
      pos_ = 0;
      from = 0;
    }
    if (!fill()) return false;
  }
}

void copy_range(int fd, const std::string& path, std::uint64_t from, std::uint64_t to, int out,
                const std::string& out_path, std::uint64_t out_end) {
  std::uint64_t at = from;
  std::string chunk;
  while (at < to) {
    chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kReadChunk, to - at)));
    ssize_t n = pread(fd, &chunk[0], chunk.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw JournalError(errno_text("cannot read", path));
    if (n == 0) break;
    chunk.resize(static_cast<std::size_t>(n));
    durable_append(out, chunk, out_end, out_path);
    out_end += static_cast<std::uint64_t>(n);
    at += static_cast<std::uint64_t>(n);
  }
}

void copy_range_to_new_file(int fd, const std::string& path, std::uint64_t from, std::uint64_t to,
                            const std::string& aside) {
  int out = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0) throw JournalError(errno_text("cannot create", aside));
  try {
    copy_range(fd, path, from, to, out, aside, 0);
  } catch (...) {
    ::close(out);
    throw;
  }
  ::close(out);
}

}  // namespace pgdialer::sync
