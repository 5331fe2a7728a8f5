// credentials/store: where a credential is looked for, in which order, the
// mode check of the credentials directory, lazy reading with an mtime cache,
// the single-token sources of "default", and messages that say where the
// daemon looked.
#include "credentials/store.hpp"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

class CredentialStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directory(systemd());
    std::filesystem::create_directory(dir());
  }
  std::string systemd() const { return temp.file("systemd"); }
  std::string dir() const { return temp.file("credentials"); }

  static void write(const std::string& path, const std::string& text, mode_t mode = 0600) {
    std::ofstream(path, std::ios::trunc) << text;
    ::chmod(path.c_str(), mode);
  }
  // Sets a file's mtime (the cache's key) explicitly, so a rewrite within
  // one timestamp tick still counts as a change.
  static void touch(const std::string& path, long seconds) {
    timeval times[2] = {{seconds, 0}, {seconds, 0}};
    ::utimes(path.c_str(), times);
  }

  CredentialStore store(CredentialStoreOptions o = {}) {
    if (o.systemd_directory.empty()) o.systemd_directory = systemd();
    if (o.credentials_dir.empty()) o.credentials_dir = dir();
    return CredentialStore(o);
  }

  TempDir temp;
};

TEST_F(CredentialStoreTest, SystemdCredentialComesBeforeTheCredentialsDir) {
  write(dir() + "/alice", "pat-from-dir");
  write(systemd() + "/phoneburner-alice", "pat-from-systemd", 0644);  // systemd sets its own modes
  CredentialStore s = store();
  CredentialLookup l = s.lookup("alice");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.credential.access_token, "pat-from-systemd");
  EXPECT_EQ(l.source, "systemd credential phoneburner-alice");
  std::filesystem::remove(systemd() + "/phoneburner-alice");
  l = s.lookup("alice");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.credential.access_token, "pat-from-dir");
  EXPECT_EQ(l.source, "credentials dir " + dir());
}

TEST_F(CredentialStoreTest, AFileReadableByOthersIsRefused) {
  for (mode_t mode : {0640, 0604, 0660, 0606}) {
    write(dir() + "/alice", "pat-1", mode);
    CredentialLookup l = store().lookup("alice");
    EXPECT_EQ(l.status, CredentialLookup::Status::unusable) << std::oct << mode;
    EXPECT_NE(l.error.find("PhoneBurner credential \"alice\" cannot be used"), std::string::npos) << l.error;
    EXPECT_NE(l.error.find("chmod 600"), std::string::npos) << l.error;
    EXPECT_EQ(l.error.find("pat-1"), std::string::npos);
  }
  for (mode_t mode : {0600, 0400}) {
    write(dir() + "/alice", "pat-1", mode);
    EXPECT_TRUE(store().lookup("alice").ok()) << std::oct << mode;
  }
}

TEST_F(CredentialStoreTest, OnlyARegularFileIsACredential) {
  std::filesystem::create_directory(dir() + "/alice");
  ::chmod((dir() + "/alice").c_str(), 0700);
  CredentialLookup l = store().lookup("alice");
  EXPECT_EQ(l.status, CredentialLookup::Status::unusable);
  EXPECT_NE(l.error.find("not a regular file"), std::string::npos) << l.error;
}

TEST_F(CredentialStoreTest, AMissingCredentialSaysWhereTheDaemonLooked) {
  CredentialLookup l = store().lookup("bob");
  EXPECT_EQ(l.status, CredentialLookup::Status::missing);
  EXPECT_EQ(l.error, "PhoneBurner credential \"bob\" not found (looked for " + systemd() +
                         "/phoneburner-bob, " + dir() + "/bob)");
  CredentialLookup none = CredentialStore(CredentialStoreOptions{}).lookup("bob");
  EXPECT_NE(none.error.find("no credentials directory is configured"), std::string::npos) << none.error;
}

TEST_F(CredentialStoreTest, AnInvalidNameIsNeverLookedUp) {
  write(temp.file("escape"), "pat-outside");
  for (const char* bad : {"../escape", "Alice", "", ".x"}) {
    CredentialLookup l = store().lookup(bad);
    EXPECT_EQ(l.status, CredentialLookup::Status::missing) << bad;
    EXPECT_NE(l.error.find("not a valid credential name"), std::string::npos) << l.error;
  }
}

TEST_F(CredentialStoreTest, FilesAreReadWhenNeededAndAgainWhenTheyChange) {
  CredentialStore s = store();
  EXPECT_FALSE(s.lookup("carol").ok());
  write(dir() + "/carol", "pat-1");  // a new rep: no restart
  touch(dir() + "/carol", 1000);
  EXPECT_EQ(s.lookup("carol").credential.access_token, "pat-1");
  write(dir() + "/carol", "pat-2");  // same size, same mtime: the cached copy stands
  touch(dir() + "/carol", 1000);
  EXPECT_EQ(s.lookup("carol").credential.access_token, "pat-1") << "read again although unchanged";
  touch(dir() + "/carol", 2000);
  EXPECT_EQ(s.lookup("carol").credential.access_token, "pat-2");
  write(dir() + "/carol", "client_id=c\n", 0600);  // broken
  CredentialLookup broken = s.lookup("carol");
  EXPECT_EQ(broken.status, CredentialLookup::Status::unusable);
  EXPECT_NE(broken.error.find("needs client_secret"), std::string::npos) << broken.error;
}

TEST_F(CredentialStoreTest, OAuthFilesParse) {
  write(dir() + "/dave", "client_id=cid\nclient_secret=cs\nrefresh_token=rt\n");
  CredentialLookup l = store().lookup("dave");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.credential.kind, Credential::Kind::oauth);
  EXPECT_EQ(l.credential.refresh_token, "rt");
}

TEST_F(CredentialStoreTest, DefaultFallsBackToTheSingleTokenSources) {
  write(temp.file("token"), "pat-legacy\n");
  CredentialStoreOptions o;
  o.legacy_token_file = temp.file("token");
  o.legacy_source = "PHONEBURNER_TOKEN_FILE";
  CredentialStore s = store(o);
  CredentialLookup l = s.lookup("default");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.credential.access_token, "pat-legacy");
  EXPECT_EQ(l.source, "PHONEBURNER_TOKEN_FILE");
  EXPECT_FALSE(s.lookup("alice").ok()) << "the legacy sources are default's only";

  write(dir() + "/default", "pat-dir");  // a named source wins
  EXPECT_EQ(s.lookup("default").credential.access_token, "pat-dir");

  CredentialStoreOptions env;
  env.legacy_token = "pat-env";
  env.legacy_source = "PHONEBURNER_TOKEN";
  CredentialLookup from_env = CredentialStore(env).lookup("default");
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env.credential.access_token, "pat-env");
}

TEST_F(CredentialStoreTest, ALegacyTokenFileThatVanishedIsUnusableNotMissing) {
  CredentialStoreOptions o;
  o.legacy_token_file = temp.file("gone");
  o.legacy_source = "PHONEBURNER_TOKEN_FILE";
  CredentialLookup l = CredentialStore(o).lookup("default");
  EXPECT_EQ(l.status, CredentialLookup::Status::unusable);
  EXPECT_NE(l.error.find("no longer exists"), std::string::npos) << l.error;
}

TEST_F(CredentialStoreTest, AMissingDefaultNamesTheSingleTokenSettingsToo) {
  CredentialLookup l = store().lookup("default");
  EXPECT_EQ(l.status, CredentialLookup::Status::missing);
  EXPECT_NE(l.error.find("PHONEBURNER_TOKEN_FILE"), std::string::npos) << l.error;
}

// Issue 11: PHONEBURNER_TOKEN_FILE was read whatever its mode; it is a
// secret file like the credentials directory's (the systemd credential
// phoneburner-token stays systemd's to protect).
TEST_F(CredentialStoreTest, TheTokenFileIsCheckedLikeACredentialFile) {
  write(temp.file("token"), "pat-legacy\n", 0644);
  CredentialStoreOptions o;
  o.legacy_token_file = temp.file("token");
  o.legacy_source = "PHONEBURNER_TOKEN_FILE";
  CredentialLookup l = store(o).lookup("default");
  EXPECT_EQ(l.status, CredentialLookup::Status::unusable);
  EXPECT_NE(l.error.find(temp.file("token") + " has mode 0644"), std::string::npos) << l.error;

  write(systemd() + "/phoneburner-token", "pat-systemd\n", 0440);
  o.legacy_token_file = systemd() + "/phoneburner-token";
  o.legacy_source = "systemd credential phoneburner-token";
  l = store(o).lookup("default");
  ASSERT_TRUE(l.ok()) << l.error;
  EXPECT_EQ(l.credential.access_token, "pat-systemd");
}

TEST_F(CredentialStoreTest, ACredentialFileOfAnotherUserIsRefusedNamingIt) {
  write(dir() + "/erin", "pat-erin");
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file away";
  ASSERT_EQ(::chown((dir() + "/erin").c_str(), 65534, 65534), 0);
  const CredentialLookup l = store().lookup("erin");
  EXPECT_EQ(l.status, CredentialLookup::Status::unusable);
  EXPECT_NE(l.error.find(dir() + "/erin is owned by uid 65534"), std::string::npos) << l.error;
  EXPECT_EQ(l.error.find("pat-erin"), std::string::npos) << l.error;
}

}  // namespace
}  // namespace pgdialer::sync::testing
