#include "webhook_delivery.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace fake_pb {
namespace {

bool loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

bool worth_retrying(const DeliveryAttempt& a) {
  return a.status == 0 || a.status == 408 || a.status == 429 || a.status >= 500;
}

std::string describe(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection: return "connection failed";
    case httplib::Error::Read: return "read failed (timeout or connection closed)";
    case httplib::Error::Write: return "write failed";
    case httplib::Error::ConnectionTimeout: return "connection timeout";
    default: return httplib::to_string(e);
  }
}

}  // namespace

bool parse_loopback_url(const std::string& url, WebhookUrl& out, std::string& error) {
  const std::string scheme = "http://";
  error = "webhook URL '" + url + "' refused: the fake only calls http:// on loopback " +
          "(127.x.x.x, localhost, [::1])";
  if (url.compare(0, scheme.size(), scheme) != 0) return false;
  const size_t authority_end = url.find_first_of("/?#", scheme.size());
  const std::string authority = url.substr(
      scheme.size(), authority_end == std::string::npos ? std::string::npos : authority_end - scheme.size());
  if (authority.find('@') != std::string::npos) return false;  // no userinfo tricks
  std::string host, port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (!loopback_host(host)) return false;
  int p = 80;
  if (!port.empty()) {
    char* end = nullptr;
    const long n = std::strtol(port.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 65535) return false;
    p = static_cast<int>(n);
  }
  std::string target = authority_end == std::string::npos ? "/" : url.substr(authority_end);
  const size_t hash = target.find('#');
  if (hash != std::string::npos) target.resize(hash);  // fragments never go on the wire
  if (target.empty() || target[0] != '/') target = "/" + target;
  out = WebhookUrl{host, p, target};
  error.clear();
  return true;
}

std::vector<DeliveryAttempt> post_webhook(const WebhookUrl& url, const std::string& body,
                                          const DeliveryOptions& options) {
  std::vector<DeliveryAttempt> attempts;
  const auto timeout = std::chrono::milliseconds(options.timeout_ms);
  for (int i = 0; i <= options.retries; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options.retry_delay_ms));
    httplib::Client client(url.host, url.port);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_keep_alive(false);
    const httplib::Headers headers{{"User-Agent", "fake-phoneburner-webhooks/1"}};
    DeliveryAttempt a;
    if (auto res = client.Post(url.target, headers, body, "application/json")) {
      a.status = res->status;
    } else {
      a.error = describe(res.error());
    }
    attempts.push_back(a);
    if (!worth_retrying(a)) break;
  }
  return attempts;
}

}  // namespace fake_pb
