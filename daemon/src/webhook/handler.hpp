// The daemon's HTTP request logic, free of any HTTP library so it can be
// tested as plain function calls: routing, token check, parsing, persisting,
// and counting every answer.
//
//   POST /phoneburner/session/<id>?s=<token>   per-dial-session callbacks
//   POST /phoneburner/account/<name>?s=<token> the api_calldone hook of credential <name>'s account
//   POST /phoneburner/account?s=<token>        the same for credential "default" (legacy URL)
//   GET  /healthz                              liveness and journal state (JSON)
//   GET  /metrics                              Prometheus text
//
// Health and metrics are always served: a daemon that only pushes must be
// observable too. The webhook routes exist only in a handler given a store
// (the daemon builds one only with a webhook secret, since without it no
// delivery could carry a valid token); without one they are 404 like any
// unknown path, so nothing hints that a receiver is there.
//
// Answers: 200 once the event is durable (database or journal), 401 for a
// missing or wrong token, 400 for a body that is not a JSON object, 405 for
// a wrong method, 404 for anything else, 503 when the event could not be
// made durable anywhere, or when the journal or the rejected files reached
// their configured cap (PhoneBurner sends it again). /healthz is 503 with a
// reason while events are not reaching PostgreSQL. 413 for an oversized
// body, and the connection limits' refusals, come from the listener
// (webhook/listener), which reads the request before any of this runs.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "webhook/event_store.hpp"
#include "common/metrics.hpp"

namespace pgdialer::sync {

struct WebhookRequest {
  std::string method;
  std::string path;                  // without the query
  std::optional<std::string> token;  // the ?s= query parameter
  std::string body;
  std::optional<std::string> event;  // the ?event= query parameter of our dial-session callbacks
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct WebhookSettings {
  std::string secret;  // never logged or echoed
  // A secret being rotated out: its tokens are accepted before `previous_until`
  // (and counted), never after. Empty: none.
  std::string previous_secret;
  std::chrono::system_clock::time_point previous_until{};
  std::string time_zone = "America/Chicago";
};

class WebhookHandler {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // Health, metrics and the webhook routes, whose events go to `store`.
  WebhookHandler(
      WebhookSettings settings, EventStore& store, MetricsRegistry& metrics,
      Clock clock = [] { return std::chrono::system_clock::now(); })
      : settings_(std::move(settings)), store_(&store), metrics_(metrics), clock_(std::move(clock)) {}
  // Health and metrics only: every webhook route is 404.
  explicit WebhookHandler(MetricsRegistry& metrics) : store_(nullptr), metrics_(metrics) {}

  bool receives_webhooks() const { return store_ != nullptr; }

  // Never throws: an unexpected failure is a counted 500.
  WebhookResponse handle(const WebhookRequest& request);

  // Counts a refusal the HTTP layer made itself (413), under the same metric.
  void count_rejected(const std::string& reason);

  // Where the HTTP layer records its own figures (open connections).
  MetricsRegistry& metrics() { return metrics_; }

 private:
  WebhookResponse route(const WebhookRequest& request);
  // `credential`: the account URL's credential (session callbacks: none).
  WebhookResponse receive(const WebhookRequest& request, std::optional<long long> session_id,
                          const std::optional<std::string>& credential);
  WebhookResponse reject(int status, const std::string& reason, const std::string& message);

  WebhookSettings settings_;
  EventStore* store_;  // nullptr: no webhook routes
  MetricsRegistry& metrics_;
  Clock clock_;
};

// The session id of a "/phoneburner/session/<id>" path: canonical decimal
// (no sign, no leading zero), 1..2^63-1; nullopt otherwise. Canonical only,
// so one session has exactly one valid URL and token.
std::optional<long long> parse_session_id(const std::string& text);

}  // namespace pgdialer::sync
