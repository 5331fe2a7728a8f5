// webhook/handler + event_store: routing, tokens, refusals and where an
// accepted event ends up, with a fake sink for PostgreSQL and a real journal
// in a temporary directory.
#include "webhook/handler.hpp"

#include "webhook/event_journal.hpp"
#include "webhook/event_store.hpp"
#include "webhook/test_support.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync::testing {
namespace {

constexpr const char* kSecret = "test-secret-0123456789abcdef";
constexpr const char* kCallDone =
    R"({"call_id":"884422731","ds_id":"5550123","status":"Appointment","connected":"1","duration":"93",
        "contact":{"user_id":"30919237","lead_id":"c-1001"},"custom_fields":false})";

class WebhookHandlerTest : public ::testing::Test {
 protected:
  WebhookHandlerTest()
      : journal(dir.path()), rejected_store(dir.path(), 0), store(journal, rejected_store, sink, metrics) {
    declare_daemon_metrics(metrics);
    handler = std::make_unique<WebhookHandler>(WebhookSettings{kSecret, "America/Chicago"}, store, metrics,
                                               [] { return std::chrono::system_clock::time_point{}; });
  }

  WebhookResponse post(const std::string& path, std::optional<std::string> token,
                       const std::string& body = kCallDone) {
    return handler->handle({"POST", path, std::move(token), body});
  }
  WebhookResponse post_session(long long id, const std::string& body = kCallDone) {
    return post("/phoneburner/session/" + std::to_string(id), session_token(kSecret, id), body);
  }
  WebhookResponse post_account(const std::string& body = kCallDone) {
    return post("/phoneburner/account", account_token(kSecret), body);
  }
  double rejected(const std::string& reason) {
    return metrics.value("pgdialer_webhooks_rejected_total", {{"reason", reason}});
  }

  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  EventJournal journal;
  RejectedStore rejected_store;
  EventStore store;
  std::unique_ptr<WebhookHandler> handler;
};

TEST(ParseSessionId, OnlyCanonicalPositiveDecimals) {
  EXPECT_EQ(parse_session_id("42"), 42);
  EXPECT_EQ(parse_session_id("9223372036854775807"), 9223372036854775807LL);
  for (const char* bad : {"", "0", "042", "-1", "+1", "4x", "9223372036854775808", "42/", " 42"})
    EXPECT_FALSE(parse_session_id(bad).has_value()) << bad;
}

TEST_F(WebhookHandlerTest, AnAccountEventWithItsTokenIsStored) {
  WebhookResponse r = post_account();
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(sink.stored().size(), 1u);
  auto e = json(sink.stored()[0]);
  EXPECT_STREQ(e["source"].GetString(), "account");
  EXPECT_STREQ(e["call_id"].GetString(), "884422731");
  EXPECT_STREQ(e["received_at"].GetString(), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(
      metrics.value("pgdialer_webhooks_accepted_total", {{"source", "account"}, {"event", "api_calldone"}}),
      1);
  EXPECT_EQ(
      metrics.value("pgdialer_webhook_events_stored_total", {{"result", "recorded"}, {"path", "direct"}}), 1);
}

TEST_F(WebhookHandlerTest, ASessionEventCarriesItsSessionId) {
  EXPECT_EQ(post_session(42).status, 200);
  ASSERT_EQ(sink.stored().size(), 1u);
  auto e = json(sink.stored()[0]);
  EXPECT_STREQ(e["source"].GetString(), "session");
  EXPECT_EQ(e["session_id"].GetInt64(), 42);
}

TEST_F(WebhookHandlerTest, AMissingOrWrongTokenIs401AndStoresNothing) {
  EXPECT_EQ(post("/phoneburner/account", std::nullopt).status, 401);
  EXPECT_EQ(post("/phoneburner/account", "").status, 401);
  EXPECT_EQ(post("/phoneburner/account", session_token(kSecret, 42)).status, 401) << "a session's token";
  EXPECT_EQ(post("/phoneburner/session/42", session_token(kSecret, 43)).status, 401) << "another session's";
  EXPECT_EQ(post("/phoneburner/session/42", account_token(kSecret)).status, 401);
  EXPECT_EQ(post("/phoneburner/session/42", session_token("another-secret-0123456789", 42)).status, 401);
  EXPECT_EQ(rejected("unauthorized"), 6);
  EXPECT_EQ(sink.calls(), 0);
  EXPECT_EQ(journal.depth(), 0u);
}

TEST_F(WebhookHandlerTest, WithoutASecretNothingIsAccepted) {
  WebhookHandler open(WebhookSettings{"", "America/Chicago"}, store, metrics);
  EXPECT_EQ(open.handle({"POST", "/phoneburner/account", std::string(""), kCallDone}).status, 401);
  EXPECT_EQ(open.handle({"POST", "/phoneburner/account", account_token(""), kCallDone}).status, 401);
  EXPECT_EQ(sink.calls(), 0);
}

// Issue 15: during a rotation's overlap a URL made with the previous secret
// still delivers (and is counted); after it, or with any other secret, 401.
TEST_F(WebhookHandlerTest, ThePreviousSecretsTokensAreAcceptedUntilTheOverlapEnds) {
  const std::string old_secret = "old-secret-0123456789abcdef";
  std::chrono::system_clock::time_point now{std::chrono::hours(10)};
  WebhookSettings settings{kSecret, "America/Chicago"};
  settings.previous_secret = old_secret;
  settings.previous_until = std::chrono::system_clock::time_point{std::chrono::hours(12)};
  WebhookHandler rotating(settings, store, metrics, [&] { return now; });
  auto send = [&](const std::string& path, const std::string& token) {
    return rotating.handle({"POST", path, token, kCallDone}).status;
  };
  EXPECT_EQ(send("/phoneburner/account", account_token(kSecret)), 200);
  EXPECT_EQ(send("/phoneburner/account", account_token(old_secret)), 200);
  EXPECT_EQ(send("/phoneburner/session/42", session_token(old_secret, 42)), 200);
  EXPECT_EQ(send("/phoneburner/session/42", session_token(old_secret, 43)), 401) << "another session's";
  EXPECT_EQ(send("/phoneburner/account", account_token("third-secret-0123456789abcdef")), 401);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_previous_secret_total", {}), 2);

  now = settings.previous_until;
  EXPECT_EQ(send("/phoneburner/account", account_token(old_secret)), 401) << "the overlap has ended";
  EXPECT_EQ(send("/phoneburner/account", account_token(kSecret)), 200);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_previous_secret_total", {}), 2);
  EXPECT_EQ(sink.stored().size(), 4u);
  EXPECT_EQ(rejected("unauthorized"), 3);
}

// Issue 11: ~180 KB of '[' with a valid token crashed the daemon.
TEST_F(WebhookHandlerTest, ABodyNestedTooDeepIs400AndStoresNothing) {
  const WebhookResponse r = post_account(std::string(180 * 1024, '['));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("nested deeper than 64 levels"), std::string::npos) << r.body;
  EXPECT_EQ(post_session(42, std::string(100000, '[') + std::string(100000, ']')).status, 400);
  EXPECT_EQ(rejected("malformed"), 2);
  EXPECT_EQ(sink.calls(), 0);
  EXPECT_EQ(journal.depth(), 0u);
  // And the next delivery is served as usual.
  EXPECT_EQ(post_account().status, 200);
}

TEST_F(WebhookHandlerTest, AMalformedBodyIs400AndStoresNothing) {
  EXPECT_EQ(post_account("{\"call_id\":").status, 400);
  EXPECT_EQ(post_account("[1]").status, 400);
  EXPECT_EQ(post_session(42, "").status, 400);
  EXPECT_EQ(rejected("malformed"), 3);
  EXPECT_EQ(sink.calls(), 0);
}

TEST_F(WebhookHandlerTest, WrongMethodsAre405AndUnknownPathsAre404) {
  EXPECT_EQ(handler->handle({"GET", "/phoneburner/account", account_token(kSecret), ""}).status, 405);
  EXPECT_EQ(handler->handle({"PUT", "/phoneburner/session/42", session_token(kSecret, 42), kCallDone}).status,
            405);
  EXPECT_EQ(handler->handle({"POST", "/healthz", std::nullopt, ""}).status, 405);
  EXPECT_EQ(handler->handle({"DELETE", "/metrics", std::nullopt, ""}).status, 405);
  EXPECT_EQ(rejected("method_not_allowed"), 4);
  EXPECT_EQ(post("/phoneburner/session/abc", "x").status, 404);
  EXPECT_EQ(post("/phoneburner/session/042", session_token(kSecret, 42)).status, 404);
  EXPECT_EQ(post("/phoneburner/session/", "x").status, 404);
  EXPECT_EQ(post("/phoneburner", "x").status, 404);
  EXPECT_EQ(handler->handle({"GET", "/", std::nullopt, ""}).status, 404);
  EXPECT_EQ(rejected("not_found"), 5);
  EXPECT_EQ(sink.calls(), 0);
}

TEST_F(WebhookHandlerTest, HealthzAndMetricsAnswerGet) {
  WebhookResponse h = handler->handle({"GET", "/healthz", std::nullopt, ""});
  EXPECT_EQ(h.status, 200);
  auto doc = json(h.body);
  EXPECT_STREQ(doc["status"].GetString(), "ok");
  EXPECT_EQ(doc["journal_depth"].GetInt(), 0);
  post("/phoneburner/account", std::nullopt);
  WebhookResponse m = handler->handle({"GET", "/metrics", std::nullopt, ""});
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.content_type.rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(m.body.find("pgdialer_webhooks_rejected_total{reason=\"unauthorized\"} 1"), std::string::npos)
      << m.body;
}

TEST_F(WebhookHandlerTest, WhenTheDatabaseIsDownEventsAreJournaledAndAcknowledged) {
  sink.set_available(false);
  EXPECT_EQ(post_account().status, 200);
  EXPECT_EQ(post_session(42).status, 200);
  EXPECT_EQ(journal.depth(), 2u);
  EXPECT_FALSE(store.database_available());
  EXPECT_EQ(metrics.value("pgdialer_webhook_journal_appends_total"), 2);
  auto doc = json(handler->handle({"GET", "/healthz", std::nullopt, ""}).body);
  EXPECT_STREQ(doc["database"].GetString(), "unavailable");
  EXPECT_EQ(doc["journal_depth"].GetInt(), 2);
}

TEST_F(WebhookHandlerTest, WhileTheJournalHoldsEventsNewOnesQueueBehindThem) {
  sink.set_available(false);
  post_account(R"({"call_id":"1"})");
  sink.set_available(true);  // back, but the journal is not replayed yet
  post_account(R"({"call_id":"2"})");
  EXPECT_TRUE(sink.stored().empty()) << "call 2 must not overtake call 1";
  EXPECT_EQ(journal.depth(), 2u);
  EXPECT_TRUE(store.replay());
  ASSERT_EQ(sink.stored().size(), 2u);
  EXPECT_STREQ(json(sink.stored()[0])["call_id"].GetString(), "1");
  EXPECT_STREQ(json(sink.stored()[1])["call_id"].GetString(), "2");
  EXPECT_EQ(journal.depth(), 0u);
  // Drained: the next event goes straight to the database again.
  post_account(R"({"call_id":"3"})");
  EXPECT_EQ(sink.stored().size(), 3u);
  EXPECT_EQ(journal.depth(), 0u);
  EXPECT_EQ(
      metrics.value("pgdialer_webhook_events_stored_total", {{"result", "recorded"}, {"path", "replay"}}), 2);
}

TEST_F(WebhookHandlerTest, AReplayStopsWhenTheDatabaseGoesAwayAgain) {
  sink.set_available(false);
  for (int i = 1; i <= 3; ++i) post_account("{\"call_id\":\"" + std::to_string(i) + "\"}");
  sink.set_available(true);
  sink.script({SinkStatus::stored, "recorded"});
  sink.script({SinkStatus::unavailable, "connection lost"});
  EXPECT_FALSE(store.replay());
  EXPECT_EQ(sink.stored().size(), 1u);
  EXPECT_EQ(journal.depth(), 2u);
  EXPECT_TRUE(store.replay());
  ASSERT_EQ(sink.stored().size(), 3u);
  EXPECT_STREQ(json(sink.stored()[2])["call_id"].GetString(), "3");
}

TEST_F(WebhookHandlerTest, AReplayAskedToStopLeavesTheRestJournaled) {
  sink.set_available(false);
  for (int i = 1; i <= 3; ++i) post_account("{\"call_id\":\"" + std::to_string(i) + "\"}");
  sink.set_available(true);
  int asked = 0;
  EXPECT_FALSE(store.replay([&] { return ++asked > 1; }));
  EXPECT_EQ(sink.stored().size(), 1u);
  EXPECT_EQ(journal.depth(), 2u);
}

TEST_F(WebhookHandlerTest, AnEventTheDatabaseRefusesIsKeptAsideNotRetried) {
  sink.script({SinkStatus::rejected, "22023: not a call event"});
  EXPECT_EQ(post_account().status, 200);
  EXPECT_EQ(rejected("database_rejected"), 1);
  EXPECT_EQ(journal.depth(), 0u);
  const auto lines = lines_of(read_file(rejected_store.rejected_path()));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_STREQ(json(lines[0])["event"]["call_id"].GetString(), "884422731");
}

TEST_F(WebhookHandlerTest, AJournaledEventTheDatabaseRefusesMovesAsideAndTheReplayGoesOn) {
  sink.set_available(false);
  post_account(R"({"call_id":"1"})");
  post_account(R"({"call_id":"2"})");
  sink.set_available(true);
  sink.script({SinkStatus::rejected, "22023: bad"});
  EXPECT_TRUE(store.replay());
  ASSERT_EQ(sink.stored().size(), 1u);
  EXPECT_STREQ(json(sink.stored()[0])["call_id"].GetString(), "2");
  EXPECT_EQ(lines_of(read_file(rejected_store.rejected_path())).size(), 1u);
  EXPECT_EQ(journal.depth(), 0u);
}

TEST_F(WebhookHandlerTest, AJournaledEventKeepsItsOriginalReceivedAt) {
  sink.set_available(false);
  post_account();
  sink.set_available(true);
  WebhookHandler later(WebhookSettings{kSecret, "America/Chicago"}, store, metrics,
                       [] { return std::chrono::system_clock::time_point{std::chrono::hours(24)}; });
  store.replay();
  ASSERT_EQ(sink.stored().size(), 1u);
  EXPECT_STREQ(json(sink.stored()[0])["received_at"].GetString(), "1970-01-01T00:00:00.000000Z");
}

TEST_F(WebhookHandlerTest, DuplicatesAreTheDatabasesBusinessAndCountedByAnswer) {
  sink.script({SinkStatus::stored, "recorded"});
  sink.script({SinkStatus::stored, "duplicate"});
  EXPECT_EQ(post_account().status, 200);
  EXPECT_EQ(post_account().status, 200);
  EXPECT_EQ(
      metrics.value("pgdialer_webhook_events_stored_total", {{"result", "duplicate"}, {"path", "direct"}}),
      1);
}

TEST_F(WebhookHandlerTest, AnEventThatCannotBeJournaledIsNotAcknowledged) {
  sink.set_available(false);
  // A payload the journal refuses stands in for a full disk (normalized
  // events never hold a raw newline, so this goes through the store).
  EXPECT_EQ(store.accept("{\"a\":\n1}"), EventStore::Outcome::failed);
  EXPECT_EQ(journal.depth(), 0u);
}

TEST_F(WebhookHandlerTest, HealthzIsUnhealthyWithTheReasonWhileEventsCannotReachPostgreSQL) {
  sink.set_available(false);
  EXPECT_EQ(post_account().status, 200);
  WebhookResponse h = handler->handle({"GET", "/healthz", std::nullopt, ""});
  EXPECT_EQ(h.status, 503);
  auto doc = json(h.body);
  EXPECT_STREQ(doc["status"].GetString(), "unhealthy");
  EXPECT_STREQ(doc["reason"].GetString(), "PostgreSQL cannot take events: database down (fake)");
  EXPECT_EQ(doc["journal_depth"].GetInt(), 1);
  EXPECT_GT(doc["journal_bytes"].GetInt(), 0);
  sink.set_available(true);
  EXPECT_TRUE(store.replay());
  h = handler->handle({"GET", "/healthz", std::nullopt, ""});
  EXPECT_EQ(h.status, 200);
  EXPECT_FALSE(json(h.body).HasMember("reason"));
}

TEST(WebhookHandlerCaps, AFullJournalIsA503AndTheEventIsNotAcknowledged) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path(), 1);  // no room for any record
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  WebhookHandler handler(WebhookSettings{kSecret, "America/Chicago"}, store, metrics);
  sink.set_available(false);
  WebhookResponse r = handler.handle({"POST", "/phoneburner/account", account_token(kSecret), kCallDone});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(metrics.value("pgdialer_webhooks_rejected_total", {{"reason", "journal_full"}}), 1);
  EXPECT_EQ(journal.depth(), 0u);
  WebhookResponse h = handler.handle({"GET", "/healthz", std::nullopt, ""});
  EXPECT_EQ(h.status, 503);
  EXPECT_NE(std::string(json(h.body)["reason"].GetString()).find("is full"), std::string::npos);
}

}  // namespace
}  // namespace pgdialer::sync::testing
