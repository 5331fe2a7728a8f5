// JSON helpers shared by the fake: the writer type, the text PHP would see for
// a scalar (PhoneBurner is PHP, so "1", 1 and true all mean the same to it),
// and numbers written as JSON strings, as the live API usually sends them.
#pragma once
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>

namespace fake_pb {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Strings as they are, integers in decimal, true as "1", false and null as "".
// Arrays and objects have no scalar text: nullopt.
std::optional<std::string> scalar_text(const rapidjson::Value& v);

void put_str(JsonWriter& w, const char* key, const std::string& value);
// An id or count written the PhoneBurner way: a number inside a JSON string.
void put_id(JsonWriter& w, const char* key, long long value);
void put_num(JsonWriter& w, const char* key, long long value);
// `json` must be one complete JSON value (stored verbatim, e.g. custom_data).
void put_raw(JsonWriter& w, const char* key, const std::string& json);

std::string to_json(const rapidjson::Value& v);
// Re-indents a compact JSON document for files people read.
std::string pretty_json(const std::string& json);
// False on a syntax error.
bool parse_json(const std::string& text, rapidjson::Document& doc);

}  // namespace fake_pb
