#include "contact_write.hpp"

#include "clock.hpp"
#include "json_util.hpp"

namespace fake_pb {
namespace {

struct TextField {
  const char* key;
  std::string Contact::*member;
};

// Keys stored as they are written. phone, notes, category_id and the
// structured keys have their own handling below.
constexpr TextField kTextFields[] = {
    {"first_name", &Contact::first_name},
    {"last_name", &Contact::last_name},
    {"phone_type", &Contact::phone_type},
    {"phone_label", &Contact::phone_label},
    {"email", &Contact::email},
    {"address1", &Contact::address1},
    {"address2", &Contact::address2},
    {"city", &Contact::city},
    {"state", &Contact::state},
    {"state_other", &Contact::state_other},
    {"zip", &Contact::zip},
    {"country", &Contact::country},
    {"lead_id", &Contact::lead_id},
    {"external_id", &Contact::external_id},
};

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// Arrays as they are; a JSON object used as a list ({"0":{..}}) by its values.
template <typename Fn>
void for_each_item(const rapidjson::Value& v, Fn fn) {
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) fn(item);
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject()) fn(m.value);
  }
}

std::string text_of(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = member(obj, key);
  if (!v) return {};
  return scalar_text(*v).value_or(std::string());
}

void merge_custom_fields(Account& account, Contact& c, const rapidjson::Value& list) {
  for_each_item(list, [&](const rapidjson::Value& item) {
    if (!item.IsObject()) return;
    const std::string name = text_of(item, "name");
    if (name.empty()) return;  // matched by name: without one there is nothing to match
    if (account.ignore_unknown_custom_fields) {
      bool defined = false;
      for (const auto& d : account.custom_field_defs) defined = defined || d.name == name;
      if (!defined) return;
    }
    const CustomFieldDef& def = account.custom_field_named(name, text_of(item, "type"));
    const std::string value = text_of(item, "value");
    for (auto& f : c.custom_fields) {
      if (f.field_id == def.id) {
        f.value = value;
        return;
      }
    }
    c.custom_fields.push_back(CustomFieldValue{def.id, value});
  });
}

std::vector<std::string> tags_of(const rapidjson::Value& v) {
  std::vector<std::string> tags;
  auto add = [&](std::string t) {
    const size_t b = t.find_first_not_of(' '), e = t.find_last_not_of(' ');
    if (b != std::string::npos) tags.push_back(t.substr(b, e - b + 1));
  };
  if (auto text = scalar_text(v)) {  // "a, b": a comma-separated string
    size_t start = 0;
    while (start <= text->size()) {
      size_t comma = text->find(',', start);
      if (comma == std::string::npos) comma = text->size();
      add(text->substr(start, comma - start));
      start = comma + 1;
    }
    return tags;
  }
  for_each_item(v, [&](const rapidjson::Value& item) {
    if (auto t = scalar_text(item)) add(*t);
  });
  return tags;
}

std::vector<ExtraPhone> extra_phones_of(Account& account, const rapidjson::Value& v) {
  std::vector<ExtraPhone> phones;
  for_each_item(v, [&](const rapidjson::Value& item) {
    if (!item.IsObject()) return;
    const std::string number = text_of(item, "number");
    if (number.empty()) return;
    phones.push_back(ExtraPhone{account.next_sub_record_id(), number, normalize_phone(number),
                                text_of(item, "phone_type"), text_of(item, "phone_label")});
  });
  return phones;
}

}  // namespace

bool apply_contact_write(Account& account, Contact& c, const rapidjson::Value& body) {
  if (!body.IsObject()) return false;
  bool touched = false;
  for (const auto& field : kTextFields) {
    const rapidjson::Value* v = member(body, field.key);
    if (!v) continue;
    if (auto text = scalar_text(*v)) {  // an array where text belongs is dropped
      c.*field.member = *text;
      touched = true;
    }
  }
  if (const rapidjson::Value* v = member(body, "phone")) {
    if (auto text = scalar_text(*v)) {
      c.raw_phone = *text;
      c.phone = normalize_phone(*text);
      touched = true;
    }
  }
  const rapidjson::Value* folder = member(body, "category_id");
  if (!folder) folder = member(body, "folder_id");
  if (folder) {
    c.category_id = account.resolve_folder(scalar_text(*folder).value_or(std::string()));
    touched = true;
  }
  if (const rapidjson::Value* v = member(body, "notes")) {
    const std::string text = scalar_text(*v).value_or(std::string());
    if (!text.empty()) {
      if (!c.notes.empty()) c.notes += "\n";
      c.notes += notes_stamp(account.member.username) + text;
      c.notes_entries.push_back(text);
      touched = true;
    }
  }
  if (const rapidjson::Value* v = member(body, "custom_fields")) {
    merge_custom_fields(account, c, *v);
    touched = true;
  }
  if (const rapidjson::Value* v = member(body, "tags")) {
    c.tags = tags_of(*v);
    touched = true;
  }
  if (const rapidjson::Value* v = member(body, "additional_phone")) {
    c.additional_phones = extra_phones_of(account, *v);
    touched = true;
  }
  if (const rapidjson::Value* v = member(body, "external_crm_data")) {
    if (v->IsArray() || v->IsObject()) {
      c.external_crm_data = to_json(*v);
      touched = true;
    }
  }
  return touched;
}

}  // namespace fake_pb
