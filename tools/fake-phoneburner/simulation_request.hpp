// The body of POST /_control/simulate_calls, validated: who is dialed (a
// folder or one of our dial sessions), how many calls, the disposition mix,
// talk times, the start clock, the delivery quirks (duplicates, out of order)
// and how hard to try delivering. README.md documents every key.
#pragma once
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fake_pb {

struct SecondsRange {
  long min = 0;
  long max = 0;
};

struct AgentSpec {
  std::string user_id, first_name, last_name;
};

struct SimulationRequest {
  // Exactly one is set (non-zero).
  long folder_id = 0;             // a rep dials this folder: api_calldone to the account URL
  long dial_session_id = 0;       // one of ours: its registered callbacks
  std::optional<long> calls;      // absent: each contact once
  std::vector<long> contact_ids;  // explicit contacts, in this order (optional)
  // Either weights (apportioned exactly, then shuffled) or one disposition per
  // call. Weights default to a plausible hour of cold calling.
  std::vector<std::pair<std::string, double>> disposition_weights;
  std::vector<std::string> disposition_list;
  std::optional<std::vector<std::string>> connected_dispositions;
  SecondsRange talk{20, 600};  // connected calls
  SecondsRange ring{8, 45};    // calls nobody answered (or voicemail)
  SecondsRange wrap{5, 30};    // between one call's end and the next start
  std::uint64_t seed = 1;
  long duplicates = 0;
  bool out_of_order = false;
  std::vector<AgentSpec> agents;  // round robin; empty = the account's member
  std::string start;              // Central wall clock; "" = the last call ends now
  // A dial session's api_calldone also to the account-level URL, as the real
  // account hook probably fires for every call (unverified, so off by default).
  bool also_account_webhook = false;
  int timeout_ms = 3000;  // per POST: PhoneBurner expects an answer within ~3 s
  int retries = 0;        // extra attempts after a transport error, 408, 429 or 5xx
  int retry_delay_ms = 200;
  // When set, a call with a callback disposition (callback_dispositions())
  // schedules a callback this many days after its start, and its
  // api_calldone says when in "events": {"next_event": {"type": "callback",
  // "date": "YYYY-MM-DD HH:MM:SS"}}.
  std::optional<long> callback_days;
};

// False with `error` on anything unusable (the call then fires nothing).
bool parse_simulation_request(const rapidjson::Value& body, SimulationRequest& out, std::string& error);

// The disposition texts that do not count as connected unless the request
// lists its own: nobody (live) answered.
const std::vector<std::string>& default_unconnected_dispositions();

// The disposition texts that schedule a callback when callback_days is set
// (compared case-insensitively): the default map's callback texts.
bool is_callback_disposition(const std::string& disposition);

}  // namespace fake_pb
