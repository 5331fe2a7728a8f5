#include "webhook/receiver.hpp"

#include <string>

#include "common/log.hpp"

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
  return o;
}

}  // namespace

WebhookReceiver::WebhookReceiver(const Config& config, MetricsRegistry& metrics)
    : journal_(config.journal_dir),
      sink_(sink_options(config)),
      store_(journal_, sink_, metrics),
      replayer_(store_, sink_),
      handler_(WebhookSettings{config.webhook_secret, config.webhook_time_zone}, store_, metrics),
      server_(handler_, server_options(config)) {
  store_.on_journaled([this] { replayer_.wake(); });
  metrics.on_render([this](MetricsRegistry& m) {
    m.set("pgdialer_webhook_journal_depth", {}, static_cast<double>(journal_.depth()));
    // The queue as PostgreSQL holds it; left as last seen when the database
    // cannot answer within the sink's bounds.
    if (std::optional<std::vector<JobCount>> counts = sink_.job_counts()) {
      for (const char* kind : {"push", "launch"})
        for (const char* status : {"queued", "running", "succeeded", "partially_failed", "failed", "cancelled"})
          m.set("pgdialer_queue_jobs", {{"kind", kind}, {"status", status}}, 0);
      for (const JobCount& c : *counts) m.set("pgdialer_queue_jobs", {{"kind", c.kind}, {"status", c.status}}, c.jobs);
    }
  });
}

void WebhookReceiver::start() {
  replayer_.start();
  try {
    server_.start();
  } catch (...) {
    replayer_.stop();
    throw;
  }
}

void WebhookReceiver::stop() {
  server_.stop();
  replayer_.stop();
}

bool start_receiver(const Config& config, MetricsRegistry& metrics, std::unique_ptr<WebhookReceiver>* receiver) {
  if (config.once) return true;
  if (config.webhook_secret.empty()) {
    log::warning("no webhook secret configured: no webhook listener, and launched dial sessions get no "
                 "callbacks (set PGDIALER_WEBHOOK_SECRET_FILE or the webhook-secret credential)");
    return true;
  }
  try {
    *receiver = std::make_unique<WebhookReceiver>(config, metrics);
    (*receiver)->start();
  } catch (const std::exception& e) {
    log::error(std::string("webhooks: cannot start: ") + e.what());
    receiver->reset();
    return false;
  }
  log::info("webhooks: listening on " + config.listen_host + ":" + std::to_string((*receiver)->port()) +
            " journal=" + config.journal_dir + " secret from " + config.webhook_secret_source +
            " time_zone=" + config.webhook_time_zone);
  if (config.webhook_base_url.empty())
    log::warning("webhooks: PGDIALER_WEBHOOK_BASE_URL is not set: launched dial sessions get no callbacks "
                 "(the account-level webhook still works)");
  return true;
}

}  // namespace pgdialer::sync
