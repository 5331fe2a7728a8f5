// queue/accounts: one account per credential, made when first asked for,
// kept while its file is unchanged, rebuilt when it changes, and dropped
// (with the store's message) when the credential goes away.
#include "queue/accounts.hpp"

#include <sys/stat.h>
#include <sys/time.h>

#include <fstream>

#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() {
    config.credentials_dir = dir.path();
    config.journal_dir = dir.file("journal");
    config.oauth_url = "http://127.0.0.1:9/oauth";
    options.base_url = "http://127.0.0.1:9/rest/1";
  }
  void write(const std::string& name, const std::string& text, long mtime) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::trunc) << text;
    ::chmod(path.c_str(), 0600);
    timeval times[2] = {{mtime, 0}, {mtime, 0}};
    ::utimes(path.c_str(), times);
  }

  TempDir dir;
  Config config;
  ClientOptions options;
};

TEST_F(AccountsTest, AnAccountIsMadeOnceAndRebuiltWhenItsFileChanges) {
  Accounts accounts(config, options);
  CredentialLookup lookup;
  EXPECT_EQ(accounts.get("alice", &lookup), nullptr);
  EXPECT_EQ(lookup.status, CredentialLookup::Status::missing);
  EXPECT_NE(lookup.error.find("PhoneBurner credential \"alice\" not found"), std::string::npos);

  write("alice", "pat-1", 1000);
  Account* first = accounts.get("alice", &lookup);
  ASSERT_NE(first, nullptr) << lookup.error;
  EXPECT_EQ(first->name, "alice");
  EXPECT_NE(first->push, nullptr);
  EXPECT_NE(first->launch, nullptr);
  EXPECT_EQ(first->tokens->token().token, "pat-1");
  first->verified_folders.insert("f-1");
  EXPECT_EQ(accounts.get("alice", &lookup), first);
  EXPECT_EQ(first->verified_folders.count("f-1"), 1u) << "kept across jobs";

  write("alice", "pat-2", 2000);
  Account* second = accounts.get("alice", &lookup);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->tokens->token().token, "pat-2");

  write("bob", "client_id=c\nclient_secret=s\nrefresh_token=r\n", 1000);
  Account* bob = accounts.get("bob", &lookup);
  ASSERT_NE(bob, nullptr) << lookup.error;
  EXPECT_TRUE(bob->tokens->can_refresh());
  EXPECT_EQ(accounts.get("alice", &lookup), second) << "one account does not disturb another";
}

TEST_F(AccountsTest, AnUnusableFileIsNoAccount) {
  Accounts accounts(config, options);
  write("alice", "pat-1", 1000);
  ::chmod(dir.file("alice").c_str(), 0644);
  CredentialLookup lookup;
  EXPECT_EQ(accounts.get("alice", &lookup), nullptr);
  EXPECT_EQ(lookup.status, CredentialLookup::Status::unusable);
}

}  // namespace
}  // namespace pgdialer::sync::testing
