// /oauth: PhoneBurner's OAuth2 endpoints, no Bearer auth.
//   POST /oauth/accesstoken   grant_type=authorization_code (code, client_id,
//                             client_secret) or grant_type=refresh_token
//   POST /oauth/refreshtoken  grant_type=refresh_token, client_id,
//                             client_secret, refresh_token
//   GET  /oauth/index, /oauth/authorize  client_id, redirect_uri, state:
//                             approves at once, 302 to redirect_uri?code=..&state=..
// Token answers are plain JSON {"access_token","refresh_token","expires_in",
// "token_type":"bearer"}; failures {"error","error_description"} (401 for a
// wrong client, secret, code or refresh token). Requests go to the request
// log with secrets blanked; fail_next rules whose path starts with /oauth
// apply here (a dropped answer after a rotating refresh is the hard case).
#include "api.hpp"
#include "body_decode.hpp"
#include "clock.hpp"
#include "control_response.hpp"
#include "rest_routes.hpp"

#include <chrono>

namespace fake_pb {
namespace {

ApiResponse oauth_error(int status, const std::string& code, const std::string& description) {
  return json_response(status, [&](JsonWriter& w) {
    w.StartObject();
    put_str(w, "error", code);
    put_str(w, "error_description", description);
    w.EndObject();
  });
}

std::string param(const rapidjson::Value& body, const char* key) {
  auto it = body.FindMember(key);
  if (it == body.MemberEnd()) return {};
  return scalar_text(it->value).value_or(std::string());
}

// The body as the request log keeps it: every parameter, secrets blanked.
std::string redacted(const rapidjson::Value& body) {
  std::string out;
  for (const auto& m : body.GetObject()) {
    const std::string key(m.name.GetString(), m.name.GetStringLength());
    const bool secret =
        key == "client_secret" || key == "refresh_token" || key == "code" || key == "access_token";
    if (!out.empty()) out += '&';
    out += key + "=" + (secret ? std::string("<redacted>") : scalar_text(m.value).value_or("<value>"));
  }
  return out;
}

std::string url_encode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

ApiResponse tokens_response(const IssuedTokens& t) {
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    put_str(w, "access_token", t.access_token);
    put_str(w, "refresh_token", t.refresh_token);
    put_num(w, "expires_in", t.expires_in);
    put_str(w, "token_type", "bearer");
    w.EndObject();
  });
}

}  // namespace

ApiResponse Api::handle_oauth(const ApiRequest& req) {
  const auto started = std::chrono::steady_clock::now();
  RequestRecord rec;
  rec.method = req.method;
  rec.path = req.path;
  rec.query = req.query_string;
  rec.content_type = req.content_type;
  rec.route = req.method + " " + req.path;
  ApiResponse res;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (req.path == "/oauth/accesstoken" && req.method == "POST") {
      res = oauth_token(req, false, rec);
    } else if (req.path == "/oauth/refreshtoken" && req.method == "POST") {
      res = oauth_token(req, true, rec);
    } else if ((req.path == "/oauth/index" || req.path == "/oauth/authorize") && req.method == "GET") {
      res = oauth_authorize(req, rec);
    } else {
      rec.route = "unknown";
      res = oauth_error(404, "not_found", "Unknown route: " + req.method + " " + req.path);
    }
    rec.status = res.drop_connection ? 0 : res.status;
    rec.time = now_iso_millis();
    rec.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    log_.add(std::move(rec));
  }
  return res;
}

ApiResponse Api::oauth_token(const ApiRequest& req, bool refresh_only, RequestRecord& rec) {
  rapidjson::Document body;
  body.SetObject();
  std::string problem;
  if (!decode_body(req, body, problem)) return oauth_error(400, "invalid_request", problem);
  rec.body = redacted(body);

  const std::string grant_type = param(body, "grant_type");
  const bool by_code = grant_type == "authorization_code" && !refresh_only;
  if (grant_type != "refresh_token" && !by_code)
    return oauth_error(400, "unsupported_grant_type",
                       refresh_only ? "grant_type must be refresh_token"
                                    : "grant_type must be authorization_code or refresh_token");
  AccountState* account = accounts_.by_client_id(param(body, "client_id"));
  if (account) rec.account = account->name;

  const Fault fault = faults_.decide_oauth(req.method, req.path, rec.account);
  rec.fault = fault.source;
  rec.fault_kind = fault_kind_name(fault);
  if (fault.kind == FaultKind::drop_before_write) {
    ApiResponse dropped;
    dropped.drop_connection = true;
    return dropped;
  }
  if (fault.kind == FaultKind::status) {
    ApiResponse res = oauth_error(fault.status, fault.status == 429 ? "slow_down" : "temporarily_unavailable",
                                  "injected fault");
    if (fault.retry_after_s >= 0)
      res.headers.emplace_back("Retry-After", std::to_string(fault.retry_after_s));
    return res;
  }

  ApiResponse res;
  IssuedTokens tokens;
  if (!account) {
    res = oauth_error(401, "invalid_client", "Unknown client_id");
  } else if (!account->oauth->secret_matches(param(body, "client_secret"))) {
    account->oauth->count_refused();
    res = oauth_error(401, "invalid_client", "Wrong client_secret");
  } else if (by_code) {
    res = account->oauth->redeem_code(param(body, "code"), token_policy(), now_millis(), tokens)
              ? tokens_response(tokens)
              : oauth_error(401, "invalid_grant", "Invalid or used authorization code");
  } else {
    res = account->oauth->refresh(param(body, "refresh_token"), token_policy(), now_millis(), tokens)
              ? tokens_response(tokens)
              : oauth_error(401, "invalid_grant", "Invalid refresh token");
  }
  rec.handler_status = res.status;
  // As on the REST API: the grant happened (a rotated refresh token is spent)
  // even though the client never reads the answer.
  if (fault.kind == FaultKind::malformed)
    res.body = res.body.substr(0, std::max<size_t>(1, res.body.size() / 2));
  if (fault.kind == FaultKind::drop_after_write) res.drop_connection = true;
  return res;
}

ApiResponse Api::oauth_authorize(const ApiRequest& req, RequestRecord& rec) {
  const std::string client_id = query_param(req, "client_id");
  const std::string redirect_uri = query_param(req, "redirect_uri");
  AccountState* account = accounts_.by_client_id(client_id);
  if (!account) return oauth_error(400, "invalid_client", "Unknown client_id");
  rec.account = account->name;
  if (redirect_uri.empty()) return oauth_error(400, "invalid_request", "redirect_uri is required");
  std::string location = redirect_uri + (redirect_uri.find('?') == std::string::npos ? "?" : "&") +
                         "code=" + url_encode(account->oauth->new_authorization_code());
  const std::string state = query_param(req, "state");
  if (!state.empty()) location += "&state=" + url_encode(state);
  ApiResponse res;
  res.status = 302;
  res.content_type = "text/html; charset=utf-8";
  res.headers.emplace_back("Location", location);
  res.body = "<!doctype html><title>Redirecting</title><p>Authorized.</p>\n";
  rec.handler_status = res.status;
  return res;
}

}  // namespace fake_pb
