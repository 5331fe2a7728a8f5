#include "phoneburner/json.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace pgdialer::sync::pb_json {
namespace {

bool is_index_key(const rapidjson::Value& name) {
  if (!name.IsString() || name.GetStringLength() == 0) return false;
  const char* s = name.GetString();
  for (rapidjson::SizeType i = 0; i < name.GetStringLength(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// An object whose every key is "0", "1", ...: PHP's way of writing a list.
bool is_index_object(const rapidjson::Value& v) {
  if (!v.IsObject() || v.MemberCount() == 0) return false;
  for (const auto& m : v.GetObject())
    if (!is_index_key(m.name)) return false;
  return true;
}

void collect(const rapidjson::Value& v, int depth, std::vector<const rapidjson::Value*>* out) {
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (item.IsObject() && !is_index_object(item))
        out->push_back(&item);
      else if (depth == 0)
        collect(item, depth + 1, out);
    }
  } else if (is_index_object(v)) {
    for (const auto& m : v.GetObject()) {
      if (m.value.IsObject() && !is_index_object(m.value))
        out->push_back(&m.value);
      else if (depth == 0)
        collect(m.value, depth + 1, out);
    }
  } else if (v.IsObject()) {
    out->push_back(&v);
  }
}

// resource[inner] when present (contacts.contacts), else the resource itself.
const rapidjson::Value& inner_or_self(const rapidjson::Value& res, const char* inner) {
  const rapidjson::Value* v = member(res, inner);
  return v ? *v : res;
}

std::string text_of(const rapidjson::Value* v) {
  if (!v) return {};
  return scalar_text(*v).value_or(std::string());
}

// A record's nested scalar: obj[outer][inner], or obj[outer] when it is a
// plain string (primary_email is an object in reads, a string in webhooks).
std::string nested_text(const rapidjson::Value& obj, const char* outer, const char* inner) {
  const rapidjson::Value* v = member(obj, outer);
  if (!v) return {};
  if (v->IsObject()) return text_of(member(*v, inner));
  return text_of(v);
}

// The first element of a list field, as nested_text does for one value.
std::string first_item_text(const rapidjson::Value& obj, const char* list, const char* inner) {
  const rapidjson::Value* v = member(obj, list);
  if (!v) return {};
  if (v->IsArray()) {
    for (const auto& item : v->GetArray()) {
      const std::string t = item.IsObject() ? text_of(member(item, inner)) : text_of(&item);
      if (!t.empty()) return t;
    }
    return {};
  }
  for (const rapidjson::Value* r : records(*v)) {
    const std::string t = text_of(member(*r, inner));
    if (!t.empty()) return t;
  }
  return {};
}

// custom_fields as [{name, value}], {"0": {name, value}}, or a flat
// {name: value} object (the webhook shape). `false` means none.
void parse_custom_fields(const rapidjson::Value& v, std::map<std::string, std::string>* out) {
  const bool list = v.IsArray() || is_index_object(v) || (v.IsObject() && member(v, "name"));
  if (list) {
    for (const rapidjson::Value* r : records(v)) {
      const std::string name = text_of(member(*r, "name"));
      if (!name.empty()) (*out)[name] = text_of(member(*r, "value"));
    }
    return;
  }
  if (!v.IsObject()) return;
  for (const auto& m : v.GetObject()) {
    if (auto t = scalar_text(m.value)) (*out)[std::string(m.name.GetString(), m.name.GetStringLength())] = *t;
  }
}

bool parse_folder(const rapidjson::Value& r, Folder* f) {
  f->id = first_text(r, {"folder_id", "category_id", "id"});
  f->name = first_text(r, {"folder_name", "name"});
  return !f->id.empty();
}

bool fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

}  // namespace

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v.GetDouble());
    // Shortest form that reads back the same.
    for (int precision = 1; precision <= 17; ++precision) {
      char shorter[32];
      std::snprintf(shorter, sizeof shorter, "%.*g", precision, v.GetDouble());
      if (std::strtod(shorter, nullptr) == v.GetDouble()) return std::string(shorter);
    }
    return std::string(buf);
  }
  if (v.IsBool()) return std::string(v.GetBool() ? "1" : "0");
  return std::nullopt;
}

std::string first_text(const rapidjson::Value& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    std::string t = text_of(member(obj, k));
    if (!t.empty()) return t;
  }
  return {};
}

std::optional<long long> integer(const rapidjson::Value* v) {
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return std::nullopt;  // beyond any page count
  if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (d >= -9e18 && d <= 9e18 && d == static_cast<double>(static_cast<long long>(d)))
      return static_cast<long long>(d);
    return std::nullopt;
  }
  if (v->IsString()) {
    const std::string s(v->GetString(), v->GetStringLength());
    if (s.empty()) return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long n = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || !end || *end != '\0') return std::nullopt;
    return n;
  }
  return std::nullopt;
}

std::vector<const rapidjson::Value*> records(const rapidjson::Value& v) {
  std::vector<const rapidjson::Value*> out;
  collect(v, 0, &out);
  return out;
}

bool envelope_success(const rapidjson::Value& doc) {
  if (!doc.IsObject()) return false;
  const rapidjson::Value* status = member(doc, "status");
  if (!status) return true;
  return status->IsString() && std::string(status->GetString()) == "success";
}

std::string error_reason(const rapidjson::Value& doc) {
  if (const rapidjson::Value* codes = member(doc, "debug_codes")) {
    for (const rapidjson::Value* r : records(*codes)) {
      const std::string reason = text_of(member(*r, "reason"));
      const std::string code = text_of(member(*r, "code"));
      if (reason.empty() && code.empty()) continue;
      if (code.empty()) return reason;
      if (reason.empty()) return "code " + code;
      return reason + " (code " + code + ")";
    }
  }
  return first_text(doc, {"message", "error_description", "error"});
}

const rapidjson::Value* resource(const rapidjson::Value& doc, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (const rapidjson::Value* v = member(doc, n)) return v;
  return nullptr;
}

bool extract_member_id(const rapidjson::Value& doc, std::string* id, std::string* error) {
  const rapidjson::Value* res = resource(doc, {"members", "member"});
  if (!res) return fail(error, "response has no members resource");
  for (const rapidjson::Value* r : records(inner_or_self(*res, "members"))) {
    *id = first_text(*r, {"member_user_id", "user_id", "id"});
    if (!id->empty()) return true;
  }
  return fail(error, "members response has no member id");
}

bool extract_folders(const rapidjson::Value& doc, std::vector<Folder>* folders, std::string* error) {
  folders->clear();
  const rapidjson::Value* res = resource(doc, {"folders", "folder"});
  if (!res) return fail(error, "response has no folders resource");
  if (!res->IsObject() && !res->IsArray()) return fail(error, "folders resource is not a list");
  for (const rapidjson::Value* r : records(inner_or_self(*res, "folders"))) {
    Folder f;
    if (parse_folder(*r, &f)) folders->push_back(std::move(f));
  }
  return true;
}

bool extract_created_folder(const rapidjson::Value& doc, Folder* folder, std::string* error) {
  const rapidjson::Value* res = resource(doc, {"folders", "folder"});
  if (!res) return fail(error, "response has no folders resource");
  for (const rapidjson::Value* r : records(inner_or_self(*res, "folders")))
    if (parse_folder(*r, folder)) return true;
  return fail(error, "folder response has no folder id");
}

bool parse_contact(const rapidjson::Value& r, RemoteContact* c) {
  *c = RemoteContact{};
  c->id = first_text(r, {"contact_user_id", "user_id", "id"});
  if (c->id.empty()) return false;
  c->lead_id = first_text(r, {"lead_id"});
  c->category_id = first_text(r, {"category_id"});
  if (c->category_id.empty()) c->category_id = nested_text(r, "category", "category_id");
  if (c->category_id.empty()) c->category_id = first_text(r, {"folder_id"});
  c->first_name = first_text(r, {"first_name"});
  c->last_name = first_text(r, {"last_name"});
  c->phone = first_text(r, {"phone"});
  if (c->phone.empty()) c->phone = nested_text(r, "primary_phone", "phone");
  if (c->phone.empty()) c->phone = nested_text(r, "primary_phone", "raw_phone");
  if (c->phone.empty()) c->phone = first_text(r, {"raw_phone"});
  if (c->phone.empty()) c->phone = first_item_text(r, "phones", "phone");
  c->email = first_text(r, {"email"});
  if (c->email.empty()) c->email = nested_text(r, "primary_email", "email_address");
  if (c->email.empty()) c->email = first_item_text(r, "emails", "email_address");
  if (c->email.empty()) c->email = first_text(r, {"email_address"});
  if (const rapidjson::Value* cf = member(r, "custom_fields")) parse_custom_fields(*cf, &c->custom_fields);
  return true;
}

bool extract_contact(const rapidjson::Value& doc, RemoteContact* contact, std::string* error) {
  const rapidjson::Value* res = resource(doc, {"contacts", "contact"});
  if (!res) return fail(error, "response has no contacts resource");
  for (const rapidjson::Value* r : records(inner_or_self(*res, "contacts")))
    if (parse_contact(*r, contact)) return true;
  return fail(error, "contacts response has no contact with an id");
}

bool extract_contact_page(const rapidjson::Value& doc, std::vector<RemoteContact>* contacts, PageInfo* page,
                          std::string* error) {
  contacts->clear();
  *page = PageInfo{};
  const rapidjson::Value* res = resource(doc, {"contacts", "contact"});
  if (!res) return fail(error, "response has no contacts resource");
  const rapidjson::Value* list = member(*res, "contacts");
  if (list && !list->IsArray() && !list->IsObject())
    return fail(error, "contacts list is neither an array nor an object");
  // An empty page may be [] or {} (PHP's empty array); both are fine. ({} is
  // not a contact without an id: records() would take it for one.)
  if (list && list->IsObject() && list->MemberCount() == 0) {
    // no contacts on this page
  } else if (list) {
    for (const rapidjson::Value* r : records(*list)) {
      RemoteContact c;
      if (!parse_contact(*r, &c)) return fail(error, "a contact in the list has no id");
      contacts->push_back(std::move(c));
    }
  } else if (res->IsArray()) {
    for (const rapidjson::Value* r : records(*res)) {
      RemoteContact c;
      if (!parse_contact(*r, &c)) return fail(error, "a contact in the list has no id");
      contacts->push_back(std::move(c));
    }
  } else {
    return fail(error, "contacts resource has no contacts list");
  }
  page->page = integer(member(*res, "page"));
  page->page_size = integer(member(*res, "page_size"));
  page->total_pages = integer(member(*res, "total_pages"));
  page->total_results = integer(member(*res, "total_results"));
  return true;
}

bool extract_dial_session(const rapidjson::Value& doc, DialSession* session, std::string* error) {
  *session = DialSession{};
  const rapidjson::Value* res = resource(doc, {"dialsessions", "dialsession"});
  if (!res) return fail(error, "response has no dialsessions resource");
  const rapidjson::Value* rec = nullptr;
  for (const rapidjson::Value* r : records(*res)) {
    if (member(*r, "redirect_url")) {
      rec = r;
      break;
    }
  }
  // Some shapes nest the session one level deeper (dialsessions.dialsessions).
  if (!rec) {
    for (const char* inner : {"dialsessions", "dialsession"}) {
      const rapidjson::Value* nested = member(*res, inner);
      if (!nested) continue;
      for (const rapidjson::Value* r : records(*nested))
        if (member(*r, "redirect_url")) {
          rec = r;
          break;
        }
      if (rec) break;
    }
  }
  if (!rec) return fail(error, "dial session response has no redirect_url");
  session->redirect_url = first_text(*rec, {"redirect_url"});
  if (session->redirect_url.empty()) return fail(error, "dial session response has an empty redirect_url");
  session->id = first_text(*rec, {"id", "dialsession_id", "dial_session_id"});
  const auto skipped = integer(member(*rec, "skipped_contact_count"));
  session->skipped_contact_count = skipped && *skipped > 0 ? static_cast<int>(*skipped) : 0;
  return true;
}

}  // namespace pgdialer::sync::pb_json
