// Fault injection: the knobs (random rates, latency) and the deterministic
// fail_next queue. Tests should prefer fail_next; rates are for soak runs and
// demos. Both are settable at start (flags) and at run time (/_control).
#pragma once
#include "json_util.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace fake_pb {

struct Knobs {
  int latency_ms = 0;                        // added to every /rest request
  double error_rate = 0;                     // -> 500/502/503 error envelope, nothing applied
  double rate_limit_rate = 0;                // -> 429, nothing applied
  int retry_after_s = 1;                     // Retry-After on 429s; -1 = send no header
  double drop_after_write_rate = 0;          // writes: apply, then close without answering
  double malformed_rate = 0;                 // apply as usual, answer with truncated JSON
  std::uint64_t seed = 1;                    // for the rates; changing it restarts the sequence
  int dialsession_delay_ms_per_contact = 0;  // POST /dialsession is slow for real
  // 1: custom fields whose name the account has not defined are dropped, as
  // PhoneBurner may do when nobody pre-created them in its settings.
  int ignore_unknown_custom_fields = 0;
  // OAuth accounts: how long an access token lives, and whether a refresh
  // returns a new refresh token and invalidates the one used (1) or the same
  // one again (0).
  int oauth_access_ttl_s = 3600;
  int oauth_rotate_refresh_tokens = 1;
};

// Knob names as JSON keys; the flags are the same with '-' for '_'.
const std::vector<std::string>& knob_names();
// Sets one knob from text ("0.25", "500"); false with `error` when the name is
// unknown or the value out of range (rates 0..1, delays >= 0).
bool set_knob(Knobs& knobs, const std::string& name, const std::string& text, std::string& error);
// All or nothing: `patch` is a JSON object of knob names to values.
bool update_knobs(Knobs& knobs, const rapidjson::Value& patch, std::string& error);
// The knobs as members of the object the caller has started.
void write_knob_members(JsonWriter& w, const Knobs& knobs);

enum class FaultKind { none, status, drop_before_write, drop_after_write, malformed };

struct Fault {
  FaultKind kind = FaultKind::none;
  int status = 0;          // for FaultKind::status
  int retry_after_s = -1;  // Retry-After header on a 429; -1 = none
  std::string source;      // "fail_next", "error_rate", ... (request log)
};

// What a fault does, as the request counters name it: the status ("429",
// "503"), "drop_before_write", "drop_after_write" or "malformed"; "" for none.
std::string fault_kind_name(const Fault& fault);

// One POST /_control/fail_next: the next `remaining` matching requests fail.
// Drops match writes only (POST/PUT/PATCH/DELETE); `method`, `path` (a
// prefix) and `account` (requests authenticated as it) narrow the match
// further. The /oauth endpoints are matched only by rules whose path starts
// with "/oauth", so a plain rule still hits the next REST call.
struct FaultRule {
  long remaining = 1;
  FaultKind kind = FaultKind::status;
  int status = 503;
  std::optional<int> retry_after_s;
  std::string method;
  std::string path;
  std::string account;
};

// {"count":N,"status":503} | {"count":N,"drop_after_write":true} |
// {"count":N,"drop_before_write":true} | {"count":N,"malformed":true},
// plus optional "retry_after_s", "method", "path", "account".
bool parse_fault_rule(const rapidjson::Value& json, FaultRule& rule, std::string& error);

class FaultPlan {
 public:
  explicit FaultPlan(const Knobs& knobs);
  const Knobs& knobs() const { return knobs_; }
  void set_knobs(const Knobs& knobs);  // reseeds when the seed changes
  void add_rule(FaultRule rule) { rules_.push_back(std::move(rule)); }
  void clear_rules() { rules_.clear(); }
  // The fault for a /rest request: the first matching fail_next rule
  // (consumed), else one roll per non-zero rate, in the order 429, 5xx, drop,
  // malformed. `account` is the account the request authenticated as.
  Fault decide(const std::string& method, const std::string& path, bool is_write, const std::string& account);
  // The fault for an /oauth request: fail_next rules naming an /oauth path
  // only; the rates never apply (they are for the REST API).
  Fault decide_oauth(const std::string& method, const std::string& path, const std::string& account);
  void write_rules(JsonWriter& w) const;

 private:
  std::optional<Fault> take_rule(const std::string& method, const std::string& path, bool is_write,
                                 const std::string& account, bool oauth);

  Knobs knobs_;
  std::deque<FaultRule> rules_;
  std::mt19937_64 rng_;
};

}  // namespace fake_pb
