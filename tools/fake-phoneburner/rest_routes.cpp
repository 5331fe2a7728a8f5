#include "rest_routes.hpp"

namespace fake_pb {
namespace {

constexpr RestRoute kRoutes[] = {
    {"GET", "tranquility", get_tranquility, false},  {"GET", "members", get_members, true},
    {"GET", "members/me", get_member_me, true},      {"GET", "folders", get_folders, true},
    {"POST", "folders", post_folder, true},          {"GET", "contacts", list_contacts, true},
    {"POST", "contacts", post_contact, true},        {"GET", "contacts/{id}", get_contact, true},
    {"PUT", "contacts/{id}", put_contact, true},     {"DELETE", "contacts/{id}", delete_contact, true},
    {"POST", "dialsession", post_dialsession, true},
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= s.size()) {
    size_t slash = s.find('/', start);
    if (slash == std::string::npos) slash = s.size();
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

}  // namespace

const RestRoute* match_rest_route(const std::string& method, const std::string& rel,
                                  std::vector<std::string>& args) {
  const std::vector<std::string> parts = split(rel);
  // HEAD is answered like GET, as HTTP servers do.
  const std::string verb = method == "HEAD" ? "GET" : method;
  for (const auto& route : kRoutes) {
    if (verb != route.method) continue;
    const std::vector<std::string> pattern = split(route.pattern);
    if (pattern.size() != parts.size()) continue;
    std::vector<std::string> captured;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      if (pattern[i] == "{id}")
        captured.push_back(parts[i]);
      else
        ok = pattern[i] == parts[i];
    }
    if (ok) {
      args = std::move(captured);
      return &route;
    }
  }
  return nullptr;
}

std::string query_param(const ApiRequest& req, const std::string& key) {
  const std::string* v = last_value(req.query, key);
  return v ? *v : std::string();
}

}  // namespace fake_pb
