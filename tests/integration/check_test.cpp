// pgdialer-sync --check against the real parts: a database with the
// production logins, the fake PhoneBurner over HTTP, and real sockets for the
// listener. One line per check; the exit status says what kind of fix is due.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

#include "harness.hpp"

namespace pgdialer::testing {
namespace {

using std::chrono::seconds;

struct CheckRun {
  int status = -1;
  std::string out;
};

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("pgdialer_it_check");
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path("CheckTest.fake"));
  }
  CheckRun check(const std::string& database_url, std::map<std::string, std::string> env) {
    SyncDaemon run(database_url, fake_->base_url(), test_log_path("CheckTest.daemon"), env, {"--check"});
    CheckRun result;
    while (auto line = run.process().read_line(std::chrono::seconds(30))) result.out += *line + "\n";
    auto status = run.process().wait(seconds(30));
    result.status = status ? *status : -1;
    return result;
  }
  static bool has(const CheckRun& run, const std::string& text) {
    return run.out.find(text) != std::string::npos;
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
};

TEST_F(CheckTest, EveryCheckPassesForAWellSetUpDaemon) {
  db_->sql().exec("SELECT dialer.configure('contacts')");
  const int port = free_loopback_port();
  const std::string journal = fresh_test_dir("check-journal");
  CheckRun run = check(db_->sync_url(), {{"PGDIALER_WEBHOOK_SECRET", "check-test-webhook-secret-0123456789"},
                                         {"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(port)},
                                         {"PGDIALER_JOURNAL_DIR", journal}});
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_TRUE(has(run, "ok    database: connected as pgdialer_it_sync to pgdialer_it_check")) << run.out;
  EXPECT_TRUE(has(run, "ok    extension: pgdialer " + db_->extension_version() +
                           " (this daemon 1.0.0 supports 1.0 <= version < 2.0)"))
      << run.out;
  EXPECT_TRUE(has(run, "ok    privileges: pgdialer_it_sync is in dialer_sync; reads contacts")) << run.out;
  EXPECT_TRUE(has(run, "ok    credential default: ")) << run.out;
  EXPECT_TRUE(has(run, "PhoneBurner accepted the token")) << run.out;
  EXPECT_TRUE(has(run, "ok    listener: 127.0.0.1:" + std::to_string(port) + " is free")) << run.out;
  EXPECT_TRUE(has(run, "ok    journal: " + journal + " is writable")) << run.out;
  EXPECT_EQ(run.out.find("FAIL"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("check-test-webhook-secret"), std::string::npos) << "a secret was printed";
}

TEST_F(CheckTest, EachProblemIsOneFailLineAndAConfigurationExit) {
  // A rep's login instead of the daemon's, a token PhoneBurner refuses, and a
  // listener address another program holds.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);

  CheckRun run = check(
      db_->url_as(TestDatabase::kSarah),
      {{"PHONEBURNER_TOKEN", "not-the-token"}, {"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(port)}});
  ::close(holder);
  EXPECT_EQ(run.status, 78) << run.out;
  EXPECT_TRUE(has(run,
                  "FAIL  privileges: pgdialer_it_sarah is not a member of dialer_sync: GRANT dialer_sync TO "
                  "pgdialer_it_sarah"))
      << run.out;
  EXPECT_TRUE(has(run, "FAIL  credential default: ")) << run.out;
  EXPECT_TRUE(has(run, "PhoneBurner refused it")) << run.out;
  EXPECT_TRUE(has(run, "FAIL  listener: 127.0.0.1:" + std::to_string(port) + " is in use by another program"))
      << run.out;
  EXPECT_EQ(run.out.find("not-the-token"), std::string::npos) << "a secret was printed";
}

TEST_F(CheckTest, ADatabaseThatDoesNotAnswerIsAReachabilityFailure) {
  const int port = free_loopback_port();
  CheckRun run = check("postgresql://127.0.0.1:" + std::to_string(port) + "/nothing?connect_timeout=2", {});
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_TRUE(has(run, "FAIL  database: ")) << run.out;
  EXPECT_TRUE(has(run, "ok    credential default: ")) << run.out;  // the other checks still run
}

}  // namespace
}  // namespace pgdialer::testing
