#include "account.hpp"

#include <cctype>
#include <cstdlib>

namespace fake_pb {

std::string normalize_phone(const std::string& raw) {
  std::string digits;
  for (unsigned char c : raw)
    if (std::isdigit(c)) digits += static_cast<char>(c);
  if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  return digits;
}

Account::Account() : Account(std::make_shared<IdSequences>(), "default") {}

Account::Account(std::shared_ptr<IdSequences> ids, const std::string& name) : ids_(std::move(ids)) {
  const bool is_default = name == "default";
  member.user_id = std::to_string(ids_->next_member_id++);
  member.username = is_default ? "fake.agent" : name + ".agent";
  member.first_name = "Fake";
  member.last_name = is_default ? "Agent" : "Agent " + name;
  member.email = member.username + "@example.test";
  add_folder("Contacts", "Default folder");
}

const Folder* Account::find_folder(long id) const {
  for (const auto& f : folders)
    if (f.id == id) return &f;
  return nullptr;
}

long Account::resolve_folder(const std::string& id_text) const {
  char* end = nullptr;
  const long id = std::strtol(id_text.c_str(), &end, 10);
  if (id_text.empty() || *end != '\0' || !find_folder(id)) return default_folder().id;
  return id;
}

Folder& Account::add_folder(std::string name, std::string description) {
  folders.push_back(Folder{ids_->next_folder_id++, std::move(name), std::move(description)});
  return folders.back();
}

const CustomFieldDef* Account::find_custom_field(long id) const {
  for (const auto& d : custom_field_defs)
    if (d.id == id) return &d;
  return nullptr;
}

const CustomFieldDef& Account::custom_field_named(const std::string& name, const std::string& type) {
  for (const auto& d : custom_field_defs)
    if (d.name == name) return d;
  custom_field_defs.push_back(CustomFieldDef{ids_->next_custom_field_id++, name, type.empty() ? "1" : type});
  return custom_field_defs.back();
}

Contact* Account::find_live_contact(long id) {
  auto it = contacts.find(id);
  if (it == contacts.end() || it->second.trashed) return nullptr;
  return &it->second;
}

Contact& Account::new_contact(const std::string& origin, const std::string& now) {
  Contact c;
  c.id = ids_->next_contact_id++;
  c.category_id = default_folder().id;
  c.original_category_id = c.category_id;
  c.date_added = c.date_modified = now;
  c.origin = origin;
  c.phone_id = next_sub_record_id();
  c.email_id = next_sub_record_id();
  c.notes_id = next_sub_record_id();
  c.address_id = next_sub_record_id();
  return contacts.emplace(c.id, std::move(c)).first->second;
}

const DialSession* Account::find_dial_session(long id) const {
  for (const auto& s : dial_sessions)
    if (s.id == id) return &s;
  return nullptr;
}

DialSession& Account::new_dial_session(const std::string& now) {
  DialSession s;
  s.id = ids_->next_dial_session_id++;
  s.date_created = now;
  dial_sessions.push_back(std::move(s));
  return dial_sessions.back();
}

}  // namespace fake_pb
