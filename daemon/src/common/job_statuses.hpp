// The words the daemon and the extension exchange about jobs. The extension
// defines them: the CHECK constraints of dialer.push_jobs, push_items and
// dial_sessions, and what its daemon API functions answer. These are the
// daemon's copies, each list complete, and an integration test compares them
// with the installed extension (tests/integration/vocabulary_test.cpp), so
// a word added, renamed or dropped on one side alone fails the tests. Code
// that sends or compares one of these words takes it from here.
#pragma once

namespace pgdialer::sync {

// dialer.push_jobs.kind
namespace job_kind {
inline constexpr char push[] = "push";
inline constexpr char launch[] = "launch";
inline constexpr const char* all[] = {push, launch};
}  // namespace job_kind

// dialer.push_jobs.status
namespace job_status {
inline constexpr char queued[] = "queued";
inline constexpr char running[] = "running";
inline constexpr char succeeded[] = "succeeded";
inline constexpr char partially_failed[] = "partially_failed";
inline constexpr char failed[] = "failed";
inline constexpr char cancelled[] = "cancelled";
inline constexpr const char* all[] = {queued, running, succeeded, partially_failed, failed, cancelled};
// dialer.fail_push_attempt's answer when the job runs again (a final status
// otherwise); not a status a job is ever in.
inline constexpr char retrying[] = "retrying";
}  // namespace job_status

// dialer.push_items.status (dialer.record_push_item)
namespace item_status {
inline constexpr char pending[] = "pending";
inline constexpr char created[] = "created";
inline constexpr char updated[] = "updated";
inline constexpr char skipped[] = "skipped";
inline constexpr char failed[] = "failed";
inline constexpr char unknown[] = "unknown";
inline constexpr const char* all[] = {pending, created, updated, skipped, failed, unknown};
}  // namespace item_status

// dialer.dial_sessions.status: a launch batch (dialer.record_dial_session)
namespace batch_status {
inline constexpr char pending[] = "pending";
inline constexpr char sending[] = "sending";
inline constexpr char created[] = "created";
inline constexpr char unknown[] = "unknown";
inline constexpr char failed[] = "failed";
inline constexpr const char* all[] = {pending, sending, created, unknown, failed};
}  // namespace batch_status

// dialer.renew_push_lease's answers while the lease is held.
namespace lease_answer {
inline constexpr char running[] = "running";
inline constexpr char cancel[] = "cancel";
}  // namespace lease_answer

}  // namespace pgdialer::sync
