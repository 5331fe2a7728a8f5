#include "api.hpp"

#include "body_decode.hpp"
#include "clock.hpp"
#include "contact_view.hpp"
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

Api::Api(ApiOptions options)
    : initial_(options),
      token_(options.token),
      faults_(options.knobs),
      log_(options.request_log_size),
      account_webhook_url_(options.account_webhook_url) {}

ApiResponse Api::handle(const ApiRequest& req) {
  if (starts_with(req.path, "/_control/")) return handle_control(req);
  if (starts_with(req.path, "/dialsession/launch/")) return handle_launch(req);
  return handle_rest(req);
}

std::optional<ApiResponse> Api::auth_failure(const ApiRequest& req) const {
  const std::string& header = req.authorization;
  if (header.size() < 7 || strncasecmp(header.c_str(), "Bearer ", 7) != 0)
    return error(401, debug_code::kAuthHeaderRequired, "Login Failure: Authorization Header required");
  const size_t b = header.find_first_not_of(' ', 7);
  const std::string token = b == std::string::npos ? std::string() : header.substr(b);
  if (token != token_) return error(401, debug_code::kInvalidToken, "Login Failure: Invalid access token");
  return std::nullopt;
}

ApiResponse Api::run_route(const ApiRequest& req, const RestRoute& route,
                           const std::vector<std::string>& args, int& delay_after_ms) {
  rapidjson::Document body;
  body.SetObject();
  if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    std::string problem;
    if (!decode_body(req, body, problem)) return error(400, 40001, problem);
  }
  const std::string now = now_datetime();
  account_.ignore_unknown_custom_fields = faults_.knobs().ignore_unknown_custom_fields != 0;
  const RestCall call{req, args, body, account_, now, faults_.knobs().dialsession_delay_ms_per_contact};
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
    if (under_rest && (!route || route->needs_auth)) denied = auth_failure(req);
    if (denied) {
      res = std::move(*denied);
    } else if (!route) {
      res = error(404, 40401, "Unknown route: " + req.method + " " + req.path);
    } else {
      const Fault fault = faults_.decide(req.method, req.path, is_write(req.method));
      rec.fault = fault.source;
      if (fault.kind == FaultKind::status) {
        res = error(fault.status);
        if (fault.retry_after_s >= 0)
          res.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_s));
      } else if (fault.kind == FaultKind::drop_before_write) {
        res.drop_connection = true;
      } else {
        res = run_route(req, *route, args, delay_after_ms);
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
  DialSession* session = nullptr;
  for (auto& s : account_.dial_sessions)
    if (s.launch_token == token) session = &s;
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
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  const Account& a = account_;
  w.StartObject();
  w.Key("member");
  w.StartObject();
  put_str(w, "user_id", a.member.user_id);
  put_str(w, "username", a.member.username);
  w.EndObject();
  w.Key("folders");
  w.StartArray();
  for (const auto& f : a.folders) {
    w.StartObject();
    put_id(w, "folder_id", f.id);
    put_str(w, "folder_name", f.name);
    put_str(w, "description", f.description);
    w.Key("is_default");
    w.Bool(f.id == a.default_folder().id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("custom_field_definitions");
  w.StartArray();
  for (const auto& d : a.custom_field_defs) {
    w.StartObject();
    put_id(w, "custom_field_id", d.id);
    put_str(w, "name", d.name);
    put_str(w, "type", d.type);
    w.EndObject();
  }
  w.EndArray();
  for (const bool trashed : {false, true}) {
    w.Key(trashed ? "trashed_contacts" : "contacts");
    w.StartArray();
    for (const auto& [id, c] : a.contacts)
      if (c.trashed == trashed) write_contact_state(w, a, c);
    w.EndArray();
  }
  w.Key("dial_sessions");
  w.StartArray();
  for (const auto& s : a.dial_sessions) {
    w.StartObject();
    put_id(w, "id", s.id);
    put_str(w, "name", s.name);
    w.Key("contact_ids");
    w.StartArray();
    for (long id : s.contact_ids) w.String(std::to_string(id).c_str());
    w.EndArray();
    put_num(w, "contact_count", static_cast<long long>(s.contact_ids.size()));
    put_num(w, "skipped_contact_count", s.skipped_contact_count);
    put_raw(w, "callbacks", s.callbacks);
    put_raw(w, "custom_data", s.custom_data);
    put_raw(w, "preset_id", s.preset_id);
    put_raw(w, "errors", s.errors);
    put_str(w, "redirect_url", s.redirect_url);
    w.Key("launched");
    w.Bool(s.launched);
    put_str(w, "date_created", s.date_created);
    w.EndObject();
  }
  w.EndArray();
  w.Key("counters");
  log_.write_counters(w);
  w.Key("config");
  w.StartObject();
  write_knob_members(w, faults_.knobs());
  w.EndObject();
  w.Key("fail_next");
  faults_.write_rules(w);
  put_str(w, "account_webhook_url", account_webhook_url_);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

void Api::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  account_ = Account();
  faults_ = FaultPlan(initial_.knobs);
  token_ = initial_.token;
  log_.clear();
  account_webhook_url_ = initial_.account_webhook_url;
  calls_.clear();
}

}  // namespace fake_pb
