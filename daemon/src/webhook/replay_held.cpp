#include "webhook/replay_held.hpp"

#include <chrono>
#include <string>

#include "webhook/held_file.hpp"
#include "webhook/pg_event_sink.hpp"
#include "webhook/record_file.hpp"

namespace pgdialer::sync {

int replay_held(const Config& config, std::FILE* out) {
  if (held_bytes(config.journal_dir) == 0) {
    std::fprintf(out, "no held webhook events in %s\n", held_path(config.journal_dir).c_str());
    return kExitOk;
  }
  PgEventSinkOptions options;
  options.database_url = config.database_url;
  options.application_name = "pgdialer-sync/" + config.worker_id + "/replay-held";
  options.lock_wait = std::chrono::seconds(5);
  options.query_deadline = std::chrono::minutes(5);
  options.statement_timeout = std::chrono::minutes(5) - std::chrono::seconds(5);
  PgEventSink sink(options);
  if (!sink.connect()) {
    std::fprintf(out, "cannot connect to PostgreSQL (see the message above); nothing replayed\n");
    return kExitFailure;
  }
  std::size_t stored = 0, kept = 0;
  try {
    drain_held(config.journal_dir, [&](const std::string& payload) {
      const SinkResult r = sink.record(payload);
      if (r.status == SinkStatus::stored) {
        ++stored;
        std::fprintf(out, "stored held event %zu: %s\n", stored + kept, r.detail.c_str());
        return true;
      }
      ++kept;
      std::fprintf(out, "still held, event %zu: %s\n", stored + kept, r.detail.c_str());
      // A lost connection would fail every later event too: reconnect.
      sink.connect();
      return false;
    });
  } catch (const JournalError& e) {
    std::fprintf(out, "cannot replay the held events: %s\n", e.what());
    return kExitFailure;
  }
  std::fprintf(out, "replayed %zu held webhook event(s) into PostgreSQL; %zu still held in %s\n", stored,
               kept, held_path(config.journal_dir).c_str());
  return kept == 0 ? kExitOk : kExitFailure;
}

}  // namespace pgdialer::sync
