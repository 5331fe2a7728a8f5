// Every account the fake serves, by name, with the lookups the routes need:
// which account a bearer token opens, which one an OAuth client id names and
// which one owns a folder or dial session (ids are unique across accounts,
// drawn from one IdSequences). Not thread-safe (Api holds one mutex).
#pragma once
#include "account_state.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fake_pb {

class AccountSet {
 public:
  // `accounts` must pass account_options_problem (else std::invalid_argument).
  // Accounts are created in the order given, "default" first, so the default
  // account's ids are those of a single-account fake.
  explicit AccountSet(std::vector<AccountOptions> accounts);

  // Every account back to its start state; ids start over.
  void reset();

  AccountState& default_account() { return *find("default"); }
  const AccountState& default_account() const { return *find("default"); }
  AccountState* find(const std::string& name);
  const AccountState* find(const std::string& name) const;
  const std::map<std::string, AccountState>& all() const { return accounts_; }

  // The account a bearer token opens: a personal access token or a live
  // OAuth access token. `check` says why not when nullptr is returned
  // (expired: an access token that was live once).
  AccountState* by_token(const std::string& token, long long now_ms, AccessCheck& check);
  AccountState* by_client_id(const std::string& client_id);
  // Whether another account than `except` accepts `token` as its PAT.
  bool token_taken(const std::string& token, const AccountState* except) const;

  AccountState* owner_of_folder(long folder_id);
  AccountState* owner_of_dial_session(long dial_session_id);
  DialSession* dial_session_by_launch_token(const std::string& launch_token);

 private:
  void build();

  std::vector<AccountOptions> initial_;
  std::map<std::string, AccountState> accounts_;
};

}  // namespace fake_pb
