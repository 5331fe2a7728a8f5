// The daemon's HTTP listener assembled from its parts, for main().
//
// With a webhook secret it is the webhook receiver: the journal, the
// PostgreSQL sink, the store that chooses between them, the replayer thread,
// the request handler and the listener. Without one it serves /healthz and
// /metrics only, and opens no journal and no connection of its own: a daemon
// that only pushes is observable without a state directory to write to.
//
// Declaration order is construction order; destruction runs backwards, so
// the listener stops before anything it uses goes away.
#pragma once

#include <memory>

#include "common/config.hpp"
#include "common/metrics.hpp"
#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/handler.hpp"
#include "webhook/journal_replayer.hpp"
#include "webhook/pg_event_sink.hpp"
#include "webhook/rejected_store.hpp"
#include "webhook/server.hpp"

namespace pgdialer::sync {

class WebhookReceiver {
 public:
  // With a secret, opens (and recovers) the journal: throws JournalError.
  // `metrics` must outlive this object (it renders the journal's depth
  // through it).
  WebhookReceiver(const Config& config, MetricsRegistry& metrics);
  ~WebhookReceiver() { stop(); }
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Starts replaying (a journal left by the last run first) and binds the
  // listener: throws std::runtime_error when it cannot.
  void start();
  // Stops accepting, lets requests in flight finish, then stops the
  // replayer. Whatever is still journaled stays on disk for the next start.
  void stop();

  int port() const { return server_.port(); }
  std::size_t max_connections() const { return server_.max_connections(); }
  // False: health and metrics only.
  bool receives_webhooks() const { return handler_.receives_webhooks(); }

 private:
  // These five exist only with a webhook secret.
  std::unique_ptr<EventJournal> journal_;
  std::unique_ptr<RejectedStore> rejected_;
  std::unique_ptr<PgEventSink> sink_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<JournalReplayer> replayer_;
  WebhookHandler handler_;
  WebhookServer server_;
};

// Starts the listener when the configuration asks for one (Config::listen)
// and logs what it serves; *receiver stays empty when it does not. False on
// a start-up failure (journal unusable, address taken), a configuration
// problem: acknowledging webhooks without a journal would break the promise
// that nothing acknowledged is lost.
bool start_receiver(const Config& config, MetricsRegistry& metrics,
                    std::unique_ptr<WebhookReceiver>* receiver);

}  // namespace pgdialer::sync
