// The parts an integration test runs against: the test cluster's database
// (created fresh per test), a fake PhoneBurner over HTTP on loopback, and
// the real pgdialer-sync binary. Paths and the database come from the
// environment scripts/run-tests.sh sets up:
//   PGDIALER_TEST_DATABASE_URL  libpq URL of a database on the test cluster
//   PGDIALER_SYNC, FAKE_PHONEBURNER  binaries (default: next to this test)
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pg_connection.hpp"
#include "subprocess.hpp"

namespace pgdialer::testing {

// A contact as the fake PhoneBurner holds it.
struct HeldContact {
  std::string id;
  std::string lead_id;
  std::string category_id;
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::map<std::string, std::string> custom_fields;
};

class FakePhoneBurner {
 public:
  FakePhoneBurner(const std::string& log_path, const std::vector<std::string>& extra_args = {});
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/rest/1"; }
  static const char* token() { return "test-token-7f3a"; }

  // POST /_control/<what> with a JSON body; throws on failure.
  void control(const std::string& what, const std::string& json);
  std::vector<HeldContact> contacts();
  std::string state_json();

 private:
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
};

class SyncDaemon {
 public:
  SyncDaemon(const std::string& database_url, const std::string& base_url,
             const std::string& log_path, std::map<std::string, std::string> extra_env = {},
             std::vector<std::string> args = {});
  Subprocess& process() { return *process_; }

 private:
  std::unique_ptr<Subprocess> process_;
};

// A fresh database with the extension and a contacts table.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& name);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  sync::PgConnection& sql() { return *conn_; }
  // Inserts n contacts with ids from `first_id`; every 10th is do-not-call.
  void add_contacts(int first_id, int n);
  // A new connection, after the server was restarted.
  void reconnect();
  // Polls push_status until the job leaves queued/running; returns the status.
  std::string wait_for_job(long long job_id, std::chrono::seconds timeout);

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::unique_ptr<sync::PgConnection> conn_;
};

std::string test_log_path(const std::string& name);

// Stops or starts the test cluster through scripts/pg-cluster.sh (the
// PGDIALER_PG_CLUSTER_SCRIPT and PGDIALER_PG_CLUSTER_NAME that
// scripts/run-tests.sh sets); throws when they are not set or it fails.
void test_cluster(const std::string& command);

}  // namespace pgdialer::testing
