// PhoneBurner's response envelopes. Success:
//   {"http_status":200,"status":"success","<resource>":{...}}
// Error (the only documented code is 40101; the others are made up in the
// same pattern, status * 100 + n):
//   {"http_status":401,"status":"error","debug_codes":[{"code":40101,"reason":"..."}]}
// http_status always equals the HTTP status of the response.
#pragma once
#include "http_message.hpp"
#include "json_util.hpp"

#include <functional>
#include <string>

namespace fake_pb {

namespace debug_code {
inline constexpr int kAuthHeaderRequired = 40101;  // documented
inline constexpr int kInvalidToken = 40103;        // assumed
inline constexpr int kExpiredToken = 40109;        // seen in a client
}  // namespace debug_code

ApiResponse success(int status, const char* resource, const std::function<void(JsonWriter&)>& write_value);
ApiResponse error(int status, int code, const std::string& reason);
// An error with the conventional code (status * 100 + 1, 401 -> 40109
// "Expired oauth token") and reason for that status; for injected faults.
ApiResponse error(int status);

}  // namespace fake_pb
