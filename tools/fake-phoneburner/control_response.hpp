// Answers of the /_control endpoints: plain JSON (no PhoneBurner envelope),
// errors as {"error":"..."}.
#pragma once
#include "http_message.hpp"
#include "json_util.hpp"

#include <functional>
#include <string>

namespace fake_pb {

ApiResponse json_response(int status, const std::function<void(JsonWriter&)>& write);
ApiResponse control_error(int status, const std::string& message);

}  // namespace fake_pb
