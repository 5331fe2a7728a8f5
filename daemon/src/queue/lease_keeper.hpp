// Keeps a claimed job's lease alive from its own thread and connection, so a
// slow PhoneBurner call can never let the lease lapse unnoticed. Tells the
// job when the lease was lost (another daemon took over: stop writing) or a
// cancel was requested.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace pgdialer::sync {

class LeaseKeeper {
 public:
  LeaseKeeper(const std::string& database_url, const std::string& worker, long long job_id,
              std::chrono::seconds lease, std::chrono::seconds every);
  ~LeaseKeeper();  // stops the thread
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  bool lost() const { return lost_; }
  bool cancel_requested() const { return cancel_; }

 private:
  void run(std::string database_url, std::string worker, long long job_id, std::chrono::seconds lease,
           std::chrono::seconds every);

  std::atomic<bool> lost_{false};
  std::atomic<bool> cancel_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pgdialer::sync
