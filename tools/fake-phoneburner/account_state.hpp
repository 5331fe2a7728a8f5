// One account as the fake serves it: its PhoneBurner data (Account), how a
// request authenticates as it (a personal access token, or OAuth2 access
// tokens from its OAuthClient) and where its account-level webhook goes.
#pragma once
#include "account.hpp"
#include "oauth_client.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fake_pb {

// An account as the flags describe it (and as /_control/reset restores it).
struct AccountOptions {
  std::string name;                       // credential name: [a-z0-9][a-z0-9_.-]{0,62}
  std::string token;                      // personal access token; "" = none
  std::optional<OAuthCredentials> oauth;  // set for an OAuth account
  std::string account_webhook_url;        // where its folder dialing's api_calldone goes
};

// Why this set of accounts cannot be served (a bad or repeated name, a token
// used twice, an account with no credential, no "default"), or "" if it can.
std::string account_options_problem(const std::vector<AccountOptions>& accounts);

bool valid_account_name(const std::string& name);

struct AccountState {
  AccountState(const AccountOptions& options, std::shared_ptr<IdSequences> ids);

  std::string name;
  Account data;
  std::string token;                 // personal access token; "" = none
  std::optional<OAuthClient> oauth;  // set for an OAuth account
  std::string account_webhook_url;
};

}  // namespace fake_pb
