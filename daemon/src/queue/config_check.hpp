// pgdialer-sync --check-config: what the daemon would refuse at start-up or
// fail a job over, found before it runs. The configuration has been loaded
// (URLs, the webhook secret and the default token's file checked by
// load_config); this also reads every PhoneBurner credential the daemon can
// see (each file of PGDIALER_CREDENTIALS_DIR, each systemd credential
// phoneburner-NAME, and "default") exactly as a job would, mode and owner
// included. No connection is made and no secret is printed.
#pragma once

#include <set>
#include <string>

#include "common/config.hpp"

namespace pgdialer::sync {

// Prints one line per credential (stdout) and each problem (stderr); returns
// kExitOk, or kExitConfig when a credential cannot be used.
int check_configuration(const Config& config);

// The names of every credential the daemon can see: each file of
// PGDIALER_CREDENTIALS_DIR, each systemd credential phoneburner-NAME, and
// "default" when a single-token source is set.
std::set<std::string> visible_credential_names(const Config& config);

}  // namespace pgdialer::sync
