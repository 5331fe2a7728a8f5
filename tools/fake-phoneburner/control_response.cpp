#include "control_response.hpp"

namespace fake_pb {

ApiResponse json_response(int status, const std::function<void(JsonWriter&)>& write) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write(w);
  ApiResponse res;
  res.status = status;
  res.body.assign(buf.GetString(), buf.GetSize());
  return res;
}

ApiResponse control_error(int status, const std::string& message) {
  return json_response(status, [&](JsonWriter& w) {
    w.StartObject();
    put_str(w, "error", message);
    w.EndObject();
  });
}

}  // namespace fake_pb
