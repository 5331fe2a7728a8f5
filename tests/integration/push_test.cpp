// Push end to end: real PostgreSQL, the real pgdialer-sync binary, and the
// fake PhoneBurner over HTTP. Generous timeouts; no timing assertions.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness.hpp"
#include "test_ca.hpp"
#include <rapidjson/document.h>

using namespace pgdialer::testing;
using std::chrono::seconds;

namespace {

long long push(TestDatabase& db, const std::string& where, const std::string& session_name = "",
               const std::string& session_id = "", const std::string& options = "{}") {
  auto r = db.rep().exec(
      "SELECT dialer.push(array_agg(c ORDER BY id), nullif($1, ''), nullif($2, '')::bigint, $3::jsonb) "
      "FROM contacts c WHERE " +
          where,
      {session_name, session_id, options});
  return r.integer(0, 0);
}

long long session_of(TestDatabase& db, long long job) {
  return db.sql()
      .exec("SELECT session_id FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)})
      .integer(0, 0);
}

std::string count_of(TestDatabase& db, long long job, const char* what) {
  return db.sql()
      .exec("SELECT dialer.push_status($1) -> 'counts' ->> $2", {std::to_string(job), what})
      .text(0, 0);
}

// Every contact the fake holds, by (folder, lead id); fails on duplicates.
std::map<std::pair<std::string, std::string>, HeldContact> held_once(FakePhoneBurner& fake) {
  std::map<std::pair<std::string, std::string>, HeldContact> out;
  for (auto& c : fake.contacts()) {
    auto key = std::make_pair(c.category_id, c.lead_id);
    EXPECT_EQ(out.count(key), 0u) << "contact " << c.lead_id << " is in folder " << c.category_id << " twice";
    out[key] = c;
  }
  return out;
}

std::string folder_of(TestDatabase& db, long long session) {
  return db.sql()
      .exec("SELECT phoneburner_folder_id FROM dialer.sessions WHERE id = $1", {std::to_string(session)})
      .text(0, 0);
}

class PushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db_ = std::make_unique<TestDatabase>("pgdialer_it_" + to_lower(name_).substr(0, 48));
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path(name_ + ".fake"));
  }
  std::unique_ptr<SyncDaemon> start_daemon(std::map<std::string, std::string> env = {},
                                           std::vector<std::string> args = {}) {
    return std::make_unique<SyncDaemon>(db_->sync_url(), fake_->base_url(), test_log_path(name_ + ".daemon"),
                                        env, args);
  }
  static std::string to_lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }
  std::string name_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
};

}  // namespace

TEST_F(PushTest, HappyPathLandsEveryReadyContactOnceWithItsContext) {
  db_->add_contacts(1, 40);  // ids 10, 20, 30, 40 are do-not-call
  db_->sql().exec("UPDATE contacts SET call_talking_points = 'Ask about add-ons' WHERE id = 7");
  auto daemon = start_daemon();
  long long job = push(*db_, "true", "PE Buyers - Feb 2026 Outreach");
  ASSERT_EQ(db_->wait_for_job(job, seconds(90)), "succeeded");
  EXPECT_EQ(count_of(*db_, job, "created"), "36");

  std::string folder = folder_of(*db_, session_of(*db_, job));
  ASSERT_FALSE(folder.empty());
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 36u);
  for (int id = 1; id <= 40; ++id) {
    auto it = held.find({folder, std::to_string(id)});
    if (id % 10 == 0) {
      EXPECT_EQ(it, held.end()) << "do-not-call contact " << id << " was pushed";
      continue;
    }
    ASSERT_NE(it, held.end()) << "contact " << id << " missing";
    EXPECT_EQ(it->second.first_name, "First" + std::to_string(id));
    EXPECT_EQ(it->second.custom_fields["sourceco_contact_id"], std::to_string(id));
    EXPECT_EQ(it->second.custom_fields["company"], "Company " + std::to_string(id % 50));
  }
  EXPECT_EQ(held[std::make_pair(folder, std::string("7"))].custom_fields["call_talking_points"],
            "Ask about add-ons");
  // Links and counts back in PostgreSQL.
  EXPECT_EQ(db_->sql().exec("SELECT count(*) FROM dialer.contact_links").text(0, 0), "36");
  EXPECT_EQ(db_->sql().exec("SELECT contact_count FROM dialer.sessions").text(0, 0), "36");
}

TEST_F(PushTest, AddingToAnExistingSessionUpdatesOrSkips) {
  db_->add_contacts(1, 9);
  auto daemon = start_daemon();
  long long first = push(*db_, "id <= 5", "Week 1");
  ASSERT_EQ(db_->wait_for_job(first, seconds(60)), "succeeded");
  std::string session = std::to_string(session_of(*db_, first));

  db_->sql().exec("UPDATE contacts SET first_name = 'Renamed' WHERE id = 3");
  long long second = push(*db_, "true", "", session);  // 1..9: 1-5 linked, 6-9 new
  ASSERT_EQ(db_->wait_for_job(second, seconds(60)), "succeeded");
  EXPECT_EQ(count_of(*db_, second, "updated"), "5");
  EXPECT_EQ(count_of(*db_, second, "created"), "4");

  long long third = push(*db_, "true", "", session, R"({"update_existing": false})");
  ASSERT_EQ(db_->wait_for_job(third, seconds(60)), "succeeded");
  EXPECT_EQ(count_of(*db_, third, "skipped"), "9");

  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 9u);
  EXPECT_EQ(held[std::make_pair(folder_of(*db_, std::stoll(session)), std::string("3"))].first_name,
            "Renamed");
}

TEST_F(PushTest, AContactInTwoSessionsIsTwoPhoneBurnerContacts) {
  db_->add_contacts(1, 3);
  auto daemon = start_daemon();
  long long a = push(*db_, "true", "Session A");
  long long b = push(*db_, "true", "Session B");
  ASSERT_EQ(db_->wait_for_job(a, seconds(60)), "succeeded");
  ASSERT_EQ(db_->wait_for_job(b, seconds(60)), "succeeded");
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 6u);
  EXPECT_NE(folder_of(*db_, session_of(*db_, a)), folder_of(*db_, session_of(*db_, b)));
}

TEST_F(PushTest, FaultsAndRetriesStillLandEachContactExactlyOnce) {
  db_->add_contacts(1, 60);
  // Writes applied but answered with a dropped connection, 429s with
  // Retry-After and 503s, all before and during the push.
  fake_->control("fail_next", R"({"count": 4, "drop_after_write": true})");
  auto daemon = start_daemon();
  long long job = push(*db_, "true", "Faulty");
  fake_->control("fail_next", R"({"count": 3, "status": 429})");
  fake_->control("fail_next", R"({"count": 3, "status": 503})");
  ASSERT_EQ(db_->wait_for_job(job, seconds(120)), "succeeded");
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 54u);
  EXPECT_EQ(count_of(*db_, job, "created"), "54");
}

TEST_F(PushTest, SurvivesTheDaemonBeingKilledMidPush) {
  db_->add_contacts(1, 1000);
  fake_->control("config", R"({"latency_ms": 5})");
  long long job = push(*db_, "true", "Kill test");
  std::mt19937 random(42);
  // make test: 3 cycles; make test-faults: PGDIALER_KILL_CYCLES=20.
  const char* cycles_env = std::getenv("PGDIALER_KILL_CYCLES");
  const int cycles = cycles_env ? std::max(1, std::atoi(cycles_env)) : 3;
  // Each kill spends an attempt; a job out of attempts is closed (tested in
  // push_queue.sql), which is not what this test is about.
  db_->sql().exec("UPDATE dialer.push_jobs SET max_attempts = $2 WHERE id = $1",
                  {std::to_string(job), std::to_string(cycles + 5)});
  for (int cycle = 0; cycle < cycles; ++cycle) {
    auto daemon = start_daemon({{"PGDIALER_CONCURRENCY", "5"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + random() % (cycles > 3 ? 600 : 1200)));
    daemon->process().signal(SIGKILL);
    daemon->process().wait(seconds(10));
  }
  auto daemon = start_daemon();
  ASSERT_EQ(db_->wait_for_job(job, seconds(180)), "succeeded");
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 900u);
  std::string folder = folder_of(*db_, session_of(*db_, job));
  for (auto& [key, contact] : held) {
    EXPECT_EQ(key.first, folder);
    EXPECT_EQ(contact.custom_fields["sourceco_contact_id"], key.second);
  }
}

TEST_F(PushTest, TwoDaemonsShareOneQueue) {
  db_->add_contacts(1, 200);
  auto a = start_daemon({{"PGDIALER_WORKER_ID", "daemon-a"}});
  auto b = start_daemon({{"PGDIALER_WORKER_ID", "daemon-b"}});
  std::vector<long long> jobs;
  for (int i = 0; i < 4; ++i)
    jobs.push_back(push(*db_, "id % 4 = " + std::to_string(i), "Batch " + std::to_string(i)));
  for (long long job : jobs) ASSERT_EQ(db_->wait_for_job(job, seconds(120)), "succeeded");
  EXPECT_EQ(held_once(*fake_).size(), 180u);
}

// Pushes into one session run one after another, in the order they were
// made, even with idle daemons at hand: run side by side, two jobs would both
// find a contact missing from the folder and create it twice (or each make
// the session a folder of its own). Found by the fault and load run.
TEST_F(PushTest, PushesIntoOneSessionRunInOrderOneAtATimeAcrossDaemons) {
  db_->add_contacts(1, 100);  // 90 pass the rules
  fake_->control("config", R"({"latency_ms": 10})");
  long long first = push(*db_, "true", "One session, three pushes");
  const std::string session = std::to_string(session_of(*db_, first));
  long long second = push(*db_, "id <= 60", "", session);
  long long third = push(*db_, "id > 40", "", session);
  auto a = start_daemon({{"PGDIALER_WORKER_ID", "daemon-a"}});
  auto b = start_daemon({{"PGDIALER_WORKER_ID", "daemon-b"}});
  auto c = start_daemon({{"PGDIALER_WORKER_ID", "daemon-c"}});
  for (long long job : {first, second, third}) ASSERT_EQ(db_->wait_for_job(job, seconds(120)), "succeeded");
  EXPECT_EQ(count_of(*db_, first, "created"), "90");
  EXPECT_EQ(count_of(*db_, second, "updated"), "54");
  EXPECT_EQ(count_of(*db_, third, "updated"), "54");
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 90u);
  const std::string folder = folder_of(*db_, std::stoll(session));
  for (auto& [key, contact] : held) EXPECT_EQ(key.first, folder) << "contact " << key.second;
  // Each started after the one before it finished.
  auto order = db_->sql().exec(
      "SELECT bool_and(started_at >= prev) FROM (SELECT started_at, lag(finished_at) OVER (ORDER BY id) AS "
      "prev "
      "FROM dialer.push_jobs WHERE session_id = $1) j WHERE prev IS NOT NULL",
      {session});
  EXPECT_TRUE(order.boolean(0, 0));
}

TEST_F(PushTest, OnceProcessesWhatIsQueuedAndExits) {
  db_->add_contacts(1, 5);
  long long job = push(*db_, "true", "Once");
  auto daemon = start_daemon({}, {"--once"});
  auto status = daemon->process().wait(seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(db_->wait_for_job(job, seconds(1)), "succeeded");
}

TEST_F(PushTest, SigtermStopsCleanly) {
  auto daemon = start_daemon();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  daemon->process().signal(SIGTERM);
  auto status = daemon->process().wait(seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

// A daemon that only pushes is observable too: with a listen address and no
// webhook secret it serves /healthz and /metrics (its pushes counted there)
// and has no webhook routes.
TEST_F(PushTest, WithAListenAddressAndNoWebhookSecretItServesHealthAndMetrics) {
  db_->add_contacts(1, 5);
  const int port = free_loopback_port();
  auto daemon = start_daemon({{"PGDIALER_LISTEN", "127.0.0.1:" + std::to_string(port)}});
  auto eventually = [](const std::function<bool()>& condition) {
    for (auto deadline = std::chrono::steady_clock::now() + seconds(30);
         std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(std::chrono::milliseconds(100)))
      if (condition()) return true;
    return condition();
  };
  ASSERT_TRUE(eventually([&] { return http_get(port, "/healthz").status == 200; }))
      << "no /healthz on port " << port << ": " << http_get(port, "/healthz").error;
  EXPECT_NE(http_get(port, "/healthz").body.find("\"status\":\"ok\""), std::string::npos);

  long long job = push(*db_, "true", "Observed");
  ASSERT_EQ(db_->wait_for_job(job, seconds(60)), "succeeded");
  HttpReply scrape;
  EXPECT_TRUE(eventually([&] {
    scrape = http_get(port, "/metrics");
    return metric_value(scrape.body, "pgdialer_jobs_finished_total", {{"status", "succeeded"}}) == 1;
  })) << scrape.body;
  EXPECT_EQ(scrape.status, 200);
  EXPECT_EQ(metric_value(scrape.body, "pgdialer_push_items_total", {{"status", "created"}}), 5)
      << scrape.body;
  EXPECT_GE(metric_value(scrape.body, "pgdialer_phoneburner_request_duration_seconds_count",
                         {{"endpoint", "POST /contacts"}}),
            5)
      << scrape.body;

  // No secret, no webhook routes: whatever the token.
  EXPECT_EQ(http_post(port, "/phoneburner/account?s=0123", R"({"call_id":"1"})").status, 404);
  EXPECT_EQ(http_post(port, "/phoneburner/session/1?s=0123", R"({"call_id":"1"})").status, 404);

  daemon->process().signal(SIGTERM);
  auto status = daemon->process().wait(seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

TEST_F(PushTest, AWrongTokenIsAConfigurationError) {
  auto daemon = start_daemon({{"PHONEBURNER_TOKEN", "wrong-token"}});
  auto status = daemon->process().wait(seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 78);
}

namespace {

// Dial sessions the fake holds: contact counts in creation order.
std::vector<int> dial_session_sizes(FakePhoneBurner& fake) {
  rapidjson::Document d;
  d.Parse(fake.state_json().c_str());
  std::vector<int> sizes;
  for (const auto& s : d["dial_sessions"].GetArray()) sizes.push_back(s["contact_ids"].GetArray().Size());
  return sizes;
}

std::string launch_link(TestDatabase& db, long long job) {
  auto r = db.rep().exec("SELECT dialer.launch_link($1)", {std::to_string(job)});
  return r.is_null(0, 0) ? "" : r.text(0, 0);
}

}  // namespace

TEST_F(PushTest, LaunchCreatesDialSessionsOfAtMost500AndHandsTheLinkOutOnce) {
  db_->add_contacts(1, 1200);  // 1,080 pass the rules
  db_->sql().exec("SELECT dialer.configure('contacts')");
  auto daemon = start_daemon();
  long long push_job = push(*db_, "true", "Big launch", "", R"({"auto_launch": true})");
  ASSERT_EQ(db_->wait_for_job(push_job, seconds(120)), "succeeded");
  std::string launch_job;
  for (int i = 0; i < 100 && launch_job.empty(); ++i) {
    launch_job = db_->sql()
                     .exec("SELECT dialer.push_status($1) ->> 'launch_job_id'", {std::to_string(push_job)})
                     .text(0, 0);
    if (launch_job.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(launch_job.empty());
  ASSERT_EQ(db_->wait_for_job(std::stoll(launch_job), seconds(120)), "succeeded");

  EXPECT_EQ(dial_session_sizes(*fake_), (std::vector<int>{500, 500, 80}));
  // Through the push job (auto_launch) or the launch job: each link once.
  std::set<std::string> links;
  for (int i = 0; i < 3; ++i) links.insert(launch_link(*db_, push_job));
  EXPECT_EQ(links.size(), 3u);
  EXPECT_EQ(links.count(""), 0u);
  EXPECT_THROW(launch_link(*db_, std::stoll(launch_job)), std::exception);
  // The link is a secret: never in the daemon's log.
  daemon.reset();
  std::ifstream log(test_log_path(name_ + ".daemon"));
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  for (const auto& link : links) EXPECT_EQ(text.find(link), std::string::npos);
}

TEST_F(PushTest, ALaunchCutShortByAKillIsUnknownAndNeverSentTwice) {
  db_->add_contacts(1, 30);
  db_->sql().exec("SELECT dialer.configure('contacts')");
  {
    auto daemon = start_daemon();
    long long job = push(*db_, "true", "Kill the launch");
    ASSERT_EQ(db_->wait_for_job(job, seconds(60)), "succeeded");
    // PhoneBurner takes its time over dial sessions; kill the daemon meanwhile.
    fake_->control("config", R"({"dialsession_delay_ms_per_contact": 200})");
    long long session = session_of(*db_, job);
    long long launch = db_->rep().exec("SELECT dialer.launch($1)", {std::to_string(session)}).integer(0, 0);
    for (int i = 0; i < 200 && dial_session_sizes(*fake_).empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(dial_session_sizes(*fake_).size(), 1u);
    daemon->process().signal(SIGKILL);
    daemon->process().wait(seconds(10));
    fake_->control("config", R"({"dialsession_delay_ms_per_contact": 0})");

    auto restarted = start_daemon();
    std::string status = db_->wait_for_job(launch, seconds(60));
    EXPECT_EQ(status, "failed");
    EXPECT_EQ(db_->sql()
                  .exec("SELECT dialer.push_status($1) -> 'dial_sessions' -> 0 ->> 'status'",
                        {std::to_string(launch)})
                  .text(0, 0),
              "unknown");
    EXPECT_NE(db_->sql()
                  .exec("SELECT error FROM dialer.push_jobs WHERE id = $1", {std::to_string(launch)})
                  .text(0, 0)
                  .find("check before launching again"),
              std::string::npos);
  }
  EXPECT_EQ(dial_session_sizes(*fake_).size(), 1u) << "the dial session request was sent twice";
}

namespace {

// How many requests the fake answered with `status`, over all routes
// (state.counters.by_route.<route>.<status>).
long long requests_with_status(FakePhoneBurner& fake, int status) {
  rapidjson::Document d;
  d.Parse(fake.state_json().c_str());
  long long n = 0;
  const std::string key = std::to_string(status);
  for (const auto& route : d["counters"]["by_route"].GetObject()) {
    auto it = route.value.FindMember(key.c_str());
    if (it != route.value.MemberEnd() && it->value.IsNumber()) n += it->value.GetInt64();
  }
  return n;
}

}  // namespace

TEST_F(PushTest, StormsOf429And5xxSlowAndMalformedAnswersStillLandEachContactOnce) {
  db_->add_contacts(1, 150);
  fake_->control("config", R"({"rate_limit_rate": 0.25, "retry_after_s": 1, "error_rate": 0.1,
                               "malformed_rate": 0.05, "drop_after_write_rate": 0.05, "latency_ms": 40,
                               "seed": 7})");
  auto daemon = start_daemon({{"PGDIALER_CONCURRENCY", "8"}});
  long long job = push(*db_, "true", "Storm");
  ASSERT_EQ(db_->wait_for_job(job, seconds(240)), "succeeded");
  EXPECT_EQ(held_once(*fake_).size(), 135u);
  EXPECT_EQ(db_->sql().exec("SELECT count(*) FROM dialer.contact_links").text(0, 0), "135");
  EXPECT_GT(requests_with_status(*fake_, 429), 0) << "the storm did not happen";
}

TEST_F(PushTest, SurvivesPostgreSQLRestartingMidPush) {
  db_->add_contacts(1, 400);
  fake_->control("config", R"({"latency_ms": 20})");
  auto daemon = start_daemon();
  long long job = push(*db_, "true", "Restart");
  for (int i = 0; i < 300; ++i) {
    if (std::stoi(db_->sql()
                      .exec("SELECT done FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)})
                      .text(0, 0)) >= 50)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  test_cluster("stop");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  test_cluster("start");
  db_->reconnect();
  ASSERT_EQ(db_->wait_for_job(job, seconds(180)), "succeeded");
  EXPECT_EQ(held_once(*fake_).size(), 360u);
  EXPECT_EQ(count_of(*db_, job, "created"), "360");
  EXPECT_TRUE(daemon->process().running()) << "the daemon exited instead of reconnecting";
}

TEST_F(PushTest, AContactPhoneBurnerRefusesFailsAloneWithTheAPIsReason) {
  db_->add_contacts(1, 9);  // 9 pass
  fake_->control("fail_next", R"({"count": 1, "status": 422, "method": "POST", "path": "/rest/1/contacts"})");
  auto daemon = start_daemon({{"PGDIALER_CONCURRENCY", "1"}});
  long long job = push(*db_, "true", "One refused");
  ASSERT_EQ(db_->wait_for_job(job, seconds(60)), "partially_failed");
  EXPECT_EQ(count_of(*db_, job, "failed"), "1");
  EXPECT_EQ(count_of(*db_, job, "created"), "8");
  std::string error = db_->sql()
                          .exec("SELECT error FROM dialer.push_items WHERE job_id = $1 AND status = 'failed'",
                                {std::to_string(job)})
                          .text(0, 0);
  EXPECT_NE(error.find("422"), std::string::npos) << error;
  EXPECT_EQ(held_once(*fake_).size(), 8u);
}

TEST_F(PushTest, SigtermMidPushGivesTheJobBackAndItResumes) {
  db_->add_contacts(1, 300);
  fake_->control("config", R"({"latency_ms": 20})");
  auto daemon = start_daemon();
  long long job = push(*db_, "true", "Stop and resume");
  for (int i = 0; i < 300; ++i) {
    if (std::stoi(db_->sql()
                      .exec("SELECT done FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)})
                      .text(0, 0)) >= 30)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  daemon->process().signal(SIGTERM);
  auto status = daemon->process().wait(seconds(60));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
  EXPECT_EQ(
      db_->sql().exec("SELECT status FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)}).text(0, 0),
      "queued");
  EXPECT_EQ(db_->sql()
                .exec("SELECT attempts FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)})
                .text(0, 0),
            "0")
      << "a graceful stop must not spend an attempt";

  auto again = start_daemon();
  ASSERT_EQ(db_->wait_for_job(job, seconds(120)), "succeeded");
  EXPECT_EQ(held_once(*fake_).size(), 270u);
  // The token never reaches the logs.
  again.reset();
  std::ifstream log(test_log_path(name_ + ".daemon"));
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("released"), std::string::npos);
  EXPECT_EQ(text.find(FakePhoneBurner::token()), std::string::npos);
}

// PhoneBurner over real HTTPS (the fake with a certificate from a CA made
// now): untrusted, the start-up token check stops the daemon with 78 and says
// why; trusted through PHONEBURNER_CA_FILE, a push lands.
TEST_F(PushTest, PhoneBurnerOverHttpsNeedsATrustedCertificate) {
  pgdialer::sync::testing::TestCa ca;
  FakePhoneBurner tls_fake(test_log_path(name_ + ".tls-fake"),
                           {"--tls-cert", ca.server_cert(), "--tls-key", ca.server_key()});
  ASSERT_EQ(tls_fake.base_url().rfind("https://", 0), 0u);

  const std::string untrusted_log = test_log_path(name_ + ".untrusted.daemon");
  {
    SyncDaemon untrusted(db_->sync_url(), tls_fake.base_url(), untrusted_log);
    auto status = untrusted.process().wait(seconds(30));
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(*status, 78);
  }
  std::ifstream log(untrusted_log);
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("TLS certificate verification failed"), std::string::npos) << text;
  EXPECT_NE(text.find("a configuration error, not retried"), std::string::npos) << text;
  EXPECT_EQ(text.find("retrying"), std::string::npos) << text;

  db_->add_contacts(1, 5);
  SyncDaemon trusted(db_->sync_url(), tls_fake.base_url(), test_log_path(name_ + ".daemon"),
                     {{"PHONEBURNER_CA_FILE", ca.ca_file()}});
  long long job = push(*db_, "true", "Over TLS");
  ASSERT_EQ(db_->wait_for_job(job, seconds(60)), "succeeded");
  EXPECT_EQ(count_of(*db_, job, "created"), "5");
  trusted.process().signal(SIGTERM);
  auto status = trusted.process().wait(seconds(30));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

TEST_F(PushTest, AJobFailsClearlyWhenPhoneBurnerDropsTheCustomFields) {
  db_->add_contacts(1, 5);
  fake_->control("config", R"({"ignore_unknown_custom_fields": 1})");
  auto daemon = start_daemon({{"PGDIALER_CONCURRENCY", "1"}});
  long long job = push(*db_, "true", "No custom fields");
  EXPECT_EQ(db_->wait_for_job(job, seconds(60)), "failed");
  std::string error =
      db_->sql().exec("SELECT error FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)}).text(0, 0);
  EXPECT_NE(error.find("did not keep the custom fields"), std::string::npos) << error;
  // The one contact written says so; the others say why they were not.
  EXPECT_EQ(count_of(*db_, job, "created"), "1");
  EXPECT_EQ(count_of(*db_, job, "failed"), "4");
  EXPECT_EQ(count_of(*db_, job, "pending"), "0");
}

TEST_F(PushTest, ADatabaseErrorInAJobIsRetriedThenRecordedAndNothingIsPushedTwice) {
  db_->add_contacts(1, 30);  // 10, 20, 30 are do-not-call: 27 to push
  // Recording contact 7 fails as a broken app trigger or constraint would.
  db_->sql().exec(R"(
      CREATE FUNCTION refuse_contact_7() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
          IF NEW.contact_id = '7' AND NEW.status = 'created' THEN
              RAISE EXCEPTION 'contact 7 cannot be recorded' USING ERRCODE = '23514';
          END IF;
          RETURN NEW;
      END $$)");
  db_->sql().exec(
      "CREATE TRIGGER refuse_contact_7 BEFORE UPDATE ON dialer.push_items "
      "FOR EACH ROW EXECUTE FUNCTION refuse_contact_7()");
  long long job = push(*db_, "true", "Database trouble");
  db_->sql().exec("UPDATE dialer.push_jobs SET max_attempts = 2 WHERE id = $1", {std::to_string(job)});
  auto daemon = start_daemon({{"PGDIALER_CONCURRENCY", "2"}});
  // Attempt 1 stops on the error and backs off; attempt 2 reconciles, stops
  // again and, out of attempts, records why.
  EXPECT_EQ(db_->wait_for_job(job, seconds(120)), "partially_failed");
  auto row =
      db_->sql().exec("SELECT attempts, error FROM dialer.push_jobs WHERE id = $1", {std::to_string(job)});
  EXPECT_EQ(row.text(0, 0), "2");
  EXPECT_NE(row.text(0, 1).find("contact 7 cannot be recorded"), std::string::npos) << row.text(0, 1);
  EXPECT_EQ(db_->sql()
                .exec("SELECT status FROM dialer.push_items WHERE job_id = $1 AND contact_id = '7'",
                      {std::to_string(job)})
                .text(0, 0),
            "unknown");
  EXPECT_TRUE(daemon->process().running()) << "the daemon must survive a job's database error";

  // The app is fixed and the list pushed again into the same session:
  // contact 7, created but never recorded, is found in the folder, not
  // created twice.
  db_->sql().exec("DROP TRIGGER refuse_contact_7 ON dialer.push_items");
  long long again = push(*db_, "true", "", std::to_string(session_of(*db_, job)));
  ASSERT_EQ(db_->wait_for_job(again, seconds(60)), "succeeded");
  auto held = held_once(*fake_);
  EXPECT_EQ(held.size(), 27u);
  EXPECT_EQ(db_->sql().exec("SELECT contact_count FROM dialer.sessions").text(0, 0), "27");
}
