// The webhook receiver assembled from its parts, for main(): the journal,
// the PostgreSQL sink, the store that chooses between them, the replayer
// thread, the request handler and the listener. Declaration order is
// construction order; destruction runs backwards, so the listener stops
// before anything it uses goes away.
#pragma once

#include <memory>

#include "common/config.hpp"
#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/journal_replayer.hpp"
#include "common/metrics.hpp"
#include "webhook/pg_event_sink.hpp"
#include "webhook/handler.hpp"
#include "webhook/server.hpp"

namespace pgdialer::sync {

class WebhookReceiver {
 public:
  // Opens (and recovers) the journal: throws JournalError. `metrics` must
  // outlive this object (it renders the journal's depth through it).
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

 private:
  EventJournal journal_;
  PgEventSink sink_;
  EventStore store_;
  JournalReplayer replayer_;
  WebhookHandler handler_;
  WebhookServer server_;
};

// Starts the webhook receiver when a secret is configured; *receiver stays
// empty without one. False on a start-up failure (journal unusable, address
// taken), which is a configuration problem: acknowledging webhooks without a
// journal would break the promise that nothing acknowledged is lost.
bool start_receiver(const Config& config, MetricsRegistry& metrics, std::unique_ptr<WebhookReceiver>* receiver);

}  // namespace pgdialer::sync
