// Where the PhoneBurner client gets the bearer token of each request.
//
// A personal access token never changes (StaticTokenSource). An OAuth2
// client's access token expires and is refreshed (phoneburner/oauth_token_source);
// the client asks for the token before every request and, when PhoneBurner
// answers 401 with debug code 40109 ("Expired oauth token"), asks once for a
// fresh one and sends the request again. One source serves every client of
// a credential, so they share one access token and one refresh.
#pragma once

#include <string>

#include "phoneburner/client.hpp"

namespace pgdialer::sync {

struct TokenResult {
  Failure failure = Failure::none;  // auth: refused for good; retryable: try again later
  std::string token;                // never logged
  std::string message;              // why there is no token; never a secret
  bool ok() const { return failure == Failure::none; }
};

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // The token to send now (thread-safe).
  virtual TokenResult token() = 0;
  // PhoneBurner called `rejected` expired: a fresh token, or the current one
  // when another thread has already replaced `rejected`. Sources that cannot
  // refresh answer Failure::auth.
  virtual TokenResult refresh(const std::string& rejected) = 0;
  virtual bool can_refresh() const = 0;
};

class StaticTokenSource : public TokenSource {
 public:
  explicit StaticTokenSource(std::string token) : token_(std::move(token)) {}
  TokenResult token() override { return {Failure::none, token_, {}}; }
  TokenResult refresh(const std::string&) override {
    return {Failure::auth, {}, "a personal access token cannot be refreshed"};
  }
  bool can_refresh() const override { return false; }

 private:
  std::string token_;
};

}  // namespace pgdialer::sync
