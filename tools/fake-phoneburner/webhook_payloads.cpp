#include "webhook_payloads.hpp"

#include "json_util.hpp"

namespace fake_pb {
namespace {

std::string finish(rapidjson::StringBuffer& buf) { return std::string(buf.GetString(), buf.GetSize()); }

void put_custom_data(JsonWriter& w, const SimulatedCall& call) {
  if (!call.custom_data.empty()) put_raw(w, "custom_data", call.custom_data);
}

void put_category(JsonWriter& w, const ContactSnapshot& c) {
  w.Key("category");
  w.StartObject();
  put_id(w, "category_id", c.folder_id);
  put_str(w, "name", c.folder_name);
  w.EndObject();
}

void put_agent(JsonWriter& w, const SimulatedCall& call) {
  w.Key("agent");
  w.StartObject();
  put_str(w, "user_id", call.agent.user_id);
  if (call.variant.agent_single_name) {
    put_str(w, "name", call.agent.full_name());
  } else {
    put_str(w, "first_name", call.agent.first_name);
    put_str(w, "last_name", call.agent.last_name);
  }
  w.EndObject();
}

// The contact object of callbegin/calldone: primary_email is a plain string
// there, unlike the REST read shape.
void put_contact(JsonWriter& w, const SimulatedCall& call, bool full) {
  const ContactSnapshot& c = call.contact;
  w.Key("contact");
  w.StartObject();
  put_id(w, "user_id", c.id);
  put_str(w, "first_name", c.first_name);
  put_str(w, "last_name", c.last_name);
  put_str(w, "phone", c.phone);
  put_str(w, "primary_email", c.email);
  if (full) {
    w.Key("emails");
    w.StartArray();
    if (!c.email.empty()) w.String(c.email.c_str());
    w.EndArray();
    put_str(w, "notes", c.notes);
  }
  put_category(w, c);
  put_str(w, "lead_id", c.lead_id);
  put_str(w, "external_id", c.external_id);
  w.EndObject();
}

void put_recording(JsonWriter& w, const SimulatedCall& call) {
  const char* key = call.variant.old_recording_names ? "recording_link" : "recording_url";
  const char* public_key =
      call.variant.old_recording_names ? "recording_link_public" : "recording_url_public";
  if (call.recording_url.empty()) {
    for (const char* k : {key, public_key}) {
      w.Key(k);
      if (call.variant.no_recording_as_null)
        w.Null();
      else
        w.String("");
    }
    return;
  }
  put_str(w, key, call.recording_url);
  put_str(w, public_key, call.recording_url + "?public=1");
}

void put_custom_fields(JsonWriter& w, const SimulatedCall& call) {
  const auto& fields = call.contact.custom_fields;
  if (call.variant.typed_custom_fields) {
    w.Key("typed_custom_fields");
    w.StartArray();
    for (const auto& f : fields) {
      w.StartObject();
      put_str(w, "type", f.type);
      put_str(w, "name", f.name);
      put_str(w, "value", f.value);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("custom_fields");
  if (fields.empty()) {
    w.Bool(false);  // PHP's empty result, as the live API sends it
    return;
  }
  w.StartObject();
  for (const auto& f : fields) put_str(w, f.name.c_str(), f.value);
  w.EndObject();
}

void put_folder(JsonWriter& w, const SimulatedCall& call) {
  w.Key("folder");
  w.StartObject();
  if (call.variant.folder_id_as_number)
    put_num(w, "id", call.contact.folder_id);
  else
    put_id(w, "id", call.contact.folder_id);
  put_str(w, "name", call.contact.folder_name);
  w.EndObject();
}

}  // namespace

std::string contact_displayed_body(const SimulatedCall& call) {
  const ContactSnapshot& c = call.contact;
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  put_id(w, "ds_id", call.ds_id);
  put_id(w, "contact_user_id", c.id);
  put_str(w, "external_id", c.external_id);
  put_raw(w, call.variant.external_crm_short_key ? "external_crm" : "external_crm_data", c.external_crm_data);
  put_str(w, "first_name", c.first_name);
  put_str(w, "last_name", c.last_name);
  put_str(w, "phone", c.phone);
  put_str(w, "email", c.email);
  put_str(w, "lead_id", c.lead_id);
  put_category(w, c);
  put_custom_data(w, call);
  w.EndObject();
  return finish(buf);
}

std::string callbegin_body(const SimulatedCall& call) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  put_id(w, "ds_id", call.ds_id);
  put_str(w, "call_id", call.call_id);
  put_str(w, "lead_id", call.contact.lead_id);
  put_contact(w, call, false);
  put_agent(w, call);
  put_str(w, "start_time", call.start_time);
  put_custom_data(w, call);
  w.EndObject();
  return finish(buf);
}

std::string calldone_body(const SimulatedCall& call) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  put_id(w, "ds_id", call.ds_id);
  put_str(w, "call_id", call.call_id);
  put_str(w, "status", call.disposition);
  put_str(w, "connected", call.connected ? "1" : "0");
  if (call.variant.duration_as_string)
    put_id(w, "duration", call.duration);
  else
    put_num(w, "duration", call.duration);
  put_str(w, "start_time", call.start_time);
  put_str(w, "end_time", call.end_time);
  put_recording(w, call);
  if (call.variant.top_level_lead_id) put_str(w, "lead_id", call.contact.lead_id);
  put_contact(w, call, true);
  put_custom_data(w, call);
  put_agent(w, call);
  put_custom_fields(w, call);
  put_folder(w, call);
  w.Key("call_notes");
  w.StartArray();
  for (const auto& n : call.notes) w.String(n.c_str());
  w.EndArray();
  if (call.variant.events_block || !call.callback_at.empty()) {
    w.Key("events");
    w.StartObject();
    w.Key("last_event");
    w.Null();
    w.Key("next_event");
    if (call.callback_at.empty()) {
      w.Null();
    } else {
      w.StartObject();
      put_str(w, "type", "callback");
      put_str(w, "date", call.callback_at);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
  return finish(buf);
}

}  // namespace fake_pb
