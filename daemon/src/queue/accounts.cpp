#include "queue/accounts.hpp"

#include <stdexcept>

#include "common/log.hpp"
#include "phoneburner/oauth_token_source.hpp"

namespace pgdialer::sync {

CredentialStoreOptions credential_store_options(const Config& config) {
  CredentialStoreOptions o;
  o.systemd_directory = config.systemd_credentials_dir;
  o.credentials_dir = config.credentials_dir;
  o.legacy_token_file = config.token_file;
  o.legacy_token = config.token;
  o.legacy_source = config.token_source;
  return o;
}

Accounts::Accounts(const Config& config, ClientOptions options)
    : options_(std::move(options)),
      oauth_url_(config.oauth_url),
      store_(credential_store_options(config)),
      refresh_tokens_(config.journal_dir + "/oauth") {}

Account* Accounts::get(const std::string& name, CredentialLookup* lookup) {
  *lookup = store_.lookup(name);
  auto it = accounts_.find(name);
  if (!lookup->ok()) {
    // A file that went away or broke: its jobs fail, and a fixed file
    // starts afresh.
    if (it != accounts_.end()) accounts_.erase(it);
    return nullptr;
  }
  if (it != accounts_.end() && it->second->credential == lookup->credential) return it->second.get();
  std::unique_ptr<Account> account;
  try {
    account = build(name, *lookup);
  } catch (const std::invalid_argument& e) {
    lookup->status = CredentialLookup::Status::unusable;
    lookup->error = "PhoneBurner credential \"" + name + "\" cannot be used: " + e.what();
    return nullptr;
  }
  log::info(std::string(it == accounts_.end() ? "using" : "reloaded") + " PhoneBurner credential \"" + name +
            "\" from " + lookup->source +
            (lookup->credential.kind == Credential::Kind::oauth ? " (OAuth2)" : " (access token)"));
  Account* raw = account.get();
  accounts_[name] = std::move(account);
  return raw;
}

std::unique_ptr<Account> Accounts::build(const std::string& name, const CredentialLookup& found) {
  auto account = std::make_unique<Account>();
  account->name = name;
  account->source = found.source;
  account->credential = found.credential;
  if (found.credential.kind == Credential::Kind::oauth) {
    OAuthOptions oauth;
    oauth.oauth_url = oauth_url_;
    oauth.ca_file = options_.ca_file;
    oauth.connect_timeout = options_.connect_timeout;
    oauth.timeout = options_.request_timeout;
    account->tokens = std::make_shared<OAuthTokenSource>(
        name, oauth,
        OAuthCredentials{found.credential.client_id, found.credential.client_secret,
                         found.credential.refresh_token},
        &refresh_tokens_);
  } else {
    account->tokens = std::make_shared<StaticTokenSource>(found.credential.access_token);
  }
  ClientOptions push = options_;
  push.token.clear();
  push.token_source = account->tokens;
  ClientOptions launch = push;
  launch.should_stop = nullptr;
  account->push = std::make_unique<PhoneBurnerClient>(push);
  account->launch = std::make_unique<PhoneBurnerClient>(launch);
  return account;
}

}  // namespace pgdialer::sync
