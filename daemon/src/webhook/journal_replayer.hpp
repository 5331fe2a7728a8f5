// The thread that brings journaled webhook events into PostgreSQL: at
// start-up (a journal left by the last run), whenever an event is journaled,
// and periodically, it (re)connects the sink and replays the journal, with a
// capped backoff while the database stays away. It also keeps the sink's
// connection up when the journal is empty, since reconnecting is too slow to
// do while PhoneBurner waits for an answer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "webhook/event_sink.hpp"
#include "webhook/event_store.hpp"

namespace pgdialer::sync {

class JournalReplayer {
 public:
  struct Timing {
    std::chrono::milliseconds idle_check{5000};  // healthy: look again this often
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::milliseconds max_backoff{30000};
  };
  JournalReplayer(EventStore& store, EventSink& sink) : JournalReplayer(store, sink, Timing{}) {}
  JournalReplayer(EventStore& store, EventSink& sink, Timing timing)
      : store_(store), sink_(sink), timing_(timing) {}
  ~JournalReplayer() { stop(); }
  JournalReplayer(const JournalReplayer&) = delete;
  JournalReplayer& operator=(const JournalReplayer&) = delete;

  void start();
  // Ends the thread after the event being replayed (the rest stays journaled).
  void stop();
  // Something was journaled: replay soon (ignored while backing off, so a
  // burst of deliveries during an outage does not hammer the database).
  void wake();

 private:
  void run();
  bool pass();  // one connect + replay; true when all is well

  EventStore& store_;
  EventSink& sink_;
  Timing timing_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool woken_ = false;
};

}  // namespace pgdialer::sync
