// GET /tranquility, /members, /members/me, GET and POST /folders.
#include "envelope.hpp"
#include "rest_routes.hpp"

namespace fake_pb {
namespace {

void write_member(JsonWriter& w, const Member& m, bool with_member_user_id) {
  w.StartObject();
  if (with_member_user_id) put_str(w, "member_user_id", m.user_id);
  put_str(w, "user_id", m.user_id);
  put_str(w, "username", m.username);
  put_str(w, "first_name", m.first_name);
  put_str(w, "last_name", m.last_name);
  put_str(w, "email", m.email);
  w.EndObject();
}

void write_folder(JsonWriter& w, const Folder& f) {
  w.StartObject();
  put_id(w, "folder_id", f.id);
  put_str(w, "folder_name", f.name);
  put_str(w, "description", f.description);
  w.EndObject();
}

std::string body_text(const rapidjson::Value& body, const char* key) {
  auto it = body.FindMember(key);
  if (it == body.MemberEnd()) return {};
  return scalar_text(it->value).value_or(std::string());
}

}  // namespace

RestResult get_tranquility(const RestCall&) {
  return {success(200, "tranquility", [](JsonWriter& w) {
    w.StartObject();
    put_str(w, "tranquility", "Everything is calm.");
    w.EndObject();
  })};
}

RestResult get_members(const RestCall& call) {
  return {success(200, "members", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("members");
    w.StartArray();
    write_member(w, call.account.member, false);
    w.EndArray();
    put_str(w, "page", "1");
    put_str(w, "page_size", "25");
    put_str(w, "total_results", "1");
    put_str(w, "total_pages", "1");
    w.EndObject();
  })};
}

// PhoneBurner's own extension validates a token with this call: members.members
// is a single object here, not a list.
RestResult get_member_me(const RestCall& call) {
  return {success(200, "members", [&](JsonWriter& w) {
    w.StartObject();
    w.Key("members");
    write_member(w, call.account.member, true);
    w.EndObject();
  })};
}

// An object keyed by index ("0", "1", ...), not an array: seen live.
RestResult get_folders(const RestCall& call) {
  return {success(200, "folders", [&](JsonWriter& w) {
    w.StartObject();
    for (size_t i = 0; i < call.account.folders.size(); ++i) {
      w.Key(std::to_string(i).c_str());
      write_folder(w, call.account.folders[i]);
    }
    w.EndObject();
  })};
}

RestResult post_folder(const RestCall& call) {
  std::string name = body_text(call.body, "name");
  if (name.empty()) name = body_text(call.body, "folder_name");
  if (name.empty()) return {error(400, 40001, "Folder name is required")};
  const Folder& f = call.account.add_folder(name, body_text(call.body, "description"));
  return {success(201, "folders", [&](JsonWriter& w) { write_folder(w, f); })};
}

}  // namespace fake_pb
