#include "account_state_json.hpp"

#include "contact_view.hpp"

namespace fake_pb {

void write_account_members(JsonWriter& w, const AccountState& account, long long now_ms) {
  const Account& a = account.data;
  w.Key("member");
  w.StartObject();
  put_str(w, "user_id", a.member.user_id);
  put_str(w, "username", a.member.username);
  w.EndObject();
  w.Key("folders");
  w.StartArray();
  for (const auto& f : a.folders) {
    w.StartObject();
    put_id(w, "folder_id", f.id);
    put_str(w, "folder_name", f.name);
    put_str(w, "description", f.description);
    w.Key("is_default");
    w.Bool(f.id == a.default_folder().id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("custom_field_definitions");
  w.StartArray();
  for (const auto& d : a.custom_field_defs) {
    w.StartObject();
    put_id(w, "custom_field_id", d.id);
    put_str(w, "name", d.name);
    put_str(w, "type", d.type);
    w.EndObject();
  }
  w.EndArray();
  for (const bool trashed : {false, true}) {
    w.Key(trashed ? "trashed_contacts" : "contacts");
    w.StartArray();
    for (const auto& [id, c] : a.contacts)
      if (c.trashed == trashed) write_contact_state(w, a, c);
    w.EndArray();
  }
  w.Key("dial_sessions");
  w.StartArray();
  for (const auto& s : a.dial_sessions) {
    w.StartObject();
    put_id(w, "id", s.id);
    put_str(w, "name", s.name);
    w.Key("contact_ids");
    w.StartArray();
    for (long id : s.contact_ids) w.String(std::to_string(id).c_str());
    w.EndArray();
    put_num(w, "contact_count", static_cast<long long>(s.contact_ids.size()));
    put_num(w, "skipped_contact_count", s.skipped_contact_count);
    put_raw(w, "callbacks", s.callbacks);
    put_raw(w, "custom_data", s.custom_data);
    put_raw(w, "preset_id", s.preset_id);
    put_raw(w, "errors", s.errors);
    put_str(w, "redirect_url", s.redirect_url);
    w.Key("launched");
    w.Bool(s.launched);
    put_str(w, "date_created", s.date_created);
    w.EndObject();
  }
  w.EndArray();
  put_str(w, "account_webhook_url", account.account_webhook_url);
  w.Key("oauth");
  if (account.oauth)
    account.oauth->write_state(w, now_ms);
  else
    w.Null();
}

}  // namespace fake_pb
