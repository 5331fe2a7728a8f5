#include "webhook/pg_event_sink.hpp"

#include <poll.h>

#include <cerrno>
#include <cstdlib>

#include "common/log.hpp"
#include "common/version_handshake.hpp"

namespace pgdialer::sync {
namespace {

constexpr const char* kRecordSql = "SELECT dialer.record_call_event($1::jsonb)";

std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

SinkResult unavailable(std::string why) { return {SinkStatus::unavailable, std::move(why)}; }

}  // namespace

bool is_rejection_sqlstate(const std::string& sqlstate) { return sqlstate.rfind("22", 0) == 0; }

bool is_outage_sqlstate(const std::string& sqlstate) {
  if (sqlstate.empty()) return true;  // no SQLSTATE: libpq's own, a connection problem
  for (const char* prefix : {"08", "28", "3D", "53", "57P", "58", "25006", "40001", "40P01", "55P03"})
    if (sqlstate.rfind(prefix, 0) == 0) return true;
  return false;
}

SinkResult PgEventSink::record(const std::string& event_json) {
  SinkResult result = unavailable("no result");
  bounded_query(
      kRecordSql, event_json.c_str(),
      [&](PGresult* r) {
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
          result = {SinkStatus::stored, PQgetvalue(r, 0, 0)};
        } else {
          const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
          const std::string sqlstate = state ? state : "";
          const std::string message =
              (sqlstate.empty() ? "" : sqlstate + ": ") + trimmed(PQresultErrorMessage(r));
          result = {is_rejection_sqlstate(sqlstate) ? SinkStatus::rejected
                    : is_outage_sqlstate(sqlstate)  ? SinkStatus::unavailable
                                                    : SinkStatus::failed,
                    message};
        }
      },
      &result);
  return result;
}

std::optional<std::vector<JobCount>> PgEventSink::job_counts() {
  std::optional<std::vector<JobCount>> counts;
  SinkResult failed;
  bounded_query(
      "SELECT kind, status, jobs FROM dialer.job_counts()", nullptr,
      [&](PGresult* r) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK) return;
        counts.emplace();
        for (int i = 0; i < PQntuples(r); ++i)
          counts->push_back({PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), std::atof(PQgetvalue(r, i, 2))});
      },
      &failed);
  return counts;
}

void PgEventSink::bounded_query(const char* sql, const char* parameter,
                                const std::function<void(PGresult*)>& on_first_result, SinkResult* failure) {
  std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
  if (!lock.try_lock_for(options_.lock_wait)) {
    *failure = unavailable("database connection busy");
    return;
  }
  if (!connection_ || !connection_->ok()) {
    connection_.reset();
    *failure = unavailable("not connected to PostgreSQL");
    return;
  }
  PGconn* conn = connection_->raw();
  const auto deadline = std::chrono::steady_clock::now() + options_.query_deadline;
  const char* values[] = {parameter};
  if (!PQsendQueryParams(conn, sql, parameter ? 1 : 0, nullptr, parameter ? values : nullptr, nullptr,
                         nullptr, 0)) {
    *failure = unavailable(trimmed(PQerrorMessage(conn)));
    connection_.reset();
    return;
  }
  while (PQisBusy(conn)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd pfd{PQsocket(conn), POLLIN, 0};
    int ready = left.count() > 0 ? poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      // No answer in time: drop the connection (the server's own
      // statement_timeout ends the statement). An event is journaled and
      // replayed; if it did commit, the replay is a harmless 'duplicate'.
      // Counted against the event (SinkStatus::failed): one that always
      // runs too long, such as a slow fan-out, must not block the others.
      connection_.reset();
      *failure = {SinkStatus::failed, "no answer from PostgreSQL within " +
                                          std::to_string(options_.query_deadline.count()) + " ms"};
      return;
    }
    if (!PQconsumeInput(conn)) {
      *failure = unavailable(trimmed(PQerrorMessage(conn)));
      connection_.reset();
      return;
    }
  }
  bool first = true;
  while (PGresult* r = PQgetResult(conn)) {
    if (first) on_first_result(r);
    first = false;
    PQclear(r);
  }
  if (PQstatus(conn) != CONNECTION_OK) connection_.reset();
}

bool PgEventSink::connect() {
  {
    std::lock_guard<std::timed_mutex> lock(mutex_);
    if (connection_ && connection_->ok()) return true;
  }
  // Connect without holding the lock: requests meanwhile see "not
  // connected" and journal at once instead of waiting for the handshake.
  std::unique_ptr<PgConnection> fresh;
  try {
    fresh = std::make_unique<PgConnection>(options_.database_url, options_.application_name);
    // The server ends a statement we stopped waiting for soon after.
    fresh->exec("SET statement_timeout = " + std::to_string(options_.statement_timeout.count()));
    // Events go to the journal, not into a schema this daemon does not know;
    // the worker's own handshake records the daemon and stops it (exit 78).
    check_extension_version(*fresh, "", false);
  } catch (const IncompatibleVersion& e) {
    if (!warned_) log::error(std::string("webhooks: ") + e.what());
    warned_ = true;
    return false;
  } catch (const DbError& e) {
    if (!warned_) log::warning(std::string("webhooks: ") + e.what());
    warned_ = true;
    return false;
  }
  warned_ = false;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  connection_ = std::move(fresh);
  return true;
}

}  // namespace pgdialer::sync
