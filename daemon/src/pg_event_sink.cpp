#include "pg_event_sink.hpp"

#include <poll.h>

#include <cerrno>

#include "log.hpp"

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

SinkResult PgEventSink::record(const std::string& event_json) {
  std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
  if (!lock.try_lock_for(options_.lock_wait)) return unavailable("database connection busy");
  if (!connection_ || !connection_->ok()) {
    connection_.reset();
    return unavailable("not connected to PostgreSQL");
  }
  PGconn* conn = connection_->raw();
  const auto deadline = std::chrono::steady_clock::now() + options_.query_deadline;
  const char* values[] = {event_json.c_str()};
  if (!PQsendQueryParams(conn, kRecordSql, 1, nullptr, values, nullptr, nullptr, 0)) {
    std::string why = trimmed(PQerrorMessage(conn));
    connection_.reset();
    return unavailable(why);
  }
  while (PQisBusy(conn)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd pfd{PQsocket(conn), POLLIN, 0};
    int ready = left.count() > 0 ? poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      // No answer in time: drop the connection (the server's own
      // statement_timeout ends the statement). The event is journaled and
      // replayed; if it did commit, the replay is a harmless 'duplicate'.
      connection_.reset();
      return unavailable("no answer from PostgreSQL within " + std::to_string(options_.query_deadline.count()) +
                         " ms");
    }
    if (!PQconsumeInput(conn)) {
      std::string why = trimmed(PQerrorMessage(conn));
      connection_.reset();
      return unavailable(why);
    }
  }
  SinkResult result = unavailable("no result");
  bool first = true;
  while (PGresult* r = PQgetResult(conn)) {
    if (first) {
      first = false;
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        result = {SinkStatus::stored, PQgetvalue(r, 0, 0)};
      } else {
        const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        const std::string sqlstate = state ? state : "";
        const std::string message = (sqlstate.empty() ? "" : sqlstate + ": ") + trimmed(PQresultErrorMessage(r));
        result = {is_rejection_sqlstate(sqlstate) ? SinkStatus::rejected : SinkStatus::unavailable, message};
      }
    }
    PQclear(r);
  }
  if (PQstatus(conn) != CONNECTION_OK) connection_.reset();
  return result;
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
    fresh->exec("SET statement_timeout = 1000");
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
