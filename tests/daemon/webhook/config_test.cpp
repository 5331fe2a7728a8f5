// The webhook settings of common/config.cpp and the callback URLs launches send:
// where the secret comes from, its minimum size, the listen address and when
// the listener runs, the journal directory, and --print-webhook-url needing no database or token.
#include "common/config.hpp"
#include "common/config_environment.hpp"
#include "queue/launch_runner.hpp"
#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>

namespace pgdialer::sync::testing {
namespace {

// Runs each test with only the variables it sets (restored afterwards).
class WebhookConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = std::make_unique<ConfigEnvironment>();
    setenv("DATABASE_URL", "postgresql:///crm", 1);
    setenv("PHONEBURNER_TOKEN", "pat-test", 1);
  }
  void TearDown() override { env_.reset(); }
  static Config load(CommandLine cl = {}) { return load_config(cl); }
  // Secret files are mode 0600 (or the daemon refuses them).
  void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    ::chmod(path.c_str(), 0600);
  }

  TempDir dir;

 private:
  std::unique_ptr<ConfigEnvironment> env_;
};

TEST_F(WebhookConfigTest, DefaultsWithoutASecret) {
  Config c = load();
  EXPECT_TRUE(c.webhook_secret.empty());
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8787);
  EXPECT_EQ(c.webhook_time_zone, "America/Chicago");
  EXPECT_EQ(c.journal_dir, "/var/lib/pgdialer-sync");
  EXPECT_EQ(c.webhook_max_body_bytes, 262144u);
}

TEST_F(WebhookConfigTest, TheSecretComesFromAFileThenACredentialThenTheEnvironment) {
  write(dir.file("secret"), "  file-secret-0123456789\n");
  std::filesystem::create_directory(dir.file("creds"));
  write(dir.file("creds/webhook-secret"), "credential-secret-0123456789");
  setenv("PGDIALER_WEBHOOK_SECRET", "environment-secret-0123456789", 1);
  setenv("CREDENTIALS_DIRECTORY", dir.file("creds").c_str(), 1);
  setenv("PGDIALER_WEBHOOK_SECRET_FILE", dir.file("secret").c_str(), 1);
  EXPECT_EQ(load().webhook_secret, "file-secret-0123456789");
  unsetenv("PGDIALER_WEBHOOK_SECRET_FILE");
  Config c = load();
  EXPECT_EQ(c.webhook_secret, "credential-secret-0123456789");
  EXPECT_EQ(c.webhook_secret_source, "systemd credential webhook-secret");
  unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(load().webhook_secret, "environment-secret-0123456789");
}

TEST_F(WebhookConfigTest, AShortSecretIsAConfigurationError) {
  setenv("PGDIALER_WEBHOOK_SECRET", "fifteen-bytes!!", 1);
  EXPECT_THROW(load(), ConfigError);
  setenv("PGDIALER_WEBHOOK_SECRET", "sixteen-bytes!!!", 1);
  EXPECT_NO_THROW(load());
}

TEST_F(WebhookConfigTest, TheSecretNeverAppearsInAnError) {
  setenv("PGDIALER_WEBHOOK_SECRET", "short-secret", 1);
  try {
    load();
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("short-secret"), std::string::npos) << e.what();
  }
}

TEST_F(WebhookConfigTest, ListenAddresses) {
  std::string host;
  int port = 0;
  parse_listen_address("0.0.0.0:9000", &host, &port);
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 9000);
  parse_listen_address("[::1]:8787", &host, &port);
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8787);
  for (const char* bad :
       {"", "8787", ":8787", "host:", "host:0", "host:65536", "host:http", "::1:8787", "[::1]8787"})
    EXPECT_THROW(parse_listen_address(bad, &host, &port), ConfigError) << bad;
  setenv("PGDIALER_LISTEN", "localhost:9001", 1);
  EXPECT_EQ(load().listen_port, 9001);
}

// The listener runs when an address is set, or a secret needs it (at the
// default address); a daemon with neither listens nowhere; --once never.
TEST_F(WebhookConfigTest, TheListenerRunsWithAnAddressOrASecret) {
  EXPECT_FALSE(load().listen);
  setenv("PGDIALER_LISTEN", "127.0.0.1:9002", 1);
  EXPECT_TRUE(load().listen) << "an address without a secret: health and metrics";
  unsetenv("PGDIALER_LISTEN");
  setenv("PGDIALER_WEBHOOK_SECRET", "a-secret-of-at-least-16-bytes", 1);
  Config with_secret = load();
  EXPECT_TRUE(with_secret.listen);
  EXPECT_EQ(with_secret.listen_port, 8787);
  setenv("PGDIALER_LISTEN", "127.0.0.1:9002", 1);
  CommandLine once;
  once.once = true;
  EXPECT_FALSE(load(once).listen);
}

TEST_F(WebhookConfigTest, TheJournalGoesToTheSystemdStateDirectoryUnlessConfigured) {
  setenv("STATE_DIRECTORY", "/var/lib/pgdialer-sync:/var/lib/other", 1);
  EXPECT_EQ(load().journal_dir, "/var/lib/pgdialer-sync");
  setenv("STATE_DIRECTORY", "/srv/state", 1);
  EXPECT_EQ(load().journal_dir, "/srv/state");
  setenv("PGDIALER_JOURNAL_DIR", dir.path().c_str(), 1);
  EXPECT_EQ(load().journal_dir, dir.path());
}

TEST_F(WebhookConfigTest, TimeZonesAreChecked) {
  setenv("PGDIALER_WEBHOOK_TIME_ZONE", "UTC", 1);
  EXPECT_EQ(load().webhook_time_zone, "UTC");
  for (const char* bad : {"../etc/passwd", "America/Chicago; DROP", "/etc/localtime"}) {
    setenv("PGDIALER_WEBHOOK_TIME_ZONE", bad, 1);
    EXPECT_THROW(load(), ConfigError) << bad;
  }
  if (std::filesystem::exists("/usr/share/zoneinfo/UTC")) {
    setenv("PGDIALER_WEBHOOK_TIME_ZONE", "America/Chicagoo", 1);
    EXPECT_THROW(load(), ConfigError);
  }
}

TEST_F(WebhookConfigTest, TheBodyLimitIsAPositiveNumber) {
  setenv("PGDIALER_WEBHOOK_MAX_BODY_BYTES", "1024", 1);
  EXPECT_EQ(load().webhook_max_body_bytes, 1024u);
  setenv("PGDIALER_WEBHOOK_MAX_BODY_BYTES", "0", 1);
  EXPECT_THROW(load(), ConfigError);
}

TEST_F(WebhookConfigTest, TheListenerLimitsHaveDefaultsAndBounds) {
  Config defaults = load();
  EXPECT_EQ(defaults.webhook_request_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults.webhook_max_connections, 1024);
  EXPECT_EQ(defaults.webhook_workers, 8);
  EXPECT_EQ(defaults.webhook_queue, 64);
  setenv("PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", "3", 1);
  setenv("PGDIALER_WEBHOOK_MAX_CONNECTIONS", "2000", 1);
  setenv("PGDIALER_WEBHOOK_WORKERS", "4", 1);
  setenv("PGDIALER_WEBHOOK_QUEUE", "10", 1);
  Config set = load();
  EXPECT_EQ(set.webhook_request_timeout, std::chrono::seconds(3));
  EXPECT_EQ(set.webhook_max_connections, 2000);
  EXPECT_EQ(set.webhook_workers, 4);
  EXPECT_EQ(set.webhook_queue, 10);
  for (const auto& [name, bad] :
       std::vector<std::pair<const char*, const char*>>{{"PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", "0"},
                                                        {"PGDIALER_WEBHOOK_REQUEST_TIMEOUT_SECONDS", "301"},
                                                        {"PGDIALER_WEBHOOK_MAX_CONNECTIONS", "0"},
                                                        {"PGDIALER_WEBHOOK_WORKERS", "257"},
                                                        {"PGDIALER_WEBHOOK_QUEUE", "many"}}) {
    const std::string good = std::getenv(name);
    setenv(name, bad, 1);
    EXPECT_THROW(load(), ConfigError) << name << "=" << bad;
    setenv(name, good.c_str(), 1);
  }
}

TEST_F(WebhookConfigTest, TheDiskCapsAndAttemptsHaveDefaultsAndAreChecked) {
  Config defaults = load();
  EXPECT_EQ(defaults.journal_max_bytes, 1ull << 30);
  EXPECT_EQ(defaults.rejected_max_bytes, 256ull << 20);
  EXPECT_EQ(defaults.webhook_max_attempts, 5);
  setenv("PGDIALER_JOURNAL_MAX_BYTES", "0", 1);  // no cap
  setenv("PGDIALER_REJECTED_MAX_BYTES", "4096", 1);
  setenv("PGDIALER_WEBHOOK_MAX_ATTEMPTS", "2", 1);
  Config c = load();
  EXPECT_EQ(c.journal_max_bytes, 0u);
  EXPECT_EQ(c.rejected_max_bytes, 4096u);
  EXPECT_EQ(c.webhook_max_attempts, 2);
  for (const char* bad : {"-1", "1k"}) {
    setenv("PGDIALER_JOURNAL_MAX_BYTES", bad, 1);
    EXPECT_THROW(load(), ConfigError) << bad;
  }
  setenv("PGDIALER_JOURNAL_MAX_BYTES", "0", 1);
  setenv("PGDIALER_WEBHOOK_MAX_ATTEMPTS", "0", 1);
  EXPECT_THROW(load(), ConfigError);
}

TEST_F(WebhookConfigTest, ReplayingHeldEventsNeedsTheDatabaseButNoToken) {
  unsetenv("PHONEBURNER_TOKEN");
  const char* argv[] = {"--replay-held"};
  CommandLine cl = parse_command_line(1, const_cast<char**>(argv));
  ASSERT_TRUE(cl.error.empty()) << cl.error;
  EXPECT_TRUE(cl.replay_held);
  EXPECT_NO_THROW(load(cl));
  unsetenv("DATABASE_URL");
  EXPECT_THROW(load(cl), ConfigError);
}

TEST_F(WebhookConfigTest, PrintingAWebhookUrlNeedsNoDatabaseOrToken) {
  unsetenv("DATABASE_URL");
  unsetenv("PHONEBURNER_TOKEN");
  EXPECT_THROW(load(), ConfigError);
  const char* argv[] = {"--print-webhook-url", "account"};
  CommandLine cl = parse_command_line(2, const_cast<char**>(argv));
  ASSERT_TRUE(cl.error.empty()) << cl.error;
  ASSERT_TRUE(cl.print_webhook_url.has_value());
  EXPECT_EQ(*cl.print_webhook_url, "account");
  EXPECT_NO_THROW(load(cl));
}

TEST(WebhookUrls, AreTheContractsShape) {
  const std::string secret = "a-secret-of-at-least-16-bytes";
  EXPECT_EQ(account_webhook_url("https://hooks.example.com", secret),
            "https://hooks.example.com/phoneburner/account?s=" + account_token(secret));
  EXPECT_EQ(session_webhook_url("https://hooks.example.com", secret, 42),
            "https://hooks.example.com/phoneburner/session/42?s=" + session_token(secret, 42));
}

TEST(DialSessionCallbacks, CarryTheSessionsTokenAndNameTheirEvent) {
  const std::string secret = "a-secret-of-at-least-16-bytes";
  auto callbacks = dial_session_callbacks("https://hooks.example.com", secret, 42);
  ASSERT_EQ(callbacks.size(), 3u);
  const std::string url = "https://hooks.example.com/phoneburner/session/42?s=" + session_token(secret, 42);
  EXPECT_EQ(callbacks[0],
            std::make_pair(std::string("api_contact_displayed"), url + "&event=api_contact_displayed"));
  EXPECT_EQ(callbacks[1], std::make_pair(std::string("api_callbegin"), url + "&event=api_callbegin"));
  EXPECT_EQ(callbacks[2], std::make_pair(std::string("api_calldone"), url + "&event=api_calldone"));
}

TEST(DialSessionCallbacks, NoneWithoutABaseUrlOrASecret) {
  EXPECT_TRUE(dial_session_callbacks("", "a-secret-of-at-least-16-bytes", 42).empty());
  EXPECT_TRUE(dial_session_callbacks("https://hooks.example.com", "", 42).empty());
}

}  // namespace
}  // namespace pgdialer::sync::testing
