#include "account_state.hpp"

#include <set>

namespace fake_pb {

bool valid_account_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return false;
  }
  return true;
}

std::string account_options_problem(const std::vector<AccountOptions>& accounts) {
  std::set<std::string> names, tokens, client_ids;
  for (const auto& a : accounts) {
    if (!valid_account_name(a.name))
      return "bad account name '" + a.name + "' (lowercase [a-z0-9][a-z0-9_.-]{0,62})";
    if (!names.insert(a.name).second) return "account " + a.name + " is given twice";
    if (a.token.empty() && !a.oauth) return "account " + a.name + " has no token and no OAuth client";
    if (!a.token.empty() && !tokens.insert(a.token).second)
      return "account " + a.name + ": its token is another account's too";
    if (a.oauth) {
      if (a.oauth->client_id.empty() || a.oauth->client_secret.empty() || a.oauth->refresh_token.empty())
        return "account " + a.name + ": OAuth needs CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN, none empty";
      if (!client_ids.insert(a.oauth->client_id).second)
        return "account " + a.name + ": its OAuth client id is another account's too";
    }
  }
  if (!names.count("default")) return "no account named default (--token TOKEN)";
  return {};
}

AccountState::AccountState(const AccountOptions& options, std::shared_ptr<IdSequences> ids)
    : name(options.name),
      data(std::move(ids), options.name),
      token(options.token),
      account_webhook_url(options.account_webhook_url) {
  if (options.oauth) oauth.emplace(*options.oauth);
}

}  // namespace fake_pb
