#include "call_log.hpp"

#include <map>

namespace fake_pb {
namespace {

void put_text_or_null(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  if (value.empty())
    w.Null();
  else
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_bool(JsonWriter& w, const char* key, bool value) {
  w.Key(key);
  w.Bool(value);
}

bool ok(const DeliveryAttempt& a) { return a.status >= 200 && a.status < 300; }

void write_variant(JsonWriter& w, const PayloadVariant& v) {
  w.Key("variant");
  w.StartObject();
  put_bool(w, "duration_as_string", v.duration_as_string);
  put_bool(w, "old_recording_names", v.old_recording_names);
  put_bool(w, "agent_single_name", v.agent_single_name);
  put_bool(w, "top_level_lead_id", v.top_level_lead_id);
  put_bool(w, "typed_custom_fields", v.typed_custom_fields);
  put_bool(w, "folder_id_as_number", v.folder_id_as_number);
  put_bool(w, "events_block", v.events_block);
  put_bool(w, "no_recording_as_null", v.no_recording_as_null);
  put_bool(w, "external_crm_short_key", v.external_crm_short_key);
  w.EndObject();
}

// The truth in the daemon's normalized vocabulary (docs/call-events.md)
// where one exists, so tests can compare field by field.
void write_call(JsonWriter& w, long simulation, const std::string& account, const SimulatedCall& c) {
  w.StartObject();
  put_num(w, "simulation", simulation);
  put_str(w, "account", account);
  put_str(w, "call_id", c.call_id);
  put_str(w, "source", c.source);
  put_id(w, "dial_session_id", c.ds_id);
  put_id(w, "phoneburner_contact_id", c.contact.id);
  put_text_or_null(w, "lead_id", c.contact.lead_id);
  put_id(w, "folder_id", c.contact.folder_id);
  put_str(w, "folder_name", c.contact.folder_name);
  w.Key("custom_fields");
  w.StartObject();
  for (const auto& f : c.contact.custom_fields) put_str(w, f.name.c_str(), f.value);
  w.EndObject();
  if (c.custom_data.empty()) {
    w.Key("custom_data");
    w.Null();
  } else {
    put_raw(w, "custom_data", c.custom_data);
  }
  put_text_or_null(w, "phone", c.contact.phone);
  put_str(w, "agent_id", c.agent.user_id);
  put_str(w, "agent_name", c.agent.full_name());
  put_str(w, "disposition", c.disposition);
  put_bool(w, "connected", c.connected);
  put_num(w, "duration_seconds", c.duration);
  put_str(w, "start_time", c.start_time);
  put_str(w, "end_time", c.end_time);
  w.Key("call_notes");
  w.StartArray();
  for (const auto& n : c.notes) w.String(n.c_str());
  w.EndArray();
  put_text_or_null(w, "recording_url", c.recording_url);
  put_text_or_null(w, "callback_at", c.callback_at);
  write_variant(w, c.variant);
  w.EndObject();
}

}  // namespace

long CallLog::add(const CallPlan& plan, const std::vector<std::vector<DeliveryAttempt>>& attempts) {
  Run run;
  run.simulation = static_cast<long>(runs_.size()) + 1;
  run.source = plan.source;
  run.account = plan.account;
  run.ds_id = plan.ds_id;
  const size_t first_call = calls_.size();
  for (const auto& c : plan.calls) calls_.push_back(Call{run.simulation, c});
  const long first_seq = static_cast<long>(deliveries_.size()) + 1;
  for (size_t i = 0; i < plan.deliveries.size(); ++i) {
    const PlannedDelivery& p = plan.deliveries[i];
    Delivery d;
    d.seq = first_seq + static_cast<long>(i);
    d.simulation = run.simulation;
    d.call = first_call + p.call;
    d.event = p.event;
    d.url = p.url;
    d.body = p.body;
    d.duplicate_of = p.duplicate_of >= 0 ? first_seq + p.duplicate_of : 0;
    d.attempts = attempts.at(i);
    deliveries_.push_back(std::move(d));
  }
  runs_.push_back(run);
  return run.simulation;
}

void CallLog::write_lists(JsonWriter& w, long simulation) const {
  w.Key("calls");
  w.StartArray();
  for (const auto& c : calls_)
    if (simulation == 0 || c.simulation == simulation)
      write_call(w, c.simulation, runs_.at(static_cast<size_t>(c.simulation - 1)).account, c.call);
  w.EndArray();
  w.Key("deliveries");
  w.StartArray();
  for (const auto& d : deliveries_) {
    if (simulation != 0 && d.simulation != simulation) continue;
    const SimulatedCall& call = calls_[d.call].call;
    const DeliveryAttempt& last = d.attempts.back();
    w.StartObject();
    put_num(w, "seq", d.seq);
    put_num(w, "simulation", d.simulation);
    put_str(w, "event", event_name(d.event));
    put_str(w, "call_id", call.call_id);  // the call it belongs to (contact_displayed has none)
    put_id(w, "phoneburner_contact_id", call.contact.id);
    put_str(w, "url", d.url);
    put_bool(w, "duplicate", d.duplicate_of != 0);
    w.Key("duplicate_of");
    if (d.duplicate_of)
      w.Int64(d.duplicate_of);
    else
      w.Null();
    put_num(w, "status", last.status);
    put_bool(w, "ok", ok(last));
    put_text_or_null(w, "error", last.error);
    w.Key("attempts");
    w.StartArray();
    for (const auto& a : d.attempts) {
      w.StartObject();
      put_num(w, "status", a.status);
      put_text_or_null(w, "error", a.error);
      w.EndObject();
    }
    w.EndArray();
    put_raw(w, "body", d.body);
    w.EndObject();
  }
  w.EndArray();
}

void CallLog::write_summary(JsonWriter& w, long simulation) const {
  long calls = 0, connected = 0, talk = 0, total_duration = 0;
  std::map<std::string, long> by_disposition, by_event, by_status;
  for (const auto& c : calls_) {
    if (simulation != 0 && c.simulation != simulation) continue;
    ++calls;
    ++by_disposition[c.call.disposition];
    total_duration += c.call.duration;
    if (c.call.connected) {
      ++connected;
      talk += c.call.duration;
    }
  }
  long deliveries = 0, delivered = 0, duplicates = 0, attempts = 0;
  for (const auto& d : deliveries_) {
    if (simulation != 0 && d.simulation != simulation) continue;
    ++deliveries;
    attempts += static_cast<long>(d.attempts.size());
    if (ok(d.attempts.back())) ++delivered;
    if (d.duplicate_of) ++duplicates;
    ++by_event[event_name(d.event)];
    ++by_status[std::to_string(d.attempts.back().status)];
  }
  auto put_map = [&](const char* key, const std::map<std::string, long>& m) {
    w.Key(key);
    w.StartObject();
    for (const auto& [k, v] : m) put_num(w, k.c_str(), v);
    w.EndObject();
  };
  w.Key("summary");
  w.StartObject();
  put_num(w, "calls", calls);
  put_num(w, "connected", connected);
  put_num(w, "talk_seconds", talk);
  put_num(w, "duration_seconds", total_duration);
  put_map("by_disposition", by_disposition);
  put_num(w, "deliveries", deliveries);
  put_num(w, "delivered", delivered);
  put_num(w, "failed", deliveries - delivered);
  put_num(w, "duplicates", duplicates);
  put_num(w, "attempts", attempts);
  put_map("by_event", by_event);
  put_map("by_status", by_status);
  w.EndObject();
}

void CallLog::write_run(JsonWriter& w, long simulation) const {
  const Run& run = runs_.at(static_cast<size_t>(simulation - 1));
  w.StartObject();
  put_num(w, "simulation", run.simulation);
  put_str(w, "account", run.account);
  put_str(w, "source", run.source);
  put_id(w, "dial_session_id", run.ds_id);
  write_lists(w, simulation);
  write_summary(w, simulation);
  w.EndObject();
}

void CallLog::write_all(JsonWriter& w, long simulation) const {
  w.StartObject();
  put_num(w, "simulations", static_cast<long long>(runs_.size()));
  write_lists(w, simulation);
  write_summary(w, simulation);
  w.EndObject();
}

}  // namespace fake_pb
