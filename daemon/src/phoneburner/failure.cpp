#include "phoneburner/failure.hpp"

namespace pgdialer::sync {

bool is_write_method(const std::string& method) { return method != "GET" && method != "HEAD"; }

Failure classify_transport(http::TransportError error, bool request_sent, bool is_write) {
  using http::TransportError;
  switch (error) {
    case TransportError::none: return Failure::none;
    case TransportError::not_connected: return Failure::retryable;
    case TransportError::tls_verification: return Failure::config;
    case TransportError::aborted: return (is_write && request_sent) ? Failure::unknown : Failure::stopped;
    case TransportError::timed_out:
    case TransportError::connection_lost:
      return (is_write && request_sent) ? Failure::unknown : Failure::retryable;
    case TransportError::other:
      // Nothing reached the server in these cases (the URL or options were
      // refused locally) unless the request was already out.
      return (is_write && request_sent) ? Failure::unknown : Failure::rejected;
  }
  return Failure::unknown;
}

Failure classify_status(int status, bool is_write) {
  if (status >= 200 && status < 300) return Failure::none;
  if (status == 401 || status == 403) return Failure::auth;
  if (status == 504 && is_write) return Failure::unknown;
  if (status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599))
    return Failure::retryable;
  return Failure::rejected;
}

Failure classify_malformed_success(bool is_write) { return is_write ? Failure::unknown : Failure::retryable; }

std::string tls_failure_message(const std::string& curl_text) {
  return "TLS certificate verification failed (" + curl_text +
         "); a configuration error, not retried: the server must present a certificate that the "
         "system's CA store or PHONEBURNER_CA_FILE trusts, for the host name in PHONEBURNER_BASE_URL "
         "(PHONEBURNER_OAUTH_URL for OAuth)";
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  static const std::string kMask = "[redacted]";
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kMask.size()))
    text.replace(at, secret.size(), kMask);
  return text;
}

}  // namespace pgdialer::sync
