// pgdialer-sync's own version and the extension versions it works with, and
// the one comparison of dotted versions both use.
#pragma once

#include <string>
#include <vector>

namespace pgdialer::sync {

// This daemon's version (the CMake project's VERSION).
const char* daemon_version();

// The pgdialer extension versions this daemon works with: from <= v < below.
// The daemon calls only functions that exist, with the meaning they have, in
// every version of this range; raise `from` when it starts to rely on a newer
// one, and `below` only after checking the next major version.
inline constexpr const char* kExtensionVersionFrom = "1.0";
inline constexpr const char* kExtensionVersionBelow = "2.0";

// "1.10.2" -> {1, 10, 2}. Anything but 1 to 4 dot-separated numbers of at
// most 6 digits throws std::invalid_argument (the same rule as the
// extension's dialer._version_number).
std::vector<int> parse_version(const std::string& version);
// Negative, zero or positive as a is before, equal to or after b; missing
// trailing parts count as 0 (1.0 == 1.0.0).
int compare_versions(const std::string& a, const std::string& b);
// from <= version < below.
bool extension_version_supported(const std::string& version);

}  // namespace pgdialer::sync
