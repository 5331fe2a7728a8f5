#include "webhook/event.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "common/json_parse.hpp"

namespace pgdialer::sync {
namespace {

using rapidjson::Value;

const Value* member(const Value* object, const char* name) {
  if (!object || !object->IsObject()) return nullptr;
  auto it = object->FindMember(name);
  if (it == object->MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::string trim(std::string s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// A scalar as text: strings trimmed, integers without a fraction, doubles
// that are whole as integers (ids sometimes arrive as 30919237.0). Empty
// strings, objects, arrays and booleans are "absent".
std::optional<std::string> text_of(const Value* v) {
  if (!v) return std::nullopt;
  std::string out;
  if (v->IsString()) {
    out = trim(std::string(v->GetString(), v->GetStringLength()));
  } else if (v->IsInt64()) {
    out = std::to_string(v->GetInt64());
  } else if (v->IsUint64()) {
    out = std::to_string(v->GetUint64());
  } else if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (!std::isfinite(d)) return std::nullopt;
    char buffer[64];
    if (d == std::floor(d) && std::fabs(d) < 1e15)
      std::snprintf(buffer, sizeof buffer, "%.0f", d);
    else
      std::snprintf(buffer, sizeof buffer, "%.17g", d);
    out = buffer;
  } else {
    return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// The first present text among candidates.
template <typename... V>
std::optional<std::string> first_text(V... candidates) {
  std::optional<std::string> found;
  ((found = found ? found : text_of(candidates)), ...);
  return found;
}

std::optional<long long> whole_seconds(const Value* v) {
  auto t = text_of(v);
  if (!t) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(t->c_str(), &end);
  if (end == t->c_str() || *end != '\0' || !std::isfinite(d) || d < 0 || d > 1e9) return std::nullopt;
  return static_cast<long long>(std::llround(d));
}

std::optional<bool> flag(const Value* v) {
  if (!v) return std::nullopt;
  if (v->IsBool()) return v->GetBool();
  auto t = text_of(v);
  if (!t) return std::nullopt;
  std::string s;
  for (char c : *t) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "1" || s == "true" || s == "yes" || s == "y") return true;
  if (s == "0" || s == "false" || s == "no" || s == "n") return false;
  return std::nullopt;
}

// "YYYY-MM-DD HH:MM:SS" as sent (a 'T' separator is accepted and written as
// a space); the zero date and anything else unreadable become null (the
// original stays in raw).
std::optional<std::string> local_time(const Value* v) {
  auto t = text_of(v);
  if (!t || t->size() < 19) return std::nullopt;
  std::string s = t->substr(0, 19);
  if (s[10] == 'T') s[10] = ' ';
  static const char kPattern[] = "dddd-dd-dd dd:dd:dd";
  for (size_t i = 0; i < 19; ++i) {
    if (kPattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != kPattern[i])
      return std::nullopt;
  }
  if (s.compare(0, 10, "0000-00-00") == 0) return std::nullopt;
  if (t->size() > 19 && (*t)[19] != '.') return std::nullopt;  // a zone suffix: not the zoneless form
  return s;
}

// A callback the rep scheduled: "YYYY-MM-DD HH:MM:SS" (as local_time reads
// it) or a bare "YYYY-MM-DD"; anything else is not a date.
std::optional<std::string> local_date_or_time(const Value* v) {
  if (auto t = local_time(v)) return t;
  auto t = text_of(v);
  if (!t || t->size() != 10) return std::nullopt;
  static const char kPattern[] = "dddd-dd-dd";
  for (size_t i = 0; i < 10; ++i) {
    if (kPattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>((*t)[i])) : (*t)[i] != kPattern[i])
      return std::nullopt;
  }
  if (t->compare("0000-00-00") == 0) return std::nullopt;
  return t;
}

// The callback date, where an api_calldone carries one: its "events" block's
// next_event (null when the rep scheduled nothing), a date-time or an object
// with one under date, start_time, datetime or start. PhoneBurner documents
// none of this (docs/phoneburner.md); a shape we do not know yields nothing
// and the body stays in raw.
std::optional<std::string> callback_date(const Value& body) {
  const Value* next = member(member(&body, "events"), "next_event");
  if (!next) return std::nullopt;
  if (!next->IsObject()) return local_date_or_time(next);
  for (const char* key : {"date", "start_time", "datetime", "start"})
    if (auto t = local_date_or_time(member(next, key))) return t;
  return std::nullopt;
}

// The sourceco_contact_id custom field from the places PhoneBurner puts
// custom fields: a flat object (or false), typed_custom_fields
// [{type,name,value}], or the contact's own custom_fields array.
std::optional<std::string> custom_field(const Value& body, const char* name) {
  auto from_array = [&](const Value* array) -> std::optional<std::string> {
    if (!array || !array->IsArray()) return std::nullopt;
    for (const Value& f : array->GetArray()) {
      auto n = text_of(member(&f, "name"));
      if (n && *n == name) {
        auto value = text_of(member(&f, "value"));
        if (value) return value;
      }
    }
    return std::nullopt;
  };
  auto from_any = [&](const Value* fields) -> std::optional<std::string> {
    if (!fields) return std::nullopt;
    if (fields->IsObject()) return text_of(member(fields, name));
    return from_array(fields);
  };
  const Value* contact = member(&body, "contact");
  if (auto v = from_any(member(&body, "custom_fields"))) return v;
  if (auto v = from_array(member(&body, "typed_custom_fields"))) return v;
  if (auto v = from_any(member(contact, "custom_fields"))) return v;
  return std::nullopt;
}

std::optional<std::string> agent_name(const Value* agent) {
  if (auto name = text_of(member(agent, "name"))) return name;
  auto first = text_of(member(agent, "first_name"));
  auto last = text_of(member(agent, "last_name"));
  std::string full = trim(first.value_or("") + " " + last.value_or(""));
  if (full.empty()) return std::nullopt;
  return full;
}

// call_notes: an array of this call's notes (strings, or objects with a
// "note"), or one string.
std::optional<std::string> call_notes(const Value* v) {
  if (!v) return std::nullopt;
  if (!v->IsArray()) return text_of(v);
  std::string joined;
  for (const Value& n : v->GetArray()) {
    auto t = n.IsObject() ? first_text(member(&n, "note"), member(&n, "text")) : text_of(&n);
    if (!t) continue;
    if (!joined.empty()) joined += "\n";
    joined += *t;
  }
  if (joined.empty()) return std::nullopt;
  return joined;
}

// Which event this is. Our dial-session callback URLs name it (?event=);
// failing that, the body may name it; otherwise its shape tells:
// the account-level hook is configured for api_calldone only; a per-session
// delivery without a call_id is api_contact_displayed, and one with a call
// but no outcome fields is api_callbegin.
bool is_event_name(const std::string& s) {
  return s == "api_calldone" || s == "api_callbegin" || s == "api_contact_displayed";
}

std::string event_name(const Value& body, bool from_session, const std::optional<std::string>& from_url) {
  if (from_url && is_event_name(*from_url)) return *from_url;
  for (const char* key : {"event", "event_type", "webhook_event", "type", "callback_type"}) {
    auto named = text_of(member(&body, key));
    if (!named) continue;
    std::string s;
    for (char c : *named) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s.rfind("api_", 0) != 0) s = "api_" + s;
    if (is_event_name(s)) return s;
  }
  if (!from_session) return "api_calldone";
  if (!text_of(member(&body, "call_id"))) return "api_contact_displayed";
  for (const char* outcome :
       {"status", "duration", "end_time", "connected", "recording_url", "recording_link", "call_notes"}) {
    if (member(&body, outcome)) return "api_calldone";
  }
  return "api_callbegin";
}

class EventWriter {
 public:
  EventWriter() : writer_(buffer_) { writer_.StartObject(); }
  void text(const char* key, const std::optional<std::string>& v) {
    writer_.Key(key);
    if (v)
      writer_.String(v->c_str(), static_cast<rapidjson::SizeType>(v->size()));
    else
      writer_.Null();
  }
  void integer(const char* key, const std::optional<long long>& v) {
    writer_.Key(key);
    if (v)
      writer_.Int64(*v);
    else
      writer_.Null();
  }
  void boolean(const char* key, const std::optional<bool>& v) {
    writer_.Key(key);
    if (v)
      writer_.Bool(*v);
    else
      writer_.Null();
  }
  void value(const char* key, const Value* v) {
    writer_.Key(key);
    if (v)
      v->Accept(writer_);
    else
      writer_.Null();
  }
  std::string finish() {
    writer_.EndObject();
    return std::string(buffer_.GetString(), buffer_.GetSize());
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace

std::string format_received_at(std::chrono::system_clock::time_point when) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  long fraction = static_cast<long>(micros % 1000000);
  if (fraction < 0) {
    fraction += 1000000;
    --seconds;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, fraction);
  return buffer;
}

NormalizedEvent normalize_event(const std::string& body, const EventOrigin& origin) {
  NormalizedEvent out;
  rapidjson::Document doc;
  // Invalid UTF-8 is refused here too: the database would refuse it later.
  json::ParseOptions options;
  options.validate_utf8 = true;
  const json::ParseResult parsed = json::parse(body, &doc, options);
  if (!parsed.ok()) {
    out.error = "body " + parsed.problem();
    return out;
  }
  if (!doc.IsObject()) {
    out.error = "body is not a JSON object";
    return out;
  }
  // PostgreSQL's jsonb cannot hold U+0000; such a body would fail in the
  // database on every retry, so it is refused up front.
  if (parsed.contains_nul) {
    out.error = "body contains a NUL character";
    return out;
  }
  const Value* contact = member(&doc, "contact");
  const Value* agent = member(&doc, "agent");
  const Value* folder = member(&doc, "folder");
  const Value* category = member(contact, "category");

  // custom_data echoes what we sent at launch; some senders double-encode it.
  rapidjson::Document custom_data_doc;
  const Value* custom_data = member(&doc, "custom_data");
  if (custom_data && custom_data->IsString()) {
    // Held to the same rules as the body: it is stored in the same jsonb.
    json::ParseOptions options;
    options.validate_utf8 = true;
    const json::ParseResult inner =
        json::parse(std::string_view(custom_data->GetString(), custom_data->GetStringLength()),
                    &custom_data_doc, options);
    custom_data =
        inner.ok() && !inner.contains_nul && custom_data_doc.IsObject() ? &custom_data_doc : nullptr;
  }
  if (custom_data && !custom_data->IsObject()) custom_data = nullptr;

  out.event = event_name(doc, origin.session_id.has_value(), origin.event);
  EventWriter w;
  w.text("event", out.event);
  w.text("source", std::string(origin.session_id ? "session" : "account"));
  w.integer("session_id", origin.session_id);
  // Only for the account URLs: a session callback's session says the account.
  if (origin.credential) w.text("credential", origin.credential);
  w.text("received_at", origin.received_at);
  w.text("time_zone", origin.time_zone);
  w.text("call_id", text_of(member(&doc, "call_id")));
  w.text("dial_session_id",
         first_text(member(&doc, "ds_id"), member(&doc, "dial_session_id"), member(&doc, "dialsession_id")));
  w.text("phoneburner_contact_id", first_text(member(contact, "user_id"), member(contact, "contact_user_id"),
                                              member(&doc, "contact_user_id"), member(&doc, "user_id")));
  w.text("lead_id", first_text(member(&doc, "lead_id"), member(contact, "lead_id")));
  w.text("sourceco_contact_id", custom_field(doc, "sourceco_contact_id"));
  w.text("folder_id", first_text(member(folder, "id"), member(folder, "folder_id"),
                                 member(category, "category_id"), member(contact, "category_id")));
  w.value("custom_data", custom_data);
  w.text("agent_name", agent_name(agent));
  w.text("agent_id", first_text(member(agent, "user_id"), member(agent, "id")));
  w.text("start_time", local_time(member(&doc, "start_time")));
  w.text("end_time", local_time(member(&doc, "end_time")));
  w.integer("duration_seconds", whole_seconds(member(&doc, "duration")));
  w.boolean("connected", flag(member(&doc, "connected")));
  w.text("disposition", text_of(member(&doc, "status")));
  // Only when the body has one, so the 23 keys stay as they were otherwise.
  if (auto when = callback_date(doc)) w.text("callback_date", when);
  w.text("notes", call_notes(member(&doc, "call_notes")));
  w.text("recording_url",
         first_text(member(&doc, "recording_url"), member(&doc, "recording_link"),
                    member(&doc, "recording_url_public"), member(&doc, "recording_link_public")));
  w.text("phone", first_text(member(contact, "phone"), member(&doc, "phone")));
  w.value("raw", &doc);
  out.json = w.finish();
  out.ok = true;
  return out;
}

}  // namespace pgdialer::sync
