#include "json_util.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>

#include <cstdio>

namespace fake_pb {

std::optional<std::string> scalar_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v.GetDouble());
    return std::string(buf);
  }
  if (v.IsBool()) return std::string(v.GetBool() ? "1" : "");
  if (v.IsNull()) return std::string();
  return std::nullopt;
}

void put_str(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_id(JsonWriter& w, const char* key, long long value) { put_str(w, key, std::to_string(value)); }

void put_num(JsonWriter& w, const char* key, long long value) {
  w.Key(key);
  w.Int64(value);
}

void put_raw(JsonWriter& w, const char* key, const std::string& json) {
  w.Key(key);
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string pretty_json(const std::string& json) {
  rapidjson::Document doc;
  if (!parse_json(json, doc)) return json;
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  doc.Accept(w);
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

bool parse_json(const std::string& text, rapidjson::Document& doc) {
  doc.Parse(text.data(), text.size());
  return !doc.HasParseError();
}

}  // namespace fake_pb
