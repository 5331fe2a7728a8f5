#include "push_queue.hpp"

namespace pgdialer::sync {

namespace {
std::string seconds(std::chrono::seconds s) { return std::to_string(s.count()); }
}  // namespace

std::optional<ClaimedJob> PushQueue::claim(std::chrono::seconds lease) {
  PgResult r = db_.exec(
      "SELECT id, session_id, attempts, max_attempts, total FROM dialer.claim_push_job($1, $2)",
      {worker_, seconds(lease)});
  if (r.rows() == 0) return std::nullopt;
  return ClaimedJob{r.integer(0, 0), r.integer(0, 1), static_cast<int>(r.integer(0, 2)),
                    static_cast<int>(r.integer(0, 3)), static_cast<int>(r.integer(0, 4))};
}

LeaseState PushQueue::renew(long long job_id, std::chrono::seconds lease) {
  PgResult r = db_.exec("SELECT dialer.renew_push_lease($1, $2, $3)",
                        {std::to_string(job_id), worker_, seconds(lease)});
  if (r.rows() == 0 || r.is_null(0, 0)) return LeaseState::lost;
  return r.text(0, 0) == "cancel" ? LeaseState::cancel : LeaseState::running;
}

std::optional<JobSession> PushQueue::session(long long job_id) {
  PgResult r = db_.exec(
      "SELECT session_id, session_name, phoneburner_folder_id, update_existing "
      "FROM dialer.push_job_session($1, $2)",
      {std::to_string(job_id), worker_});
  if (r.rows() == 0) return std::nullopt;
  return JobSession{r.integer(0, 0), r.text(0, 1), r.optional_text(0, 2), r.boolean(0, 3)};
}

std::vector<PushItem> PushQueue::items(long long job_id) {
  PgResult r = db_.exec(
      "SELECT list_position, contact_id, payload, status, phoneburner_contact_id, attempts "
      "FROM dialer.push_job_items($1, $2)",
      {std::to_string(job_id), worker_});
  std::vector<PushItem> items;
  items.reserve(r.rows());
  for (int i = 0; i < r.rows(); ++i)
    items.push_back(PushItem{static_cast<int>(r.integer(i, 0)), r.text(i, 1), r.text(i, 2),
                             r.text(i, 3), r.optional_text(i, 4), static_cast<int>(r.integer(i, 5))});
  return items;
}

bool PushQueue::set_step(long long job_id, const std::string& step) {
  return db_.exec("SELECT dialer.set_push_step($1, $2, $3)", {std::to_string(job_id), worker_, step})
      .boolean(0, 0);
}

bool PushQueue::set_folder(long long job_id, const std::string& folder_id) {
  return db_.exec("SELECT dialer.set_session_folder($1, $2, $3)",
                  {std::to_string(job_id), worker_, folder_id})
      .boolean(0, 0);
}

bool PushQueue::record(long long job_id, int list_position, const std::string& status,
                       const std::optional<std::string>& phoneburner_contact_id,
                       const std::optional<std::string>& error) {
  return db_.exec("SELECT dialer.record_push_item($1, $2, $3, $4, $5, $6)",
                  {std::to_string(job_id), worker_, std::to_string(list_position), status,
                   phoneburner_contact_id, error})
      .boolean(0, 0);
}

std::optional<std::string> PushQueue::finish(long long job_id, const std::optional<std::string>& error) {
  return db_.exec("SELECT dialer.finish_push_job($1, $2, $3)", {std::to_string(job_id), worker_, error})
      .optional_text(0, 0);
}

bool PushQueue::release(long long job_id, const std::optional<std::string>& error,
                        std::optional<std::chrono::seconds> retry_in) {
  std::optional<std::string> interval;
  if (retry_in) interval = std::to_string(retry_in->count()) + " seconds";
  PgResult r = db_.exec("SELECT dialer.release_push_job($1, $2, $3, $4::interval)",
                        {std::to_string(job_id), worker_, error, interval});
  return r.rows() > 0 && !r.is_null(0, 0) && r.boolean(0, 0);
}

}  // namespace pgdialer::sync
