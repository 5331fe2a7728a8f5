// Issue 11's configuration rules in common/config.cpp: one URL check for
// every URL setting (userinfo cannot pass for a loopback host), secret files
// of mode 0600 or stricter owned by the daemon's user or no start (naming
// the file), and a warning when a secret comes from the environment or the
// config file.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <filesystem>
#include <fstream>

#include "common/config.hpp"
#include "common/config_environment.hpp"
#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

constexpr const char* kSecret = "webhook-secret-0123456789abcdef";

class SecretConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = std::make_unique<ConfigEnvironment>();
    setenv("DATABASE_URL", "postgresql:///crm", 1);
  }
  void TearDown() override { env_.reset(); }
  static std::string error_of(CommandLine cl = {}) {
    try {
      load_config(cl);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::trunc) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }

  TempDir dir;

 private:
  std::unique_ptr<ConfigEnvironment> env_;
};

TEST_F(SecretConfigTest, EveryUrlSettingRefusesUserinfoPosingAsALoopbackHost) {
  setenv("PHONEBURNER_TOKEN_FILE", write("token", "pat-1").c_str(), 1);
  for (const char* key : {"PHONEBURNER_BASE_URL", "PHONEBURNER_OAUTH_URL", "PGDIALER_WEBHOOK_BASE_URL"}) {
    SCOPED_TRACE(key);
    for (const char* url : {"http://127.0.0.1@evil.example/x", "http://127.0.0.1:80@evil.example",
                            "https://user:pw@hooks.example.com", "http://127.0.0.1.evil.example/x",
                            "http://localhost.evil.example", "https://hooks.example.com/x?a=1",
                            "ftp://127.0.0.1", "hooks.example.com"}) {
      setenv(key, url, 1);
      const std::string error = error_of();
      EXPECT_EQ(error.rfind(key, 0), 0u) << url << ": " << error;
      EXPECT_EQ(error.find("pw"), std::string::npos) << error;
    }
    setenv(key, "http://127.0.0.1:8123/x/", 1);
    EXPECT_EQ(error_of(), "") << "loopback http stays fine";
    unsetenv(key);
  }
  setenv("PGDIALER_WEBHOOK_BASE_URL", "https://hooks.example.com/pgdialer/", 1);
  EXPECT_EQ(load_config({}).webhook_base_url, "https://hooks.example.com/pgdialer");
}

TEST_F(SecretConfigTest, ASecretFileReadableByOthersStopsTheStartNamingIt) {
  for (const char* key : {"PHONEBURNER_TOKEN_FILE", "PGDIALER_WEBHOOK_SECRET_FILE"}) {
    SCOPED_TRACE(key);
    setenv("PHONEBURNER_TOKEN", "pat-dev", 1);  // so the webhook case has a token
    for (mode_t mode : {0644, 0640, 0604, 0620, 0660}) {
      const std::string path = write(std::string(key) + ".txt", kSecret, mode);
      setenv(key, path.c_str(), 1);
      const std::string error = error_of();
      EXPECT_NE(error.find(std::string(key) + ": " + path + " has mode 0"), std::string::npos) << error;
      EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
      EXPECT_EQ(error.find(kSecret), std::string::npos) << error;
    }
    for (mode_t mode : {0600, 0400}) {
      setenv(key, write(std::string(key) + ".txt", kSecret, mode).c_str(), 1);
      EXPECT_EQ(error_of(), "") << std::oct << mode;
    }
    unsetenv(key);
  }
}

TEST_F(SecretConfigTest, ASecretFileOfAnotherUserStopsTheStartNamingIt) {
  const std::string path = write("secret", kSecret);
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file away";
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  setenv("PHONEBURNER_TOKEN_FILE", path.c_str(), 1);
  EXPECT_NE(error_of().find("PHONEBURNER_TOKEN_FILE: " + path + " is owned by uid 65534"), std::string::npos)
      << error_of();
  unsetenv("PHONEBURNER_TOKEN_FILE");
  setenv("PHONEBURNER_TOKEN", "pat-dev", 1);
  setenv("PGDIALER_WEBHOOK_SECRET_FILE", path.c_str(), 1);
  EXPECT_NE(error_of().find("PGDIALER_WEBHOOK_SECRET_FILE: " + path + " is owned by uid 65534"),
            std::string::npos)
      << error_of();
}

TEST_F(SecretConfigTest, SystemdCredentialsAreSystemdsToProtect) {
  std::filesystem::create_directory(dir.file("creds"));
  write("creds/phoneburner-token", "pat-systemd", 0440);
  write("creds/webhook-secret", kSecret, 0440);
  setenv("CREDENTIALS_DIRECTORY", dir.file("creds").c_str(), 1);
  const Config c = load_config({});
  EXPECT_EQ(c.token_source, "systemd credential phoneburner-token");
  EXPECT_EQ(c.webhook_secret, kSecret);
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(SecretConfigTest, ASecretFromTheEnvironmentOrTheConfigFileIsWarnedAbout) {
  setenv("PHONEBURNER_TOKEN_FILE", write("token", "pat-1").c_str(), 1);
  setenv("PGDIALER_WEBHOOK_SECRET_FILE", write("secret", kSecret).c_str(), 1);
  EXPECT_TRUE(load_config({}).warnings.empty());

  unsetenv("PHONEBURNER_TOKEN_FILE");
  setenv("PHONEBURNER_TOKEN", "pat-from-env", 1);
  Config c = load_config({});
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("PHONEBURNER_TOKEN"), std::string::npos);
  EXPECT_NE(c.warnings[0].find("for development"), std::string::npos);
  EXPECT_EQ(c.warnings[0].find("pat-from-env"), std::string::npos);

  unsetenv("PHONEBURNER_TOKEN");
  unsetenv("PGDIALER_WEBHOOK_SECRET_FILE");
  CommandLine cl;
  cl.config_file =
      write("sync.conf",
            "PHONEBURNER_TOKEN = pat-from-file\nPGDIALER_WEBHOOK_SECRET = " + std::string(kSecret) + "\n");
  c = load_config(cl);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_NE(c.warnings[0].find("PHONEBURNER_TOKEN"), std::string::npos);
  EXPECT_NE(c.warnings[1].find("PGDIALER_WEBHOOK_SECRET"), std::string::npos);
  for (const std::string& w : c.warnings) {
    EXPECT_EQ(w.find("pat-from-file"), std::string::npos) << w;
    EXPECT_EQ(w.find(kSecret), std::string::npos) << w;
  }
}

TEST_F(SecretConfigTest, CheckConfigIsAnOption) {
  const char* argv[] = {"--check-config", "--config", "/x"};
  const CommandLine cl = parse_command_line(3, const_cast<char**>(argv));
  EXPECT_TRUE(cl.error.empty()) << cl.error;
  EXPECT_TRUE(cl.check_config);
  EXPECT_NE(usage().find("--check-config"), std::string::npos);
}

// Issue 15: rotating the webhook secret. The previous secret comes with the
// UTC time its tokens stop being accepted, and only beside a new current one.
TEST_F(SecretConfigTest, APreviousWebhookSecretNeedsACurrentOneAndAnEnd) {
  setenv("PHONEBURNER_TOKEN_FILE", write("token", "pat-1").c_str(), 1);
  const std::string previous = write("previous", "old-webhook-secret-0123456789abcdef");
  setenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE", previous.c_str(), 1);
  EXPECT_NE(error_of().find("needs a current one"), std::string::npos) << error_of();

  setenv("PGDIALER_WEBHOOK_SECRET_FILE", write("secret", kSecret).c_str(), 1);
  EXPECT_NE(error_of().find("needs PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL"), std::string::npos) << error_of();
  for (const char* bad : {"2026-12-09", "2026-12-09T00:00:00", "2026-12-09T00:00:00+01:00",
                          "2026-13-09T00:00:00Z", "2026-12-09T24:00:00Z", "next week"}) {
    setenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL", bad, 1);
    EXPECT_NE(error_of().find("must be a UTC time"), std::string::npos) << bad << ": " << error_of();
  }
  setenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL", "2026-12-09T06:30:00Z", 1);
  const Config c = load_config({});
  EXPECT_EQ(c.webhook_previous_secret, "old-webhook-secret-0123456789abcdef");
  EXPECT_EQ(c.webhook_previous_secret_source, "PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(c.webhook_previous_secret_until), 1796797800);

  setenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE", write("same", kSecret).c_str(), 1);
  EXPECT_NE(error_of().find("is the current one"), std::string::npos) << error_of();

  unsetenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_FILE");
  EXPECT_NE(error_of().find("there is no previous webhook secret"), std::string::npos) << error_of();
}

TEST_F(SecretConfigTest, APreviousWebhookSecretComesAsASystemdCredentialToo) {
  std::filesystem::create_directory(dir.file("creds"));
  write("creds/phoneburner-token", "pat-1", 0440);
  write("creds/webhook-secret", kSecret, 0440);
  write("creds/webhook-secret-previous", "old-webhook-secret-0123456789abcdef", 0440);
  setenv("CREDENTIALS_DIRECTORY", dir.file("creds").c_str(), 1);
  setenv("PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL", "2026-12-09T00:00:00Z", 1);
  const Config c = load_config({});
  EXPECT_EQ(c.webhook_previous_secret, "old-webhook-secret-0123456789abcdef");
  EXPECT_EQ(c.webhook_previous_secret_source, "systemd credential webhook-secret-previous");
}

}  // namespace
}  // namespace pgdialer::sync::testing
