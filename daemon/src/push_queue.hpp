// Typed calls to the extension's daemon API (dialer.claim_push_job and
// friends). The daemon holds no business SQL: each method is one call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pg_connection.hpp"

namespace pgdialer::sync {

struct ClaimedJob {
  long long id = 0;
  long long session_id = 0;
  int attempts = 0;
  int max_attempts = 0;
  int total = 0;
};

struct JobSession {
  long long id = 0;
  std::string name;
  std::optional<std::string> folder_id;
  bool update_existing = true;
};

struct PushItem {
  int list_position = 0;
  std::string contact_id;
  std::string payload;  // JSON
  std::string status;   // pending | unknown
  std::optional<std::string> phoneburner_contact_id;  // linked to the session already
  int attempts = 0;
};

enum class LeaseState { running, cancel, lost };

class PushQueue {
 public:
  PushQueue(PgConnection& db, std::string worker) : db_(db), worker_(std::move(worker)) {}
  const std::string& worker() const { return worker_; }

  std::optional<ClaimedJob> claim(std::chrono::seconds lease);
  LeaseState renew(long long job_id, std::chrono::seconds lease);
  std::optional<JobSession> session(long long job_id);
  std::vector<PushItem> items(long long job_id);
  bool set_step(long long job_id, const std::string& step);
  bool set_folder(long long job_id, const std::string& folder_id);
  bool record(long long job_id, int list_position, const std::string& status,
              const std::optional<std::string>& phoneburner_contact_id,
              const std::optional<std::string>& error);
  std::optional<std::string> finish(long long job_id, const std::optional<std::string>& error);
  bool release(long long job_id, const std::optional<std::string>& error,
               std::optional<std::chrono::seconds> retry_in);

 private:
  PgConnection& db_;
  std::string worker_;
};

}  // namespace pgdialer::sync
