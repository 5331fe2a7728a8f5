// journal_replayer: the thread drains what was journaled once the sink is
// back, and stops cleanly. Waits are for conditions (with a generous cap
// that only turns a hang into a failure), never fixed sleeps.
#include "webhook/journal_replayer.hpp"

#include "webhook/event_journal.hpp"
#include "webhook/test_support.hpp"

#include <thread>

namespace pgdialer::sync::testing {
namespace {

template <typename Condition>
bool eventually(Condition done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

JournalReplayer::Timing fast() {
  JournalReplayer::Timing t;
  t.idle_check = std::chrono::milliseconds(20);
  t.first_backoff = std::chrono::milliseconds(5);
  t.max_backoff = std::chrono::milliseconds(20);
  return t;
}

TEST(JournalReplayer, ReplaysAJournalLeftByTheLastRunAtStartUp) {
  TempDir dir;
  {
    EventJournal previous(dir.path());
    previous.append(R"({"call_id":"1"})");
    previous.append(R"({"call_id":"2"})");
  }
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path());
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  JournalReplayer replayer(store, sink, fast());
  replayer.start();
  ASSERT_TRUE(eventually([&] { return journal.depth() == 0; }));
  replayer.stop();
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{R"({"call_id":"1"})", R"({"call_id":"2"})"}));
}

TEST(JournalReplayer, DrainsOnceTheDatabaseComesBack) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  EventJournal journal(dir.path());
  RejectedStore rejected(dir.path(), 0);
  EventStore store(journal, rejected, sink, metrics);
  JournalReplayer replayer(store, sink, fast());
  store.on_journaled([&] { replayer.wake(); });
  sink.set_available(false);
  replayer.start();
  EXPECT_EQ(store.accept(R"({"call_id":"1"})"), EventStore::Outcome::journaled);
  EXPECT_EQ(store.accept(R"({"call_id":"2"})"), EventStore::Outcome::journaled);
  EXPECT_EQ(journal.depth(), 2u);
  sink.set_available(true);
  ASSERT_TRUE(eventually([&] { return journal.depth() == 0; }));
  replayer.stop();
  EXPECT_EQ(sink.stored(), (std::vector<std::string>{R"({"call_id":"1"})", R"({"call_id":"2"})"}));
  EXPECT_TRUE(store.database_available());
}

TEST(JournalReplayer, StopsWhileTheDatabaseStaysAwayAndKeepsTheJournal) {
  TempDir dir;
  FakeSink sink;
  MetricsRegistry metrics;
  declare_daemon_metrics(metrics);
  {
    EventJournal journal(dir.path());
    RejectedStore rejected(dir.path(), 0);
    EventStore store(journal, rejected, sink, metrics);
    JournalReplayer replayer(store, sink, fast());
    sink.set_available(false);
    replayer.start();
    store.accept(R"({"call_id":"1"})");
    replayer.stop();
    EXPECT_EQ(journal.depth(), 1u);
  }
  EventJournal after_restart(dir.path());
  EXPECT_EQ(after_restart.depth(), 1u);
}

}  // namespace
}  // namespace pgdialer::sync::testing
