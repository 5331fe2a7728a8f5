// event_store: a poison event is set aside so the events behind it flow; a
// failure that hits every event keeps them all journaled and says why; the
// caps answer "full" and lose nothing.
#include "webhook/event_store.hpp"

#include "webhook/held_file.hpp"
#include "webhook/test_support.hpp"

namespace pgdialer::sync::testing {
namespace {

class EventStoreTest : public ::testing::Test {
 protected:
  EventStoreTest() { declare_daemon_metrics(metrics); }

  // Journals the events while the database is away, as an outage would.
  void journal_while_down(const std::vector<std::string>& events) {
    sink.set_available(false);
    for (const auto& e : events) ASSERT_EQ(store.accept(e), EventStore::Outcome::journaled);
    sink.set_available(true);
  }
  std::vector<std::string> held() {
    std::vector<std::string> events;
    drain_held(dir.path(), [&](const std::string& p) {
      events.push_back(p);
      return false;
    });
    return events;
  }

  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  EventJournal journal{dir.path()};
  RejectedStore rejected{dir.path(), 0};
  EventStore store{journal, rejected, sink, metrics, PoisonPolicy{3, 3}};
};

const std::string e1 = R"({"call_id":"1"})", e2 = R"({"call_id":"2"})", e3 = R"({"call_id":"3"})",
                  e4 = R"({"call_id":"4"})";

TEST_F(EventStoreTest, APoisonEventIsSetAsideAfterItsAttemptsAndTheOthersFlowInOrder) {
  journal_while_down({e1, e2, e3, e4});
  sink.fail_matching(R"("call_id":"2")", {SinkStatus::failed, "54001: stack depth limit exceeded"});
  // Attempts 1 and 2 stop the replay at the poison event (the replayer backs off between them).
  EXPECT_FALSE(store.replay());
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{e1}));
  EXPECT_FALSE(store.health().ok);
  EXPECT_NE(store.health().reason.find("attempt 1 of 3"), std::string::npos) << store.health().reason;
  EXPECT_FALSE(store.replay());
  EXPECT_EQ(journal.depth(), 3u);
  // Attempt 3: the event behind it goes through, so the failure is its own.
  EXPECT_TRUE(store.replay());
  EXPECT_EQ(journal.depth(), 0u);
  // e3 was stored ahead of its turn and again in it (the database answers "duplicate").
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{e1, e3, e3, e4}));
  EXPECT_EQ(held(), (std::vector<std::string>{e2}));
  auto line = json(lines_of(read_file(rejected.rejected_path())).at(0));
  EXPECT_TRUE(line["set_aside"].GetBool());
  EXPECT_EQ(line["attempts"].GetInt(), 3);
  EXPECT_STREQ(line["error"].GetString(), "54001: stack depth limit exceeded");
  EXPECT_EQ(metrics.value("pgdialer_webhook_events_set_aside_total"), 1);
  EXPECT_TRUE(store.health().ok);
  EXPECT_GT(store.health().held_bytes, 0u);
}

TEST_F(EventStoreTest, AFailureThatHitsEveryEventKeepsThemAllAndReplaysInOrderOnceFixed) {
  journal_while_down({e1, e2, e3});
  sink.fail_matching("", {SinkStatus::failed, "42501: permission denied for table contacts"});
  for (int pass = 0; pass < 10; ++pass) EXPECT_FALSE(store.replay());
  EXPECT_EQ(journal.depth(), 3u);
  EXPECT_TRUE(held().empty());
  EXPECT_TRUE(sink.stored().empty());
  const EventStore::Health h = store.health();
  EXPECT_FALSE(h.ok);
  EXPECT_EQ(h.reason, "every event fails: 42501: permission denied for table contacts");
  // New deliveries queue behind them, acknowledged from the journal.
  EXPECT_EQ(store.accept(e4), EventStore::Outcome::journaled);
  sink.clear_failures();  // GRANT ...
  EXPECT_TRUE(store.replay());
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{e1, e2, e3, e4}));
  EXPECT_TRUE(store.health().ok);
}

TEST_F(EventStoreTest, AFailingEventWithNothingBehindItStaysJournaled) {
  journal_while_down({e1});
  sink.fail_matching("", {SinkStatus::failed, "57014: canceling statement due to statement timeout"});
  for (int pass = 0; pass < 6; ++pass) EXPECT_FALSE(store.replay());
  EXPECT_EQ(journal.depth(), 1u);
  EXPECT_TRUE(held().empty());
  EXPECT_NE(store.health().reason.find("set aside once an event behind it goes through"), std::string::npos);
  // Once an event arrives behind it and goes through, it is set aside.
  sink.clear_failures();
  sink.fail_matching(R"("call_id":"1")", {SinkStatus::failed, "57014: canceling statement"});
  EXPECT_EQ(store.accept(e2), EventStore::Outcome::journaled);
  EXPECT_TRUE(store.replay());
  EXPECT_EQ(held(), (std::vector<std::string>{e1}));
}

TEST_F(EventStoreTest, AnUnavailableDatabaseNeverCountsAgainstAnEvent) {
  journal_while_down({e1, e2});
  sink.set_available(false);
  for (int pass = 0; pass < 10; ++pass) EXPECT_FALSE(store.replay());
  EXPECT_NE(store.health().reason.find("PostgreSQL cannot take events"), std::string::npos);
  sink.set_available(true);
  // Only now does e1 start counting: two failures are not enough.
  sink.fail_matching(R"("call_id":"1")", {SinkStatus::failed, "P0001: hook failed"});
  EXPECT_FALSE(store.replay());
  EXPECT_FALSE(store.replay());
  EXPECT_EQ(journal.depth(), 2u);
  EXPECT_TRUE(held().empty());
}

TEST_F(EventStoreTest, TwoPoisonEventsInARowAreBothSetAside) {
  journal_while_down({e1, e2, e3});
  sink.fail_matching(R"("call_id":"1")", {SinkStatus::failed, "54001: a"});
  sink.fail_matching(R"("call_id":"2")", {SinkStatus::failed, "XX000: b"});
  for (int pass = 0; pass < 10 && journal.depth() > 0; ++pass) store.replay();
  EXPECT_EQ(journal.depth(), 0u);
  EXPECT_EQ(held(), (std::vector<std::string>{e1, e2}));
  EXPECT_EQ(sink.stored().back(), e3);
}

TEST_F(EventStoreTest, SetAsidePastTheRejectedCapKeepsTheEventJournaled) {
  RejectedStore tiny(dir.path(), 10);
  EventStore capped(journal, tiny, sink, metrics, PoisonPolicy{1, 3});
  sink.set_available(false);
  capped.accept(e1);
  capped.accept(e2);
  sink.set_available(true);
  sink.fail_matching(R"("call_id":"1")", {SinkStatus::failed, "54001: x"});
  EXPECT_FALSE(capped.replay());
  EXPECT_EQ(journal.depth(), 2u);
  EXPECT_NE(capped.health().reason.find("PGDIALER_REJECTED_MAX_BYTES"), std::string::npos);
}

TEST(EventStoreCaps, AFullJournalAnswersFullAndLosesNothing) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path(), 40);
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  sink.set_available(false);
  EXPECT_EQ(store.accept(R"({"n":1})"), EventStore::Outcome::journaled);
  EXPECT_EQ(store.accept(R"({"n":2})"), EventStore::Outcome::journaled);
  EXPECT_EQ(store.accept(R"({"n":3})"), EventStore::Outcome::full);
  EXPECT_FALSE(store.health().ok);
  EXPECT_NE(store.health().reason.find("PGDIALER_JOURNAL_MAX_BYTES"), std::string::npos);
  sink.set_available(true);
  EXPECT_TRUE(store.replay());
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_TRUE(store.health().ok);
  EXPECT_EQ(store.accept(R"({"n":3})"), EventStore::Outcome::stored);  // sent again by PhoneBurner
}

TEST(EventStoreCaps, ARejectedEventPastTheCapIsNotAcknowledged) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path());
  RejectedStore rejected(dir.path(), 10);
  EventStore store(journal, rejected, sink, metrics);
  sink.script({SinkStatus::rejected, "22023: bad"});
  EXPECT_EQ(store.accept(R"({"n":1})"), EventStore::Outcome::full);
}

}  // namespace
}  // namespace pgdialer::sync::testing
