#include "phoneburner/oauth_client.hpp"

#include <rapidjson/document.h>

#include <stdexcept>

#include "common/json_parse.hpp"
#include "http/form.hpp"
#include "http/transport.hpp"
#include "http/url.hpp"
#include "phoneburner/failure.hpp"
#include "phoneburner/json.hpp"

namespace pgdialer::sync {

Result refresh_oauth_token(const OAuthOptions& options, const OAuthCredentials& credentials,
                           OAuthGrant* grant) {
  Result r;
  const std::string what = "POST /oauth/refreshtoken";
  http::Request req;
  req.method = "POST";
  try {
    req.url = http::validate_base_url(options.oauth_url) + "/refreshtoken";
  } catch (const std::invalid_argument& e) {
    r.failure = Failure::rejected;
    r.message = std::string("the OAuth URL: ") + e.what();
    return r;
  }
  req.headers = {"Accept: application/json", "Content-Type: application/x-www-form-urlencoded"};
  req.body = http::form_encode({{"grant_type", "refresh_token"},
                                {"client_id", credentials.client_id},
                                {"client_secret", credentials.client_secret},
                                {"refresh_token", credentials.refresh_token}});
  req.connect_timeout = options.connect_timeout;
  req.timeout = options.timeout;
  // A refresh that may have been applied but got no answer cannot be taken
  // back; a new connection at least avoids libcurl re-sending it silently.
  req.fresh_connection = true;
  req.ca_file = options.ca_file;
  const http::Response res = http::perform(req);
  std::fill(req.body.begin(), req.body.end(), '\0');
  auto clean = [&](std::string text) {
    for (const std::string* secret : {&credentials.client_secret, &credentials.refresh_token})
      text = redact(std::move(text), *secret);
    return text;
  };
  r.http_status = res.status;
  if (res.request_sent) r.attempts = 1;
  if (res.error == http::TransportError::tls_verification) {
    r.failure = Failure::config;
    r.message = what + ": " + tls_failure_message(clean(res.error_text));
    return r;
  }
  if (res.error != http::TransportError::none) {
    // Even a refresh that reached PhoneBurner is safe to repeat while the
    // old refresh token stays valid; when it rotated, the next refresh is
    // refused and says so.
    r.failure = res.error == http::TransportError::other && !res.request_sent ? Failure::rejected
                                                                              : Failure::retryable;
    r.message = what + ": " + clean(res.error_text);
    return r;
  }
  rapidjson::Document doc;
  const json::ParseResult parse = json::parse(res.body, &doc);
  const bool parsed = parse.ok() && doc.IsObject();
  if (res.status < 200 || res.status >= 300) {
    const Failure f = classify_status(res.status, false);
    r.failure = f == Failure::retryable ? Failure::retryable : Failure::auth;
    const std::string reason = parsed ? pb_json::error_reason(doc) : std::string();
    r.message = what + ": HTTP " + std::to_string(res.status) + (reason.empty() ? "" : ": " + clean(reason));
    return r;
  }
  const std::string access = parsed ? pb_json::first_text(doc, {"access_token"}) : std::string();
  const std::optional<long long> expires =
      parsed ? pb_json::integer(pb_json::member(doc, "expires_in")) : std::nullopt;
  if (access.empty() || !expires || *expires <= 0) {
    r.failure = Failure::retryable;
    r.message = what + ": HTTP " + std::to_string(res.status) +
                (parsed       ? ": the answer has no access_token or expires_in"
                 : parse.ok() ? ": the answer is not a JSON object"
                              : ": the answer " + parse.problem());
    return r;
  }
  if (access.find_first_of("\r\n") != std::string::npos) {
    r.failure = Failure::auth;
    r.message = what + ": the access token contains a line break";
    return r;
  }
  grant->access_token = access;
  grant->refresh_token = pb_json::first_text(doc, {"refresh_token"});
  grant->expires_in = std::chrono::seconds(*expires);
  return r;
}

}  // namespace pgdialer::sync
