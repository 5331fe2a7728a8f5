#include "body_decode.hpp"

#include "json_util.hpp"

#include <algorithm>
#include <cctype>

namespace fake_pb {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

bool decode_json(const std::string& body, rapidjson::Document& out, std::string& error) {
  if (blank(body)) {
    out.SetObject();
    return true;
  }
  if (!parse_json(body, out)) {
    error = "Invalid JSON in request body";
    return false;
  }
  if (!out.IsObject()) {
    error = "Request body must be a JSON object";
    return false;
  }
  return true;
}

}  // namespace

bool decode_body(const ApiRequest& req, rapidjson::Document& out, std::string& error) {
  const std::string type = lower(req.content_type);
  if (type.find("multipart/form-data") != std::string::npos) {
    form_to_json(req.multipart, out);
    return true;
  }
  if (type.find("json") != std::string::npos) return decode_json(req.body, out, error);
  if (type.find("x-www-form-urlencoded") != std::string::npos) {
    form_to_json(parse_form(req.body), out);
    return true;
  }
  const size_t first = req.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && req.body[first] == '{') return decode_json(req.body, out, error);
  form_to_json(parse_form(req.body), out);
  return true;
}

}  // namespace fake_pb
