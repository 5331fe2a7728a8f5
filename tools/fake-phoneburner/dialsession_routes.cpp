// POST /dialsession: creates the contacts (the first 500; the rest are only
// counted as skipped), records the session and answers with a one-time
// redirect_url that points back at the fake. Slow on purpose when asked:
// the real call saves contacts one by one (25-45 s for 500).
#include "contact_write.hpp"
#include "envelope.hpp"
#include "rest_routes.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

namespace fake_pb {
namespace {

constexpr long kContactLimit = 500;

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// Contacts as a JSON array, or a form-decoded object used as a list.
std::vector<const rapidjson::Value*> items_of(const rapidjson::Value* v) {
  std::vector<const rapidjson::Value*> items;
  if (!v) return items;
  if (v->IsArray()) {
    for (const auto& item : v->GetArray()) items.push_back(&item);
  } else if (v->IsObject()) {
    for (const auto& m : v->GetObject()) items.push_back(&m.value);
  }
  return items;
}

// Only the three documented callback types with a URL are kept; anything else
// (a typo such as "api_call_done") would never fire for real.
std::string valid_callbacks(const rapidjson::Value* v) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (const rapidjson::Value* cb : items_of(v)) {
    if (!cb->IsObject()) continue;
    const rapidjson::Value* type = member(*cb, "callback_type");
    const rapidjson::Value* url = member(*cb, "callback");
    if (!type || !url || !type->IsString() || !url->IsString()) continue;
    const std::string t = type->GetString();
    if (t != "api_contact_displayed" && t != "api_callbegin" && t != "api_calldone") continue;
    if (url->GetStringLength() == 0) continue;
    w.StartObject();
    put_str(w, "callback_type", t);
    put_str(w, "callback", url->GetString());
    w.EndObject();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

std::string launch_token(long session_id) {
  std::mt19937_64 gen(0x5eed0000ULL ^ static_cast<unsigned long long>(session_id));
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(gen()),
                static_cast<unsigned long long>(gen()));
  return buf;
}

}  // namespace

RestResult post_dialsession(const RestCall& call) {
  const std::vector<const rapidjson::Value*> contacts = items_of(member(call.body, "contacts"));
  if (contacts.empty()) return {error(400, 40001, "No contacts were provided")};

  DialSession& s = call.account.new_dial_session(call.now);
  const std::string origin = "dialsession " + std::to_string(s.id);
  if (const rapidjson::Value* name = member(call.body, "name"))
    s.name = scalar_text(*name).value_or(std::string());
  const size_t kept = std::min<size_t>(contacts.size(), kContactLimit);
  s.skipped_contact_count = static_cast<long>(contacts.size() - kept);

  rapidjson::StringBuffer errors_buf;
  JsonWriter errors(errors_buf);
  errors.StartArray();
  for (size_t i = 0; i < kept; ++i) {
    if (!contacts[i]->IsObject()) {  // ids instead of contact objects: not supported
      errors.StartObject();
      put_num(errors, "index", static_cast<long long>(i));
      put_str(errors, "reason", "Contact must be an object");
      errors.EndObject();
      continue;
    }
    Contact& c = call.account.new_contact(origin, call.now);
    apply_contact_write(call.account, c, *contacts[i]);
    c.original_category_id = c.category_id;
    s.contact_ids.push_back(c.id);
  }
  errors.EndArray();
  s.errors.assign(errors_buf.GetString(), errors_buf.GetSize());

  s.callbacks = valid_callbacks(member(call.body, "callbacks"));
  if (const rapidjson::Value* data = member(call.body, "custom_data")) s.custom_data = to_json(*data);
  if (const rapidjson::Value* preset = member(call.body, "preset_id")) s.preset_id = to_json(*preset);
  s.launch_token = launch_token(s.id);
  const std::string host = call.req.host.empty() ? "127.0.0.1" : call.req.host;
  s.redirect_url = "http://" + host + "/dialsession/launch/" + s.launch_token;

  RestResult result{success(200, "dialsessions", [&](JsonWriter& w) {
    w.StartObject();
    put_str(w, "redirect_url", s.redirect_url);
    put_id(w, "id", s.id);
    put_num(w, "contact_limit", kContactLimit);
    put_num(w, "skipped_contact_count", s.skipped_contact_count);
    put_num(w, "total_results", static_cast<long long>(s.contact_ids.size()));
    put_raw(w, "errors", s.errors);
    w.EndObject();
  })};
  result.delay_after_ms = call.dialsession_delay_ms_per_contact * static_cast<int>(s.contact_ids.size());
  return result;
}

}  // namespace fake_pb
