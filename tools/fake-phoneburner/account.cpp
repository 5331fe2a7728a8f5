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

Account::Account() { add_folder("Contacts", "Default folder"); }

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
  folders.push_back(Folder{next_folder_id_++, std::move(name), std::move(description)});
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
  custom_field_defs.push_back(CustomFieldDef{next_custom_field_id_++, name, type.empty() ? "1" : type});
  return custom_field_defs.back();
}

Contact* Account::find_live_contact(long id) {
  auto it = contacts.find(id);
  if (it == contacts.end() || it->second.trashed) return nullptr;
  return &it->second;
}

Contact& Account::new_contact(const std::string& origin, const std::string& now) {
  Contact c;
  c.id = next_contact_id_++;
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

DialSession& Account::new_dial_session(const std::string& now) {
  DialSession s;
  s.id = next_dial_session_id_++;
  s.date_created = now;
  dial_sessions.push_back(std::move(s));
  return dial_sessions.back();
}

}  // namespace fake_pb
