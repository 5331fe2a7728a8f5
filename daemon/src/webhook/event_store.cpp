#include "webhook/event_store.hpp"

#include "common/log.hpp"
#include "webhook/held_file.hpp"

namespace pgdialer::sync {

void EventStore::count_stored(const SinkResult& r, const char* path) {
  const std::string& answer = r.detail;
  const bool known = answer == "recorded" || answer == "duplicate" || answer == "unmatched";
  metrics_.add("pgdialer_webhook_events_stored_total",
               {{"result", known ? answer : "other"}, {"path", path}});
}

void EventStore::note_database(bool available, const std::string& why) {
  if (!available) {
    std::lock_guard<std::mutex> lock(mutex_);
    unavailable_reason_ = why;
  }
  // One log line per change of state, not one per event.
  if (database_available_.exchange(available) == available) return;
  if (available)
    log::info("webhooks: PostgreSQL takes events again");
  else
    log::warning("webhooks: PostgreSQL cannot take events (" + why +
                 "); acknowledging them from the local journal until it can");
}

void EventStore::note_blocked(const std::string& why) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (why == blocked_) return;
  if (!why.empty()) log::warning("webhooks: the journal is not draining: " + why);
  blocked_ = why;
}

int EventStore::count_attempt(const std::string& payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (attempts_.size() > 1024) attempts_.clear();  // bounded; only a few are ever in play
  return ++attempts_[std::hash<std::string>{}(payload)];
}

void EventStore::forget_attempts(const std::string& payload) {
  std::lock_guard<std::mutex> lock(mutex_);
  attempts_.erase(std::hash<std::string>{}(payload));
}

EventStore::Outcome EventStore::journal(const std::string& event_json) {
  try {
    journal_.append(event_json);
  } catch (const JournalFull& e) {
    // Not acknowledged, so PhoneBurner keeps it and sends it again: refusing
    // is the only way to lose nothing once the disk budget is spent.
    if (!journal_full_.exchange(true)) log::error(std::string("webhooks: answering 503: ") + e.what());
    std::lock_guard<std::mutex> lock(mutex_);
    full_reason_ = e.what();
    return Outcome::full;
  } catch (const JournalError& e) {
    log::error(std::string("webhooks: cannot journal an event, answering 503: ") + e.what());
    return Outcome::failed;
  }
  if (journal_full_.exchange(false)) log::info("webhooks: the journal takes events again");
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
        rejected_.reject(event_json, r.detail);
      } catch (const JournalFull& e) {
        log::error(std::string("webhooks: cannot keep a rejected event, answering 503: ") + e.what());
        return Outcome::full;
      } catch (const JournalError& e) {
        log::error(std::string("webhooks: cannot keep a rejected event, answering 503: ") + e.what());
        return Outcome::failed;
      }
      metrics_.add("pgdialer_webhooks_rejected_total", {{"reason", "database_rejected"}});
      log::warning("webhooks: the database refused an event (" + r.detail + "); kept in " +
                   rejected_.rejected_path());
      return Outcome::rejected;
    case SinkStatus::failed:
      // The replayer retries it, and sets it aside if it keeps failing alone.
      note_database(true, "");
      return journal(event_json);
    case SinkStatus::unavailable:
    default: note_database(false, r.detail); return journal(event_json);
  }
}

EventStore::Verdict EventStore::try_later_events() {
  const std::vector<std::string> later = journal_.following(policy_.later_events);
  if (later.empty()) return Verdict::nothing_behind;
  for (const std::string& payload : later) {
    // A failure that timed out dropped the connection: a fresh one, so the
    // later event gets a fair try.
    if (!sink_.connect()) return Verdict::later_failed;
    const SinkResult r = sink_.record(payload);
    switch (r.status) {
      case SinkStatus::stored:
        // Stored ahead of its turn; when the replay reaches it the database
        // answers "duplicate" (the journal's usual idempotent replay).
        count_stored(r, "replay");
        return Verdict::later_stored;
      case SinkStatus::unavailable: return Verdict::later_failed;
      case SinkStatus::failed: count_attempt(payload); break;
      case SinkStatus::rejected: break;  // says nothing either way; handled in its turn
    }
  }
  return Verdict::later_failed;
}

bool EventStore::replay(const std::function<bool()>& stop_requested) {
  std::string stopped_by;  // why the database could not take the oldest event
  std::string blocked;     // why the journal stopped draining
  bool interrupted = false;
  const std::size_t replayed = journal_.replay([&](const std::string& payload) {
    if (stop_requested && stop_requested()) {
      interrupted = true;  // shutting down: the rest waits in the journal
      return EventJournal::Step::stop;
    }
    const SinkResult r = sink_.record(payload);
    switch (r.status) {
      case SinkStatus::stored:
        count_stored(r, "replay");
        forget_attempts(payload);
        return EventJournal::Step::consumed;
      case SinkStatus::rejected: try { rejected_.reject(payload, r.detail);
        } catch (const JournalFull& e) {
          blocked = e.what();
          return EventJournal::Step::stop;
        }
        forget_attempts(payload);
        metrics_.add("pgdialer_webhooks_rejected_total", {{"reason", "database_rejected"}});
        log::warning("webhooks: the database refused a journaled event (" + r.detail + "); moved to " +
                     rejected_.rejected_path());
        return EventJournal::Step::consumed;
      case SinkStatus::unavailable:
        stopped_by = r.detail;
        blocked = "PostgreSQL cannot take events: " + r.detail;
        return EventJournal::Step::stop;
      case SinkStatus::failed:
      default: break;
    }
    const int attempts = count_attempt(payload);
    if (attempts < policy_.max_attempts) {
      blocked = "the oldest journaled event failed (attempt " + std::to_string(attempts) + " of " +
                std::to_string(policy_.max_attempts) + "): " + r.detail;
      return EventJournal::Step::stop;
    }
    switch (try_later_events()) {
      case Verdict::later_stored: break;
      case Verdict::nothing_behind:
        blocked = "the oldest journaled event keeps failing (" + std::to_string(attempts) +
                  " attempts): " + r.detail + "; set aside once an event behind it goes through";
        return EventJournal::Step::stop;
      case Verdict::later_failed:
      default:
        // Not this event's fault: every event fails. All stay, in order.
        blocked = "every event fails: " + r.detail;
        return EventJournal::Step::stop;
    }
    try {
      rejected_.set_aside(payload, r.detail, attempts);
    } catch (const JournalError& e) {
      blocked = std::string("cannot set aside a poison event: ") + e.what();
      return EventJournal::Step::stop;
    }
    forget_attempts(payload);
    metrics_.add("pgdialer_webhook_events_set_aside_total");
    log::error("webhooks: set aside a journaled event that failed " + std::to_string(attempts) +
               " times while the events behind it were stored (" + r.detail + "); kept in " +
               held_path(rejected_.directory()) + " and " + rejected_.rejected_path() +
               "; fix the cause, then run pgdialer-sync --replay-held");
    return EventJournal::Step::consumed;
  });
  const std::size_t left = journal_.depth();
  if (replayed > 0)
    log::info("webhooks: replayed " + std::to_string(replayed) + " journaled event(s) into PostgreSQL; " +
              std::to_string(left) + " left");
  if (left == 0) journal_full_ = false;  // truncated: room again
  if (interrupted) return false;
  note_database(stopped_by.empty(), stopped_by);
  note_blocked(blocked);
  return blocked.empty() && left == 0;
}

EventStore::Health EventStore::health() {
  Health h;
  h.database_available = database_available_;
  h.journal_depth = journal_.depth();
  h.journal_bytes = journal_.bytes();
  h.journal_max_bytes = journal_.max_bytes();
  h.rejected_bytes = rejected_.bytes();
  h.rejected_max_bytes = rejected_.max_bytes();
  h.held_bytes = held_bytes(rejected_.directory());
  std::lock_guard<std::mutex> lock(mutex_);
  if (journal_full_) {
    h.ok = false;
    h.reason = full_reason_;
  } else if (!blocked_.empty()) {
    h.ok = false;
    h.reason = blocked_;
  } else if (!h.database_available) {
    h.ok = false;
    h.reason = "PostgreSQL cannot take events: " + unavailable_reason_;
  }
  return h;
}

}  // namespace pgdialer::sync
