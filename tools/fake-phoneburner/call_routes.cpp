// POST /_control/simulate_calls: reps dial, PhoneBurner's webhooks go out.
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
    PlanFailure failure;
    if (!plan_calls(account_, request, account_webhook_url_, central_now_datetime(), plan, failure))
      return control_error(failure.status, failure.message);
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
