#include "webhook/event_store.hpp"

#include "common/log.hpp"

namespace pgdialer::sync {

void EventStore::count_stored(const SinkResult& r, const char* path) {
  const std::string& answer = r.detail;
  const bool known = answer == "recorded" || answer == "duplicate" || answer == "unmatched";
  metrics_.add("pgdialer_webhook_events_stored_total",
               {{"result", known ? answer : "other"}, {"path", path}});
}

void EventStore::note_database(bool available, const std::string& why) {
  // One log line per change of state, not one per event.
  if (database_available_.exchange(available) == available) return;
  if (available)
    log::info("webhooks: PostgreSQL takes events again");
  else
    log::warning("webhooks: PostgreSQL cannot take events (" + why +
                 "); acknowledging them from the local journal until it can");
}

EventStore::Outcome EventStore::journal(const std::string& event_json) {
  try {
    journal_.append(event_json);
  } catch (const JournalError& e) {
    log::error(std::string("webhooks: cannot journal an event, answering 503: ") + e.what());
    return Outcome::failed;
  }
  metrics_.add("pgdialer_webhook_journal_appends_total");
  if (wake_) wake_();
  return Outcome::journaled;
}

EventStore::Outcome EventStore::accept(const std::string& event_json) {
  // Events already waiting go first: a newer event must not overtake them.
  if (!journal_.empty()) return journal(event_json);
  const SinkResult r = sink_.record(event_json);
  switch (r.status) {
    case SinkStatus::stored:
      note_database(true, "");
      count_stored(r, "direct");
      return Outcome::stored;
    case SinkStatus::rejected:
      note_database(true, "");
      try {
        journal_.reject(event_json, r.detail);
      } catch (const JournalError& e) {
        log::error(std::string("webhooks: cannot keep a rejected event, answering 503: ") + e.what());
        return Outcome::failed;
      }
      metrics_.add("pgdialer_webhooks_rejected_total", {{"reason", "database_rejected"}});
      log::warning("webhooks: the database refused an event (" + r.detail + "); kept in " +
                   journal_.rejected_path());
      return Outcome::rejected;
    case SinkStatus::unavailable:
    default: note_database(false, r.detail); return journal(event_json);
  }
}

bool EventStore::replay(const std::function<bool()>& stop_requested) {
  std::string stopped_by;
  bool interrupted = false;
  const std::size_t replayed = journal_.replay([&](const std::string& payload) {
    if (stop_requested && stop_requested()) {
      interrupted = true;  // shutting down: the rest waits in the journal
      return EventJournal::Step::stop;
    }
    const SinkResult r = sink_.record(payload);
    switch (r.status) {
      case SinkStatus::stored: count_stored(r, "replay"); return EventJournal::Step::consumed;
      case SinkStatus::rejected:
        journal_.reject(payload, r.detail);
        metrics_.add("pgdialer_webhooks_rejected_total", {{"reason", "database_rejected"}});
        log::warning("webhooks: the database refused a journaled event (" + r.detail + "); moved to " +
                     journal_.rejected_path());
        return EventJournal::Step::consumed;
      default: stopped_by = r.detail; return EventJournal::Step::stop;
    }
  });
  const std::size_t left = journal_.depth();
  if (replayed > 0)
    log::info("webhooks: replayed " + std::to_string(replayed) + " journaled event(s) into PostgreSQL; " +
              std::to_string(left) + " left");
  if (!stopped_by.empty()) {
    note_database(false, stopped_by);
    return false;
  }
  if (interrupted) return false;
  note_database(true, "");
  return left == 0;
}

}  // namespace pgdialer::sync
