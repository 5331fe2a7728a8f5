#include "queue/push_queue.hpp"

namespace pgdialer::sync {

namespace {
std::string seconds(std::chrono::seconds s) { return std::to_string(s.count()); }
std::optional<std::string> interval(std::optional<std::chrono::seconds> s) {
  if (!s) return std::nullopt;
  return std::to_string(s->count()) + " seconds";
}
}  // namespace

std::optional<ClaimedJob> PushQueue::claim(std::chrono::seconds lease) {
  PgResult r = db_.exec(
      "SELECT id, kind, session_id, attempts, max_attempts, total, phoneburner_credential "
      "FROM dialer.claim_push_job($1, $2)",
      {worker_, seconds(lease)});
  if (r.rows() == 0) return std::nullopt;
  return ClaimedJob{r.integer(0, 0),
                    r.text(0, 1),
                    r.integer(0, 2),
                    static_cast<int>(r.integer(0, 3)),
                    static_cast<int>(r.integer(0, 4)),
                    static_cast<int>(r.integer(0, 5)),
                    r.text(0, 6)};
}

int PushQueue::apply_writebacks(int max_items) {
  PgResult r = db_.exec("SELECT dialer.apply_writebacks($1)", {std::to_string(max_items)});
  return static_cast<int>(r.integer(0, 0));
}

int PushQueue::run_due_templates(int max_templates) {
  PgResult r = db_.exec("SELECT dialer.run_due_templates($1, $2)", {worker_, std::to_string(max_templates)});
  return static_cast<int>(r.integer(0, 0));
}

LeaseState PushQueue::renew(long long job_id, std::chrono::seconds lease) {
  PgResult r = db_.exec("SELECT dialer.renew_push_lease($1, $2, $3)",
                        {std::to_string(job_id), worker_, seconds(lease)});
  if (r.rows() == 0 || r.is_null(0, 0)) return LeaseState::lost;
  return r.text(0, 0) == lease_answer::cancel ? LeaseState::cancel : LeaseState::running;
}

std::optional<JobSession> PushQueue::session(long long job_id) {
  PgResult r = db_.exec(
      "SELECT session_id, session_name, phoneburner_folder_id, update_existing, unknown_items, "
      "session_description FROM dialer.push_job_session($1, $2)",
      {std::to_string(job_id), worker_});
  if (r.rows() == 0) return std::nullopt;
  return JobSession{r.integer(0, 0),
                    r.text(0, 1),
                    r.optional_text(0, 2),
                    r.boolean(0, 3),
                    static_cast<int>(r.integer(0, 4)),
                    r.optional_text(0, 5)};
}

std::vector<PushItem> PushQueue::items(long long job_id, int after_position, int max_items) {
  PgResult r = db_.exec(
      "SELECT list_position, contact_id, payload, status, phoneburner_contact_id, attempts "
      "FROM dialer.push_job_items($1, $2, $3, $4)",
      {std::to_string(job_id), worker_, std::to_string(after_position), std::to_string(max_items)});
  std::vector<PushItem> items;
  items.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i)
    items.push_back(PushItem{static_cast<int>(r.integer(i, 0)), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                             r.optional_text(i, 4), static_cast<int>(r.integer(i, 5))});
  return items;
}

bool PushQueue::set_step(long long job_id, const std::string& step) {
  return db_.exec("SELECT dialer.set_push_step($1, $2, $3)", {std::to_string(job_id), worker_, step})
      .boolean(0, 0);
}

bool PushQueue::set_folder(long long job_id, const std::string& folder_id) {
  return db_
      .exec("SELECT dialer.set_session_folder($1, $2, $3)", {std::to_string(job_id), worker_, folder_id})
      .boolean(0, 0);
}

bool PushQueue::record(long long job_id, int list_position, const std::string& status,
                       const std::optional<std::string>& phoneburner_contact_id,
                       const std::optional<std::string>& error) {
  const bool ours = db_.exec("SELECT dialer.record_push_item($1, $2, $3, $4, $5, $6)",
                             {std::to_string(job_id), worker_, std::to_string(list_position), status,
                              phoneburner_contact_id, error})
                        .boolean(0, 0);
  if (ours && metrics_) metrics_->add("pgdialer_push_items_total", {{"status", status}});
  return ours;
}

std::optional<std::string> PushQueue::finish(long long job_id, const std::optional<std::string>& error,
                                             bool fail_job, bool interrupted) {
  std::optional<std::string> status = db_.exec("SELECT dialer.finish_push_job($1, $2, $3, $4, $5)",
                                               {std::to_string(job_id), worker_, error,
                                                fail_job ? "true" : "false", interrupted ? "true" : "false"})
                                          .optional_text(0, 0);
  if (status && metrics_) metrics_->add("pgdialer_jobs_finished_total", {{"status", *status}});
  return status;
}

std::optional<std::string> PushQueue::fail_attempt(long long job_id, const std::optional<std::string>& error,
                                                   std::optional<std::chrono::seconds> retry_in,
                                                   bool fail_job, bool interrupted) {
  std::optional<std::string> answer =
      db_.exec("SELECT dialer.fail_push_attempt($1, $2, $3, $4::interval, $5, $6)",
               {std::to_string(job_id), worker_, error, interval(retry_in), fail_job ? "true" : "false",
                interrupted ? "true" : "false"})
          .optional_text(0, 0);
  // Counted as release() and finish() count what they end.
  if (answer && metrics_)
    metrics_->add("pgdialer_jobs_finished_total",
                  {{"status", *answer == job_status::retrying ? "released" : *answer}});
  return answer;
}

bool PushQueue::release(long long job_id, const std::optional<std::string>& error,
                        std::optional<std::chrono::seconds> retry_in) {
  PgResult r = db_.exec("SELECT dialer.release_push_job($1, $2, $3, $4::interval)",
                        {std::to_string(job_id), worker_, error, interval(retry_in)});
  const bool released = r.rows() > 0 && !r.is_null(0, 0) && r.boolean(0, 0);
  if (released && metrics_) metrics_->add("pgdialer_jobs_finished_total", {{"status", "released"}});
  return released;
}

std::optional<int> PushQueue::prepare_launch(long long job_id) {
  PgResult r = db_.exec("SELECT dialer.prepare_launch($1, $2)", {std::to_string(job_id), worker_});
  if (r.rows() == 0 || r.is_null(0, 0)) return std::nullopt;
  return static_cast<int>(r.integer(0, 0));
}

std::vector<LaunchBatch> PushQueue::launch_batches(long long job_id) {
  PgResult r = db_.exec(
      "SELECT batch, batch_count, status, first_position, last_position, contact_count, session_id, "
      "session_name FROM dialer.launch_batches($1, $2)",
      {std::to_string(job_id), worker_});
  std::vector<LaunchBatch> batches;
  for (int i = 0; i < r.rows(); ++i)
    batches.push_back({static_cast<int>(r.integer(i, 0)), static_cast<int>(r.integer(i, 1)), r.text(i, 2),
                       static_cast<int>(r.integer(i, 3)), static_cast<int>(r.integer(i, 4)),
                       static_cast<int>(r.integer(i, 5)), r.integer(i, 6), r.text(i, 7)});
  return batches;
}

std::vector<LaunchContact> PushQueue::launch_batch_contacts(long long job_id, int batch) {
  PgResult r = db_.exec("SELECT contact_id, payload FROM dialer.launch_batch_contacts($1, $2, $3)",
                        {std::to_string(job_id), worker_, std::to_string(batch)});
  std::vector<LaunchContact> contacts;
  contacts.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i) contacts.push_back({r.text(i, 0), r.text(i, 1)});
  return contacts;
}

bool PushQueue::record_dial_session(long long job_id, int batch, const DialSessionOutcome& o) {
  PgResult r = db_.exec("SELECT dialer.record_dial_session($1, $2, $3, $4, $5, $6::integer, $7, $8)",
                        {std::to_string(job_id), worker_, std::to_string(batch), o.status, o.dial_session_id,
                         o.skipped ? std::optional<std::string>(std::to_string(*o.skipped)) : std::nullopt,
                         o.login_link, o.error});
  return r.rows() == 1 && !r.is_null(0, 0) && r.boolean(0, 0);
}

}  // namespace pgdialer::sync
