#include "sanitizer_report.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace pgdialer::testing {

namespace {

// What every report of ASan, LeakSanitizer and UBSan contains: ASan and LSan
// start with "==PID==ERROR: AddressSanitizer: ..." and end with a SUMMARY
// line; UBSan prints "file:line:col: runtime error: ...". The daemon's and the
// fake's own log lines never contain these.
bool is_report_line(const std::string& line) {
  for (const char* marker :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "SUMMARY: AddressSanitizer",
        "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: LeakSanitizer", ": runtime error: "})
    if (line.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace

std::optional<std::string> find_sanitizer_report(const std::string& log_path, std::uintmax_t from_offset) {
  std::ifstream in(log_path, std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(static_cast<std::streamoff>(from_offset));
  std::string line;
  while (std::getline(in, line))
    if (is_report_line(line)) return line;
  return std::nullopt;
}

std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

}  // namespace pgdialer::testing
