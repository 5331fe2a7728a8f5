// pgdialer-sync: works pgdialer's push queue. See --help and docs/daemon.md.
#include <csignal>
#include <cstdlib>
#include <functional>
#include <cstdio>
#include <cstring>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <systemd/sd-daemon.h>

#include "config.hpp"
#include "log.hpp"
#include "pg_connection.hpp"
#include "phoneburner_client.hpp"
#include "push_queue.hpp"
#include "launch_runner.hpp"
#include "metrics.hpp"
#include "push_runner.hpp"
#include "queue_listener.hpp"
#include "webhook_receiver.hpp"
#include "webhook_token.hpp"

using namespace pgdialer::sync;

namespace {

std::atomic<bool> stopping{false};
std::atomic<int> signals_received{0};

extern "C" void on_signal(int) {
  // A second signal means "now": exit without draining.
  if (signals_received.fetch_add(1) >= 1) std::_Exit(kExitFailure);
  stopping = true;
}

void install_signal_handlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;  // no SA_RESTART: poll() returns EINTR and we look around
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

class Watchdog {
 public:
  Watchdog() {
    uint64_t usec = 0;
    enabled_ = sd_watchdog_enabled(0, &usec) > 0;
    every_ = std::chrono::microseconds(usec / 2);
  }
  void pet() {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ >= every_) {
      sd_notify(0, "WATCHDOG=1");
      last_ = now;
    }
  }

 private:
  bool enabled_ = false;
  std::chrono::microseconds every_{0};
  std::chrono::steady_clock::time_point last_{};
};

// One per process: petted from the job loop and from every wait, so that
// waiting for PostgreSQL or PhoneBurner (which can last long while the
// webhook listener keeps serving from its journal) is not taken for a hang.
Watchdog& watchdog() {
  static Watchdog instance;
  return instance;
}

// Sleeps up to `d`, waking early on shutdown; keeps the watchdog petted.
void nap(std::chrono::milliseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (!stopping && std::chrono::steady_clock::now() < until) {
    watchdog().pet();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Checks the token before taking any work: a wrong token is a configuration
// error, not something to retry forever.
int check_token(PhoneBurnerClient& client) {
  for (int attempt = 1; !stopping; ++attempt) {
    std::string member;
    Result r = client.check_token(&member);
    if (r.ok()) {
      log::info("PhoneBurner token accepted (member " + member + ")");
      return kExitOk;
    }
    if (r.failure == Failure::auth || r.failure == Failure::rejected) {
      log::error("PhoneBurner rejected the token: " + r.message);
      return kExitConfig;
    }
    log::warning("cannot reach PhoneBurner (" + r.message + "); retrying");
    nap(std::chrono::seconds(std::min(30, attempt * 2)));
  }
  return kExitOk;
}

// Runs one claimed job. A database error that is not a lost connection (a
// constraint the job's data breaks, a bug in an extension function) would
// otherwise unwind to the reconnect loop and leave the job to be claimed
// again each time its lease expires: give it back with a backoff instead,
// or close it once it is out of attempts, so it fails with the reason.
void run_job(const ClaimedJob& job, PushQueue& queue, PushRunner& pusher, LaunchRunner& launcher) {
  std::string error;
  try {
    if (job.kind == "launch")
      launcher.run(job);
    else
      pusher.run(job);
    return;
  } catch (const DbError& e) {
    if (e.connection_lost()) throw;
    error = std::string("database error: ") + e.what();
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
  }
  const std::string tag = job_tag(job.id);
  if (job.attempts < job.max_attempts) {
    auto delay = job_retry_delay(job.attempts);
    queue.release(job.id, error, delay);
    log::error(error + "; will retry in " + std::to_string(delay.count()) + " s" + tag);
  } else {
    // Outcomes of requests in flight were dropped: their items are unknown.
    std::optional<std::string> status = queue.finish(job.id, error, false, /*interrupted=*/true);
    log::error(error + "; out of attempts" + tag + (status ? " status=" + *status : ""));
  }
}

// API latency and retries into the metrics, by endpoint ("POST /contacts").
std::function<void(const RequestReport&)> record_requests_in(MetricsRegistry& metrics) {
  return [&metrics](const RequestReport& r) {
    metrics.observe("pgdialer_phoneburner_request_duration_seconds",
                    {{"endpoint", r.endpoint}, {"status", std::to_string(r.http_status)}}, r.seconds);
    if (r.retry) metrics.add("pgdialer_phoneburner_retries_total", {{"endpoint", r.endpoint}});
  };
}

int serve(const Config& config, MetricsRegistry& metrics, bool ready_sent) {
  ClientOptions options;
  options.base_url = config.phoneburner_base_url;
  options.token = config.token;
  options.requests_per_second = config.requests_per_second;
  options.should_stop = [] { return stopping.load(); };
  options.on_request = record_requests_in(metrics);
  std::unique_ptr<PhoneBurnerClient> client;
  try {
    client = std::make_unique<PhoneBurnerClient>(options);
  } catch (const std::invalid_argument& e) {
    log::error(std::string("configuration: ") + e.what());
    return kExitConfig;
  }
  if (int rc = check_token(*client); rc != kExitOk || stopping) return rc;
  // Launches get a client that a shutdown does not abort: a dial session
  // request in flight is left to finish within its timeout (the unit's
  // stop timeout allows for it), because an aborted one has an unknown fate.
  ClientOptions launch_options = options;
  launch_options.should_stop = nullptr;
  PhoneBurnerClient launch_client(launch_options);

  bool connected_once = false;
  int reconnects = 0;
  while (!stopping) {
    try {
      PgConnection db(config.database_url, "pgdialer-sync/" + config.worker_id);
      QueueListener listener(config.database_url, config.worker_id);
      if (reconnects > 0) log::info("reconnected to PostgreSQL");
      reconnects = 0;
      if (!connected_once) {
        sd_notify(0, ready_sent ? "STATUS=waiting for pushes" : "READY=1\nSTATUS=waiting for pushes");
        connected_once = ready_sent = true;
        log::info("ready worker=" + config.worker_id);
      }
      PushQueue queue(db, config.worker_id, &metrics);
      PushRunner runner(config, db, *client, stopping, &metrics);
      LaunchRunner launcher(config, db, launch_client, stopping, &metrics);
      // A full poll right after every (re)connect: nothing waits for a NOTIFY.
      while (!stopping) {
        watchdog().pet();
        std::optional<ClaimedJob> job = queue.claim(config.lease);
        if (job) {
          sd_notify(0, ("STATUS=pushing job " + std::to_string(job->id)).c_str());
          run_job(*job, queue, runner, launcher);
          sd_notify(0, "STATUS=waiting for pushes");
          continue;
        }
        if (config.once) return kExitOk;
        // Wait for a NOTIFY or the next poll, in one-second slices so the
        // watchdog is petted and a stop request is seen promptly.
        auto next_poll = std::chrono::steady_clock::now() + config.poll_interval;
        while (!stopping && std::chrono::steady_clock::now() < next_poll) {
          watchdog().pet();
          if (listener.wait(std::chrono::seconds(1))) break;
        }
      }
    } catch (const DbError& e) {
      if (config.once && !e.connection_lost()) {
        log::error(std::string("database: ") + e.what());
        return kExitFailure;
      }
      // Capped exponential backoff; one log line per attempt, not per poll.
      ++reconnects;
      auto delay = std::chrono::seconds(std::min(30, 1 << std::min(reconnects, 5)));
      log::warning(std::string("database: ") + e.what() + "; retrying in " +
                   std::to_string(delay.count()) + " s");
      nap(delay);
    }
  }
  return kExitOk;
}

// --print-webhook-url account|<session id>
int print_webhook_url(const Config& config, const std::string& target) {
  if (config.webhook_base_url.empty() || config.webhook_secret.empty()) {
    std::fprintf(stderr,
                 "pgdialer-sync: --print-webhook-url needs PGDIALER_WEBHOOK_BASE_URL and a webhook secret "
                 "(PGDIALER_WEBHOOK_SECRET_FILE, credential webhook-secret or PGDIALER_WEBHOOK_SECRET)\n");
    return kExitConfig;
  }
  if (target == "account") {
    std::printf("%s\n", account_webhook_url(config.webhook_base_url, config.webhook_secret).c_str());
    return kExitOk;
  }
  char* end = nullptr;
  const long long id = std::strtoll(target.c_str(), &end, 10);
  if (target.empty() || *end != '\0' || id < 1 || std::to_string(id) != target) {
    std::fprintf(stderr, "pgdialer-sync: --print-webhook-url takes \"account\" or a session id, not \"%s\"\n",
                 target.c_str());
    return kExitUsage;
  }
  std::printf("%s\n", session_webhook_url(config.webhook_base_url, config.webhook_secret, id).c_str());
  return kExitOk;
}

// Starts the webhook receiver when a secret is configured. Returns false on
// a start-up failure (journal unusable, address taken), which is a
// configuration problem: acknowledging webhooks without a journal would
// break the promise that nothing acknowledged is lost.
bool start_webhooks(const Config& config, MetricsRegistry& metrics, std::unique_ptr<WebhookReceiver>* receiver) {
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

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl = parse_command_line(argc - 1, argv + 1);
  if (cl.help) {
    std::fputs(usage().c_str(), stdout);
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
  if (cl.print_webhook_url) return print_webhook_url(config, *cl.print_webhook_url);
  log::set_verbose(config.verbose);
  init_http();
  install_signal_handlers();
  log::info("starting worker=" + config.worker_id + " phoneburner=" + config.phoneburner_base_url +
            " token from " + config.token_source);
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  std::unique_ptr<WebhookReceiver> webhooks;
  if (!start_webhooks(config, metrics, &webhooks)) return kExitConfig;
  // Listening for webhooks is the daemon's service even while PostgreSQL or
  // PhoneBurner is away (events go to the journal): ready now, so systemd's
  // start timeout does not kill it while it waits for them. Without a
  // listener, ready means connected to PostgreSQL (in serve).
  if (webhooks) sd_notify(0, "READY=1\nSTATUS=receiving webhooks; connecting to PostgreSQL");
  int rc = serve(config, metrics, webhooks != nullptr);
  sd_notify(0, "STOPPING=1");
  // Stop accepting, finish the requests in flight; the journal stays on disk.
  if (webhooks) webhooks->stop();
  log::info("stopped");
  return rc;
}
