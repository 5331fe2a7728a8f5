#include "common/pg_connection.hpp"

#include <cstdlib>

namespace pgdialer::sync {

std::optional<std::string> PgResult::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}

long long PgResult::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

PgConnection::PgConnection(const std::string& database_url, const std::string& application_name) {
  // Server-side guards: a wedged daemon must not pin row locks.
  const char* keywords[] = {"dbname", "application_name", "options", "connect_timeout", nullptr};
  const char* values[] = {database_url.c_str(), application_name.c_str(),
                          "-c statement_timeout=60000 -c idle_in_transaction_session_timeout=60000", "10",
                          nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw DbError("cannot connect to PostgreSQL: " + message, true);
  }
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(conn_);
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* raw = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
  ExecStatusType status = PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return PgResult(raw);

  std::string message = raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
  // Copied: the field lives in `raw`, which is freed before it is looked at.
  const char* field = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = field ? field : "";
  if (!sqlstate.empty()) message = sqlstate + ": " + message;
  PQclear(raw);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  bool lost = PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" ||
              sqlstate == "57P02" || sqlstate == "57P03";
  throw DbError(message, lost);
}

}  // namespace pgdialer::sync
