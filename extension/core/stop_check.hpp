// Stopping a long core loop when PostgreSQL wants the statement cancelled.
//
// The core cannot call CHECK_FOR_INTERRUPTS: it sees no PostgreSQL headers,
// and raising the cancel from inside it would longjmp over C++ frames with
// destructors. Instead, a loop over caller-sized input polls a hook that the
// glue installs once (it answers "a cancel, a statement timeout or a
// termination is pending and may be processed now", reading PostgreSQL's
// flags without side effects). When it says so, the loop throws Interrupted;
// the exception unwinds the C++ frames to cpp_call in the glue, which then
// processes the interrupt itself (ERROR 57014, or FATAL for a termination)
// with no C++ frame left to skip.
//
// Without a hook (the unit tests, the benchmarks) polling never stops.
#pragma once
#include "pg_free.hpp"

#include <exception>

namespace pgdialer {

// Returns true when the current work should be abandoned. Must not throw,
// block or longjmp: it is called from inside C++ frames.
using StopHook = bool (*)() noexcept;

// Installs the hook (nullptr removes it). Called by the glue at load time.
void set_stop_hook(StopHook hook) noexcept;

// Thrown by a poll that was answered "stop". Deliberately not a
// pgdialer::Error: it carries no message, the glue turns it into
// PostgreSQL's own interrupt handling.
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

// Throws Interrupted when the hook says stop.
void check_stop();

// For tight loops: asks the hook only every `every` calls, so a poll costs
// an increment and a compare.
class StopPoller {
 public:
  explicit StopPoller(unsigned every = 1024) : every_(every) {}
  void operator()() {
    if (++count_ < every_) return;
    count_ = 0;
    check_stop();
  }

 private:
  unsigned every_;
  unsigned count_ = 0;
};

}  // namespace pgdialer
