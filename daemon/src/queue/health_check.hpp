// pgdialer-sync --check: everything a start needs, checked online before an
// operator relies on it, one line per check on stdout:
//   ok    <what>: <detail>
//   warn  <what>: <detail>       (works, but not as it should be run)
//   FAIL  <what>: <why>
// The configuration and every credential (as --check-config), the database
// connection, the extension version (the version handshake, without
// recording), the login's privileges, PhoneBurner with each credential's
// token, and the listener's address and journal directory. It never prints a
// secret. Run it as the user the daemon runs as: an OAuth credential's
// rotated refresh token is saved where the daemon will look for it.
#pragma once

#include "common/config.hpp"

namespace pgdialer::sync {

// Returns kExitOk when every check passed; kExitConfig when one failed that
// the configuration, the credentials or the database's set-up must fix;
// kExitFailure when only reachability failed: connecting to the database
// (libpq does not tell a refused login from a server that is away) or
// reaching PhoneBurner.
int run_health_check(const Config& config);

}  // namespace pgdialer::sync
