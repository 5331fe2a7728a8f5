// Decides where an accepted webhook event goes, so that nothing acknowledged
// is ever lost and events reach the database in the order they arrived:
//   - the journal holds events         -> append behind them (keeps order);
//   - else the database takes it       -> done;
//   - the database refuses its content -> the rejected file (RejectedStore);
//   - it cannot be stored now          -> append to the journal, wake the replayer;
//   - the journal is at its cap        -> not acknowledged (503), nothing lost.
//
// replay() moves journaled events into the database, oldest first, and
// tells a poison event from a failure that hits every event:
//   - the database is unavailable (SinkStatus::unavailable): every event
//     stays journaled, in order, however long it lasts;
//   - the oldest event fails (SinkStatus::failed): retried on the
//     replayer's backoff; once it has failed `max_attempts` times, the events
//     behind it are tried. If one of them is stored, the failure is this
//     event's own: it is set aside (RejectedStore::set_aside) and the rest
//     flow. If they fail too, the failure hits every event: all stay
//     journaled. With nothing behind it, it blocks nothing and stays.
// Meanwhile health() says why the journal is not draining.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/metrics.hpp"
#include "webhook/event_journal.hpp"
#include "webhook/event_sink.hpp"
#include "webhook/rejected_store.hpp"

namespace pgdialer::sync {

struct PoisonPolicy {
  int max_attempts = 5;          // failures of the oldest event before the ones behind it are tried
  std::size_t later_events = 3;  // how many of those are tried at most
};

class EventStore {
 public:
  EventStore(EventJournal& journal, RejectedStore& rejected, EventSink& sink, MetricsRegistry& metrics,
             PoisonPolicy policy = {})
      : journal_(journal), rejected_(rejected), sink_(sink), metrics_(metrics), policy_(policy) {}

  enum class Outcome {
    stored,     // in the database
    journaled,  // durable in the journal, replayed later
    rejected,   // the database refused it; kept in the rejected file
    full,       // the journal (or the rejected files) reached their cap: do not acknowledge
    failed,     // could not be made durable anywhere: do not acknowledge
  };
  Outcome accept(const std::string& event_json);

  // Replays the journal into the sink until it is empty (true), it cannot go
  // on now (false: the database is unavailable, the oldest event fails, a
  // cap is reached) or `stop_requested` says so (false). Throws JournalError
  // on a disk failure.
  bool replay(const std::function<bool()>& stop_requested = {});

  // The replayer could not connect: /healthz says so even before an event
  // arrives to find out.
  void note_unreachable(const std::string& why) { note_database(false, why); }

  // Called after an event was journaled (the replayer's wake-up).
  void on_journaled(std::function<void()> wake) { wake_ = std::move(wake); }

  struct Health {
    bool ok = true;
    std::string reason;  // why not, for /healthz and the logs
    bool database_available = true;
    std::size_t journal_depth = 0;
    std::uint64_t journal_bytes = 0;
    std::uint64_t journal_max_bytes = 0;  // 0: no cap
    std::uint64_t rejected_bytes = 0;     // the rejected files and the held file
    std::uint64_t rejected_max_bytes = 0;
    std::uint64_t held_bytes = 0;  // events set aside, waiting for --replay-held
  };
  Health health();

  std::size_t journal_depth() const { return journal_.depth(); }
  // Whether the last attempt to reach the database succeeded.
  bool database_available() const { return database_available_; }

 private:
  enum class Verdict { later_stored, later_failed, nothing_behind };
  Outcome journal(const std::string& event_json);
  void count_stored(const SinkResult& r, const char* path);
  void note_database(bool available, const std::string& why);
  void note_blocked(const std::string& why);  // empty: not blocked
  int count_attempt(const std::string& payload);
  void forget_attempts(const std::string& payload);
  Verdict try_later_events();

  EventJournal& journal_;
  RejectedStore& rejected_;
  EventSink& sink_;
  MetricsRegistry& metrics_;
  PoisonPolicy policy_;
  std::function<void()> wake_;
  std::atomic<bool> database_available_{true};
  std::atomic<bool> journal_full_{false};
  std::mutex mutex_;  // guards the reasons and attempts_
  std::string blocked_;
  std::string full_reason_;
  std::string unavailable_reason_;
  // Failures per event (by hash of its payload), only of the events the
  // replay is working on; forgotten once an event leaves the journal.
  std::unordered_map<std::size_t, int> attempts_;
};

}  // namespace pgdialer::sync
