#include "webhook/handler.hpp"

#include <cerrno>
#include <cstdlib>
#include <exception>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/log.hpp"
#include "credentials/name.hpp"
#include "webhook/event.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync {
namespace {

constexpr const char* kSessionPrefix = "/phoneburner/session/";
constexpr const char* kAccountPrefix = "/phoneburner/account/";

std::string json_message(const std::string& status, const std::string& message = "") {
  // Our own fixed texts only: nothing from the request is echoed back.
  std::string body = "{\"status\":\"" + status + "\"";
  if (!message.empty()) body += ",\"message\":\"" + message + "\"";
  return body + "}\n";
}

// /healthz with the webhook routes: 503 whenever events are not reaching
// PostgreSQL or cannot be taken, with the reason (our own text and the
// database's error message, never anything from a request).
std::string health_json(const EventStore::Health& h) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("status");
  w.String(h.ok ? "ok" : "unhealthy");
  if (!h.ok) {
    w.Key("reason");
    w.String(h.reason.c_str(), static_cast<rapidjson::SizeType>(h.reason.size()));
  }
  w.Key("database");
  w.String(h.database_available ? "available" : "unavailable");
  w.Key("journal_depth");
  w.Uint64(h.journal_depth);
  w.Key("journal_bytes");
  w.Uint64(h.journal_bytes);
  w.Key("journal_max_bytes");
  w.Uint64(h.journal_max_bytes);
  w.Key("held_bytes");
  w.Uint64(h.held_bytes);
  w.Key("rejected_bytes");
  w.Uint64(h.rejected_bytes);
  w.Key("rejected_max_bytes");
  w.Uint64(h.rejected_max_bytes);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace

std::optional<long long> parse_session_id(const std::string& text) {
  if (text.empty() || text.size() > 19 || text[0] == '0') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  errno = 0;
  const long long id = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return id;
}

void WebhookHandler::count_rejected(const std::string& reason) {
  metrics_.add("pgdialer_webhooks_rejected_total", {{"reason", reason}});
}

WebhookResponse WebhookHandler::reject(int status, const std::string& reason, const std::string& message) {
  count_rejected(reason);
  return {status, "application/json", json_message("error", message)};
}

WebhookResponse WebhookHandler::handle(const WebhookRequest& request) {
  try {
    return route(request);
  } catch (const std::exception& e) {
    log::error(std::string("webhooks: request failed: ") + e.what());
  } catch (...) {
    log::error("webhooks: request failed (unknown exception)");
  }
  return reject(500, "internal_error", "internal error");
}

WebhookResponse WebhookHandler::route(const WebhookRequest& request) {
  const std::string& path = request.path;
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/healthz") {
    if (!get) return reject(405, "method_not_allowed", "method not allowed");
    // Without the webhook routes there is no journal and no connection of
    // the listener's own to report on.
    if (!store_) return {200, "application/json", "{\"status\":\"ok\",\"webhooks\":\"off\"}\n"};
    const EventStore::Health health = store_->health();
    return {health.ok ? 200 : 503, "application/json", health_json(health)};
  }
  if (path == "/metrics") {
    if (!get) return reject(405, "method_not_allowed", "method not allowed");
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics_.render()};
  }
  if (!store_) return reject(404, "not_found", "not found");
  if (path == "/phoneburner/account") {
    if (request.method != "POST") return reject(405, "method_not_allowed", "method not allowed");
    return receive(request, std::nullopt, std::string(kDefaultCredential));
  }
  if (path.rfind(kAccountPrefix, 0) == 0) {
    // Only a valid name has a URL: anything else is 404 like an unknown path.
    const std::string credential = path.substr(std::string(kAccountPrefix).size());
    if (!valid_credential_name(credential)) return reject(404, "not_found", "not found");
    if (request.method != "POST") return reject(405, "method_not_allowed", "method not allowed");
    return receive(request, std::nullopt, credential);
  }
  if (path.rfind(kSessionPrefix, 0) == 0) {
    std::optional<long long> id = parse_session_id(path.substr(std::string(kSessionPrefix).size()));
    if (!id) return reject(404, "not_found", "not found");
    if (request.method != "POST") return reject(405, "method_not_allowed", "method not allowed");
    return receive(request, id, std::nullopt);
  }
  return reject(404, "not_found", "not found");
}

WebhookResponse WebhookHandler::receive(const WebhookRequest& request, std::optional<long long> session_id,
                                        const std::optional<std::string>& credential) {
  // The legacy account URL is default's; /account/default has a token of
  // its own ("account:default"), and each opens only its own URL.
  const bool legacy = !session_id && request.path == "/phoneburner/account";
  auto token_under = [&](const std::string& secret) {
    return session_id ? session_token(secret, *session_id)
           : legacy   ? account_token(secret)
                      : account_token(secret, *credential);
  };
  if (settings_.secret.empty() || !request.token)
    return reject(401, "unauthorized", "missing or wrong token");
  if (!token_matches(token_under(settings_.secret), *request.token)) {
    // A URL made before a rotation, inside the overlap the operator set.
    const bool previous = !settings_.previous_secret.empty() && clock_() < settings_.previous_until &&
                          token_matches(token_under(settings_.previous_secret), *request.token);
    if (!previous) return reject(401, "unauthorized", "missing or wrong token");
    metrics_.add("pgdialer_webhooks_previous_secret_total");
  }

  EventOrigin origin;
  origin.session_id = session_id;
  origin.received_at = format_received_at(clock_());
  origin.time_zone = settings_.time_zone;
  origin.event = request.event;
  origin.credential = credential;
  NormalizedEvent event = normalize_event(request.body, origin);
  if (!event.ok) return reject(400, "malformed", event.error);

  switch (store_->accept(event.json)) {
    case EventStore::Outcome::stored:
    case EventStore::Outcome::journaled:
      metrics_.add("pgdialer_webhooks_accepted_total",
                   {{"source", session_id ? "session" : "account"}, {"event", event.event}});
      return {200, "application/json", json_message("ok")};
    case EventStore::Outcome::rejected:
      // Counted by the store. Kept in the rejected file, so acknowledged:
      // sending it again would not make it acceptable.
      return {200, "application/json", json_message("rejected", "kept for review")};
    case EventStore::Outcome::full: return reject(503, "journal_full", "cannot store the event now");
    case EventStore::Outcome::failed:
    default: return reject(503, "unavailable", "cannot store the event now");
  }
}

}  // namespace pgdialer::sync
