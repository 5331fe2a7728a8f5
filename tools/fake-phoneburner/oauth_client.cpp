#include "oauth_client.hpp"

#include <cstdio>

namespace fake_pb {

// Seeded from the system, not from a counter: a client that kept a token
// across /_control/reset must not find it valid again by coincidence.
OAuthClient::OAuthClient(const OAuthCredentials& initial)
    : client_id_(initial.client_id), client_secret_(initial.client_secret), rng_(std::random_device{}()) {
  refresh_tokens_.insert(initial.refresh_token);
}

std::string OAuthClient::new_token(const char* prefix) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%016llx%016llx", prefix, static_cast<unsigned long long>(rng_()),
                static_cast<unsigned long long>(rng_()));
  return buf;
}

AccessCheck OAuthClient::check_access(const std::string& token, long long now_ms) {
  auto it = access_tokens_.find(token);
  if (it == access_tokens_.end()) return AccessCheck::unknown;
  if (it->second > now_ms) return AccessCheck::live;
  ++expired_rejections_;
  return AccessCheck::expired;
}

IssuedTokens OAuthClient::issue(const std::string& refresh_token, const TokenPolicy& policy,
                                long long now_ms) {
  IssuedTokens t;
  t.access_token = new_token("pbat_");
  t.refresh_token = refresh_token;
  t.expires_in = policy.access_ttl_s;
  access_tokens_[t.access_token] = now_ms + policy.access_ttl_s * 1000;
  return t;
}

bool OAuthClient::refresh(const std::string& refresh_token, const TokenPolicy& policy, long long now_ms,
                          IssuedTokens& out) {
  if (!refresh_tokens_.count(refresh_token)) {
    ++refused_;
    return false;
  }
  std::string next = refresh_token;
  if (policy.rotate_refresh_tokens) {
    refresh_tokens_.erase(refresh_token);
    next = new_token("pbrt_");
    refresh_tokens_.insert(next);
  }
  ++refreshes_;
  out = issue(next, policy, now_ms);
  return true;
}

std::string OAuthClient::new_authorization_code() {
  std::string code = new_token("pbac_");
  codes_.insert(code);
  return code;
}

bool OAuthClient::redeem_code(const std::string& code, const TokenPolicy& policy, long long now_ms,
                              IssuedTokens& out) {
  if (!codes_.erase(code)) {
    ++refused_;
    return false;
  }
  std::string refresh_token = new_token("pbrt_");
  refresh_tokens_.insert(refresh_token);
  ++grants_;
  out = issue(refresh_token, policy, now_ms);
  return true;
}

int OAuthClient::expire_access_tokens(long long now_ms) {
  int n = 0;
  for (auto& [token, expiry] : access_tokens_)
    if (expiry > now_ms) {
      expiry = now_ms;
      ++n;
    }
  return n;
}

void OAuthClient::write_state(JsonWriter& w, long long now_ms) const {
  long live = 0;
  for (const auto& [token, expiry] : access_tokens_)
    if (expiry > now_ms) ++live;
  w.StartObject();
  put_str(w, "client_id", client_id_);
  put_num(w, "grants", grants_);
  put_num(w, "refreshes", refreshes_);
  put_num(w, "refused", refused_);
  put_num(w, "expired_rejections", expired_rejections_);
  put_num(w, "access_tokens_issued", static_cast<long long>(access_tokens_.size()));
  put_num(w, "live_access_tokens", live);
  put_num(w, "refresh_tokens", static_cast<long long>(refresh_tokens_.size()));
  w.EndObject();
}

}  // namespace fake_pb
