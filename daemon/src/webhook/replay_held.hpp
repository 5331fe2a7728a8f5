// `pgdialer-sync --replay-held`: the one command that puts webhook events
// set aside as poison (webhook/held_file) back into PostgreSQL once their
// cause is fixed. It connects as the daemon does (DATABASE_URL), records each
// held event with dialer.record_call_event, oldest first, under bounds far
// looser than a live delivery's (nobody is waiting), and leaves held only
// those that still fail. Safe while the daemon runs: the held file is locked
// meanwhile, and the database side is idempotent.
#pragma once

#include <cstdio>

#include "common/config.hpp"

namespace pgdialer::sync {

// Prints what happened to `out`; returns kExitOk when nothing is left held,
// kExitFailure otherwise (PostgreSQL away, events still failing).
int replay_held(const Config& config, std::FILE* out);

}  // namespace pgdialer::sync
