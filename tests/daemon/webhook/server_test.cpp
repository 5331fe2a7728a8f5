// webhook/server: the handler behind a real loopback socket, for what only
// the HTTP layer decides (413, the query token, methods httplib parses) and
// for a graceful stop.
#include "webhook/server.hpp"

#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

#include <httplib.h>

namespace pgdialer::sync::testing {
namespace {

constexpr const char* kSecret = "test-secret-0123456789abcdef";

class WebhookServerTest : public ::testing::Test {
 protected:
  WebhookServerTest()
      : journal(dir.path()),
        rejected(dir.path(), 0),
        store(journal, rejected, sink, metrics),
        handler(WebhookSettings{kSecret, "America/Chicago"}, store, metrics) {
    declare_daemon_metrics(metrics);
    WebhookServerOptions options;
    options.port = 0;
    options.max_body_bytes = 4096;
    server = std::make_unique<WebhookServer>(handler, options);
    server->start();
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_read_timeout(10, 0);
  }

  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  EventJournal journal;
  RejectedStore rejected;
  EventStore store;
  WebhookHandler handler;
  std::unique_ptr<WebhookServer> server;
  std::unique_ptr<httplib::Client> client;
};

TEST_F(WebhookServerTest, AcceptsAnEventWithTheTokenInTheQuery) {
  auto res = client->Post(("/phoneburner/session/42?s=" + session_token(kSecret, 42)).c_str(),
                          R"({"call_id":"1","status":"No Answer"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  ASSERT_EQ(sink.stored().size(), 1u);
  EXPECT_EQ(json(sink.stored()[0])["session_id"].GetInt64(), 42);
}

TEST_F(WebhookServerTest, AWrongTokenIs401) {
  auto res = client->Post("/phoneburner/account?s=nope", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(sink.calls(), 0);
}

TEST_F(WebhookServerTest, ABodyOverTheLimitIs413AndCounted) {
  const std::string big = "{\"notes\":\"" + std::string(5000, 'x') + "\"}";
  auto res =
      client->Post(("/phoneburner/account?s=" + account_token(kSecret)).c_str(), big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_rejected_total", {{"reason", "too_large"}}), 1);
  EXPECT_EQ(sink.calls(), 0);
  // A body just under the limit still goes through.
  const std::string fits = "{\"call_id\":\"1\",\"notes\":\"" + std::string(3000, 'x') + "\"}";
  auto ok =
      client->Post(("/phoneburner/account?s=" + account_token(kSecret)).c_str(), fits, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(WebhookServerTest, MalformedJsonIs400) {
  auto res =
      client->Post(("/phoneburner/account?s=" + account_token(kSecret)).c_str(), "{oops", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

// Over HTTP, in the listener's worker threads, with the daemon's default
// body limit: the nested body is refused and the listener keeps serving.
TEST(WebhookServerDepth, ADeepBodyUnderTheSizeLimitIs400AndTheListenerLives) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path());
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  WebhookHandler handler(WebhookSettings{kSecret, "America/Chicago"}, store, metrics);
  WebhookServerOptions options;
  options.port = 0;
  options.max_body_bytes = 256 * 1024;
  WebhookServer server(handler, options);
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);
  const std::string path = "/phoneburner/account?s=" + account_token(kSecret);
  for (int i = 0; i < 3; ++i) {
    auto res = client.Post(path.c_str(), std::string(180 * 1024, '['), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
  }
  auto ok = client.Post(path.c_str(), R"({"call_id":"1","status":"No Answer"})", "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(sink.stored().size(), 1u);
  server.stop();
}

TEST_F(WebhookServerTest, MethodsAndPaths) {
  auto get = client->Get(("/phoneburner/account?s=" + account_token(kSecret)).c_str());
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  auto put = client->Put("/phoneburner/session/42", "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  auto missing = client->Get("/nothing/here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(WebhookServerTest, HealthzAndMetrics) {
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  client->Post("/phoneburner/account?s=bad", "{}", "application/json");
  auto scrape = client->Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(scrape->status, 200);
  EXPECT_NE(scrape->body.find("pgdialer_webhooks_rejected_total{reason=\"unauthorized\"} 1"),
            std::string::npos)
      << scrape->body;
}

TEST_F(WebhookServerTest, StopEndsServingAndIsIdempotent) {
  server->stop();
  server->stop();
  httplib::Client after("127.0.0.1", server->port());
  after.set_connection_timeout(2, 0);
  EXPECT_FALSE(after.Get("/healthz"));
}

// Without a webhook secret the daemon's listener has no store: /healthz and
// /metrics answer, every webhook route is an unknown path.
TEST(WebhookServer, WithoutWebhookRoutesServesHealthAndMetricsAnd404sTheWebhookRoutes) {
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  WebhookHandler handler(metrics);
  EXPECT_FALSE(handler.receives_webhooks());
  WebhookServerOptions options;
  options.port = 0;
  WebhookServer server(handler, options);
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(10, 0);

  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_STREQ(json(health->body)["status"].GetString(), "ok");
  EXPECT_STREQ(json(health->body)["webhooks"].GetString(), "off");
  metrics.add("pgdialer_push_items_total", {{"status", "created"}});
  auto scrape = client.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(scrape->status, 200);
  EXPECT_NE(scrape->body.find("pgdialer_push_items_total{status=\"created\"} 1"), std::string::npos)
      << scrape->body;

  // Even with what would be a valid token under some secret.
  const std::string secret = kSecret;
  for (const std::string& target :
       {"/phoneburner/account?s=" + account_token(secret),
        "/phoneburner/session/42?s=" + session_token(secret, 42), std::string("/phoneburner/session/42")}) {
    auto post = client.Post(target.c_str(), R"({"call_id":"1","status":"No Answer"})", "application/json");
    ASSERT_TRUE(post) << target;
    EXPECT_EQ(post->status, 404) << target;
  }
  auto get = client.Get("/phoneburner/account");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_rejected_total", {{"reason", "not_found"}}), 4);
  EXPECT_EQ(
      metrics.value("pgdialer_webhooks_accepted_total", {{"source", "account"}, {"event", "api_calldone"}}),
      0);
}

TEST(WebhookServer, RefusesAnAddressItCannotBind) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  EventJournal journal(dir.path());
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  WebhookHandler handler(WebhookSettings{kSecret, "America/Chicago"}, store, metrics);
  WebhookServerOptions options;
  options.host = "192.0.2.1";  // TEST-NET-1: not an address of this machine
  options.port = 8787;
  WebhookServer server(handler, options);
  EXPECT_THROW(server.start(), std::runtime_error);
}

}  // namespace
}  // namespace pgdialer::sync::testing
