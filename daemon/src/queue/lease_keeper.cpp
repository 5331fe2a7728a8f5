#include "queue/lease_keeper.hpp"

#include <memory>

#include "common/log.hpp"
#include "common/pg_connection.hpp"
#include "queue/push_queue.hpp"

namespace pgdialer::sync {

LeaseKeeper::LeaseKeeper(const std::string& database_url, const std::string& worker, long long job_id,
                         std::chrono::seconds lease, std::chrono::seconds every)
    : thread_(&LeaseKeeper::run, this, database_url, worker, job_id, lease, every) {}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LeaseKeeper::run(std::string database_url, std::string worker, long long job_id,
                      std::chrono::seconds lease, std::chrono::seconds every) {
  std::unique_ptr<PgConnection> db;
  auto deadline = std::chrono::steady_clock::now() + lease;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_for(lock, every, [this] { return stopping_; })) return;
    }
    try {
      if (!db || !db->ok())
        db = std::make_unique<PgConnection>(database_url, "pgdialer-sync/lease/" + worker);
      PushQueue queue(*db, worker);
      LeaseState state = queue.renew(job_id, lease);
      if (state == LeaseState::lost) {
        log::warning("lease lost job=" + std::to_string(job_id) + ": another worker owns it now");
        lost_ = true;
        return;
      }
      if (state == LeaseState::cancel) cancel_ = true;
      deadline = std::chrono::steady_clock::now() + lease;
    } catch (const DbError& e) {
      db.reset();
      log::warning("lease renewal failed job=" + std::to_string(job_id) + ": " + e.what());
      // Past the lease another daemon may have taken the job: stop writing.
      if (std::chrono::steady_clock::now() >= deadline) {
        lost_ = true;
        return;
      }
    }
  }
}

}  // namespace pgdialer::sync
