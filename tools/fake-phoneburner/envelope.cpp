#include "envelope.hpp"

namespace fake_pb {
namespace {

std::string reason_for(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Expired oauth token";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Error";
  }
}

}  // namespace

ApiResponse success(int status, const char* resource, const std::function<void(JsonWriter&)>& write_value) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  put_num(w, "http_status", status);
  put_str(w, "status", "success");
  w.Key(resource);
  write_value(w);
  w.EndObject();
  ApiResponse res;
  res.status = status;
  res.body.assign(buf.GetString(), buf.GetSize());
  return res;
}

ApiResponse error(int status, int code, const std::string& reason) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  put_num(w, "http_status", status);
  put_str(w, "status", "error");
  w.Key("debug_codes");
  w.StartArray();
  w.StartObject();
  put_num(w, "code", code);
  put_str(w, "reason", reason);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  ApiResponse res;
  res.status = status;
  res.body.assign(buf.GetString(), buf.GetSize());
  return res;
}

ApiResponse error(int status) {
  const int code = status == 401 ? debug_code::kExpiredToken : status * 100 + 1;
  return error(status, code, reason_for(status));
}

}  // namespace fake_pb
