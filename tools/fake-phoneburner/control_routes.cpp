// /_control: the test hooks. No auth (the fake only listens on loopback):
//   GET  /_control/state       everything the accounts hold, counters, knobs
//                              (?account=NAME: that account alone)
//   POST /_control/reset       back to the state at start (knobs from the flags)
//   GET  /_control/config      knobs (and an account's token, ?account=NAME)
//   POST /_control/config      change some knobs: {"error_rate":0.2,...}; "token" and
//                              "account_webhook_url" too, of "account" (default: default)
//   POST /_control/oauth/expire  {"account":"NAME"}: its live access tokens expire now
//   GET  /_control/fail_next   pending rules
//   POST /_control/fail_next   queue one: {"count":2,"status":503}, ...
//   DELETE /_control/fail_next drop all pending rules
//   GET  /_control/requests    the request log (?since=SEQ for newer ones only)
//   POST /_control/simulate_calls  reps dial: webhooks fire (call_routes.cpp)
//   GET  /_control/calls       the simulated truth (call_routes.cpp)
#include "api.hpp"
#include "body_decode.hpp"
#include "clock.hpp"
#include "control_response.hpp"
#include "rest_routes.hpp"
#include "webhook_delivery.hpp"

#include <cstdlib>
#include <cstring>

namespace fake_pb {
namespace {

// Loopback peers only: /_control has no auth. (Requests built in-process,
// without a peer address, are allowed.)
bool loopback(const std::string& addr) {
  return addr.empty() || addr.rfind("127.", 0) == 0 || addr == "::1" || addr.rfind("::ffff:127.", 0) == 0;
}

// "" switches the account-level hook off; anything else must be a URL the
// fake is willing to call (checked now, not when calls are simulated).
bool valid_account_webhook(const rapidjson::Value& v, std::string& out, std::string& problem) {
  if (!v.IsString()) {
    problem = "account_webhook_url must be a string (\"\" to unset)";
    return false;
  }
  const std::string url(v.GetString(), v.GetStringLength());
  WebhookUrl parsed;
  if (!url.empty() && !parse_loopback_url(url, parsed, problem)) return false;
  out = url;
  return true;
}

// The "account" member of a control body (or ?account=), "default" when absent.
bool account_name(const ApiRequest& req, const rapidjson::Value& body, std::string& name,
                  std::string& problem) {
  name = query_param(req, "account");
  auto it = body.FindMember("account");
  if (it != body.MemberEnd()) {
    if (!it->value.IsString()) {
      problem = "account must be a string";
      return false;
    }
    name.assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (name.empty()) name = "default";
  return true;
}

ApiResponse unknown_account(const std::string& name) { return control_error(404, "no account " + name); }

}  // namespace

ApiResponse Api::config(const ApiRequest& req, const rapidjson::Value& body) {
  std::string name, problem;
  if (!account_name(req, body, name, problem)) return control_error(400, problem);
  AccountState* account = accounts_.find(name);
  if (!account) return unknown_account(name);
  if (req.method == "POST") {
    Knobs knobs = faults_.knobs();
    std::string token = account->token;
    std::string hook = account->account_webhook_url;
    rapidjson::Document patch;
    patch.CopyFrom(body, patch.GetAllocator());
    patch.RemoveMember("account");
    auto h = patch.FindMember("account_webhook_url");
    if (h != patch.MemberEnd()) {
      if (!valid_account_webhook(h->value, hook, problem)) return control_error(400, problem);
      patch.RemoveMember("account_webhook_url");
    }
    auto t = patch.FindMember("token");
    if (t != patch.MemberEnd()) {
      if (!t->value.IsString() || t->value.GetStringLength() == 0)
        return control_error(400, "token must be a non-empty string");
      token = t->value.GetString();
      if (accounts_.token_taken(token, account)) return control_error(400, "that token is another account's");
      patch.RemoveMember("token");
    }
    if (!update_knobs(knobs, patch, problem)) return control_error(400, problem);
    faults_.set_knobs(knobs);
    account->token = token;
    account->account_webhook_url = hook;
  }
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    write_knob_members(w, faults_.knobs());
    put_str(w, "account", account->name);
    put_str(w, "token", account->token);
    put_str(w, "account_webhook_url", account->account_webhook_url);
    w.EndObject();
  });
}

ApiResponse Api::expire_oauth(const rapidjson::Value& body) {
  auto it = body.FindMember("account");
  if (it == body.MemberEnd() || !it->value.IsString())
    return control_error(400, "give the account: {\"account\":\"NAME\"}");
  const std::string name(it->value.GetString(), it->value.GetStringLength());
  AccountState* account = accounts_.find(name);
  if (!account) return unknown_account(name);
  if (!account->oauth) return control_error(409, "account " + name + " has no OAuth client");
  const int expired = account->oauth->expire_access_tokens(now_millis());
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    put_str(w, "account", name);
    put_num(w, "expired", expired);
    w.EndObject();
  });
}

ApiResponse Api::handle_control(const ApiRequest& req) {
  if (!loopback(req.remote_addr)) return control_error(403, "control API is loopback-only");
  const std::string what = req.path.substr(std::strlen("/_control/"));
  const std::string& m = req.method;

  if (what == "state" && m == "GET") {
    const std::string name = query_param(req, "account");
    ApiResponse res;
    if (name.empty()) {
      res.body = state_json();
    } else if (auto one = account_state_json(name)) {
      res.body = std::move(*one);
    } else {
      return unknown_account(name);
    }
    return res;
  }
  if (what == "reset" && m == "POST") {
    reset();
    return json_response(200, [](JsonWriter& w) {
      w.StartObject();
      w.Key("reset");
      w.Bool(true);
      w.EndObject();
    });
  }

  rapidjson::Document body;
  body.SetObject();
  if (m == "POST") {
    std::string problem;
    if (!decode_body(req, body, problem)) return control_error(400, problem);
  }
  // These lock for themselves: webhooks go out unlocked.
  if (what == "simulate_calls" && m == "POST") return simulate_calls(body);
  if (what == "calls" && m == "GET") return call_log(req);
  std::lock_guard<std::mutex> lock(mu_);
  if (what == "config" && (m == "GET" || m == "POST")) return config(req, body);
  if (what == "oauth/expire" && m == "POST") return expire_oauth(body);
  if (what == "fail_next") {
    if (m == "POST") {
      FaultRule rule;
      std::string problem;
      if (!parse_fault_rule(body, rule, problem)) return control_error(400, problem);
      faults_.add_rule(std::move(rule));
    } else if (m == "DELETE") {
      faults_.clear_rules();
    } else if (m != "GET") {
      return control_error(404, "unknown control endpoint: " + m + " " + req.path);
    }
    return json_response(200, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("fail_next");
      faults_.write_rules(w);
      w.EndObject();
    });
  }
  if (what == "requests" && m == "GET") {
    const std::string since = query_param(req, "since");
    const unsigned long long after = std::strtoull(since.c_str(), nullptr, 10);
    return json_response(200, [&](JsonWriter& w) { log_.write_records(w, after); });
  }
  return control_error(404, "unknown control endpoint: " + m + " " + req.path);
}

}  // namespace fake_pb
