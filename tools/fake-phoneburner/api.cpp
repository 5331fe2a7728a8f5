#include "api.hpp"

#include "account_state_json.hpp"
#include "body_decode.hpp"
#include "clock.hpp"
#include "envelope.hpp"
#include "rest_routes.hpp"

#include <chrono>
#include <cstring>
#include <strings.h>
#include <thread>

namespace fake_pb {
namespace {

constexpr const char kRestPrefix[] = "/rest/1";

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string trim_slashes(std::string s) {
  const size_t b = s.find_first_not_of('/');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of('/') - b + 1);
}

// A body cut in half: what a client sees when a proxy or the server dies
// mid-answer. Never valid JSON, since the closing brace is gone.
std::string truncated(const std::string& body) {
  return body.substr(0, std::max<size_t>(1, body.size() / 2));
}

long long millis_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

void sleep_ms(int ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

std::vector<AccountOptions> all_accounts(const ApiOptions& options) {
  std::vector<AccountOptions> all{
      AccountOptions{"default", options.token, std::nullopt, options.account_webhook_url}};
  for (const auto& a : options.accounts) {
    if (a.name != "default") {
      all.push_back(a);
      continue;
    }
    all.front().oauth = a.oauth;
    if (!a.token.empty()) all.front().token = a.token;
    if (!a.account_webhook_url.empty()) all.front().account_webhook_url = a.account_webhook_url;
  }
  return all;
}

Api::Api(ApiOptions options)
    : initial_(options),
      accounts_(all_accounts(options)),
      faults_(options.knobs),
      log_(options.request_log_size) {}

ApiResponse Api::handle(const ApiRequest& req) {
  if (starts_with(req.path, "/_control/")) return handle_control(req);
  if (starts_with(req.path, "/dialsession/launch/")) return handle_launch(req);
  if (starts_with(req.path, "/oauth/")) return handle_oauth(req);
  return handle_rest(req);
}

TokenPolicy Api::token_policy() const {
  return TokenPolicy{faults_.knobs().oauth_access_ttl_s, faults_.knobs().oauth_rotate_refresh_tokens != 0};
}

AccountState* Api::authenticate(const ApiRequest& req, std::optional<ApiResponse>& denied) {
  const std::string& header = req.authorization;
  if (header.size() < 7 || strncasecmp(header.c_str(), "Bearer ", 7) != 0) {
    denied = error(401, debug_code::kAuthHeaderRequired, "Login Failure: Authorization Header required");
    return nullptr;
  }
  const size_t b = header.find_first_not_of(' ', 7);
  const std::string token = b == std::string::npos ? std::string() : header.substr(b);
  AccessCheck check = AccessCheck::unknown;
  AccountState* account = accounts_.by_token(token, now_millis(), check);
  if (account) return account;
  if (check == AccessCheck::expired)
    denied = error(401, debug_code::kExpiredToken, "Expired oauth token");
  else
    denied = error(401, debug_code::kInvalidToken, "Login Failure: Invalid access token");
  return nullptr;
}

ApiResponse Api::run_route(const ApiRequest& req, const RestRoute& route,
                           const std::vector<std::string>& args, Account& account, int& delay_after_ms) {
  rapidjson::Document body;
  body.SetObject();
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    std::string problem;
    if (!decode_body(req, body, problem)) return error(400, 40001, problem);
  }
  const std::string now = now_datetime();
  account.ignore_unknown_custom_fields = faults_.knobs().ignore_unknown_custom_fields != 0;
  const RestCall call{req, args, body, account, now, faults_.knobs().dialsession_delay_ms_per_contact};
  RestResult result = route.handler(call);
  delay_after_ms = result.delay_after_ms;
  return std::move(result.response);
}

ApiResponse Api::handle_rest(const ApiRequest& req) {
  const auto started = std::chrono::steady_clock::now();
  const bool under_rest = req.path == kRestPrefix || starts_with(req.path, "/rest/1/");
  if (under_rest) {
    int latency = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      latency = faults_.knobs().latency_ms;
    }
    sleep_ms(latency);
  }
  std::vector<std::string> args;
  const RestRoute* route =
      under_rest ? match_rest_route(req.method, trim_slashes(req.path.substr(7)), args) : nullptr;

  RequestRecord rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.query = req.query_string;
  rec.content_type = req.content_type;
  rec.body = req.body;
  rec.route = route ? std::string(route->method) + " /rest/1/" + route->pattern : "unknown";

  ApiResponse res;
  int delay_after_ms = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<ApiResponse> denied;
    // Routes without auth (tranquility) run on the default account.
    AccountState* account = &accounts_.default_account();
    if (under_rest && (!route || route->needs_auth)) {
      account = authenticate(req, denied);
      if (account) rec.account = account->name;
    }
    if (denied) {
      res = std::move(*denied);
    } else if (!route) {
      res = error(404, 40401, "Unknown route: " + req.method + " " + req.path);
    } else {
      const Fault fault = faults_.decide(req.method, req.path, is_write(req.method), rec.account);
      rec.fault = fault.source;
      rec.fault_kind = fault_kind_name(fault);
      if (fault.kind == FaultKind::status) {
        res = error(fault.status);
        if (fault.retry_after_s >= 0)
          res.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_s));
      } else if (fault.kind == FaultKind::drop_before_write) {
        res.drop_connection = true;
      } else {
        res = run_route(req, *route, args, account->data, delay_after_ms);
        rec.handler_status = res.status;
        // Decided: a malformed answer still means the route ran (a write is
        // applied), like a truncated response after the server committed.
        if (fault.kind == FaultKind::malformed) res.body = truncated(res.body);
        if (fault.kind == FaultKind::drop_after_write) res.drop_connection = true;
      }
    }
  }
  sleep_ms(delay_after_ms);
  rec.status = res.drop_connection ? 0 : res.status;
  rec.time = now_iso_millis();
  rec.duration_ms = millis_since(started);
  std::lock_guard<std::mutex> lock(mu_);
  log_.add(std::move(rec));
  return res;
}

ApiResponse Api::handle_launch(const ApiRequest& req) {
  const std::string token = req.path.substr(std::strlen("/dialsession/launch/"));
  ApiResponse res;
  res.content_type = "text/html; charset=utf-8";
  std::lock_guard<std::mutex> lock(mu_);
  RequestRecord rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.route = "GET /dialsession/launch/{token}";
  DialSession* session = accounts_.dial_session_by_launch_token(token);
  if (!session) {
    res.status = 404;
    res.body = "<!doctype html><title>Not found</title><p>Unknown dial session link.</p>\n";
  } else if (session->launched) {
    res.status = 410;  // one-time SSO link: the second visit finds it spent
    res.body =
        "<!doctype html><title>Link expired</title><p>This dial session link was "
        "already used.</p>\n";
  } else {
    session->launched = true;
    res.body = "<!doctype html><title>Fake PhoneBurner dialer</title><h1>Dial session " +
               std::to_string(session->id) + "</h1><p>" + std::to_string(session->contact_ids.size()) +
               " contacts ready to dial. (This is the fake PhoneBurner: nothing will be "
               "dialed.)</p>\n";
  }
  rec.status = res.status;
  rec.handler_status = res.status;
  rec.time = now_iso_millis();
  log_.add(std::move(rec));
  return res;
}

std::string Api::state_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  const long long now = now_millis();
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_account_members(w, accounts_.default_account(), now);
  w.Key("counters");
  log_.write_counters(w);
  w.Key("config");
  w.StartObject();
  write_knob_members(w, faults_.knobs());
  w.EndObject();
  w.Key("fail_next");
  faults_.write_rules(w);
  w.Key("accounts");
  w.StartObject();
  for (const auto& [name, account] : accounts_.all()) {
    w.Key(name.c_str());
    w.StartObject();
    write_account_members(w, account, now);
    w.Key("counters");
    log_.write_account_counters(w, name);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<std::string> Api::account_state_json(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const AccountState* account = accounts_.find(name);
  if (!account) return std::nullopt;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_account_members(w, *account, now_millis());
  w.Key("counters");
  log_.write_account_counters(w, name);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

void Api::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  accounts_.reset();
  faults_ = FaultPlan(initial_.knobs);
  log_.clear();
  calls_.clear();
}

}  // namespace fake_pb
