// The body of a write request as one JSON object, whichever encoding the
// client chose: PhoneBurner accepts JSON and form bodies on the same routes.
#pragma once
#include "http_message.hpp"

#include <rapidjson/document.h>

#include <string>

namespace fake_pb {

// JSON when the Content-Type says so, form-urlencoded (PHP array syntax) or
// multipart when it says so; with no usable Content-Type, a body starting with
// '{' is JSON and anything else a form. An empty body is {}. Returns false
// with `error` set for invalid JSON or a JSON body that is not an object.
bool decode_body(const ApiRequest& req, rapidjson::Document& out, std::string& error);

}  // namespace fake_pb
