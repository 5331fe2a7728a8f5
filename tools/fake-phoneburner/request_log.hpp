// What the fake was asked: a bounded log of recent requests (oldest dropped
// first) and per-route counters that are never trimmed, so tests can assert
// how the daemon called the API, not only what it ended up storing.
#pragma once
#include "json_util.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace fake_pb {

struct RequestRecord {
  std::uint64_t seq = 0;  // assigned by RequestLog::add, from 1
  std::string time;       // ISO 8601 UTC, when the answer was sent
  std::string method, path, query, content_type, body;
  std::string route;       // "POST /rest/1/contacts/{id}", or "unknown"
  std::string account;     // the account the credential opened; "" = none
  int status = 0;          // what the client got; 0 = connection dropped
  int handler_status = 0;  // what the route produced, when it ran (0 = did not)
  std::string fault;       // "", or the fault's source ("fail_next", "error_rate", ...)
  // What the injected fault did, for the counters: "429", "503" (a status),
  // "drop_before_write", "drop_after_write" or "malformed"; "" = none.
  std::string fault_kind;
  long long duration_ms = 0;
  // Set by RequestLog::add, i.e. when the answer is ready (after any latency
  // knob): microseconds since the Unix epoch, and on CLOCK_MONOTONIC
  // (std::chrono::steady_clock), which other processes on the same Linux
  // host can compare with their own steady_clock (benchmarks do).
  long long logged_unix_us = 0;
  long long logged_monotonic_us = 0;
};

class RequestLog {
 public:
  static constexpr size_t kMaxBodyBytes = 4096;  // longer bodies are cut

  explicit RequestLog(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  void add(RequestRecord record);
  void clear();
  // {"requests":[...],"next_seq":N,"capacity":C}, records with seq > since.
  void write_records(JsonWriter& w, std::uint64_t since) const;
  // {"requests_total":N,"by_route":{"POST /rest/1/contacts":{"201":2,"dropped":1}},
  //  "faults":{"429":3,"drop_after_write":1}} over every request: `faults`
  // counts the injected faults (fail_next rules and rates) by what they did.
  void write_counters(JsonWriter& w) const;
  // The same over the requests that authenticated as `account`.
  void write_account_counters(JsonWriter& w, const std::string& account) const;

 private:
  struct Counters {
    long total = 0;
    std::map<std::string, std::map<std::string, long>> by_route;
    std::map<std::string, long> faults;
    void count(const RequestRecord& r);
    void write(JsonWriter& w) const;
  };

  size_t capacity_;
  std::uint64_t next_seq_ = 1;
  std::deque<RequestRecord> records_;
  Counters all_;
  std::map<std::string, Counters> by_account_;
};

}  // namespace fake_pb
