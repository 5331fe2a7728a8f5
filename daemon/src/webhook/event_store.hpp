// Decides where an accepted webhook event goes, so that nothing acknowledged
// is ever lost and events reach the database in the order they arrived:
//   - the journal holds events        -> append behind them (keeps order);
//   - else the database takes it      -> done;
//   - the database refuses its content -> the journal's rejected file;
//   - the database is not available   -> append to the journal, wake the replayer.
// replay() moves journaled events into the database, oldest first.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "webhook/event_journal.hpp"
#include "webhook/event_sink.hpp"
#include "common/metrics.hpp"

namespace pgdialer::sync {

class EventStore {
 public:
  EventStore(EventJournal& journal, EventSink& sink, MetricsRegistry& metrics)
      : journal_(journal), sink_(sink), metrics_(metrics) {}

  enum class Outcome {
    stored,     // in the database
    journaled,  // durable in the journal, replayed later
    rejected,   // the database refused it; kept in the rejected file
    failed,     // could not be made durable anywhere: do not acknowledge
  };
  Outcome accept(const std::string& event_json);

  // Replays the journal into the sink until it is empty (true), the sink
  // becomes unavailable or `stop_requested` says so (false). Throws
  // JournalError on a disk failure.
  bool replay(const std::function<bool()>& stop_requested = {});

  // Called after an event was journaled (the replayer's wake-up).
  void on_journaled(std::function<void()> wake) { wake_ = std::move(wake); }

  std::size_t journal_depth() const { return journal_.depth(); }
  // Whether the last attempt to reach the database succeeded.
  bool database_available() const { return database_available_; }

 private:
  Outcome journal(const std::string& event_json);
  void count_stored(const SinkResult& r, const char* path);
  void note_database(bool available, const std::string& why);

  EventJournal& journal_;
  EventSink& sink_;
  MetricsRegistry& metrics_;
  std::function<void()> wake_;
  std::atomic<bool> database_available_{true};
};

}  // namespace pgdialer::sync
