// pgdialer-sync --print-webhook-url account|account:NAME|SESSION_ID: the URL,
// with its token, that an admin pastes into PhoneBurner (account:NAME into
// credential NAME's account; account is the legacy URL of credential
// default) or that a launch registers for a session. Needs only the base URL and the secret, so it
// works on a machine without the database or the PhoneBurner token.
#pragma once

#include <string>

#include "common/config.hpp"

namespace pgdialer::sync {

// Prints the URL on stdout, or says on stderr what is missing or wrong;
// returns the exit status (kExitConfig without a base URL or secret,
// kExitUsage for a target that is none of "account", "account:NAME" with a
// valid name, or a session id).
int print_webhook_url(const Config& config, const std::string& target);

}  // namespace pgdialer::sync
