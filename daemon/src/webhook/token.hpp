// The tokens in our callback URLs. PhoneBurner does not sign its webhooks, so
// each URL carries ?s=<token>, the lowercase hex HMAC-SHA256 of what the URL
// names (the decimal session id, "account:NAME" for credential NAME's
// account, or "account" for the legacy account URL) under a secret that lives in
// credentials only. A token opens one URL and reveals nothing about the
// secret or the other URLs.
#pragma once

#include <string>

namespace pgdialer::sync {

// Lowercase hex HMAC-SHA256(key = secret, message).
std::string hmac_sha256_hex(const std::string& secret, const std::string& message);

// The token of a dial session's callback URL: HMAC of its decimal id ("42").
std::string session_token(const std::string& secret, long long session_id);
// The token of the legacy account-level webhook URL (credential "default"):
// HMAC of "account".
std::string account_token(const std::string& secret);
// The token of credential NAME's account-level webhook URL: HMAC of "account:NAME".
std::string account_token(const std::string& secret, const std::string& credential);

// The callback URLs as PhoneBurner is given them (docs/daemon.md, "Webhooks"):
//   <base>/phoneburner/session/<id>?s=<token>,
//   <base>/phoneburner/account/<credential>?s=<token>   and (legacy, = default)
//   <base>/phoneburner/account?s=<token>
// `base` has no trailing slash. The token is hex and a credential name is
// [a-z0-9_.-], so neither needs escaping.
std::string session_webhook_url(const std::string& base, const std::string& secret, long long session_id);
std::string account_webhook_url(const std::string& base, const std::string& secret);
std::string account_webhook_url(const std::string& base, const std::string& secret,
                                const std::string& credential);

// Compares a presented token with the expected one in constant time (for
// equal lengths), so the time to reject does not leak how much matched.
bool token_matches(const std::string& expected, const std::string& presented);

}  // namespace pgdialer::sync
