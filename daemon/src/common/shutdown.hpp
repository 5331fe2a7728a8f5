// The daemon's one stop request. SIGTERM or SIGINT sets it; every loop and
// wait looks at it, and the PhoneBurner client aborts its transfers on it, so
// a stop is seen within about a second wherever the daemon is. A second
// signal means "now": the process exits at once without draining, for an
// operator who does not want to wait for a job to be given back.
#pragma once

#include <atomic>

namespace pgdialer::sync {

// Installs the SIGTERM/SIGINT handlers (no SA_RESTART, so a blocking poll()
// returns EINTR and its caller looks at the flag) and ignores SIGPIPE (a
// peer that hangs up is an error return, not a dead daemon).
void install_signal_handlers();

// True once a stop was requested; a reference so it can be handed to the
// parts that wait on it.
const std::atomic<bool>& stop_requested();

}  // namespace pgdialer::sync
