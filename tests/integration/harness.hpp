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

#include "common/pg_connection.hpp"
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
  // https:// when started with --tls-cert/--tls-key (the control helpers
  // below speak plain HTTP: they are for a fake without TLS).
  std::string base_url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_) + "/rest/1"; }
  static const char* token() { return "test-token-7f3a"; }

  int port() const { return port_; }

  // POST /_control/<what> with a JSON body; throws on failure.
  void control(const std::string& what, const std::string& json);
  // The same, returning the answer's body (simulate_calls returns the truth).
  std::string control_json(const std::string& what, const std::string& json);
  std::vector<HeldContact> contacts();
  // GET /_control/state, e.g. with query "account=sarah" for one account.
  std::string state_json(const std::string& query = "");
  // GET /_control/calls: the simulated truth of every run since start.
  std::string calls_json();

 private:
  std::unique_ptr<Subprocess> process_;
  std::string scheme_ = "http";
  int port_ = 0;
};

class SyncDaemon {
 public:
  SyncDaemon(const std::string& database_url, const std::string& base_url, const std::string& log_path,
             std::map<std::string, std::string> extra_env = {}, std::vector<std::string> args = {});
  Subprocess& process() { return *process_; }

 private:
  std::unique_ptr<Subprocess> process_;
};

// A fresh database with the extension, a contacts table, and the logins of
// production with the privileges docs/sql-reference.md gives them: the
// daemon's (only dialer_sync, and SELECT on contacts), two reps' (only
// dialer_rep; Sarah is a rep of dialer.reps with the default credential)
// and the app's (dialer_app). Tests act as them; the superuser connection is
// for setting up and for looking.
class TestDatabase {
 public:
  static constexpr const char* kSyncLogin = "pgdialer_it_sync";
  static constexpr const char* kSarah = "pgdialer_it_sarah";
  static constexpr const char* kMike = "pgdialer_it_mike";
  static constexpr const char* kAppLogin = "pgdialer_it_app";

  explicit TestDatabase(const std::string& name);
  ~TestDatabase();
  // The superuser: set up, and read what no role of the product may.
  const std::string& url() const { return url_; }
  sync::PgConnection& sql() { return *conn_; }
  // The URL of this database as another login.
  std::string url_as(const std::string& login) const;
  // What pgdialer-sync connects with.
  std::string sync_url() const { return url_as(kSyncLogin); }
  // The version of pgdialer installed in it (the newest, as CREATE EXTENSION gives it).
  std::string extension_version() {
    return sql().exec("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pgdialer'").text(0, 0);
  }
  // A connection as a rep (Sarah unless told), for pushes and launches.
  sync::PgConnection& rep(const std::string& login = kSarah);
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
  std::map<std::string, std::unique_ptr<sync::PgConnection>> reps_;
};

std::string test_log_path(const std::string& name);

// A loopback port nobody listens on right now (bound, read, closed), for a
// daemon that must know its own address before it starts (PGDIALER_LISTEN
// and PGDIALER_WEBHOOK_BASE_URL).
int free_loopback_port();

// A fresh empty directory under the test log directory (removed first if it
// exists), e.g. a daemon's PGDIALER_JOURNAL_DIR.
std::string fresh_test_dir(const std::string& name);

// A plain HTTP request to 127.0.0.1:port. status 0 = no answer (error says why).
struct HttpReply {
  int status = 0;
  std::string body;
  std::string error;
};
HttpReply http_get(int port, const std::string& target);
HttpReply http_post(int port, const std::string& target, const std::string& body,
                    const std::string& content_type = "application/json");

// The sum of a Prometheus metric's samples in `metrics_text` (a /metrics
// page) whose labels include every pair of `labels`; 0 when none.
double metric_value(const std::string& metrics_text, const std::string& name,
                    const std::map<std::string, std::string>& labels = {});

// Stops or starts the test cluster through scripts/pg-cluster.sh (the
// PGDIALER_PG_CLUSTER_SCRIPT and PGDIALER_PG_CLUSTER_NAME that
// scripts/run-tests.sh sets); throws when they are not set or it fails.
void test_cluster(const std::string& command);

}  // namespace pgdialer::testing
