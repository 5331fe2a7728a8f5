#include "webhook/receiver.hpp"

#include <ctime>

#include <string>

#include "common/job_statuses.hpp"
#include "common/log.hpp"
#include "webhook/held_file.hpp"

namespace pgdialer::sync {
namespace {

PgEventSinkOptions sink_options(const Config& config) {
  PgEventSinkOptions o;
  o.database_url = config.database_url;
  o.application_name = "pgdialer-sync/" + config.worker_id + "/webhooks";
  return o;
}

WebhookServerOptions server_options(const Config& config) {
  WebhookServerOptions o;
  o.host = config.listen_host;
  o.port = config.listen_port;
  o.max_body_bytes = config.webhook_max_body_bytes;
  o.worker_threads = config.webhook_workers;
  o.queue_capacity = static_cast<std::size_t>(config.webhook_queue);
  o.max_connections = static_cast<std::size_t>(config.webhook_max_connections);
  o.request_timeout = config.webhook_request_timeout;
  return o;
}

WebhookHandler handler_for(const Config& config, EventStore* store, MetricsRegistry& metrics) {
  if (!store) return WebhookHandler(metrics);
  WebhookSettings settings;
  settings.secret = config.webhook_secret;
  settings.previous_secret = config.webhook_previous_secret;
  settings.previous_until = config.webhook_previous_secret_until;
  settings.time_zone = config.webhook_time_zone;
  return WebhookHandler(std::move(settings), *store, metrics);
}

}  // namespace

WebhookReceiver::WebhookReceiver(const Config& config, MetricsRegistry& metrics)
    : journal_(config.webhook_secret.empty()
                   ? nullptr
                   : std::make_unique<EventJournal>(config.journal_dir, config.journal_max_bytes)),
      rejected_(journal_ ? std::make_unique<RejectedStore>(config.journal_dir, config.rejected_max_bytes)
                         : nullptr),
      sink_(journal_ ? std::make_unique<PgEventSink>(sink_options(config)) : nullptr),
      store_(journal_ ? std::make_unique<EventStore>(*journal_, *rejected_, *sink_, metrics,
                                                     PoisonPolicy{config.webhook_max_attempts, 3})
                      : nullptr),
      replayer_(journal_ ? std::make_unique<JournalReplayer>(*store_, *sink_) : nullptr),
      handler_(handler_for(config, store_.get(), metrics)),
      server_(handler_, server_options(config)) {
  if (!journal_) return;
  store_->on_journaled([this] { replayer_->wake(); });
  metrics.on_render([this](MetricsRegistry& m) {
    m.set("pgdialer_webhook_journal_depth", {}, static_cast<double>(journal_->depth()));
    // The queue as PostgreSQL holds it; left as last seen when the database
    // cannot answer within the sink's bounds.
    if (std::optional<std::vector<JobCount>> counts = sink_->job_counts()) {
      for (const char* kind : job_kind::all)
        for (const char* status : job_status::all)
          m.set("pgdialer_queue_jobs", {{"kind", kind}, {"status", status}}, 0);
      for (const JobCount& c : *counts)
        m.set("pgdialer_queue_jobs", {{"kind", c.kind}, {"status", c.status}}, c.jobs);
    }
  });
}

void WebhookReceiver::start() {
  if (replayer_) replayer_->start();
  try {
    server_.start();
  } catch (...) {
    if (replayer_) replayer_->stop();
    throw;
  }
}

void WebhookReceiver::stop() {
  server_.stop();
  if (replayer_) replayer_->stop();
}

bool start_receiver(const Config& config, MetricsRegistry& metrics,
                    std::unique_ptr<WebhookReceiver>* receiver) {
  if (config.once) return true;
  if (config.webhook_secret.empty())
    log::warning(std::string("no webhook secret configured: ") +
                 (config.listen ? "the listener serves health and metrics only" : "no webhook listener") +
                 ", and launched dial sessions get no callbacks (set PGDIALER_WEBHOOK_SECRET_FILE or the "
                 "webhook-secret credential)");
  if (!config.listen) return true;
  try {
    *receiver = std::make_unique<WebhookReceiver>(config, metrics);
    (*receiver)->start();
  } catch (const std::exception& e) {
    log::error(std::string("webhooks: cannot start: ") + e.what());
    receiver->reset();
    return false;
  }
  const std::string address = config.listen_host + ":" + std::to_string((*receiver)->port());
  if (!(*receiver)->receives_webhooks()) {
    log::info("listening on " + address + " for /healthz and /metrics only (no webhook secret)");
    return true;
  }
  log::info("webhooks: listening on " + address + " journal=" + config.journal_dir + " secret from " +
            config.webhook_secret_source + " time_zone=" + config.webhook_time_zone +
            " max_connections=" + std::to_string((*receiver)->max_connections()) + " workers=" +
            std::to_string(config.webhook_workers) + " queue=" + std::to_string(config.webhook_queue) +
            " request_timeout=" + std::to_string(config.webhook_request_timeout.count()) + "s");
  if (!config.webhook_previous_secret.empty()) {
    const std::time_t until = std::chrono::system_clock::to_time_t(config.webhook_previous_secret_until);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&until));
    if (config.webhook_previous_secret_until > std::chrono::system_clock::now())
      log::info("webhooks: tokens of the previous secret (" + config.webhook_previous_secret_source +
                ") are accepted until " + when);
    else
      log::warning(
          "webhooks: the previous secret's overlap ended at " + std::string(when) +
          "; its tokens are refused: remove PGDIALER_WEBHOOK_PREVIOUS_SECRET_* from the configuration");
  }
  if (const std::uint64_t held = held_bytes(config.journal_dir); held > 0)
    log::warning("webhooks: " + std::to_string(held) + " bytes of events set aside as poison wait in " +
                 held_path(config.journal_dir) +
                 "; once their cause is fixed, run pgdialer-sync --replay-held");
  if (config.webhook_base_url.empty())
    log::warning(
        "webhooks: PGDIALER_WEBHOOK_BASE_URL is not set: launched dial sessions get no callbacks "
        "(the account-level webhook still works)");
  return true;
}

}  // namespace pgdialer::sync
