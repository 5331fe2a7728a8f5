#include "faults.hpp"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace fake_pb {
namespace {

bool parse_long(const std::string& text, long long min, long long max, long long& out) {
  if (text.empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) return false;
  out = v;
  return true;
}

bool parse_rate(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(v >= 0.0 && v <= 1.0)) return false;
  out = v;
  return true;
}

const char* kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::status: return "status";
    case FaultKind::drop_before_write: return "drop_before_write";
    case FaultKind::drop_after_write: return "drop_after_write";
    case FaultKind::malformed: return "malformed";
    default: return "none";
  }
}

bool truthy(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return false;
  const auto text = scalar_text(it->value);
  return text && !text->empty() && *text != "0" && *text != "false";
}

bool is_drop(FaultKind k) { return k == FaultKind::drop_before_write || k == FaultKind::drop_after_write; }

}  // namespace

const std::vector<std::string>& knob_names() {
  static const std::vector<std::string> names{"latency_ms",
                                              "error_rate",
                                              "rate_limit_rate",
                                              "retry_after_s",
                                              "drop_after_write_rate",
                                              "malformed_rate",
                                              "seed",
                                              "dialsession_delay_ms_per_contact",
                                              "ignore_unknown_custom_fields",
                                              "oauth_access_ttl_s",
                                              "oauth_rotate_refresh_tokens"};
  return names;
}

bool set_knob(Knobs& k, const std::string& name, const std::string& text, std::string& error) {
  constexpr long long kMaxDelayMs = 600000;  // ten minutes is beyond any client timeout
  long long n = 0;
  bool ok = true;
  if (name == "latency_ms") {
    ok = parse_long(text, 0, kMaxDelayMs, n);
    if (ok) k.latency_ms = static_cast<int>(n);
  } else if (name == "dialsession_delay_ms_per_contact") {
    ok = parse_long(text, 0, kMaxDelayMs, n);
    if (ok) k.dialsession_delay_ms_per_contact = static_cast<int>(n);
  } else if (name == "ignore_unknown_custom_fields") {
    ok = parse_long(text, 0, 1, n);
    if (ok) k.ignore_unknown_custom_fields = static_cast<int>(n);
  } else if (name == "oauth_access_ttl_s") {
    ok = parse_long(text, 1, 365LL * 86400, n);
    if (ok) k.oauth_access_ttl_s = static_cast<int>(n);
  } else if (name == "oauth_rotate_refresh_tokens") {
    ok = parse_long(text, 0, 1, n);
    if (ok) k.oauth_rotate_refresh_tokens = static_cast<int>(n);
  } else if (name == "retry_after_s") {
    ok = parse_long(text, -1, 86400, n);
    if (ok) k.retry_after_s = static_cast<int>(n);
  } else if (name == "seed") {
    ok = parse_long(text, 0, INT64_MAX, n);
    if (ok) k.seed = static_cast<std::uint64_t>(n);
  } else if (name == "error_rate") {
    ok = parse_rate(text, k.error_rate);
  } else if (name == "rate_limit_rate") {
    ok = parse_rate(text, k.rate_limit_rate);
  } else if (name == "drop_after_write_rate") {
    ok = parse_rate(text, k.drop_after_write_rate);
  } else if (name == "malformed_rate") {
    ok = parse_rate(text, k.malformed_rate);
  } else {
    error = "unknown knob: " + name;
    return false;
  }
  if (!ok) error = "invalid value for " + name + ": '" + text + "'";
  return ok;
}

bool update_knobs(Knobs& knobs, const rapidjson::Value& patch, std::string& error) {
  if (!patch.IsObject()) {
    error = "config must be a JSON object";
    return false;
  }
  Knobs next = knobs;
  for (const auto& m : patch.GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    const auto text = scalar_text(m.value);
    if (!text || m.value.IsBool() || m.value.IsNull()) {
      error = "invalid value for " + name;
      return false;
    }
    if (!set_knob(next, name, *text, error)) return false;
  }
  knobs = next;
  return true;
}

void write_knob_members(JsonWriter& w, const Knobs& k) {
  put_num(w, "latency_ms", k.latency_ms);
  w.Key("error_rate");
  w.Double(k.error_rate);
  w.Key("rate_limit_rate");
  w.Double(k.rate_limit_rate);
  put_num(w, "retry_after_s", k.retry_after_s);
  w.Key("drop_after_write_rate");
  w.Double(k.drop_after_write_rate);
  w.Key("malformed_rate");
  w.Double(k.malformed_rate);
  w.Key("seed");
  w.Uint64(k.seed);
  put_num(w, "dialsession_delay_ms_per_contact", k.dialsession_delay_ms_per_contact);
  put_num(w, "ignore_unknown_custom_fields", k.ignore_unknown_custom_fields);
  put_num(w, "oauth_access_ttl_s", k.oauth_access_ttl_s);
  put_num(w, "oauth_rotate_refresh_tokens", k.oauth_rotate_refresh_tokens);
}

bool parse_fault_rule(const rapidjson::Value& json, FaultRule& rule, std::string& error) {
  if (!json.IsObject()) {
    error = "fail_next body must be a JSON object";
    return false;
  }
  FaultRule r;
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = json.FindMember(key);
    if (it == json.MemberEnd()) return std::nullopt;
    return scalar_text(it->value);
  };
  long long n = 0;
  if (auto count = text("count")) {
    if (!parse_long(*count, 1, 1000000, n)) {
      error = "count must be a positive integer";
      return false;
    }
    r.remaining = static_cast<long>(n);
  }
  int kinds = 0;
  if (truthy(json, "drop_after_write")) r.kind = FaultKind::drop_after_write, ++kinds;
  if (truthy(json, "drop_before_write")) r.kind = FaultKind::drop_before_write, ++kinds;
  if (truthy(json, "malformed")) r.kind = FaultKind::malformed, ++kinds;
  if (auto status = text("status")) {
    if (!parse_long(*status, 400, 599, n)) {
      error = "status must be an HTTP error status (400..599)";
      return false;
    }
    r.kind = FaultKind::status, r.status = static_cast<int>(n), ++kinds;
  }
  if (kinds > 1) {
    error = "give one of status, drop_after_write, drop_before_write, malformed";
    return false;
  }
  if (auto retry = text("retry_after_s")) {
    if (!parse_long(*retry, -1, 86400, n)) {
      error = "retry_after_s must be -1..86400";
      return false;
    }
    r.retry_after_s = static_cast<int>(n);
  }
  r.method = text("method").value_or("");
  for (auto& c : r.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  r.path = text("path").value_or("");
  r.account = text("account").value_or("");
  rule = std::move(r);
  return true;
}

FaultPlan::FaultPlan(const Knobs& knobs) : knobs_(knobs), rng_(knobs.seed) {}

void FaultPlan::set_knobs(const Knobs& knobs) {
  if (knobs.seed != knobs_.seed) rng_.seed(knobs.seed);
  knobs_ = knobs;
}

std::optional<Fault> FaultPlan::take_rule(const std::string& method, const std::string& path, bool is_write,
                                          const std::string& account, bool oauth) {
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (is_drop(it->kind) && !is_write) continue;
    if (!it->method.empty() && it->method != method) continue;
    if (oauth && it->path.rfind("/oauth", 0) != 0) continue;
    if (!it->path.empty() && path.compare(0, it->path.size(), it->path) != 0) continue;
    if (!it->account.empty() && it->account != account) continue;
    // An explicit retry_after_s goes on any status; by default only 429s get one.
    const int retry = it->retry_after_s.value_or(it->status == 429 ? knobs_.retry_after_s : -1);
    Fault f{it->kind, it->status, retry, "fail_next"};
    if (--it->remaining <= 0) rules_.erase(it);
    return f;
  }
  return std::nullopt;
}

Fault FaultPlan::decide_oauth(const std::string& method, const std::string& path,
                              const std::string& account) {
  return take_rule(method, path, method != "GET", account, true).value_or(Fault{});
}

std::string fault_kind_name(const Fault& fault) {
  switch (fault.kind) {
    case FaultKind::none: return "";
    case FaultKind::status: return std::to_string(fault.status);
    case FaultKind::drop_before_write: return "drop_before_write";
    case FaultKind::drop_after_write: return "drop_after_write";
    case FaultKind::malformed: return "malformed";
  }
  return "";
}

Fault FaultPlan::decide(const std::string& method, const std::string& path, bool is_write,
                        const std::string& account) {
  if (auto rule = take_rule(method, path, is_write, account, false)) return *rule;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto roll = [&](double p) { return p > 0 && uniform(rng_) < p; };
  if (roll(knobs_.rate_limit_rate))
    return Fault{FaultKind::status, 429, knobs_.retry_after_s, "rate_limit_rate"};
  if (roll(knobs_.error_rate)) {
    static constexpr int kStatuses[] = {500, 502, 503};
    return Fault{FaultKind::status, kStatuses[rng_() % 3], -1, "error_rate"};
  }
  if (is_write && roll(knobs_.drop_after_write_rate))
    return Fault{FaultKind::drop_after_write, 0, -1, "drop_after_write_rate"};
  if (roll(knobs_.malformed_rate)) return Fault{FaultKind::malformed, 0, -1, "malformed_rate"};
  return Fault{};
}

void FaultPlan::write_rules(JsonWriter& w) const {
  w.StartArray();
  for (const auto& r : rules_) {
    w.StartObject();
    put_num(w, "remaining", r.remaining);
    put_str(w, "kind", kind_name(r.kind));
    if (r.kind == FaultKind::status) put_num(w, "status", r.status);
    if (r.retry_after_s) put_num(w, "retry_after_s", *r.retry_after_s);
    if (!r.method.empty()) put_str(w, "method", r.method);
    if (!r.path.empty()) put_str(w, "path", r.path);
    if (!r.account.empty()) put_str(w, "account", r.account);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace fake_pb
