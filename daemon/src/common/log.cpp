#include "common/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace pgdialer::sync::log {

namespace {
std::atomic<bool> verbose_logging{false};
std::mutex write_mutex;
}  // namespace

void set_verbose(bool verbose) { verbose_logging = verbose; }

void write(Level level, const std::string& message) {
  if (level == Level::debug && !verbose_logging) return;
  // One fwrite per line under a mutex, so lines from threads never interleave.
  // One message, one line: journald reads the <N> prefix per line, and
  // libpq's messages span several ("...\n\tThis probably means...").
  std::string line = "<" + std::to_string(static_cast<int>(level)) + ">";
  bool gap = false;
  for (char ch : message) {
    if (ch == '\n' || ch == '\r' || ch == '\t') {
      gap = true;
      continue;
    }
    if (gap && line.back() != '>') line += ' ';
    gap = false;
    line += ch;
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace pgdialer::sync::log
