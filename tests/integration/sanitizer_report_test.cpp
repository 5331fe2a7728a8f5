// The sanitizer build's guard on child processes (sanitizer_report.hpp): a
// child that prints a sanitizer report and exits fails the test that ran it,
// even when the test never looks at the child's exit status.
#include "sanitizer_report.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"
#include "subprocess.hpp"

namespace pgdialer::testing {
namespace {

TEST(SanitizerReport, FindsEachKindOfReportAfterTheOffsetOnly) {
  const std::string path = test_log_path("sanitizer-report-find");
  {
    std::ofstream out(path, std::ios::trunc);
    out << "==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020\n";
  }
  const auto start = file_size_or_zero(path);
  EXPECT_TRUE(find_sanitizer_report(path, 0));
  EXPECT_FALSE(find_sanitizer_report(path, start)) << "a report before the child started is not its report";
  for (const char* line : {"daemon/src/x.cpp:12:5: runtime error: signed integer overflow",
                           "==9==ERROR: LeakSanitizer: detected memory leaks",
                           "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior x.cpp:3:1 in"}) {
    std::ofstream(path, std::ios::trunc) << "2026-01-01 info: started\n" << line << "\n";
    auto report = find_sanitizer_report(path, 0);
    ASSERT_TRUE(report) << line;
    EXPECT_EQ(*report, line);
  }
  std::ofstream(path, std::ios::trunc) << "2026-01-01 info: started\n2026-01-01 error: PostgreSQL is away\n";
  EXPECT_FALSE(find_sanitizer_report(path, 0));
  EXPECT_FALSE(find_sanitizer_report(path + ".missing", 0));
}

// A child like a sanitized daemon that hits a report: it prints it to stderr
// and exits non-zero. Static so that EXPECT_NONFATAL_FAILURE can call it.
void run_child_that_reports() {
  const std::string path = test_log_path("sanitizer-report-child");
  Subprocess child(
      {"/bin/sh", "-c", "echo '==1==ERROR: AddressSanitizer: stack-buffer-overflow' >&2; exit 1"}, {}, path);
  child.wait(std::chrono::seconds(10));
}

TEST(SanitizerReport, AChildThatReportsFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(run_child_that_reports(), "ERROR: AddressSanitizer: stack-buffer-overflow");
}

}  // namespace
}  // namespace pgdialer::testing
