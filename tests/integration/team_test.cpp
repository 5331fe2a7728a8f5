// A team: two reps, each dialing from their own PhoneBurner account, against
// one fake PhoneBurner serving both accounts, and pgdialer-sync holding one
// credential per rep (PGDIALER_CREDENTIALS_DIR). The reps push and launch as
// their own logins (dialer_rep only); the daemon runs as a login with only
// dialer_sync.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace pgdialer::testing;
using std::chrono::seconds;

namespace {

constexpr const char* kSarahToken = "sarah-token-4be1";
constexpr const char* kMikeToken = "mike-token-90c2";

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  return d;
}

std::string str(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

// The lead ids (our contact ids) one account of the fake holds.
std::set<std::string> lead_ids(FakePhoneBurner& fake, const std::string& account) {
  auto state = parse(fake.state_json("account=" + account));
  std::set<std::string> out;
  for (const auto& c : state["contacts"].GetArray())
    if (c.HasMember("lead_id")) out.insert(str(c["lead_id"]));
  return out;
}

std::set<std::string> ids(int from, int to) {
  std::set<std::string> out;
  for (int id = from; id <= to; ++id)
    if (id % 10 != 0) out.insert(std::to_string(id));  // every 10th is do-not-call
  return out;
}

bool wait_until(std::chrono::milliseconds timeout, const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return condition();
}

// A credential file as an admin writes one: mode 600.
void write_credential(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << content;
  ::chmod(path.c_str(), 0600);
}

class TeamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string db_name = "pgdialer_it_team_" + name_.substr(0, 40);
    for (auto& ch : db_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    db_ = std::make_unique<TestDatabase>(db_name);
    credentials_ = fresh_test_dir(name_ + ".credentials");
    ::chmod(credentials_.c_str(), 0700);
    db_->sql().exec("SELECT dialer.update_rep($1, phoneburner_credential => 'sarah')",
                    {TestDatabase::kSarah});
    db_->sql().exec("SELECT dialer.update_rep($1, phoneburner_credential => 'mike')", {TestDatabase::kMike});
    db_->sql().exec("SELECT dialer.configure('contacts')");
  }

  std::unique_ptr<SyncDaemon> start_daemon(FakePhoneBurner& fake,
                                           std::map<std::string, std::string> env = {}) {
    env["PGDIALER_CREDENTIALS_DIR"] = credentials_;
    return std::make_unique<SyncDaemon>(db_->sync_url(), fake.base_url(), test_log_path(name_ + ".daemon"),
                                        env);
  }

  long long push(const std::string& rep, const std::string& where, const std::string& session_name) {
    return db_->rep(rep)
        .exec("SELECT dialer.push(array_agg(c ORDER BY id), $1) FROM contacts c WHERE " + where,
              {session_name})
        .integer(0, 0);
  }
  long long session_of(const std::string& rep, long long job) {
    return std::stoll(db_->rep(rep)
                          .exec("SELECT dialer.push_status($1) ->> 'session_id'", {std::to_string(job)})
                          .text(0, 0));
  }
  std::string error_of(long long job) {
    return db_->sql().exec("SELECT dialer.push_status($1) ->> 'error'", {std::to_string(job)}).text(0, 0);
  }

  std::string name_;
  std::string credentials_;
  std::unique_ptr<TestDatabase> db_;
};

}  // namespace

TEST_F(TeamTest, EachRepPushesAndLaunchesIntoTheirOwnAccountOnly) {
  FakePhoneBurner fake(test_log_path(name_ + ".fake"), {"--account", std::string("sarah=") + kSarahToken,
                                                        "--account", std::string("mike=") + kMikeToken});
  write_credential(credentials_, "sarah", std::string(kSarahToken) + "\n");
  write_credential(credentials_, "mike",
                   std::string("# Mike's personal access token\naccess_token=") + kMikeToken + "\n");
  db_->add_contacts(1, 20);
  auto daemon = start_daemon(fake);

  long long sarah_job = push(TestDatabase::kSarah, "id <= 10", "Sarah's buyers");
  long long mike_job = push(TestDatabase::kMike, "id > 10", "Mike's buyers");
  ASSERT_EQ(db_->wait_for_job(sarah_job, seconds(90)), "succeeded") << error_of(sarah_job);
  ASSERT_EQ(db_->wait_for_job(mike_job, seconds(90)), "succeeded") << error_of(mike_job);

  // Each account holds its rep's contacts and nobody else's.
  EXPECT_EQ(lead_ids(fake, "sarah"), ids(1, 10));
  EXPECT_EQ(lead_ids(fake, "mike"), ids(11, 20));
  EXPECT_TRUE(lead_ids(fake, "default").empty());
  auto credential_of = [&](long long session) {
    return db_->sql()
        .exec("SELECT phoneburner_credential FROM dialer.sessions WHERE id = $1", {std::to_string(session)})
        .text(0, 0);
  };
  const long long sarah_session = session_of(TestDatabase::kSarah, sarah_job);
  const long long mike_session = session_of(TestDatabase::kMike, mike_job);
  EXPECT_EQ(credential_of(sarah_session), "sarah");
  EXPECT_EQ(credential_of(mike_session), "mike");

  // Launches: each dial session is created in its owner's account, and only
  // the owner gets the login link.
  long long sarah_launch = db_->rep(TestDatabase::kSarah)
                               .exec("SELECT dialer.launch($1)", {std::to_string(sarah_session)})
                               .integer(0, 0);
  long long mike_launch = db_->rep(TestDatabase::kMike)
                              .exec("SELECT dialer.launch($1)", {std::to_string(mike_session)})
                              .integer(0, 0);
  ASSERT_EQ(db_->wait_for_job(sarah_launch, seconds(90)), "succeeded") << error_of(sarah_launch);
  ASSERT_EQ(db_->wait_for_job(mike_launch, seconds(90)), "succeeded") << error_of(mike_launch);
  for (const char* account : {"sarah", "mike"}) {
    auto state = parse(fake.state_json(std::string("account=") + account));
    ASSERT_EQ(state["dial_sessions"].Size(), 1u) << account;
    std::map<std::string, std::string> lead_of;  // PhoneBurner contact id -> our id
    for (const auto& c : state["contacts"].GetArray())
      lead_of[str(c[c.HasMember("contact_user_id") ? "contact_user_id" : "id"])] = str(c["lead_id"]);
    std::set<std::string> launched;
    for (const auto& id : state["dial_sessions"][0]["contact_ids"].GetArray())
      launched.insert(lead_of[str(id)]);
    EXPECT_EQ(launched, std::string(account) == "sarah" ? ids(1, 10) : ids(11, 20)) << account;
  }
  EXPECT_THROW(
      db_->rep(TestDatabase::kMike).exec("SELECT dialer.launch_link($1)", {std::to_string(sarah_launch)}),
      std::exception);
  const std::string link = db_->rep(TestDatabase::kSarah)
                               .exec("SELECT dialer.launch_link($1)", {std::to_string(sarah_launch)})
                               .text(0, 0);
  EXPECT_NE(link.find("/dialsession/launch/"), std::string::npos) << link;

  // The daemon never logged a token.
  std::ifstream log(test_log_path(name_ + ".daemon"));
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find(kSarahToken), std::string::npos);
  EXPECT_EQ(text.find(kMikeToken), std::string::npos);
}

TEST_F(TeamTest, AMissingOrRefusedCredentialFailsOnlyThatRepsJobs) {
  FakePhoneBurner fake(test_log_path(name_ + ".fake"), {"--account", std::string("sarah=") + kSarahToken,
                                                        "--account", std::string("mike=") + kMikeToken});
  write_credential(credentials_, "sarah", std::string(kSarahToken) + "\n");
  db_->add_contacts(1, 20);
  auto daemon = start_daemon(fake);

  // Mike's credential is missing: his job fails at once, saying which and where.
  long long mike_job = push(TestDatabase::kMike, "id > 10", "Mike's buyers");
  long long sarah_job = push(TestDatabase::kSarah, "id <= 10", "Sarah's buyers");
  ASSERT_EQ(db_->wait_for_job(mike_job, seconds(60)), "failed");
  EXPECT_NE(error_of(mike_job).find("\"mike\""), std::string::npos) << error_of(mike_job);
  EXPECT_EQ(db_->wait_for_job(sarah_job, seconds(90)), "succeeded") << error_of(sarah_job);
  EXPECT_EQ(lead_ids(fake, "sarah"), ids(1, 10));
  EXPECT_TRUE(lead_ids(fake, "mike").empty());

  // A credential PhoneBurner refuses holds back that rep's job, not Sarah's next one.
  write_credential(credentials_, "mike", "not-mikes-token\n");
  long long refused = push(TestDatabase::kMike, "id > 10", "Mike again");
  long long sarah_next = push(TestDatabase::kSarah, "id <= 5", "Sarah again");
  EXPECT_EQ(db_->wait_for_job(sarah_next, seconds(90)), "succeeded") << error_of(sarah_next);
  EXPECT_TRUE(wait_until(seconds(30), [&] {
    return error_of(refused).find("\"mike\"") != std::string::npos;
  })) << error_of(refused);
  EXPECT_TRUE(lead_ids(fake, "mike").empty());
}

TEST_F(TeamTest, AnOAuthCredentialIsRefreshedWhenItsAccessTokenExpires) {
  FakePhoneBurner fake(test_log_path(name_ + ".fake"),
                       {"--oauth-account", "sarah=client-7:secret-7:refresh-first", "--account",
                        std::string("mike=") + kMikeToken});
  write_credential(credentials_, "sarah",
                   "client_id=client-7\nclient_secret=secret-7\nrefresh_token=refresh-first\n");
  db_->add_contacts(1, 20);
  const std::string state_dir = fresh_test_dir(name_ + ".state");
  auto daemon = start_daemon(fake, {{"PGDIALER_JOURNAL_DIR", state_dir}});

  long long first = push(TestDatabase::kSarah, "id <= 5", "Before expiry");
  ASSERT_EQ(db_->wait_for_job(first, seconds(90)), "succeeded") << error_of(first);
  fake.control("oauth/expire", R"({"account":"sarah"})");
  long long second = push(TestDatabase::kSarah, "id > 5 AND id <= 10", "After expiry");
  ASSERT_EQ(db_->wait_for_job(second, seconds(90)), "succeeded") << error_of(second);
  EXPECT_EQ(lead_ids(fake, "sarah"), ids(1, 10));

  auto oauth = parse(fake.state_json("account=sarah"));
  EXPECT_GE(oauth["oauth"]["refreshes"].GetInt64(), 2);  // the first token, and after the expiry
  // The newest refresh token is kept (rotation spent the first), mode 600.
  const std::string kept = state_dir + "/oauth/sarah";
  struct stat st {};
  ASSERT_EQ(::stat(kept.c_str(), &st), 0) << kept;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(kept);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("refresh-first"), std::string::npos) << "the spent refresh token is still kept";
  std::ifstream log(test_log_path(name_ + ".daemon"));
  const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(logged.find("refresh-first"), std::string::npos);
  EXPECT_EQ(logged.find("secret-7"), std::string::npos);
}
