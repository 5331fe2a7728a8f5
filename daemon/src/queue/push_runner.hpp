// Runs one claimed push job end to end: the session's PhoneBurner folder,
// then every item (create, update or skip), reconciling any write whose
// outcome is unknown by reading the folder back before writing again, and
// finally the job's outcome. Exactly-once effect: a contact is created in a
// folder only when neither our links nor the folder itself already hold it.
#pragma once

#include <set>
#include <string>

#include "queue/job_context.hpp"

namespace pgdialer::sync {

class PushRunner {
 public:
  // `verified_folders`: the folders of this account whose custom fields were
  // seen to persist, kept by the caller across jobs.
  PushRunner(const JobContext& context, std::set<std::string>& verified_folders)
      : context_(context), verified_folders_(verified_folders) {}

  void run(const ClaimedJob& job);

 private:
  JobContext context_;
  std::set<std::string>& verified_folders_;
};

// The folder name that carries our session id, so a folder created before a
// crash is found again instead of created twice.
std::string folder_name(long long session_id, const std::string& session_name);

// The folder's description in PhoneBurner: the session's description (the
// rep's, from dialer.push or dialer.create_session), else one naming the
// session. PhoneBurner keeps a folder's description (GET /folders shows it);
// it is written once, when the folder is made.
std::string folder_description(const JobSession& session);

}  // namespace pgdialer::sync
