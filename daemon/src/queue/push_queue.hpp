// Typed calls to the extension's daemon API (dialer.claim_push_job and
// friends). The daemon holds no business SQL: each method is one call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/job_statuses.hpp"
#include "common/metrics.hpp"
#include "common/pg_connection.hpp"

namespace pgdialer::sync {

struct ClaimedJob {
  long long id = 0;
  std::string kind = job_kind::push;
  long long session_id = 0;
  int attempts = 0;
  int max_attempts = 0;
  int total = 0;
  // The PhoneBurner account (credential name) the job writes to.
  std::string phoneburner_credential = "default";
};

struct JobSession {
  long long id = 0;
  std::string name;
  std::optional<std::string> folder_id;
  bool update_existing = true;
  int unknown_items = 0;                   // writes whose outcome was lost: read the folder back first
  std::optional<std::string> description;  // the session's, for its PhoneBurner folder
};

struct PushItem {
  int list_position = 0;
  std::string contact_id;
  std::string payload;                                // JSON
  std::string status;                                 // item_status::pending or unknown
  std::optional<std::string> phoneburner_contact_id;  // linked to the session already
  int attempts = 0;
};

// One batch of a launch job: a PhoneBurner dial session of <= 500 contacts.
struct LaunchBatch {
  int batch = 0;
  int batch_count = 0;
  std::string status;  // batch_status
  int first_position = 0;
  int last_position = 0;
  int contact_count = 0;
  long long session_id = 0;
  std::string session_name;
};

struct LaunchContact {
  std::string contact_id;
  std::string payload;  // JSON, read at launch
};

// A batch's outcome for dialer.record_dial_session.
struct DialSessionOutcome {
  std::string status;  // batch_status
  std::optional<std::string> dial_session_id;
  std::optional<int> skipped;
  std::optional<std::string> login_link;  // never logged
  std::optional<std::string> error;
};

// " job=N", the id every log line about a job carries.
inline std::string job_tag(long long job_id) { return " job=" + std::to_string(job_id); }

enum class LeaseState { running, cancel, lost };

class PushQueue {
 public:
  // `metrics` (optional) counts what is recorded: items by status, jobs
  // finished by status, releases. Counted here, where every outcome passes.
  PushQueue(PgConnection& db, std::string worker, MetricsRegistry* metrics = nullptr)
      : db_(db), worker_(std::move(worker)), metrics_(metrics) {}
  const std::string& worker() const { return worker_; }

  std::optional<ClaimedJob> claim(std::chrono::seconds lease);
  // Hands up to `max_items` queued write-backs to the app's hook, in one
  // transaction with the daemon's rights (dialer.apply_writebacks); the
  // number taken, 0 when the queue is empty.
  int apply_writebacks(int max_items = 500);
  // Runs the list templates that are due, each once per due time, as their
  // reps (dialer.run_due_templates): the push jobs they enqueue are then
  // claimed like any other. Returns how many ran.
  int run_due_templates(int max_templates = 20);
  LeaseState renew(long long job_id, std::chrono::seconds lease);
  std::optional<JobSession> session(long long job_id);
  // Open items (pending or unknown) after `after_position`, at most `max_items`.
  std::vector<PushItem> items(long long job_id, int after_position, int max_items);
  bool set_step(long long job_id, const std::string& step);
  bool set_folder(long long job_id, const std::string& folder_id);
  bool record(long long job_id, int list_position, const std::string& status,
              const std::optional<std::string>& phoneburner_contact_id,
              const std::optional<std::string>& error);
  // The job's final status, nullopt when the lease was lost. `fail_job`:
  // failed whatever its items say (a precondition of the push did not hold).
  // `interrupted`: requests may have been in flight, so open items become
  // unknown rather than failed.
  std::optional<std::string> finish(long long job_id, const std::optional<std::string>& error,
                                    bool fail_job = false, bool interrupted = false);
  // An attempt failed with `error`: the extension decides (dialer.fail_push_attempt)
  // whether the job runs again, after `retry_in` or its backoff, answering
  // job_status::retrying, or is closed as finish() would, answering its final
  // status. nullopt when the lease was lost. The daemon keeps no copy of
  // that rule.
  std::optional<std::string> fail_attempt(long long job_id, const std::optional<std::string>& error,
                                          std::optional<std::chrono::seconds> retry_in = std::nullopt,
                                          bool fail_job = false, bool interrupted = false);
  // Launch jobs. prepare_launch: contacts to launch, nullopt when the lease was lost.
  std::optional<int> prepare_launch(long long job_id);
  std::vector<LaunchBatch> launch_batches(long long job_id);
  std::vector<LaunchContact> launch_batch_contacts(long long job_id, int batch);
  bool record_dial_session(long long job_id, int batch, const DialSessionOutcome& outcome);
  // Gives the job back (dialer.release_push_job): with no `retry_in` the
  // attempt is not counted (shutdown); with one it waits that long whatever
  // its attempts (a refused token is not the job's failure).
  bool release(long long job_id, const std::optional<std::string>& error,
               std::optional<std::chrono::seconds> retry_in);

 private:
  PgConnection& db_;
  std::string worker_;
  MetricsRegistry* metrics_;
};

}  // namespace pgdialer::sync
