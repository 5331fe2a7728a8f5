// The daemon's job loop: claim a job, run it, give it back, and again.
//
// PostgreSQL going away is normal life, not an error: every database error
// that is a lost connection unwinds to one reconnect loop, which backs off
// (capped, one log line per attempt) and starts over with fresh
// connections and a full poll, so a job whose NOTIFY was missed meanwhile is
// still found. The default credential's token, when there is one, is checked
// once before any work is taken: a token PhoneBurner refuses is a
// configuration error, not something to retry.
//
// Every PGDIALER_TEMPLATE_SECONDS (and right after each connect) the loop
// runs the list templates that are due (dialer.run_due_templates); the jobs
// they enqueue are claimed like any other.
//
// Each job names its PhoneBurner account (credential); queue/accounts makes
// the account's clients when the first job naming it arrives. A credential
// that cannot be found or read fails its job at once, with a message that
// says where the daemon looked; one PhoneBurner refuses makes its job wait,
// as a refused token always has. Other accounts' jobs are not affected.
//
// A job that fails for any other reason (a database error that is not a lost
// connection, a bug) is a failed attempt reported here rather than left to
// its lease; the extension decides whether it is retried or closed with the
// reason (dialer.fail_push_attempt), and the loop goes on with other jobs.
#pragma once

#include <atomic>
#include <optional>

#include "common/config.hpp"
#include "common/metrics.hpp"
#include "phoneburner/client.hpp"
#include "queue/accounts.hpp"
#include "queue/push_queue.hpp"

namespace pgdialer::sync {

class Worker {
 public:
  // `metrics` and `stopping` must outlive the worker.
  Worker(const Config& config, MetricsRegistry& metrics, const std::atomic<bool>& stopping)
      : config_(config), metrics_(metrics), stopping_(stopping) {}

  // Works the queue until a stop is requested, or with --once until nothing
  // is claimable; returns the exit status. `ready_sent`: systemd already heard
  // READY=1 (the webhook listener is up); otherwise the first connection to
  // PostgreSQL sends it, since pushing is then the whole service.
  int run(bool ready_sent);

 private:
  int check_default_credential(Accounts& accounts);
  void run_job(const ClaimedJob& job, PushQueue& queue, Accounts& accounts);
  void run_due_templates(PushQueue& queue);

  const Config& config_;
  MetricsRegistry& metrics_;
  const std::atomic<bool>& stopping_;
};

}  // namespace pgdialer::sync
