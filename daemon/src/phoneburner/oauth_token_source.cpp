#include "phoneburner/oauth_token_source.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/log.hpp"

namespace pgdialer::sync {

OAuthTokenSource::OAuthTokenSource(std::string name, OAuthOptions options, OAuthCredentials file_credentials,
                                   const RefreshTokenStore* store, Clock clock)
    : name_(std::move(name)),
      options_(std::move(options)),
      credentials_(std::move(file_credentials)),
      origin_(credentials_.refresh_token),
      store_(store),
      clock_(std::move(clock)) {
  if (store_)
    if (std::optional<std::string> newest = store_->load(name_, origin_))
      credentials_.refresh_token = *newest;
}

std::chrono::seconds OAuthTokenSource::refresh_lead(std::chrono::seconds lifetime) {
  return std::min<std::chrono::seconds>(std::chrono::minutes(5), lifetime / 2);
}

TokenResult OAuthTokenSource::token() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!access_token_.empty() && clock_() < refresh_at_) return {Failure::none, access_token_, {}};
  return refresh_locked();
}

TokenResult OAuthTokenSource::refresh(const std::string& rejected) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!access_token_.empty() && access_token_ != rejected && clock_() < refresh_at_)
    return {Failure::none, access_token_, {}};
  return refresh_locked();
}

TokenResult OAuthTokenSource::refresh_locked() {
  const auto asked = clock_();
  OAuthGrant grant;
  Result r = refresh_oauth_token(options_, credentials_, &grant);
  if (!r.ok()) {
    access_token_.clear();
    TokenResult out;
    // A certificate that does not verify is the configuration's fault, not
    // the credential's: it keeps its kind so that nobody re-authorizes.
    out.failure = r.failure == Failure::retryable || r.failure == Failure::config ? r.failure : Failure::auth;
    out.message =
        "refreshing the OAuth access token of PhoneBurner credential \"" + name_ + "\" failed: " + r.message;
    return out;
  }
  if (!grant.refresh_token.empty() && grant.refresh_token != credentials_.refresh_token) {
    credentials_.refresh_token = grant.refresh_token;
    if (store_) {
      try {
        store_->save(name_, origin_, grant.refresh_token);
      } catch (const std::exception& e) {
        // Working on is still right: this process holds the token. Only a
        // restart before the next successful save would lose it.
        log::error("PhoneBurner credential \"" + name_ + "\": " + e.what() +
                   "; a restart now would need a new authorization");
      }
    }
  }
  access_token_ = grant.access_token;
  // Counted from when we asked: the lifetime started no later than that.
  refresh_at_ = asked + grant.expires_in - refresh_lead(grant.expires_in);
  log::debug("PhoneBurner credential \"" + name_ + "\": OAuth access token refreshed, valid for " +
             std::to_string(grant.expires_in.count()) + " s");
  return {Failure::none, access_token_, {}};
}

}  // namespace pgdialer::sync
