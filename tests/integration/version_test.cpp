// The version handshake against the real daemon and a real database: the
// daemon records itself in dialer.daemon_versions, and stops with exit 78
// when the installed extension is outside its range (found again after a
// reconnect) or when the extension no longer supports it.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace pgdialer::testing {
namespace {

using std::chrono::seconds;

class VersionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db_ = std::make_unique<TestDatabase>("pgdialer_it_version");
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path(name_ + ".fake"));
  }
  std::unique_ptr<SyncDaemon> start_daemon() {
    return std::make_unique<SyncDaemon>(db_->sync_url(), fake_->base_url(), log_path());
  }
  std::string log_path() const { return test_log_path(name_ + ".daemon"); }
  std::string daemon_log() const {
    std::ifstream in(log_path());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // dialer.daemon_versions' one row as "version|supported|extension seen|role", or "" while there is none.
  std::string seen() {
    auto r = db_->sql().exec(
        "SELECT string_agg(concat_ws('|', daemon_version, supported, extension_version_seen, login_role), "
        "';') "
        "FROM dialer.daemon_versions");
    return r.is_null(0, 0) ? "" : r.text(0, 0);
  }
  std::string name_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
};

TEST_F(VersionTest, TheDaemonIsRecordedAndStopsWhenAReconnectFindsAnUnsupportedExtension) {
  auto daemon = start_daemon();
  std::string row;
  for (int i = 0; i < 100 && (row = seen()).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string installed = db_->extension_version();
  EXPECT_EQ(row, "1.0.0|t|" + installed + "|" + TestDatabase::kSyncLogin);
  ASSERT_TRUE(daemon->process().running());

  // The database now has an extension the daemon does not know (as after an
  // upgrade to a new major version); the daemon finds out when it reconnects.
  db_->sql().exec("UPDATE pg_extension SET extversion = '2.0' WHERE extname = 'pgdialer'");
  db_->sql().exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND application_name LIKE 'pgdialer-sync/%'");
  auto status = daemon->process().wait(seconds(60));
  ASSERT_TRUE(status.has_value()) << "the daemon kept running against extension 2.0";
  EXPECT_EQ(*status, 78);
  EXPECT_NE(daemon_log().find("the installed pgdialer extension is version 2.0; pgdialer-sync 1.0.0 supports "
                              "1.0 <= version < 2.0: upgrade pgdialer-sync"),
            std::string::npos)
      << daemon_log();
  // The refusal is on record: the admin sees which daemon is too old.
  EXPECT_EQ(seen(), std::string("1.0.0|f|2.0|") + TestDatabase::kSyncLogin);
  db_->sql().exec("UPDATE pg_extension SET extversion = '" + installed + "' WHERE extname = 'pgdialer'");
}

TEST_F(VersionTest, ADaemonOlderThanTheExtensionsMinimumRefusesToStart) {
  db_->sql().exec(
      "CREATE OR REPLACE FUNCTION dialer.minimum_daemon_version() RETURNS text "
      "LANGUAGE sql IMMUTABLE RETURN '1.2.0'");
  auto daemon = start_daemon();
  auto status = daemon->process().wait(seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 78);
  const std::string installed = db_->extension_version();
  EXPECT_NE(daemon_log().find("pgdialer-sync 1.0.0 is older than the oldest daemon the installed extension " +
                              installed + " supports (1.2.0): upgrade pgdialer-sync"),
            std::string::npos)
      << daemon_log();
  EXPECT_EQ(seen(), "1.0.0|f|" + installed + "|" + TestDatabase::kSyncLogin);
}

}  // namespace
}  // namespace pgdialer::testing
