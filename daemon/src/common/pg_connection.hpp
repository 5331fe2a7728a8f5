// A libpq connection with RAII results and exceptions for failures, so the
// rest of the daemon reads like the SQL it calls.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgdialer::sync {

// A failed query or a lost connection. `connection_lost` tells the caller to
// reconnect rather than to treat the job as failed.
class DbError : public std::runtime_error {
 public:
  DbError(const std::string& message, bool connection_lost)
      : std::runtime_error(message), connection_lost_(connection_lost) {}
  bool connection_lost() const { return connection_lost_; }

 private:
  bool connection_lost_;
};

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column); }
  std::string text(int row, int column) const { return PQgetvalue(result_.get(), row, column); }
  std::optional<std::string> optional_text(int row, int column) const;
  long long integer(int row, int column) const;
  bool boolean(int row, int column) const { return text(row, column) == "t"; }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

class PgConnection {
 public:
  // Connects (throws DbError). `application_name` shows in pg_stat_activity.
  PgConnection(const std::string& database_url, const std::string& application_name);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with text parameters (NULL = std::nullopt), in its own
  // transaction unless one is open.
  PgResult exec(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});
  PGconn* raw() { return conn_; }
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  PGconn* conn_;
};

}  // namespace pgdialer::sync
