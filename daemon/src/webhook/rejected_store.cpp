#include "webhook/rejected_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "webhook/event.hpp"
#include "webhook/held_file.hpp"

namespace pgdialer::sync {
namespace {

constexpr const char* kRejectedName = "webhook-rejected.jsonl";
constexpr const char* kRotatedPrefix = "webhook-rejected-";

// Small enough that a rotated file is easy to read and move, large enough
// that a burst does not make hundreds of files.
std::uint64_t rotate_size(std::uint64_t max_bytes) {
  if (max_bytes == 0) return 64ull << 20;
  return std::max<std::uint64_t>(max_bytes / 8, 1024);
}

}  // namespace

RejectedStore::RejectedStore(std::string directory, std::uint64_t max_bytes)
    : directory_(std::move(directory)),
      rejected_path_(directory_ + "/" + kRejectedName),
      max_bytes_(max_bytes),
      rotate_bytes_(rotate_size(max_bytes)),
      used_(scan()) {}

std::uint64_t RejectedStore::scan() const {
  std::uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, error)) {
    const std::string name = entry.path().filename().string();
    const bool counted = name == kRejectedName || name == "webhook-held" ||
                         (name.rfind(kRotatedPrefix, 0) == 0 && name.size() > 6 &&
                          name.compare(name.size() - 6, 6, ".jsonl") == 0);
    std::error_code size_error;
    if (counted) {
      const auto size = entry.file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

std::uint64_t RejectedStore::bytes() {
  std::lock_guard<std::mutex> lock(mutex_);
  used_ = scan();
  return used_;
}

std::string RejectedStore::line(const std::string& payload, const std::string& reason, int attempts) const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("rejected_at");
  const std::string now = format_received_at(std::chrono::system_clock::now());
  w.String(now.c_str());
  w.Key("error");
  w.String(reason.c_str(), static_cast<rapidjson::SizeType>(reason.size()));
  if (attempts > 0) {
    w.Key("set_aside");
    w.Bool(true);
    w.Key("attempts");
    w.Int(attempts);
  }
  w.Key("event");
  // The payload is our own compact JSON (it was written by normalize_event).
  w.RawValue(payload.c_str(), payload.size(), rapidjson::kObjectType);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

void RejectedStore::make_room(std::uint64_t adding) {
  if (max_bytes_ == 0 || used_ + adding <= max_bytes_) return;
  used_ = scan();  // files may have been removed or replayed since
  if (used_ + adding > max_bytes_)
    throw JournalFull("the rejected and held webhook events in " + directory_ + " reached their cap (" +
                      std::to_string(used_) + " of " + std::to_string(max_bytes_) +
                      " bytes, PGDIALER_REJECTED_MAX_BYTES): review and remove rotated " + kRotatedPrefix +
                      "*.jsonl files, or replay the held events");
}

void RejectedStore::rotate() {
  struct stat st {};
  if (::stat(rejected_path_.c_str(), &st) != 0 || static_cast<std::uint64_t>(st.st_size) < rotate_bytes_)
    return;
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  for (int n = 0;; ++n) {
    const std::string target = directory_ + "/" + kRotatedPrefix + stamp +
                               (n == 0 ? std::string() : "-" + std::to_string(n)) + ".jsonl";
    if (::access(target.c_str(), F_OK) == 0) continue;
    if (::rename(rejected_path_.c_str(), target.c_str()) != 0)
      throw JournalError(errno_text("cannot rotate", rejected_path_));
    sync_directory(directory_);
    return;
  }
}

void RejectedStore::append_line(const std::string& text) {
  rotate();
  const bool created = ::access(rejected_path_.c_str(), F_OK) != 0;
  int fd = ::open(rejected_path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw JournalError(errno_text("cannot open", rejected_path_));
  struct stat st {};
  fstat(fd, &st);
  try {
    durable_append(fd, text, static_cast<std::uint64_t>(st.st_size), rejected_path_);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (created) sync_directory(directory_);
  used_ += text.size();
}

void RejectedStore::reject(const std::string& payload, const std::string& reason) {
  const std::string text = line(payload, reason, 0);
  std::lock_guard<std::mutex> lock(mutex_);
  make_room(text.size());
  append_line(text);
}

void RejectedStore::set_aside(const std::string& payload, const std::string& reason, int attempts) {
  const std::string text = line(payload, reason, attempts);
  std::lock_guard<std::mutex> lock(mutex_);
  // The held copy is the one that can be replayed: it goes first, and the
  // cap counts both before either is written.
  make_room(text.size() + encode_record(payload).size());
  append_held(directory_, payload);
  used_ += encode_record(payload).size();
  append_line(text);
}

}  // namespace pgdialer::sync
