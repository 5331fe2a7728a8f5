// The simulated truth: every call the fake pretended a rep made and every
// webhook delivery it attempted, with the receiver's answers. Returned by
// POST /_control/simulate_calls (that run) and GET /_control/calls (all runs
// since start or reset), so tests can compare a receiver's tables with it.
#pragma once
#include "call_simulation.hpp"
#include "json_util.hpp"

#include <vector>

namespace fake_pb {

class CallLog {
 public:
  // A finished run; `attempts[i]` belongs to plan.deliveries[i]. Returns the
  // run's number (1, 2, ...).
  long add(const CallPlan& plan, const std::vector<std::vector<DeliveryAttempt>>& attempts);
  void clear() { *this = CallLog(); }

  // {"simulation":N,"source":..,"ds_id":..,"calls":[..],"deliveries":[..],"summary":{..}}
  void write_run(JsonWriter& w, long simulation) const;
  // {"simulations":N,"calls":[..],"deliveries":[..],"summary":{..}}; with
  // `simulation` > 0 only that run's calls and deliveries.
  void write_all(JsonWriter& w, long simulation) const;

 private:
  struct Run {
    long simulation = 0;
    std::string account;  // whose folder or dial session was dialed
    std::string source;
    long ds_id = 0;
  };
  struct Delivery {
    long seq = 0;  // from 1, over all runs
    long simulation = 0;
    size_t call = 0;  // index into calls_
    CallEvent event = CallEvent::calldone;
    std::string url, body;
    long duplicate_of = 0;  // seq of the first send; 0 = not a duplicate
    std::vector<DeliveryAttempt> attempts;
  };
  struct Call {
    long simulation = 0;
    SimulatedCall call;
  };

  void write_lists(JsonWriter& w, long simulation) const;
  void write_summary(JsonWriter& w, long simulation) const;

  std::vector<Run> runs_;
  std::vector<Call> calls_;
  std::vector<Delivery> deliveries_;
};

}  // namespace fake_pb
