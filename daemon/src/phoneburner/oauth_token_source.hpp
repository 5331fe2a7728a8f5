// The access token of one OAuth2 credential: obtained with its refresh token,
// cached, and refreshed ahead of its expiry (5 minutes early, or at half its
// lifetime when that comes sooner) or when PhoneBurner calls it expired.
//
// The refresh token it starts from is the newest one saved for this
// credential (credentials/refresh_token_store) when that descends from the
// one in the credential file, else the file's. Every new refresh token
// PhoneBurner hands out is saved before it is used, so a restart never
// falls back to a token PhoneBurner has already invalidated.
//
// One refresh at a time: callers wait on a mutex, and a caller whose
// rejected token another thread has already replaced gets the new one
// without a second refresh. Secrets are never logged.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "credentials/refresh_token_store.hpp"
#include "phoneburner/oauth_client.hpp"
#include "phoneburner/token_source.hpp"

namespace pgdialer::sync {

class OAuthTokenSource : public TokenSource {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `store` may be null (nothing persisted: tests). `name` is the
  // credential's name, for messages and the store.
  OAuthTokenSource(
      std::string name, OAuthOptions options, OAuthCredentials file_credentials,
      const RefreshTokenStore* store, Clock clock = [] { return std::chrono::steady_clock::now(); });

  TokenResult token() override;
  TokenResult refresh(const std::string& rejected) override;
  bool can_refresh() const override { return true; }

  // When the cached access token will be refreshed ahead of its expiry.
  static std::chrono::seconds refresh_lead(std::chrono::seconds lifetime);

 private:
  TokenResult refresh_locked();

  std::string name_;
  OAuthOptions options_;
  OAuthCredentials credentials_;  // refresh_token: the newest known
  std::string origin_;            // the credential file's refresh token
  const RefreshTokenStore* store_;
  Clock clock_;
  std::mutex mutex_;
  std::string access_token_;
  std::chrono::steady_clock::time_point refresh_at_{};
};

}  // namespace pgdialer::sync
