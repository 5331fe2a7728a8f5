// One account-level webhook URL per credential: /phoneburner/account/NAME with
// the HMAC of "account:NAME", the legacy /phoneburner/account as credential
// default, the "credential" key those deliveries add to the event, and
// --print-webhook-url account:NAME.
#include "common/config.hpp"
#include "webhook/event.hpp"
#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/handler.hpp"
#include "webhook/print_url.hpp"
#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync::testing {
namespace {

constexpr const char* kSecret = "test-secret-0123456789abcdef";
constexpr const char* kCallDone =
    R"({"call_id":"884422731","status":"Appointment","contact":{"user_id":"3091"}})";

TEST(AccountToken, OfACredentialIsTheHmacOfAccountColonName) {
  EXPECT_EQ(account_token(kSecret, "alice"), hmac_sha256_hex(kSecret, "account:alice"));
  EXPECT_NE(account_token(kSecret, "alice"), account_token(kSecret, "bob"));
  EXPECT_NE(account_token(kSecret, "default"), account_token(kSecret)) << "the legacy URL has its own token";
  EXPECT_EQ(
      account_webhook_url("https://hooks.example.com", kSecret, "rep-7.east"),
      "https://hooks.example.com/phoneburner/account/rep-7.east?s=" + account_token(kSecret, "rep-7.east"));
}

class AccountUrlTest : public ::testing::Test {
 protected:
  AccountUrlTest() : journal(dir.path()), rejected(dir.path(), 0), store(journal, rejected, sink, metrics) {
    declare_daemon_metrics(metrics);
    handler = std::make_unique<WebhookHandler>(WebhookSettings{kSecret, "America/Chicago"}, store, metrics,
                                               [] { return std::chrono::system_clock::time_point{}; });
  }
  WebhookResponse post(const std::string& path, std::optional<std::string> token,
                       const std::string& method = "POST") {
    return handler->handle({method, path, std::move(token), kCallDone});
  }

  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  EventJournal journal;
  RejectedStore rejected;
  EventStore store;
  std::unique_ptr<WebhookHandler> handler;
};

TEST_F(AccountUrlTest, ACredentialsUrlStoresTheEventWithTheCredential) {
  WebhookResponse r = post("/phoneburner/account/alice", account_token(kSecret, "alice"));
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(sink.stored().size(), 1u);
  auto e = json(sink.stored()[0]);
  EXPECT_STREQ(e["source"].GetString(), "account");
  ASSERT_TRUE(e.HasMember("credential"));
  EXPECT_STREQ(e["credential"].GetString(), "alice");
  EXPECT_EQ(
      metrics.value("pgdialer_webhooks_accepted_total", {{"source", "account"}, {"event", "api_calldone"}}),
      1);
}

TEST_F(AccountUrlTest, TheLegacyUrlIsCredentialDefault) {
  EXPECT_EQ(post("/phoneburner/account", account_token(kSecret)).status, 200);
  ASSERT_EQ(sink.stored().size(), 1u);
  EXPECT_STREQ(json(sink.stored()[0])["credential"].GetString(), "default");
}

TEST_F(AccountUrlTest, ASessionCallbackCarriesNoCredential) {
  EXPECT_EQ(post("/phoneburner/session/42", session_token(kSecret, 42)).status, 200);
  ASSERT_EQ(sink.stored().size(), 1u);
  EXPECT_FALSE(json(sink.stored()[0]).HasMember("credential"));
}

TEST_F(AccountUrlTest, ATokenOpensOnlyItsOwnAccountUrl) {
  EXPECT_EQ(post("/phoneburner/account/alice", account_token(kSecret, "bob")).status, 401);
  EXPECT_EQ(post("/phoneburner/account/alice", account_token(kSecret)).status, 401) << "the legacy token";
  EXPECT_EQ(post("/phoneburner/account", account_token(kSecret, "default")).status, 401);
  EXPECT_EQ(post("/phoneburner/account/default", account_token(kSecret)).status, 401);
  EXPECT_EQ(post("/phoneburner/account/alice", session_token(kSecret, 42)).status, 401);
  EXPECT_EQ(post("/phoneburner/account/alice", std::nullopt).status, 401);
  EXPECT_EQ(post("/phoneburner/account/default", account_token(kSecret, "default")).status, 200);
  EXPECT_EQ(sink.stored().size(), 1u);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_rejected_total", {{"reason", "unauthorized"}}), 6);
}

TEST_F(AccountUrlTest, OnlyValidNamesHaveAUrl) {
  for (const char* bad : {"Alice", "", "a/b", ".hidden", "-x", "a b", "alice/"}) {
    const std::string path = std::string("/phoneburner/account/") + bad;
    EXPECT_EQ(post(path, account_token(kSecret, bad)).status, 404) << path;
  }
  EXPECT_EQ(post("/phoneburner/account/alice", account_token(kSecret, "alice"), "GET").status, 405);
  EXPECT_TRUE(sink.stored().empty());
}

TEST(EventCredential, IsWrittenOnlyWhenTheOriginHasOne) {
  EventOrigin origin;
  origin.received_at = "2026-11-24T15:04:05.123456Z";
  EXPECT_EQ(normalize_event(kCallDone, origin).json.find("\"credential\""), std::string::npos);
  origin.credential = "rep-7";
  NormalizedEvent e = normalize_event(kCallDone, origin);
  ASSERT_TRUE(e.ok);
  EXPECT_NE(e.json.find(R"("session_id":null,"credential":"rep-7")"), std::string::npos) << e.json;
}

TEST(PrintWebhookUrl, AccountColonNamePrintsThatCredentialsUrl) {
  Config config;
  config.webhook_base_url = "https://hooks.example.com";
  config.webhook_secret = kSecret;
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(print_webhook_url(config, "account:alice"), kExitOk);
  EXPECT_EQ(print_webhook_url(config, "account"), kExitOk);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out, account_webhook_url(config.webhook_base_url, kSecret, "alice") + "\n" +
                     account_webhook_url(config.webhook_base_url, kSecret) + "\n");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(print_webhook_url(config, "account:Alice"), kExitUsage);
  EXPECT_EQ(print_webhook_url(config, "account:"), kExitUsage);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("not a credential name"), std::string::npos);
}

}  // namespace
}  // namespace pgdialer::sync::testing
