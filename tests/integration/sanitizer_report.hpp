// Sanitizer reports in a child process's stderr log. In the sanitizer build
// (scripts/test-sanitize.sh) the daemon and the fake PhoneBurner run with
// AddressSanitizer and UndefinedBehaviorSanitizer: a report goes to the
// child's stderr and the child exits, which a test that only looks at the
// child's answers (or expects it to be killed) could miss. Subprocess checks
// its child's log with this when it goes away, so any report fails the test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pgdialer::testing {

// The first line of a sanitizer report in `log_path` at or after byte
// `from_offset` (the log is appended to by every child of a test), or
// nullopt when there is none or the file cannot be read.
std::optional<std::string> find_sanitizer_report(const std::string& log_path, std::uintmax_t from_offset);

// The size of `path` now, 0 if it does not exist: where a new child's output
// will start.
std::uintmax_t file_size_or_zero(const std::string& path);

}  // namespace pgdialer::testing
