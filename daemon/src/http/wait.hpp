// Sleeping that a shutdown can cut short.
//
// should_stop is a plain predicate (the daemon's stop flag), not something we
// can wait on, so the sleep is cut into short slices and the predicate is
// polled between them: a stop is noticed within kStopPollInterval.
#pragma once

#include <chrono>
#include <functional>

namespace pgdialer::sync::http {

inline constexpr std::chrono::milliseconds kStopPollInterval{20};

// Sleeps for `duration` (nothing for zero or less). Returns false, early, as
// soon as should_stop() is true (also when it is true on entry); true when
// the whole duration passed. An empty should_stop never stops.
bool sleep_unless_stopped(std::chrono::steady_clock::duration duration,
                          const std::function<bool()>& should_stop);

}  // namespace pgdialer::sync::http
