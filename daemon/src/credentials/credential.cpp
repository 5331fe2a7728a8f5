#include "credentials/credential.hpp"

#include <map>
#include <sstream>
#include <vector>

namespace pgdialer::sync {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

constexpr const char* kKeys[] = {"access_token", "client_id", "client_secret", "refresh_token"};

// The known key a line starts with ("key=" or "key ="), else "".
std::string known_key(const std::string& line) {
  const auto eq = line.find('=');
  if (eq == std::string::npos) return "";
  const std::string key = trim(line.substr(0, eq));
  for (const char* k : kKeys)
    if (key == k) return key;
  return "";
}

bool fail(std::string* error, std::string text) {
  if (error) *error = std::move(text);
  return false;
}

// A value that would break an HTTP header or form field if it held these.
bool clean_value(const std::string& v) { return v.find_first_of("\r\n\t ") == std::string::npos; }

}  // namespace

bool parse_credential(const std::string& text, Credential* credential, std::string* error) {
  // (line number, text) of every line that is not blank or a comment.
  std::vector<std::pair<int, std::string>> lines;
  std::istringstream in(text);
  int number = 0;
  bool key_value = false;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (!known_key(line).empty()) key_value = true;
    lines.emplace_back(number, line);
  }
  if (lines.empty()) return fail(error, "is empty");

  Credential c;
  if (!key_value) {
    if (lines.size() > 1)
      return fail(error, "holds " + std::to_string(lines.size()) +
                             " lines: expected one line (the access token) or key=value lines "
                             "(access_token, or client_id, client_secret and refresh_token)");
    if (!clean_value(lines[0].second)) return fail(error, "the access token contains white space");
    c.kind = Credential::Kind::token;
    c.access_token = lines[0].second;
    *credential = std::move(c);
    return true;
  }

  std::map<std::string, std::string> values;
  for (const auto& [line_number, line] : lines) {
    const std::string where = "line " + std::to_string(line_number) + ": ";
    const std::string key = known_key(line);
    if (key.empty()) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) return fail(error, where + "expected key=value");
      return fail(error, where + "unknown key \"" + trim(line.substr(0, eq)) +
                             "\" (expected access_token, client_id, client_secret or refresh_token)");
    }
    if (values.count(key)) return fail(error, where + key + " is given twice");
    const std::string value = trim(line.substr(line.find('=') + 1));
    if (value.empty()) return fail(error, where + key + " is empty");
    if (!clean_value(value)) return fail(error, where + key + " contains white space");
    values[key] = value;
  }
  const bool oauth =
      values.count("client_id") || values.count("client_secret") || values.count("refresh_token");
  if (values.count("access_token") && oauth)
    return fail(error,
                "holds access_token and OAuth keys: give either access_token, or client_id, "
                "client_secret and refresh_token");
  if (!oauth) {
    c.kind = Credential::Kind::token;
    c.access_token = values["access_token"];
  } else {
    for (const char* k : {"client_id", "client_secret", "refresh_token"})
      if (!values.count(k)) return fail(error, std::string("an OAuth credential needs ") + k);
    c.kind = Credential::Kind::oauth;
    c.client_id = values["client_id"];
    c.client_secret = values["client_secret"];
    c.refresh_token = values["refresh_token"];
  }
  *credential = std::move(c);
  return true;
}

}  // namespace pgdialer::sync
