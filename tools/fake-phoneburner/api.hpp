// The fake PhoneBurner as a request -> response function: /rest/1 (bearer
// auth, envelopes, fault injection, the request log), /oauth (OAuth2 grants
// and refreshes), /_control (knobs, fail_next, state, reset, request log,
// simulated calls) and the one-time dial-session launch page. Serves several
// accounts (AccountSet); a request's bearer token picks its account once.
// Thread-safe: one mutex over everything; sleeps and outgoing webhooks
// happen outside it.
#pragma once
#include "account_set.hpp"
#include "call_log.hpp"
#include "faults.hpp"
#include "http_message.hpp"
#include "request_log.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fake_pb {

struct RestRoute;

struct ApiOptions {
  std::string token;  // the `default` account's bearer token
  Knobs knobs;
  size_t request_log_size = 1000;
  std::string account_webhook_url;  // the `default` account's folder-dialing api_calldone hook
  // More accounts. One named "default" adds its OAuth client to the default
  // account (whose token may then be empty).
  std::vector<AccountOptions> accounts;
};

// Every account of `options`, the default one first (token and
// account_webhook_url above, merged with an "default" entry of `accounts`).
std::vector<AccountOptions> all_accounts(const ApiOptions& options);

class Api {
 public:
  explicit Api(ApiOptions options);

  ApiResponse handle(const ApiRequest& req);

  // GET /_control/state: the default account's folders, custom-field
  // definitions, contacts (live and trashed), dial sessions and OAuth
  // counters, the request counters, knobs and pending fail_next rules, and
  // "accounts": every account by name (the same members, with its own
  // request counters).
  std::string state_json() const;
  // GET /_control/state?account=NAME: that account alone; nullopt if unknown.
  std::optional<std::string> account_state_json(const std::string& name) const;
  // POST /_control/reset: every account at its start state, knobs as the
  // flags set them.
  void reset();

 private:
  ApiResponse handle_rest(const ApiRequest& req);
  ApiResponse handle_control(const ApiRequest& req);
  ApiResponse handle_launch(const ApiRequest& req);
  // /oauth/... (oauth_routes.cpp).
  ApiResponse handle_oauth(const ApiRequest& req);
  ApiResponse oauth_token(const ApiRequest& req, bool refresh_only, RequestRecord& rec);
  ApiResponse oauth_authorize(const ApiRequest& req, RequestRecord& rec);
  // GET/POST /_control/config and POST /_control/oauth/expire (control_routes.cpp).
  ApiResponse config(const ApiRequest& req, const rapidjson::Value& body);
  ApiResponse expire_oauth(const rapidjson::Value& body);
  // POST /_control/simulate_calls and GET /_control/calls (call_routes.cpp).
  ApiResponse simulate_calls(const rapidjson::Value& body);
  ApiResponse call_log(const ApiRequest& req) const;
  ApiResponse run_route(const ApiRequest& req, const RestRoute& route, const std::vector<std::string>& args,
                        Account& account, int& delay_after_ms);
  // The account the bearer token opens, or the 401 to answer.
  AccountState* authenticate(const ApiRequest& req, std::optional<ApiResponse>& denied);
  TokenPolicy token_policy() const;

  const ApiOptions initial_;
  mutable std::mutex mu_;
  AccountSet accounts_;
  FaultPlan faults_;
  RequestLog log_;
  CallLog calls_;
};

}  // namespace fake_pb
