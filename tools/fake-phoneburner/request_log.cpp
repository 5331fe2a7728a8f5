#include "request_log.hpp"

#include <chrono>

namespace fake_pb {

void RequestLog::add(RequestRecord r) {
  r.seq = next_seq_++;
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  if (r.logged_unix_us == 0)
    r.logged_unix_us =
        duration_cast<microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (r.logged_monotonic_us == 0)
    r.logged_monotonic_us =
        duration_cast<microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (r.body.size() > kMaxBodyBytes) {
    size_t cut = kMaxBodyBytes;  // not inside a UTF-8 sequence: the log is JSON
    while (cut > 0 && (static_cast<unsigned char>(r.body[cut]) & 0xC0) == 0x80) --cut;
    r.body.resize(cut);
  }
  all_.count(r);
  if (!r.account.empty()) by_account_[r.account].count(r);
  records_.push_back(std::move(r));
  while (records_.size() > capacity_) records_.pop_front();
}

void RequestLog::clear() {
  records_.clear();
  all_ = Counters();
  by_account_.clear();
  next_seq_ = 1;
}

void RequestLog::write_records(JsonWriter& w, std::uint64_t since) const {
  w.StartObject();
  w.Key("requests");
  w.StartArray();
  for (const auto& r : records_) {
    if (r.seq <= since) continue;
    w.StartObject();
    put_num(w, "seq", static_cast<long long>(r.seq));
    put_str(w, "time", r.time);
    put_str(w, "method", r.method);
    put_str(w, "path", r.path);
    put_str(w, "query", r.query);
    put_str(w, "content_type", r.content_type);
    put_str(w, "body", r.body);
    put_str(w, "route", r.route);
    put_str(w, "account", r.account);
    put_num(w, "status", r.status);
    put_num(w, "handler_status", r.handler_status);
    w.Key("dropped");
    w.Bool(r.status == 0);
    put_str(w, "fault", r.fault);
    put_num(w, "duration_ms", r.duration_ms);
    put_num(w, "logged_unix_us", r.logged_unix_us);
    put_num(w, "logged_monotonic_us", r.logged_monotonic_us);
    w.EndObject();
  }
  w.EndArray();
  put_num(w, "next_seq", static_cast<long long>(next_seq_));
  put_num(w, "capacity", static_cast<long long>(capacity_));
  w.EndObject();
}

void RequestLog::Counters::count(const RequestRecord& r) {
  ++total;
  ++by_route[r.route][r.status == 0 ? "dropped" : std::to_string(r.status)];
  if (!r.fault_kind.empty()) ++faults[r.fault_kind];
}

void RequestLog::write_counters(JsonWriter& w) const { all_.write(w); }

void RequestLog::write_account_counters(JsonWriter& w, const std::string& account) const {
  auto it = by_account_.find(account);
  (it == by_account_.end() ? Counters() : it->second).write(w);
}

void RequestLog::Counters::write(JsonWriter& w) const {
  w.StartObject();
  put_num(w, "requests_total", total);
  w.Key("by_route");
  w.StartObject();
  for (const auto& [route, statuses] : by_route) {
    w.Key(route.c_str());
    w.StartObject();
    for (const auto& [status, n] : statuses) put_num(w, status.c_str(), n);
    w.EndObject();
  }
  w.EndObject();
  w.Key("faults");
  w.StartObject();
  for (const auto& [kind, n] : faults) put_num(w, kind.c_str(), n);
  w.EndObject();
  w.EndObject();
}

}  // namespace fake_pb
