// Where accepted webhook events are persisted: PostgreSQL's
// dialer.record_call_event(jsonb) in production (PgEventSink), a fake in the
// unit tests. The interface is what the receiver needs to decide between
// "stored", "refused for good", "this event failed" (counted towards setting
// it aside) and "the database cannot run anything now" (never counted).
#pragma once

#include <string>

namespace pgdialer::sync {

enum class SinkStatus {
  stored,       // committed; detail = the function's answer: recorded | duplicate | unmatched
  rejected,     // the database refuses this event's content (SQLSTATE class 22): never retry it
  failed,       // the database ran it and it failed (any other SQL error, or no answer in time):
                // keep it and retry later; repeated, it may be a poison event (event_store)
  unavailable,  // not connected, connection lost, or an error that no event could escape (the
                // server shutting down, out of resources, read-only): keep it and retry later
};

struct SinkResult {
  SinkStatus status = SinkStatus::unavailable;
  std::string detail;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Persists one normalized event in its own transaction. Must return
  // within well under a second (it runs while PhoneBurner waits), never
  // throws, never blocks on reconnecting.
  virtual SinkResult record(const std::string& event_json) = 0;
  // Makes the sink usable if it is not (reconnects); may block for seconds,
  // so only the journal replayer calls it. True when usable.
  virtual bool connect() = 0;
};

}  // namespace pgdialer::sync
