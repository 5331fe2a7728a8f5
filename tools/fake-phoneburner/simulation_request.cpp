#include "simulation_request.hpp"

#include <cctype>

#include "clock.hpp"
#include "json_util.hpp"

#include <cerrno>
#include <climits>
#include <set>
#include <cstdlib>

namespace fake_pb {
namespace {

constexpr long kMaxCalls = 10000;

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

// Ids and counts as numbers or numeric strings (PhoneBurner ids are strings).
bool to_long(const rapidjson::Value& v, long& out) {
  if (v.IsBool()) return false;
  const auto text = scalar_text(v);
  if (!text || text->empty()) return false;
  errno = 0;
  char* end = nullptr;
  const long n = std::strtol(text->c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = n;
  return true;
}

bool read_long(const rapidjson::Value& body, const char* key, long min, long max, long& out,
               std::string& error) {
  const rapidjson::Value* v = member(body, key);
  if (!v) return true;
  long n = 0;
  if (!to_long(*v, n) || n < min || n > max) {
    error =
        std::string(key) + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    return false;
  }
  out = n;
  return true;
}

bool read_bool(const rapidjson::Value& body, const char* key, bool& out, std::string& error) {
  const rapidjson::Value* v = member(body, key);
  if (!v) return true;
  if (!v->IsBool()) {
    error = std::string(key) + " must be true or false";
    return false;
  }
  out = v->GetBool();
  return true;
}

bool read_string(const rapidjson::Value& v, std::string& out) {
  if (!v.IsString() || v.GetStringLength() == 0) return false;
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

// {"min":20,"max":600}, or one number for a fixed length.
bool read_range(const rapidjson::Value& body, const char* key, SecondsRange& out, std::string& error) {
  const rapidjson::Value* v = member(body, key);
  if (!v) return true;
  SecondsRange r;
  bool ok = false;
  if (v->IsObject()) {
    const rapidjson::Value* lo = member(*v, "min");
    const rapidjson::Value* hi = member(*v, "max");
    ok = lo && hi && to_long(*lo, r.min) && to_long(*hi, r.max);
  } else {
    ok = to_long(*v, r.min);
    r.max = r.min;
  }
  if (!ok || r.min < 0 || r.max < r.min || r.max > 86400) {
    error =
        std::string(key) + " must be {\"min\":A,\"max\":B} or a number of seconds, " + "0 <= A <= B <= 86400";
    return false;
  }
  out = r;
  return true;
}

bool read_agent(const rapidjson::Value& v, AgentSpec& out) {
  if (!v.IsObject()) return false;
  auto text = [&](const char* key) {
    const rapidjson::Value* m = member(v, key);
    return m ? scalar_text(*m).value_or(std::string()) : std::string();
  };
  out.user_id = text("user_id");
  out.first_name = text("first_name");
  out.last_name = text("last_name");
  const std::string name = text("name");
  if (out.first_name.empty() && out.last_name.empty() && !name.empty()) {
    const size_t space = name.find(' ');
    out.first_name = name.substr(0, space);
    if (space != std::string::npos) out.last_name = name.substr(space + 1);
  }
  return !out.user_id.empty() && !out.first_name.empty();
}

bool read_dispositions(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* v = member(body, "dispositions");
  if (!v) {
    out.disposition_weights = {
        {"No Answer", 5}, {"Left Message", 3}, {"Not Interested", 1}, {"Appointment", 1}};
    return true;
  }
  if (v->IsArray()) {
    for (const auto& d : v->GetArray()) {
      std::string text;
      if (!read_string(d, text)) {
        error = "dispositions: a list must hold non-empty strings, one per call";
        return false;
      }
      out.disposition_list.push_back(std::move(text));
    }
    if (out.disposition_list.empty()) {
      error = "dispositions: the list is empty";
      return false;
    }
    return true;
  }
  if (!v->IsObject()) {
    error = "dispositions must be an object of weights or a list of one per call";
    return false;
  }
  double total = 0;
  for (const auto& m : v->GetObject()) {
    if (!m.value.IsNumber() || m.value.GetDouble() < 0 || m.name.GetStringLength() == 0) {
      error = "dispositions: weights must be numbers >= 0 under non-empty names";
      return false;
    }
    total += m.value.GetDouble();
    out.disposition_weights.emplace_back(m.name.GetString(), m.value.GetDouble());
  }
  if (total <= 0) {
    error = "dispositions: the weights add up to nothing";
    return false;
  }
  return true;
}

bool read_contact_ids(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* v = member(body, "contact_ids");
  if (!v) return true;
  bool ok = v->IsArray() && !v->Empty();
  if (ok) {
    for (const auto& id : v->GetArray()) {
      long n = 0;
      if (!to_long(id, n) || n <= 0) {
        ok = false;
        break;
      }
      out.contact_ids.push_back(n);
    }
  }
  if (!ok) error = "contact_ids must be a non-empty list of PhoneBurner contact ids";
  return ok;
}

bool read_target(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* folder = member(body, "folder_id");
  const rapidjson::Value* session = member(body, "dial_session_id");
  if ((folder != nullptr) == (session != nullptr)) {
    error =
        "give exactly one of folder_id (folder dialing, account webhook) and "
        "dial_session_id (a session from POST /dialsession, its callbacks)";
    return false;
  }
  long& id = folder ? out.folder_id : out.dial_session_id;
  if (!to_long(folder ? *folder : *session, id) || id <= 0) {
    error = std::string(folder ? "folder_id" : "dial_session_id") + " must be an id";
    return false;
  }
  return true;
}

bool read_calls(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* calls = member(body, "calls");
  const rapidjson::Value* contacts = member(body, "contacts");
  if (calls && contacts) {
    error = "give calls (a number) or contacts (\"all\"), not both";
    return false;
  }
  if (contacts && !(contacts->IsString() && std::string(contacts->GetString()) == "all")) {
    error = "contacts: the only value is \"all\" (each contact once)";
    return false;
  }
  if (calls) {
    long n = 0;
    if (!read_long(body, "calls", 1, kMaxCalls, n, error)) return false;
    out.calls = n;
  }
  return true;
}

bool read_agents(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* one = member(body, "agent");
  const rapidjson::Value* many = member(body, "agents");
  const char* problem =
      "agent must be {\"user_id\":..., \"first_name\":..., \"last_name\":...} "
      "or {\"user_id\":..., \"name\":...}; agents a list of those";
  if (one && many) {
    error = "give agent or agents, not both";
    return false;
  }
  if (one) {
    AgentSpec a;
    if (!read_agent(*one, a)) {
      error = problem;
      return false;
    }
    out.agents.push_back(std::move(a));
  }
  if (many) {
    if (!many->IsArray() || many->Empty()) {
      error = problem;
      return false;
    }
    for (const auto& v : many->GetArray()) {
      AgentSpec a;
      if (!read_agent(v, a)) {
        error = problem;
        return false;
      }
      out.agents.push_back(std::move(a));
    }
  }
  return true;
}

bool read_connected(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* v = member(body, "connected_dispositions");
  if (!v) return true;
  if (!v->IsArray()) {
    error = "connected_dispositions must be a list of disposition texts";
    return false;
  }
  std::vector<std::string> list;
  for (const auto& d : v->GetArray()) {
    std::string text;
    if (!read_string(d, text)) {
      error = "connected_dispositions must be a list of disposition texts";
      return false;
    }
    list.push_back(std::move(text));
  }
  out.connected_dispositions = std::move(list);
  return true;
}

bool read_start(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  const rapidjson::Value* v = member(body, "start");
  if (!v) return true;
  long long ignored = 0;
  if (!v->IsString() || !parse_datetime(v->GetString(), ignored)) {
    error = "start must be \"YYYY-MM-DD HH:MM:SS\" (Central wall clock, no zone)";
    return false;
  }
  out.start = v->GetString();
  return true;
}

}  // namespace

const std::vector<std::string>& default_unconnected_dispositions() {
  static const std::vector<std::string> list{"No Answer",  "Left Message", "Busy",       "Voicemail",
                                             "Bad Number", "Disconnected", "Fax Machine"};
  return list;
}

bool is_callback_disposition(const std::string& disposition) {
  std::string lower;
  for (char c : disposition) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "call back" || lower == "callback" || lower == "call back later";
}

bool parse_simulation_request(const rapidjson::Value& body, SimulationRequest& out, std::string& error) {
  if (!body.IsObject()) {
    error = "the body must be a JSON object";
    return false;
  }
  // A misspelt key ("duplicate") would otherwise silently test nothing.
  static const std::set<std::string> known{"folder_id",
                                           "dial_session_id",
                                           "calls",
                                           "contacts",
                                           "contact_ids",
                                           "dispositions",
                                           "connected_dispositions",
                                           "talk_seconds",
                                           "ring_seconds",
                                           "wrap_seconds",
                                           "seed",
                                           "duplicates",
                                           "out_of_order",
                                           "agent",
                                           "agents",
                                           "start",
                                           "also_account_webhook",
                                           "timeout_ms",
                                           "retries",
                                           "retry_delay_ms",
                                           "callback_days"};
  for (const auto& m : body.GetObject()) {
    if (!known.count(m.name.GetString())) {
      error = std::string("unknown key: ") + m.name.GetString();
      return false;
    }
  }
  long seed = 1, duplicates = 0, timeout_ms = out.timeout_ms, retries = out.retries,
       retry_delay_ms = out.retry_delay_ms, callback_days = -1;
  const bool ok =
      read_target(body, out, error) && read_calls(body, out, error) && read_contact_ids(body, out, error) &&
      read_dispositions(body, out, error) && read_connected(body, out, error) &&
      read_range(body, "talk_seconds", out.talk, error) &&
      read_range(body, "ring_seconds", out.ring, error) &&
      read_range(body, "wrap_seconds", out.wrap, error) &&
      read_long(body, "seed", 0, LONG_MAX, seed, error) &&
      read_long(body, "duplicates", 0, kMaxCalls * 3, duplicates, error) &&
      read_bool(body, "out_of_order", out.out_of_order, error) && read_agents(body, out, error) &&
      read_start(body, out, error) &&
      read_bool(body, "also_account_webhook", out.also_account_webhook, error) &&
      read_long(body, "timeout_ms", 1, 60000, timeout_ms, error) &&
      read_long(body, "retries", 0, 5, retries, error) &&
      read_long(body, "retry_delay_ms", 0, 10000, retry_delay_ms, error) &&
      (!member(body, "callback_days") || read_long(body, "callback_days", 0, 365, callback_days, error));
  if (!ok) return false;
  if (callback_days >= 0) out.callback_days = callback_days;
  out.seed = static_cast<std::uint64_t>(seed);
  out.duplicates = duplicates;
  out.timeout_ms = static_cast<int>(timeout_ms);
  out.retries = static_cast<int>(retries);
  out.retry_delay_ms = static_cast<int>(retry_delay_ms);
  if (!out.disposition_list.empty()) {
    const long listed = static_cast<long>(out.disposition_list.size());
    if (!out.calls && out.contact_ids.empty()) out.calls = listed;
    const long wanted = out.calls ? *out.calls : static_cast<long>(out.contact_ids.size());
    if (wanted != listed) {
      error = "dispositions: a list needs exactly one entry per call (" + std::to_string(listed) + " for " +
              std::to_string(wanted) + " calls)";
      return false;
    }
  }
  if (out.folder_id && out.also_account_webhook) {
    error = "also_account_webhook is for dial sessions (folder dialing already uses it)";
    return false;
  }
  return true;
}

}  // namespace fake_pb
