// The wake-up side of the queue: LISTEN dialer_push (a job was queued) and
// dialer_writeback (an admin re-mapped dispositions or retried failed
// write-backs) on a dedicated connection (never through a transaction
// pooler), treated only as a hint;
// the caller also polls on a timer, so a missed notification costs at most
// one poll interval.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/pg_connection.hpp"

namespace pgdialer::sync {

class QueueListener {
 public:
  QueueListener(const std::string& database_url, const std::string& worker);

  // Waits until a notification arrives or `timeout` passes; true when woken by
  // a notification. Throws DbError when the connection is lost.
  bool wait(std::chrono::milliseconds timeout);

 private:
  std::unique_ptr<PgConnection> db_;
};

}  // namespace pgdialer::sync
