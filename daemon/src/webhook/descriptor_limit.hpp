// Open connections cost a file descriptor each: the listener's cap must fit
// under RLIMIT_NOFILE with room for everything else the daemon opens (the
// journal, PostgreSQL, PhoneBurner's connections, refused connections
// lingering for their answer), or accept() fails with EMFILE for real
// deliveries and the journal cannot open its file.
#pragma once

#include <cstddef>
#include <string>

namespace pgdialer::sync {

// Descriptors kept free for everything but the listener's connections.
inline constexpr std::size_t kReservedDescriptors = 256;

// Raises the soft RLIMIT_NOFILE (up to the hard limit) so that `connections`
// fit with kReservedDescriptors to spare, and returns how many connections
// fit: `connections`, or fewer (with `*warning` saying why) when the hard
// limit is too low.
std::size_t fit_descriptor_limit(std::size_t connections, std::string* warning);

}  // namespace pgdialer::sync
