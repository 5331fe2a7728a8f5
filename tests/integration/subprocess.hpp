// A child process for integration tests: started with its own environment,
// its stdout readable line by line, killed (SIGTERM, then SIGKILL) when the
// object goes away, so a failing test never leaves a daemon behind. A
// sanitizer report in the child's stderr (sanitizer_report.hpp) then fails
// the running test.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgdialer::testing {

class Subprocess {
 public:
  // argv[0] is the program path. `env` is added to the current environment.
  // stderr goes to `stderr_path` (appended) so test logs keep daemon output.
  Subprocess(std::vector<std::string> argv, std::map<std::string, std::string> env,
             const std::string& stderr_path);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Next stdout line, or nullopt after `timeout` or at end of output.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  void signal(int sig);
  // Waits for exit up to `timeout`; the exit status (or -signal), nullopt if still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string argv0_;
  std::string stderr_path_;
  std::uintmax_t stderr_start_ = 0;  // where this child's output begins in the (shared) log
  std::string buffer_;
  std::optional<int> status_;
};

}  // namespace pgdialer::testing
