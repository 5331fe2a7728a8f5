#include "webhook/held_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "webhook/record_file.hpp"

namespace pgdialer::sync {
namespace {

// Opens the held file and locks it, making sure the locked file is still the
// one the path names (the replay command may have renamed a new one in).
int open_locked(const std::string& path, int flags) {
  while (true) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == ENOENT && !(flags & O_CREAT)) return -1;
      throw JournalError(errno_text("cannot open", path));
    }
    if (flock(fd, LOCK_EX) != 0) {
      ::close(fd);
      throw JournalError(errno_text("cannot lock", path));
    }
    struct stat held {
    }, named{};
    if (fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev)
      return fd;
    ::close(fd);  // replaced while we waited: lock the new one
  }
}

}  // namespace

std::string held_path(const std::string& directory) { return directory + "/webhook-held"; }

void append_held(const std::string& directory, const std::string& payload) {
  const std::string record = encode_record(payload);
  const std::string path = held_path(directory);
  const bool created = ::access(path.c_str(), F_OK) != 0;
  int fd = open_locked(path, O_WRONLY | O_APPEND | O_CREAT);
  try {
    struct stat st {};
    if (fstat(fd, &st) != 0) throw JournalError(errno_text("cannot stat", path));
    durable_append(fd, record, static_cast<std::uint64_t>(st.st_size), path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (created) sync_directory(directory);
}

std::uint64_t held_bytes(const std::string& directory) {
  struct stat st {};
  if (::stat(held_path(directory).c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::size_t drain_held(const std::string& directory, const std::function<bool(const std::string&)>& handle) {
  const std::string path = held_path(directory);
  int fd = open_locked(path, O_RDWR);
  if (fd < 0) return 0;
  const std::string rest_path = path + ".rest";
  int rest = -1;
  std::size_t left = 0;
  try {
    struct stat st {};
    if (fstat(fd, &st) != 0) throw JournalError(errno_text("cannot stat", path));
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    rest = ::open(rest_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (rest < 0) throw JournalError(errno_text("cannot create", rest_path));
    std::uint64_t rest_size = 0;
    RecordReader reader(fd, path, 0, size);
    std::string payload;
    RecordReader::Result result;
    while ((result = reader.next(&payload)) == RecordReader::Result::record) {
      if (handle(payload)) {
        ++left;
        continue;
      }
      const std::string record = encode_record(payload);
      durable_append(rest, record, rest_size, rest_path);
      rest_size += record.size();
    }
    if (result == RecordReader::Result::damaged) {
      // Keep the damaged bytes and everything after them, untouched.
      copy_range(fd, path, reader.offset(), size, rest, rest_path, rest_size);
    }
    ::close(rest);
    rest = -1;
    if (left > 0) {
      // The events still held replace the file in one step.
      if (::rename(rest_path.c_str(), path.c_str()) != 0)
        throw JournalError(errno_text("cannot replace", path));
      sync_directory(directory);
    } else {
      ::unlink(rest_path.c_str());
    }
  } catch (...) {
    if (rest >= 0) ::close(rest);
    ::unlink(rest_path.c_str());
    ::close(fd);
    throw;
  }
  ::close(fd);  // releases the lock on the file now replaced
  return left;
}

}  // namespace pgdialer::sync
