// Runs one claimed launch job: the session's contacts, re-checked against
// the rules when the job starts (dialer.prepare_launch), become PhoneBurner
// dial sessions of at most 500 contacts, one request per batch.
//
// POST /dialsession is slow, create-only and has no idempotency key, so a
// batch is marked 'sending' (committed) before its request goes out and is
// never sent again: a batch found 'sending' by a later attempt, or whose
// request timed out or lost its connection, is 'unknown' and the rep is told
// to look in PhoneBurner. The one-time login link goes to the database only
// (dialer.launch_link hands it out once); it is never logged.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "queue/job_context.hpp"

namespace pgdialer::sync {

class LaunchRunner {
 public:
  // The context's client must not abort transfers on shutdown: a launch in
  // flight is allowed to finish (up to its timeout), since aborting it would
  // leave its outcome unknown for nothing.
  explicit LaunchRunner(const JobContext& context) : context_(context) {}

  void run(const ClaimedJob& job);

 private:
  JobContext context_;
};

// The callbacks a launched dial session is given: its own URL with its
// token for each event (none without a base URL or a webhook secret, since a
// callback we cannot verify would only be refused).
std::vector<std::pair<std::string, std::string>> dial_session_callbacks(const std::string& webhook_base_url,
                                                                        const std::string& webhook_secret,
                                                                        long long session_id);

}  // namespace pgdialer::sync
