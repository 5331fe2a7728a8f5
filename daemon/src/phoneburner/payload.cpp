#include "phoneburner/payload.hpp"

#include "common/json_parse.hpp"
#include "phoneburner/json.hpp"

#include <rapidjson/document.h>

namespace pgdialer::sync {
namespace {

struct KeyMap {
  const char* payload_key;
  const char* phoneburner_key;
};

// Payload keys PhoneBurner stores, in the order they are sent.
constexpr KeyMap kStandardKeys[] = {
    {"first_name", "first_name"},
    {"last_name", "last_name"},
    {"phone", "phone"},
    {"email", "email"},
    {"address", "address1"},
    {"address2", "address2"},
    {"city", "city"},
    {"state", "state"},
    {"zip", "zip"},
    {"country", "country"},
    {"company", "company"},
    {"title", "title"},
};
// Not mapped on purpose: "notes". PhoneBurner appends every notes write as a
// new stamped entry, so re-sending a contact would duplicate its notes.

// Standard fields PhoneBurner has no documented place for: kept visible to
// the rep as custom fields of the same name.
constexpr const char* kAlsoCustom[] = {"company", "title"};

bool has_custom(const MappedContact& c, const std::string& name) {
  for (const auto& f : c.custom_fields)
    if (f.first == name) return true;
  return false;
}

}  // namespace

bool map_payload(const std::string& payload_json, MappedContact* out, std::string* error) {
  *out = MappedContact{};
  rapidjson::Document doc;
  if (!json::parse(payload_json, &doc).ok() || !doc.IsObject()) {
    *error = "payload is not a JSON object";
    return false;
  }
  for (const auto& k : kStandardKeys) {
    const rapidjson::Value* v = pb_json::member(doc, k.payload_key);
    if (!v || v->IsNull()) continue;
    if (auto text = pb_json::scalar_text(*v)) out->fields.emplace_back(k.phoneburner_key, *text);
  }
  if (const rapidjson::Value* cf = pb_json::member(doc, "custom_fields"); cf && cf->IsObject()) {
    for (const auto& m : cf->GetObject()) {
      if (m.value.IsNull()) continue;
      auto text = pb_json::scalar_text(m.value);
      if (!text) continue;
      out->custom_fields.emplace_back(std::string(m.name.GetString(), m.name.GetStringLength()), *text);
    }
  }
  for (const char* name : kAlsoCustom) {
    if (has_custom(*out, name)) continue;
    for (const auto& f : out->fields)
      if (f.first == name) {
        out->custom_fields.emplace_back(name, f.second);
        break;
      }
  }
  return true;
}

void add_field(MappedContact* contact, const std::string& key, const std::string& value) {
  if (!value.empty()) contact->fields.emplace_back(key, value);
}

http::FormPairs to_form_pairs(const MappedContact& contact) {
  http::FormPairs pairs(contact.fields.begin(), contact.fields.end());
  const std::string type = std::to_string(kTextCustomFieldType);
  for (size_t i = 0; i < contact.custom_fields.size(); ++i) {
    const std::string prefix = "custom_fields[" + std::to_string(i) + "]";
    pairs.emplace_back(prefix + "[name]", contact.custom_fields[i].first);
    pairs.emplace_back(prefix + "[type]", type);
    pairs.emplace_back(prefix + "[value]", contact.custom_fields[i].second);
  }
  return pairs;
}

void write_contact_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const MappedContact& contact) {
  auto str = [&](const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  w.StartObject();
  for (const auto& [key, value] : contact.fields) {
    str(key);
    str(value);
  }
  if (!contact.custom_fields.empty()) {
    w.Key("custom_fields");
    w.StartArray();
    for (const auto& [name, value] : contact.custom_fields) {
      w.StartObject();
      w.Key("name");
      str(name);
      w.Key("type");
      w.Int(kTextCustomFieldType);
      w.Key("value");
      str(value);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace pgdialer::sync
