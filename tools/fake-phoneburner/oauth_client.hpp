// The OAuth2 side of one account: the app's client id and secret, the
// refresh tokens granted so far, the access tokens issued with their expiry
// (milliseconds on the fake's clock, now_millis()), one-time authorization
// codes and counters for the state dump. Pure bookkeeping; oauth_routes.cpp
// speaks HTTP. Not thread-safe (Api holds one mutex).
#pragma once
#include "json_util.hpp"

#include <map>
#include <random>
#include <set>
#include <string>

namespace fake_pb {

struct OAuthCredentials {
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;  // granted before the fake started (the operator's copy)
};

// From the knobs oauth_access_ttl_s and oauth_rotate_refresh_tokens.
struct TokenPolicy {
  long long access_ttl_s = 3600;
  bool rotate_refresh_tokens = true;
};

struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  long long expires_in = 0;  // seconds
};

enum class AccessCheck { unknown, live, expired };

class OAuthClient {
 public:
  explicit OAuthClient(const OAuthCredentials& initial);

  const std::string& client_id() const { return client_id_; }
  bool secret_matches(const std::string& secret) const { return secret == client_secret_; }

  // Whether `token` is an access token of this client, and still live.
  // Counts expired ones (expired_rejections).
  AccessCheck check_access(const std::string& token, long long now_ms);
  // grant_type=refresh_token. With rotation the used refresh token stops
  // working and a new one is returned; without, the same one comes back.
  // False (counted as refused) when this client never granted it.
  bool refresh(const std::string& refresh_token, const TokenPolicy& policy, long long now_ms,
               IssuedTokens& out);
  // /oauth/authorize: a code that POST /oauth/accesstoken redeems once.
  std::string new_authorization_code();
  // grant_type=authorization_code: a new grant, i.e. a new refresh token that
  // works beside the earlier ones. False (counted as refused) for an unknown
  // or used code.
  bool redeem_code(const std::string& code, const TokenPolicy& policy, long long now_ms, IssuedTokens& out);
  // A wrong client secret or grant for this client.
  void count_refused() { ++refused_; }
  // Every live access token expires now; returns how many there were.
  int expire_access_tokens(long long now_ms);

  // {"client_id","grants","refreshes","refused","expired_rejections",
  //  "access_tokens_issued","live_access_tokens","refresh_tokens"}: counts
  // only, never a secret or token.
  void write_state(JsonWriter& w, long long now_ms) const;

 private:
  IssuedTokens issue(const std::string& refresh_token, const TokenPolicy& policy, long long now_ms);
  std::string new_token(const char* prefix);

  std::string client_id_, client_secret_;
  std::set<std::string> refresh_tokens_;
  std::map<std::string, long long> access_tokens_;  // token -> expiry (ms); expired ones are kept
  std::set<std::string> codes_;
  std::mt19937_64 rng_;
  long grants_ = 0, refreshes_ = 0, refused_ = 0, expired_rejections_ = 0;
};

}  // namespace fake_pb
