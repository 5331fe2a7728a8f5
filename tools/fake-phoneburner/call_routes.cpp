// POST /_control/simulate_calls: reps dial, PhoneBurner's webhooks go out
// (those of the account owning the folder or dial session).
// Plans under the lock (contacts, outcomes, payloads; the contacts' call
// history is updated), then POSTs every webhook synchronously and unlocked,
// since a receiver may read the fake's REST API while it handles one, then
// records the truth. Answers with that run; GET /_control/calls has them all.
#include "api.hpp"
#include "clock.hpp"
#include "control_response.hpp"
#include "rest_routes.hpp"

#include <cstdlib>

namespace fake_pb {

ApiResponse Api::simulate_calls(const rapidjson::Value& body) {
  SimulationRequest request;
  std::string problem;
  if (!parse_simulation_request(body, request, problem)) return control_error(400, problem);

  CallPlan plan;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Ids are unique across accounts: the folder or session says whose rep
    // dials, and so whose account-level webhook hears of it. Unknown ids are
    // left to plan_calls (on the default account) to refuse.
    AccountState* owner = request.dial_session_id ? accounts_.owner_of_dial_session(request.dial_session_id)
                                                  : accounts_.owner_of_folder(request.folder_id);
    if (!owner) owner = &accounts_.default_account();
    PlanFailure failure;
    if (!plan_calls(owner->data, request, owner->account_webhook_url, central_now_datetime(), plan,
                    failure)) {
      if (failure.status == 409 && owner->account_webhook_url.empty() && owner->name != "default")
        failure.message += " (for account " + owner->name + ": add \"account\":\"" + owner->name + "\")";
      return control_error(failure.status, failure.message);
    }
    plan.account = owner->name;
  }

  const DeliveryOptions options{request.timeout_ms, request.retries, request.retry_delay_ms};
  std::vector<std::vector<DeliveryAttempt>> attempts;
  attempts.reserve(plan.deliveries.size());
  for (const PlannedDelivery& d : plan.deliveries)
    attempts.push_back(post_webhook(d.target, d.body, options));

  std::lock_guard<std::mutex> lock(mu_);
  const long simulation = calls_.add(plan, attempts);
  return json_response(200, [&](JsonWriter& w) { calls_.write_run(w, simulation); });
}

ApiResponse Api::call_log(const ApiRequest& req) const {
  const long simulation = std::strtol(query_param(req, "simulation").c_str(), nullptr, 10);
  std::lock_guard<std::mutex> lock(mu_);
  return json_response(200, [&](JsonWriter& w) { calls_.write_all(w, simulation); });
}

}  // namespace fake_pb
