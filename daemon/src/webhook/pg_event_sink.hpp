// EventSink over libpq: SELECT dialer.record_call_event($1::jsonb) on one
// dedicated connection (webhook deliveries are few; one connection keeps the
// database's view of them serial and simple).
//
// PhoneBurner is waiting while record() runs, so it is bounded on our side:
// a short wait for the connection (else "busy": journal it), a client-side
// deadline on the query that also covers a silent network (statement_timeout
// alone cannot: the server never hears about it), and no reconnecting in
// record() at all — connect() does that, from the replayer thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "webhook/event_sink.hpp"
#include "common/pg_connection.hpp"

namespace pgdialer::sync {

// One row of dialer.job_counts(): the whole queue, for /metrics.
struct JobCount {
  std::string kind;
  std::string status;
  double jobs = 0;
};

struct PgEventSinkOptions {
  std::string database_url;
  std::string application_name = "pgdialer-sync/webhooks";
  std::chrono::milliseconds lock_wait{200};
  std::chrono::milliseconds query_deadline{600};
  // The server's own bound, a little longer than ours so that it ends what
  // we stopped waiting for.
  std::chrono::milliseconds statement_timeout{1000};
};

class PgEventSink : public EventSink {
 public:
  explicit PgEventSink(PgEventSinkOptions options) : options_(std::move(options)) {}

  SinkResult record(const std::string& event_json) override;
  bool connect() override;
  // The queue's jobs by kind and status (dialer.job_counts()), under the same
  // bounds; nullopt when the database cannot answer now.
  std::optional<std::vector<JobCount>> job_counts();

 private:
  // Sends `sql` (with at most one text parameter) on the connection, waiting
  // no longer than the options allow; hands the first result to
  // `on_first_result`, or sets *failure and drops a connection that failed.
  void bounded_query(const char* sql, const char* parameter,
                     const std::function<void(PGresult*)>& on_first_result, SinkResult* failure);

  PgEventSinkOptions options_;
  std::timed_mutex mutex_;  // guards connection_
  std::unique_ptr<PgConnection> connection_;
  bool warned_ = false;  // one log line per outage from connect()
};

// How an SQL error is treated (exposed for tests): class 22 (data
// exception: 22023 invalid_parameter_value from the function, invalid text
// in a field) is the event's own fault and is never retried.
bool is_rejection_sqlstate(const std::string& sqlstate);
// Errors that say nothing about the event, only that the database cannot run
// anything now (connection, authentication, missing database, resources,
// shutdown, read-only, serialization or lock conflicts): SinkStatus::unavailable.
// Every other error is SinkStatus::failed.
bool is_outage_sqlstate(const std::string& sqlstate);

}  // namespace pgdialer::sync
