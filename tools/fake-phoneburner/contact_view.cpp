#include "contact_view.hpp"

namespace fake_pb {
namespace {

std::string folder_name(const Account& account, long id) {
  const Folder* f = account.find_folder(id);
  return f ? f->name : std::string();
}

void write_custom_fields(JsonWriter& w, const Account& account, const Contact& c) {
  w.Key("custom_fields");
  w.StartArray();
  for (const auto& f : c.custom_fields) {
    const CustomFieldDef* def = account.find_custom_field(f.field_id);
    w.StartObject();
    put_id(w, "custom_field_id", f.field_id);
    put_str(w, "name", def ? def->name : std::string());
    put_str(w, "type", def ? def->type : std::string("1"));
    put_str(w, "value", f.value);
    w.EndObject();
  }
  w.EndArray();
}

void write_tags(JsonWriter& w, const Contact& c) {
  w.Key("tags");
  w.StartArray();
  for (const auto& t : c.tags) w.String(t.c_str());
  w.EndArray();
}

std::string area_code(const std::string& digits) {
  return digits.size() >= 10 ? digits.substr(0, 3) : std::string();
}

void write_phone(JsonWriter& w, long id, const std::string& digits, const std::string& raw,
                 const std::string& type, const std::string& label, bool primary) {
  w.StartObject();
  put_id(w, "user_phone_id", id);
  put_str(w, "phone", digits);
  put_str(w, "raw_phone", raw);
  put_str(w, "area_code", area_code(digits));
  put_str(w, "type", type);
  put_str(w, "label", label);
  put_str(w, "is_primary", primary ? "1" : "0");
  put_str(w, "do_not_call", "0");
  put_str(w, "is_global_dnc", "0");
  w.EndObject();
}

void write_phones(JsonWriter& w, const Contact& c) {
  w.Key("primary_phone");
  if (c.phone.empty())
    w.Null();
  else
    write_phone(w, c.phone_id, c.phone, c.raw_phone, c.phone_type, c.phone_label, true);
  w.Key("phones");
  w.StartArray();
  if (!c.phone.empty()) write_phone(w, c.phone_id, c.phone, c.raw_phone, c.phone_type, c.phone_label, true);
  for (const auto& p : c.additional_phones) write_phone(w, p.id, p.digits, p.raw, p.type, p.label, false);
  w.EndArray();
}

void write_emails(JsonWriter& w, const Contact& c) {
  auto email = [&] {
    w.StartObject();
    put_id(w, "user_email_id", c.email_id);
    put_str(w, "email_address", c.email);
    put_str(w, "status", "1");
    put_str(w, "type", "1");
    put_str(w, "is_primary", "1");
    w.EndObject();
  };
  w.Key("primary_email");
  if (c.email.empty())
    w.Null();
  else
    email();
  w.Key("emails");
  w.StartArray();
  if (!c.email.empty()) email();
  w.EndArray();
}

void write_addresses(JsonWriter& w, const Contact& c) {
  const bool any = !(c.address1 + c.address2 + c.city + c.state + c.state_other + c.zip + c.country).empty();
  auto address = [&] {
    w.StartObject();
    put_id(w, "user_address_id", c.address_id);
    put_str(w, "address", c.address1);
    put_str(w, "address_2", c.address2);
    put_str(w, "city", c.city);
    put_str(w, "state", c.state);
    put_str(w, "state_other", c.state_other);
    put_str(w, "zip", c.zip);
    put_str(w, "country", c.country);
    put_str(w, "type", "1");
    w.EndObject();
  };
  w.Key("primary_address");
  if (any)
    address();
  else
    w.Null();
  w.Key("addresses");
  w.StartArray();
  if (any) address();
  w.EndArray();
}

void write_notes(JsonWriter& w, const Account& account, const Contact& c) {
  w.Key("notes");
  if (c.notes.empty()) {
    w.Null();
    return;
  }
  w.StartObject();
  put_id(w, "user_notes_id", c.notes_id);
  put_id(w, "user_id", c.id);
  put_str(w, "notes", c.notes);
  put_str(w, "date_created", c.date_added);
  w.EndObject();
}

}  // namespace

void write_contact_read(JsonWriter& w, const Account& account, const Contact& c) {
  w.StartObject();
  put_id(w, "contact_user_id", c.id);
  put_id(w, "user_id", c.id);
  put_str(w, "owner_id", account.member.user_id);
  put_str(w, "owner_username", account.member.username);
  put_str(w, "first_name", c.first_name);
  put_str(w, "last_name", c.last_name);
  put_str(w, "date_added", c.date_added);
  put_str(w, "date_modified", c.date_modified);
  put_str(w, "raw_phone", c.raw_phone);
  put_str(w, "phone_type", c.phone_type);
  put_str(w, "lead_id", c.lead_id);
  put_str(w, "external_id", c.external_id);
  put_id(w, "total_calls", c.total_calls);
  put_str(w, "do_not_call", "0");
  put_str(w, "last_call_time", c.last_call_time.empty() ? "0000-00-00 00:00:00" : c.last_call_time);
  write_tags(w, c);
  w.Key("category");
  w.StartObject();
  put_id(w, "category_id", c.category_id);
  put_str(w, "name", folder_name(account, c.category_id));
  w.EndObject();
  write_custom_fields(w, account, c);
  write_phones(w, c);
  write_emails(w, c);
  write_addresses(w, c);
  write_notes(w, account, c);
  w.Key("contact");
  w.StartObject();
  put_id(w, "original_category_id", c.original_category_id);
  put_str(w, "archived", "0");
  put_str(w, "trashed", c.trashed ? "1" : "0");
  put_str(w, "removed", "0");
  put_str(w, "viewed", "0");
  put_str(w, "rating", "0");
  put_str(w, "vendor_id", "0");
  put_str(w, "contact_num", "0");
  put_str(w, "contacted", "0");
  w.EndObject();
  put_raw(w, "external_crm_data", c.external_crm_data);
  w.EndObject();
}

void write_contact_state(JsonWriter& w, const Account& account, const Contact& c) {
  w.StartObject();
  put_id(w, "contact_user_id", c.id);
  put_id(w, "category_id", c.category_id);
  put_str(w, "folder_name", folder_name(account, c.category_id));
  put_str(w, "first_name", c.first_name);
  put_str(w, "last_name", c.last_name);
  put_str(w, "phone", c.phone);
  put_str(w, "raw_phone", c.raw_phone);
  put_str(w, "phone_type", c.phone_type);
  put_str(w, "phone_label", c.phone_label);
  put_str(w, "email", c.email);
  put_str(w, "address1", c.address1);
  put_str(w, "address2", c.address2);
  put_str(w, "city", c.city);
  put_str(w, "state", c.state);
  put_str(w, "state_other", c.state_other);
  put_str(w, "zip", c.zip);
  put_str(w, "country", c.country);
  put_str(w, "lead_id", c.lead_id);
  put_str(w, "external_id", c.external_id);
  write_custom_fields(w, account, c);
  write_tags(w, c);
  w.Key("additional_phone");
  w.StartArray();
  for (const auto& p : c.additional_phones) {
    w.StartObject();
    put_str(w, "number", p.raw);
    put_str(w, "phone", p.digits);
    put_str(w, "phone_type", p.type);
    put_str(w, "phone_label", p.label);
    w.EndObject();
  }
  w.EndArray();
  put_raw(w, "external_crm_data", c.external_crm_data);
  put_str(w, "notes", c.notes);
  w.Key("notes_entries");
  w.StartArray();
  for (const auto& n : c.notes_entries) w.String(n.c_str());
  w.EndArray();
  put_str(w, "date_added", c.date_added);
  put_str(w, "date_modified", c.date_modified);
  put_str(w, "origin", c.origin);
  put_num(w, "total_calls", c.total_calls);
  put_str(w, "last_call_time", c.last_call_time);
  w.Key("trashed");
  w.Bool(c.trashed);
  w.EndObject();
}

}  // namespace fake_pb
