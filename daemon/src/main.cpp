// pgdialer-sync: works pgdialer's push queue and receives PhoneBurner's
// webhooks. See --help and docs/daemon.md. This file only reads the command line
// and the configuration and starts the parts: the HTTP listener
// (webhook/receiver) and the job loop (queue/worker).
#include <cstdio>
#include <memory>

#include "common/config.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/shutdown.hpp"
#include "common/version.hpp"
#include "common/watchdog.hpp"
#include "phoneburner/client.hpp"
#include "queue/config_check.hpp"
#include "queue/health_check.hpp"
#include "queue/worker.hpp"
#include "webhook/print_url.hpp"
#include "webhook/receiver.hpp"
#include "webhook/replay_held.hpp"

using namespace pgdialer::sync;

int main(int argc, char** argv) {
  CommandLine cl = parse_command_line(argc - 1, argv + 1);
  if (cl.help) {
    std::fputs(usage().c_str(), stdout);
    return kExitOk;
  }
  if (cl.version) {
    std::printf("pgdialer-sync %s (pgdialer extension %s <= version < %s)\n", daemon_version(),
                kExtensionVersionFrom, kExtensionVersionBelow);
    return kExitOk;
  }
  if (!cl.error.empty()) {
    std::fprintf(stderr, "pgdialer-sync: %s\n\n%s", cl.error.c_str(), usage().c_str());
    return kExitUsage;
  }
  Config config;
  try {
    config = load_config(cl);
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "pgdialer-sync: %s\n", e.what());
    return kExitConfig;
  }
  // Printing a URL uses no token: its warnings would only be noise there.
  if (cl.print_webhook_url) return print_webhook_url(config, *cl.print_webhook_url);
  for (const std::string& warning : config.warnings) log::warning(warning);
  if (cl.check_config) return check_configuration(config);
  if (cl.check) {
    init_http();
    return run_health_check(config);
  }
  if (cl.replay_held) return replay_held(config, stdout);
  log::set_verbose(config.verbose);
  init_http();
  install_signal_handlers();
  // Where credentials come from; never what they are.
  std::string credentials = config.token_source.empty() ? "" : " token from " + config.token_source;
  if (!config.credentials_dir.empty()) credentials += " credentials_dir=" + config.credentials_dir;
  if (!config.systemd_credentials_dir.empty()) credentials += " systemd credentials phoneburner-NAME";
  log::info("starting worker=" + config.worker_id + " phoneburner=" + config.phoneburner_base_url +
            credentials);
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  std::unique_ptr<WebhookReceiver> listener;
  if (!start_receiver(config, metrics, &listener)) return kExitConfig;
  // Receiving webhooks is the daemon's service even while PostgreSQL or
  // PhoneBurner is away (events go to the journal): ready now, so systemd's
  // start timeout does not kill it while it waits for them. Otherwise
  // (no listener, or health and metrics only) ready means connected to
  // PostgreSQL, which the worker says.
  const bool receiving = listener && listener->receives_webhooks();
  if (receiving) service::ready("receiving webhooks; connecting to PostgreSQL");
  int rc = Worker(config, metrics, stop_requested()).run(receiving);
  service::stopping();
  // Stop accepting, finish the requests in flight; the journal stays on disk.
  if (listener) listener->stop();
  log::info("stopped");
  return rc;
}
