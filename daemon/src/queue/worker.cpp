#include "queue/worker.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/job_statuses.hpp"
#include "common/log.hpp"
#include "common/pg_connection.hpp"
#include "common/version_handshake.hpp"
#include "common/watchdog.hpp"
#include "credentials/name.hpp"
#include "queue/job_context.hpp"
#include "queue/launch_runner.hpp"
#include "queue/listener.hpp"
#include "queue/push_runner.hpp"

namespace pgdialer::sync {
namespace {

// API latency and retries into the metrics, by endpoint ("POST /contacts").
std::function<void(const RequestReport&)> record_requests_in(MetricsRegistry& metrics) {
  return [&metrics](const RequestReport& r) {
    metrics.observe("pgdialer_phoneburner_request_duration_seconds",
                    {{"endpoint", r.endpoint}, {"status", std::to_string(r.http_status)}}, r.seconds);
    if (r.retry) metrics.add("pgdialer_phoneburner_retries_total", {{"endpoint", r.endpoint}});
  };
}

}  // namespace

// Runs one claimed job with its account's client. A database error that is
// not a lost connection (a constraint the job's data breaks, a bug in an
// extension function) would otherwise unwind to the reconnect loop and leave
// the job to be claimed again each time its lease expires: it is a failed
// attempt instead, so the job is retried with a backoff or, out of attempts,
// fails with the reason.
void Worker::run_job(const ClaimedJob& job, PushQueue& queue, Accounts& accounts) {
  const std::string tag = job_tag(job.id);
  CredentialLookup lookup;
  Account* account = accounts.get(job.phoneburner_credential, &lookup);
  if (!account) {
    // Nothing was sent: the job fails now with the reason, as waiting
    // cannot make a credential appear that nobody has configured.
    std::optional<std::string> answer = queue.finish(job.id, lookup.error, /*fail_job=*/true);
    log::error(lookup.error + tag + (answer ? " status=" + *answer : std::string("; lease lost")));
    return;
  }
  std::string error;
  try {
    if (job.kind == job_kind::launch) {
      LaunchRunner(JobContext{config_, queue, *account->launch, account->name, stopping_}).run(job);
    } else {
      PushRunner(JobContext{config_, queue, *account->push, account->name, stopping_},
                 account->verified_folders)
          .run(job);
    }
    return;
  } catch (const DbError& e) {
    if (e.connection_lost()) throw;
    error = std::string("database error: ") + e.what();
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
  }
  // Outcomes of requests in flight were dropped: if the job is closed, its
  // open items are unknown.
  std::optional<std::string> answer =
      queue.fail_attempt(job.id, error, std::nullopt, false, /*interrupted=*/true);
  if (!answer)
    log::error(error + "; lease lost" + tag);
  else if (*answer == job_status::retrying)
    log::error(error + "; will retry after the job backoff" + tag);
  else
    log::error(error + "; out of attempts" + tag + " status=" + *answer);
}

// The list templates' step: one SQL call, which runs each due template once
// per due time however many daemons call it. A database error other than a
// lost connection (a bug in the extension) is logged and the next tick tries
// again: pushes must go on.
void Worker::run_due_templates(PushQueue& queue) {
  try {
    int ran = queue.run_due_templates();
    if (ran > 0) log::info("ran " + std::to_string(ran) + " due list template(s)");
  } catch (const DbError& e) {
    if (e.connection_lost()) throw;
    log::error(std::string("running the due list templates: ") + e.what());
  }
}

// Checks the default credential before taking any work: a wrong token is a
// configuration error, not something to retry forever. An install with one
// credential per rep may have no default; its credentials are checked by
// their first job.
int Worker::check_default_credential(Accounts& accounts) {
  CredentialLookup lookup;
  Account* account = accounts.get(kDefaultCredential, &lookup);
  if (!account) {
    if (lookup.status == CredentialLookup::Status::missing && accounts.store().has_named_sources()) {
      log::info("no PhoneBurner credential \"default\": every job uses the credential its rep names");
      return kExitOk;
    }
    log::error(lookup.error);
    return kExitConfig;
  }
  for (int attempt = 1; !stopping_; ++attempt) {
    std::string member;
    Result r = account->push->check_token(&member);
    if (r.ok()) {
      log::info("PhoneBurner token accepted (credential default, member " + member + ")");
      return kExitOk;
    }
    if (r.failure == Failure::config) {
      log::error("PhoneBurner cannot be trusted (credential \"default\"): " + r.message);
      return kExitConfig;
    }
    if (r.failure == Failure::auth || r.failure == Failure::rejected) {
      log::error("PhoneBurner rejected the token of credential \"default\" (" + account->source +
                 "): " + r.message);
      return kExitConfig;
    }
    log::warning("cannot reach PhoneBurner (" + r.message + "); retrying");
    service::nap(std::chrono::seconds(std::min(30, attempt * 2)), stopping_);
  }
  return kExitOk;
}

int Worker::run(bool ready_sent) {
  ClientOptions options;
  options.base_url = config_.phoneburner_base_url;
  options.ca_file = config_.phoneburner_ca_file;
  options.requests_per_second = config_.requests_per_second;
  options.should_stop = [this] { return stopping_.load(); };
  options.on_request = record_requests_in(metrics_);
  try {
    PhoneBurnerClient check(options);  // the base URL and the pacing, before any credential
  } catch (const std::invalid_argument& e) {
    log::error(std::string("configuration: ") + e.what());
    return kExitConfig;
  }
  Accounts accounts(config_, options);
  if (int rc = check_default_credential(accounts); rc != kExitOk || stopping_) return rc;

  bool connected_once = false;
  int reconnects = 0;
  while (!stopping_) {
    try {
      PgConnection db(config_.database_url, "pgdialer-sync/" + config_.worker_id);
      // On every (re)connect: the database may have been upgraded, or be
      // another one, since the last.
      const std::string extension_version = check_extension_version(db, config_.worker_id, true);
      QueueListener listener(config_.database_url, config_.worker_id);
      if (reconnects > 0) log::info("reconnected to PostgreSQL");
      reconnects = 0;
      if (!connected_once) log::info("extension pgdialer " + extension_version);
      if (!connected_once) {
        if (ready_sent)
          service::status("waiting for pushes");
        else
          service::ready("waiting for pushes");
        connected_once = ready_sent = true;
        log::info("ready worker=" + config_.worker_id);
      }
      PushQueue queue(db, config_.worker_id, &metrics_);
      // Due templates and a full poll right after every (re)connect: a
      // template due while no daemon ran runs now, and nothing waits for a
      // NOTIFY.
      auto next_templates = std::chrono::steady_clock::now();
      while (!stopping_) {
        service::pet_watchdog();
        if (std::chrono::steady_clock::now() >= next_templates) {
          run_due_templates(queue);
          next_templates = std::chrono::steady_clock::now() + config_.template_interval;
        }
        std::optional<ClaimedJob> job = queue.claim(config_.lease);
        if (job) {
          service::status("pushing job " + std::to_string(job->id));
          run_job(*job, queue, accounts);
          service::status("waiting for pushes");
          continue;
        }
        // Write-backs queued outside the daemon's own transactions (an
        // admin's re-map or retry): the hook runs only with our rights.
        while (!stopping_ && queue.apply_writebacks() > 0) service::pet_watchdog();
        if (config_.once) return kExitOk;
        // Wait for a NOTIFY or the next poll, in one-second slices so the
        // watchdog is petted and a stop request is seen promptly.
        auto next_poll = std::min(std::chrono::steady_clock::now() + config_.poll_interval, next_templates);
        while (!stopping_ && std::chrono::steady_clock::now() < next_poll) {
          service::pet_watchdog();
          if (listener.wait(std::chrono::seconds(1))) break;
        }
      }
    } catch (const IncompatibleVersion& e) {
      log::error(e.what());
      return kExitConfig;
    } catch (const DbError& e) {
      if (config_.once && !e.connection_lost()) {
        log::error(std::string("database: ") + e.what());
        return kExitFailure;
      }
      // Capped exponential backoff; one log line per attempt, not per poll.
      ++reconnects;
      auto delay = std::chrono::seconds(std::min(30, 1 << std::min(reconnects, 5)));
      log::warning(std::string("database: ") + e.what() + "; retrying in " + std::to_string(delay.count()) +
                   " s");
      service::nap(delay, stopping_);
    }
  }
  return kExitOk;
}

}  // namespace pgdialer::sync
