#include "account_set.hpp"

#include <algorithm>
#include <stdexcept>

namespace fake_pb {

AccountSet::AccountSet(std::vector<AccountOptions> accounts) : initial_(std::move(accounts)) {
  const std::string problem = account_options_problem(initial_);
  if (!problem.empty()) throw std::invalid_argument(problem);
  std::stable_partition(initial_.begin(), initial_.end(),
                        [](const AccountOptions& a) { return a.name == "default"; });
  build();
}

void AccountSet::build() {
  accounts_.clear();
  auto ids = std::make_shared<IdSequences>();
  for (const auto& options : initial_) accounts_.try_emplace(options.name, options, ids);
}

void AccountSet::reset() { build(); }

AccountState* AccountSet::find(const std::string& name) {
  auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : &it->second;
}

const AccountState* AccountSet::find(const std::string& name) const {
  auto it = accounts_.find(name);
  return it == accounts_.end() ? nullptr : &it->second;
}

AccountState* AccountSet::by_token(const std::string& token, long long now_ms, AccessCheck& check) {
  check = AccessCheck::unknown;
  if (token.empty()) return nullptr;
  for (auto& [name, a] : accounts_) {
    if (a.token == token) {
      check = AccessCheck::live;
      return &a;
    }
    if (!a.oauth) continue;
    check = a.oauth->check_access(token, now_ms);
    if (check == AccessCheck::live) return &a;
    if (check == AccessCheck::expired) return nullptr;
  }
  return nullptr;
}

AccountState* AccountSet::by_client_id(const std::string& client_id) {
  for (auto& [name, a] : accounts_)
    if (a.oauth && a.oauth->client_id() == client_id) return &a;
  return nullptr;
}

bool AccountSet::token_taken(const std::string& token, const AccountState* except) const {
  for (const auto& [name, a] : accounts_)
    if (&a != except && a.token == token) return true;
  return false;
}

AccountState* AccountSet::owner_of_folder(long folder_id) {
  for (auto& [name, a] : accounts_)
    if (a.data.find_folder(folder_id)) return &a;
  return nullptr;
}

AccountState* AccountSet::owner_of_dial_session(long dial_session_id) {
  for (auto& [name, a] : accounts_)
    if (a.data.find_dial_session(dial_session_id)) return &a;
  return nullptr;
}

DialSession* AccountSet::dial_session_by_launch_token(const std::string& launch_token) {
  for (auto& [name, a] : accounts_)
    for (auto& s : a.data.dial_sessions)
      if (s.launch_token == launch_token) return &s;
  return nullptr;
}

}  // namespace fake_pb
