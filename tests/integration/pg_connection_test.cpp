// PgConnection's errors against a real server: the SQLSTATE leads the
// message, and only a lost connection (class 08, 57P01-57P03) says so, which
// decides whether the daemon reconnects or fails the job. The SQLSTATE was
// once read from the libpq result after it had been freed (a
// heap-use-after-free that make test-sanitize reports here).
#include <gtest/gtest.h>

#include "common/pg_connection.hpp"
#include "harness.hpp"

namespace pgdialer::testing {
namespace {

TEST(PgConnectionTest, AnSqlErrorLeadsWithItsSqlstateAndKeepsTheConnection) {
  TestDatabase db("pgdialer_it_pg_connection");
  sync::PgConnection conn(db.url(), "pgdialer-tests/pg-connection");
  try {
    conn.exec("SELECT 1 / 0");
    FAIL() << "no error";
  } catch (const sync::DbError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("22012: ", 0), 0u) << e.what();
    EXPECT_FALSE(e.connection_lost());
  }
  EXPECT_EQ(conn.exec("SELECT 1").text(0, 0), "1");  // still usable
}

TEST(PgConnectionTest, ATerminatedSessionIsALostConnection) {
  TestDatabase db("pgdialer_it_pg_connection");
  sync::PgConnection conn(db.url(), "pgdialer-tests/pg-connection");
  try {
    conn.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    FAIL() << "no error";
  } catch (const sync::DbError& e) {
    EXPECT_TRUE(e.connection_lost()) << e.what();
  }
}

}  // namespace
}  // namespace pgdialer::testing
