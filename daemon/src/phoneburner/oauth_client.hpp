// PhoneBurner's OAuth2 token endpoint, for refreshing: POST
// <oauth_url>/refreshtoken with a form body grant_type=refresh_token,
// client_id, client_secret, refresh_token, answered with JSON access_token,
// expires_in (seconds) and, when PhoneBurner rotates it, a new refresh_token.
// No bearer token is sent. Nothing here logs, and no secret reaches a message.
#pragma once

#include <chrono>
#include <string>

#include "phoneburner/client.hpp"

namespace pgdialer::sync {

struct OAuthOptions {
  std::string oauth_url;  // e.g. https://www.phoneburner.com/oauth, no trailing slash
  std::string ca_file;    // as ClientOptions::ca_file
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};
};

struct OAuthGrant {
  std::string access_token;
  std::string refresh_token;  // empty: PhoneBurner kept the old one
  std::chrono::seconds expires_in{0};
};

struct OAuthCredentials {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
};

// One refresh request, no retries (the caller's request loop retries a
// `retryable` outcome). Failure::auth when PhoneBurner refuses the client or
// the refresh token (a 4xx: only a new authorization can fix it),
// Failure::config when the server's TLS certificate does not verify,
// Failure::retryable for 429, 5xx, transport failures and an answer without
// an access token.
Result refresh_oauth_token(const OAuthOptions& options, const OAuthCredentials& credentials,
                           OAuthGrant* grant);

}  // namespace pgdialer::sync
