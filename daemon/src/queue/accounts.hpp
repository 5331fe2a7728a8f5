// The PhoneBurner accounts the daemon writes to, one per credential name,
// each made when the first job naming it arrives: its credential (found by
// credentials/store, read again when the file changes), its token source
// (fixed, or OAuth2 refreshed), and its clients, each with its own rate
// limiter, so one rep's account is paced and refused apart from the others.
//
// Two clients per account, as the worker has always had: pushes abort their
// requests on shutdown, launches let a dial-session request finish (an
// aborted one has an unknown fate). They share the token source, so an
// OAuth credential has one access token and refreshes once.
//
// Used by the worker's job thread only.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/config.hpp"
#include "credentials/refresh_token_store.hpp"
#include "credentials/store.hpp"
#include "phoneburner/client.hpp"
#include "phoneburner/token_source.hpp"

namespace pgdialer::sync {

struct Account {
  std::string name;
  std::string source;     // where the credential was found, for log lines
  Credential credential;  // as last read: a change rebuilds the account
  std::shared_ptr<TokenSource> tokens;
  std::unique_ptr<PhoneBurnerClient> push;    // aborts on shutdown
  std::unique_ptr<PhoneBurnerClient> launch;  // lets a launch finish
  std::set<std::string> verified_folders;     // folders whose custom fields were seen to persist
};

class Accounts {
 public:
  // `options`: the settings every client shares (base URL, pacing, timeouts,
  // should_stop, on_request); the token comes from each credential.
  Accounts(const Config& config, ClientOptions options);

  // The account of credential `name`, nullptr when the credential cannot be
  // had (`lookup` says why, naming the credential and where it looked).
  Account* get(const std::string& name, CredentialLookup* lookup);

  CredentialStore& store() { return store_; }

 private:
  std::unique_ptr<Account> build(const std::string& name, const CredentialLookup& found);

  ClientOptions options_;
  std::string oauth_url_;
  CredentialStore store_;
  RefreshTokenStore refresh_tokens_;
  std::map<std::string, std::unique_ptr<Account>> accounts_;
};

// The store the configuration describes.
CredentialStoreOptions credential_store_options(const Config& config);

}  // namespace pgdialer::sync
