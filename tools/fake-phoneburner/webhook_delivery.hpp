// Sending one webhook over real HTTP, as PhoneBurner would: a JSON POST with
// a short timeout, a few optional retries, every attempt's outcome kept.
// Only http:// to loopback hosts: the fake must never call out of the machine.
#pragma once
#include <string>
#include <vector>

namespace fake_pb {

struct WebhookUrl {
  std::string host;  // "127.0.0.1", "localhost" or "::1"
  int port = 80;
  std::string target;  // path and query, as given ("/phoneburner/account?s=...")
};

// False with `error` (naming the URL) unless it is http://LOOPBACK[:PORT]/...
bool parse_loopback_url(const std::string& url, WebhookUrl& out, std::string& error);

struct DeliveryAttempt {
  int status = 0;     // the receiver's HTTP status; 0 = no answer
  std::string error;  // "" when an answer came ("connection refused", "timeout", ...)
};

struct DeliveryOptions {
  int timeout_ms = 3000;
  int retries = 0;  // after a transport error, 408, 429 or 5xx
  int retry_delay_ms = 200;
};

// At least one attempt; stops at the first answer that is not worth retrying.
std::vector<DeliveryAttempt> post_webhook(const WebhookUrl& url, const std::string& body,
                                          const DeliveryOptions& options);

}  // namespace fake_pb
