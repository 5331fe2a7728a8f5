// The credential settings of common/config.cpp: PGDIALER_CREDENTIALS_DIR,
// PHONEBURNER_OAUTH_URL and its default, and when a missing single token is
// still a configuration error (a single-account install behaves as before).
#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <filesystem>
#include <fstream>

#include "common/config.hpp"
#include "common/config_environment.hpp"
#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

class CredentialsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = std::make_unique<ConfigEnvironment>();
    setenv("DATABASE_URL", "postgresql:///crm", 1);
  }
  void TearDown() override { env_.reset(); }
  static Config load(CommandLine cl = {}) { return load_config(cl); }
  static std::string error_of(CommandLine cl = {}) {
    try {
      load_config(cl);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  TempDir dir;

 private:
  std::unique_ptr<ConfigEnvironment> env_;
};

TEST_F(CredentialsConfigTest, TheOAuthUrlDefaultsToTheBaseUrlsHost) {
  setenv("PHONEBURNER_TOKEN", "pat-1", 1);
  EXPECT_EQ(load().oauth_url, "https://www.phoneburner.com/oauth");
  setenv("PHONEBURNER_BASE_URL", "http://127.0.0.1:8123/rest/1/", 1);
  EXPECT_EQ(load().oauth_url, "http://127.0.0.1:8123/oauth");
  setenv("PHONEBURNER_OAUTH_URL", "https://auth.example.com/oauth/", 1);
  EXPECT_EQ(load().oauth_url, "https://auth.example.com/oauth");
  setenv("PHONEBURNER_OAUTH_URL", "http://auth.example.com/oauth", 1);
  EXPECT_NE(error_of().find("PHONEBURNER_OAUTH_URL must use https"), std::string::npos) << error_of();
}

TEST_F(CredentialsConfigTest, WithoutAnyCredentialSourceTheTokenIsStillRequired) {
  EXPECT_NE(error_of().find("no PhoneBurner token"), std::string::npos);
}

TEST_F(CredentialsConfigTest, ACredentialsDirMakesTheDefaultTokenOptional) {
  setenv("PGDIALER_CREDENTIALS_DIR", dir.path().c_str(), 1);
  Config c = load();
  EXPECT_EQ(c.credentials_dir, dir.path());
  EXPECT_TRUE(c.token_source.empty());
  setenv("PGDIALER_CREDENTIALS_DIR", dir.file("absent").c_str(), 1);
  EXPECT_NE(error_of().find("is not a directory"), std::string::npos);
}

TEST_F(CredentialsConfigTest, ACredentialsDirCanComeFromTheConfigFile) {
  std::ofstream(dir.file("sync.conf"))
      << "DATABASE_URL = postgresql:///crm\nPGDIALER_CREDENTIALS_DIR = " << dir.path() << "\n";
  CommandLine cl;
  cl.config_file = dir.file("sync.conf");
  EXPECT_EQ(load(cl).credentials_dir, dir.path());
}

TEST_F(CredentialsConfigTest, SystemdCredentialsPerRepMakeTheDefaultTokenOptional) {
  std::ofstream(dir.file("webhook-secret")) << "a-secret-of-at-least-16-bytes";
  setenv("CREDENTIALS_DIRECTORY", dir.path().c_str(), 1);
  EXPECT_NE(error_of().find("no PhoneBurner token"), std::string::npos) << "no phoneburner-* credential";
  std::ofstream(dir.file("phoneburner-alice")) << "pat-alice";
  Config c = load();
  EXPECT_EQ(c.systemd_credentials_dir, dir.path());
  EXPECT_TRUE(c.token_file.empty());
}

TEST_F(CredentialsConfigTest, TheTokenFileIsCheckedAtStartAndMayHoldOAuthKeys) {
  std::ofstream(dir.file("token")) << "client_id=c\nclient_secret=s\nrefresh_token=r\n";
  ::chmod(dir.file("token").c_str(), 0600);
  setenv("PHONEBURNER_TOKEN_FILE", dir.file("token").c_str(), 1);
  Config c = load();
  EXPECT_EQ(c.token_file, dir.file("token"));
  EXPECT_EQ(c.token_source, "PHONEBURNER_TOKEN_FILE");
  EXPECT_TRUE(c.token.empty()) << "the file is read by the credential store, not kept here";
  std::ofstream(dir.file("token"), std::ios::trunc) << "client_id=c\nclient_secret=s3cret\n";
  const std::string error = error_of();
  EXPECT_NE(error.find("needs refresh_token"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  std::ofstream(dir.file("token"), std::ios::trunc) << "";
  EXPECT_NE(error_of().find("is empty"), std::string::npos);
}

}  // namespace
}  // namespace pgdialer::sync::testing
