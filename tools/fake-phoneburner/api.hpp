// The fake PhoneBurner as a request -> response function: /rest/1 (bearer
// auth, envelopes, fault injection, the request log), /_control (knobs,
// fail_next, state, reset, request log, simulated calls) and the one-time
// dial-session launch page. Thread-safe: one mutex over everything; sleeps
// and outgoing webhooks happen outside it.
#pragma once
#include "account.hpp"
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
  std::string token;  // the accepted bearer token
  Knobs knobs;
  size_t request_log_size = 1000;
  std::string account_webhook_url;  // where folder dialing's api_calldone goes
};

class Api {
 public:
  explicit Api(ApiOptions options);

  ApiResponse handle(const ApiRequest& req);

  // GET /_control/state: folders, custom-field definitions, contacts (live and
  // trashed), dial sessions, counters, knobs and pending fail_next rules.
  std::string state_json() const;
  // POST /_control/reset: the state at start, knobs as the flags set them.
  void reset();

 private:
  ApiResponse handle_rest(const ApiRequest& req);
  ApiResponse handle_control(const ApiRequest& req);
  ApiResponse handle_launch(const ApiRequest& req);
  // POST /_control/simulate_calls and GET /_control/calls (call_routes.cpp).
  ApiResponse simulate_calls(const rapidjson::Value& body);
  ApiResponse call_log(const ApiRequest& req) const;
  ApiResponse run_route(const ApiRequest& req, const RestRoute& route, const std::vector<std::string>& args,
                        int& delay_after_ms);
  std::optional<ApiResponse> auth_failure(const ApiRequest& req) const;

  const ApiOptions initial_;
  mutable std::mutex mu_;
  std::string token_;
  Account account_;
  FaultPlan faults_;
  RequestLog log_;
  std::string account_webhook_url_;
  CallLog calls_;
};

}  // namespace fake_pb
