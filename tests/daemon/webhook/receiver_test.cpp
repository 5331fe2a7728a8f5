// webhook/receiver: the listener main() starts, assembled from the
// configuration. Without a webhook secret it must serve health and metrics
// without opening a journal (its directory need not exist) or reaching for
// PostgreSQL, and refuse the webhook routes.
#include "webhook/receiver.hpp"

#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

#include <httplib.h>

namespace pgdialer::sync::testing {
namespace {

Config listener_config(const std::string& journal_dir) {
  Config config;
  config.database_url = "host=/nonexistent/pgdialer-test port=1 connect_timeout=1";
  config.worker_id = "receiver-test";
  config.listen = true;
  config.listen_port = 0;  // any free port
  config.journal_dir = journal_dir;
  return config;
}

TEST(WebhookReceiver, WithoutASecretServesHealthAndMetricsOnlyAndOpensNoJournal) {
  TempDir dir;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  const Config config = listener_config(dir.file("no-such-directory"));
  std::unique_ptr<WebhookReceiver> receiver;
  ASSERT_TRUE(start_receiver(config, metrics, &receiver));
  ASSERT_TRUE(receiver);
  EXPECT_FALSE(receiver->receives_webhooks());
  EXPECT_FALSE(std::filesystem::exists(config.journal_dir));

  httplib::Client client("127.0.0.1", receiver->port());
  client.set_read_timeout(10, 0);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  auto scrape = client.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(scrape->status, 200);
  EXPECT_NE(scrape->body.find("# TYPE pgdialer_push_items_total counter"), std::string::npos) << scrape->body;
  const std::string secret = "test-secret-0123456789abcdef";
  auto post =
      client.Post(("/phoneburner/account?s=" + account_token(secret)).c_str(), "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  receiver->stop();
}

TEST(WebhookReceiver, WithASecretReceivesWebhooksIntoItsJournal) {
  TempDir dir;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  Config config = listener_config(dir.path());
  config.webhook_secret = "test-secret-0123456789abcdef";
  std::unique_ptr<WebhookReceiver> receiver;
  ASSERT_TRUE(start_receiver(config, metrics, &receiver));
  ASSERT_TRUE(receiver);
  EXPECT_TRUE(receiver->receives_webhooks());

  httplib::Client client("127.0.0.1", receiver->port());
  client.set_read_timeout(10, 0);
  // PostgreSQL is unreachable: the event is acknowledged from the journal.
  auto post = client.Post(("/phoneburner/account?s=" + account_token(config.webhook_secret)).c_str(),
                          R"({"call_id":"1","status":"No Answer"})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200) << post->body;
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json(health->body)["journal_depth"].GetInt64(), 1) << health->body;
  receiver->stop();
}

TEST(WebhookReceiver, NoneWithoutAnAddressOrASecretNorWithOnce) {
  TempDir dir;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  Config config = listener_config(dir.path());
  config.listen = false;
  std::unique_ptr<WebhookReceiver> receiver;
  EXPECT_TRUE(start_receiver(config, metrics, &receiver));
  EXPECT_FALSE(receiver);
  config.listen = true;
  config.once = true;
  EXPECT_TRUE(start_receiver(config, metrics, &receiver));
  EXPECT_FALSE(receiver);
}

}  // namespace
}  // namespace pgdialer::sync::testing
