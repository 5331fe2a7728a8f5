// The held-events file, <dir>/webhook-held: events set aside because they
// failed the same way again and again while the events behind them went
// through (a "poison" event), kept in the journal's record format until an
// administrator has fixed the cause and runs `pgdialer-sync --replay-held`.
//
// The daemon appends; the replay command rewrites the file. Both hold an
// exclusive flock() on it meanwhile, and the command replaces it by rename,
// so an appender that waited for the lock checks that it still holds the
// file the path names (else reopens it): no append lands in a removed file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace pgdialer::sync {

std::string held_path(const std::string& directory);

// Appends one record durably (creating the file, mode 0600). Throws JournalError.
void append_held(const std::string& directory, const std::string& payload);

// The held file's size now (0 when there is none).
std::uint64_t held_bytes(const std::string& directory);

// Calls `handle` for every held event, oldest first, under the file's lock;
// the events for which it returns false stay held (in order), the others
// leave the file. A damaged record stops the walk and stays, with all after
// it. Returns how many left. Throws JournalError.
std::size_t drain_held(const std::string& directory, const std::function<bool(const std::string&)>& handle);

}  // namespace pgdialer::sync
