// Turns a simulate_calls request into what happens: which contacts are
// dialed, each call's disposition, times and agent (the truth), and every
// webhook PhoneBurner would POST, in arrival order, with its body. Pure
// planning under the account lock; sending happens afterwards, unlocked,
// because a receiver may call the fake's REST API while handling a webhook.
#pragma once
#include "account.hpp"
#include "delivery_order.hpp"
#include "simulated_call.hpp"
#include "simulation_request.hpp"
#include "webhook_delivery.hpp"

#include <string>
#include <vector>

namespace fake_pb {

struct PlannedDelivery {
  size_t call = 0;  // index into CallPlan::calls
  CallEvent event = CallEvent::calldone;
  std::string url;  // as registered
  WebhookUrl target;
  std::string body;
  long duplicate_of = -1;  // index into CallPlan::deliveries of the first send
};

struct CallPlan {
  std::string account;  // the account dialing (set by the caller)
  std::string source;   // "session" | "account"
  long ds_id = 0;
  std::vector<SimulatedCall> calls;
  std::vector<PlannedDelivery> deliveries;
};

struct PlanFailure {
  int status = 400;  // 404 unknown folder/session, 409 nothing to send to or dial
  std::string message;
};

// Checks everything before changing anything, so a failure fires nothing. On
// success each dialed contact's call history (total_calls, last_call_time)
// is updated, as PhoneBurner's contact reads would show it.
// `central_now` ("YYYY-MM-DD HH:MM:SS") anchors runs without a `start`.
bool plan_calls(Account& account, const SimulationRequest& req, const std::string& account_webhook_url,
                const std::string& central_now, CallPlan& out, PlanFailure& failure);

}  // namespace fake_pb
