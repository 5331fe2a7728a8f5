// A PhoneBurner webhook body -> the one normalized event JSON that
// dialer.record_call_event(jsonb) takes (docs/call-events.md). The cases,
// body and event side by side, are the contract pairs in
// tests/contract/webhook-events/.
//
// PhoneBurner's bodies vary between accounts and API generations: ids and
// numbers come as strings or numbers, the recording as recording_url or
// recording_link (or their *_public twins), custom_fields as an object or
// the literal false, the agent with a name or first/last names. All of that
// is absorbed here, so SQL sees one shape with every key present (null when
// absent) and the body as received under "raw".
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pgdialer::sync {

// Where a delivery came from, established by the verified URL (not the body).
struct EventOrigin {
  std::optional<long long> session_id;        // set: per-session callback; unset: account-level hook
  std::string received_at;                    // UTC, format_received_at()
  std::string time_zone = "America/Chicago";  // zone of start_time/end_time
  // The callback type named in the URL (each dial-session callback we
  // register carries its own ?event=); wins over guessing from the body.
  std::optional<std::string> event;
  // The credential whose account-level URL the delivery came to (the legacy
  // account URL: "default"); written as "credential" when set. Session
  // callbacks have none: their session says the account.
  std::optional<std::string> credential;
};

struct NormalizedEvent {
  bool ok = false;
  std::string error;  // why the body is not acceptable (not JSON, not an object)
  std::string event;  // api_calldone | api_callbegin | api_contact_displayed
  std::string json;   // the normalized event, compact, no raw newlines
};

NormalizedEvent normalize_event(const std::string& body, const EventOrigin& origin);

// "2026-11-24T15:04:05.123456Z": the daemon's clock when a delivery arrived.
std::string format_received_at(std::chrono::system_clock::time_point when);

}  // namespace pgdialer::sync
