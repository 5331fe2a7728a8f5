#include "form_decode.hpp"

#include <algorithm>
#include <cstdlib>

namespace fake_pb {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "custom_fields[0][name]" -> {"custom_fields","0","name"}; a key that does not
// follow the syntax (no base name, unclosed bracket) is one literal segment.
std::vector<std::string> key_path(const std::string& key) {
  const size_t open = key.find('[');
  if (open == std::string::npos || open == 0) return {key};
  std::vector<std::string> path{key.substr(0, open)};
  size_t i = open;
  while (i < key.size() && key[i] == '[') {
    const size_t close = key.find(']', i);
    if (close == std::string::npos) return {key};
    path.push_back(key.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return path;  // PHP ignores anything after the last ']'; so do we
}

bool is_index(const char* s, size_t n) {
  if (n == 0 || n > 9) return false;
  if (n > 1 && s[0] == '0') return false;
  return std::all_of(s, s + n, [](char c) { return c >= '0' && c <= '9'; });
}

// PHP's "a[]": one past the largest integer key so far.
std::string next_index(const rapidjson::Value& obj) {
  long next = 0;
  for (const auto& m : obj.GetObject()) {
    if (is_index(m.name.GetString(), m.name.GetStringLength()))
      next = std::max(next, std::atol(m.name.GetString()) + 1);
  }
  return std::to_string(next);
}

void arrays_from_index_objects(rapidjson::Value& v, rapidjson::Document::AllocatorType& a) {
  if (!v.IsObject()) return;
  bool all_indexes = v.MemberCount() > 0;
  for (auto& m : v.GetObject()) {
    arrays_from_index_objects(m.value, a);
    if (!is_index(m.name.GetString(), m.name.GetStringLength())) all_indexes = false;
  }
  if (!all_indexes) return;
  std::vector<std::pair<long, rapidjson::Value*>> items;
  for (auto& m : v.GetObject()) items.emplace_back(std::atol(m.name.GetString()), &m.value);
  std::sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  rapidjson::Value array(rapidjson::kArrayType);
  for (auto& item : items) array.PushBack(rapidjson::Value(std::move(*item.second)), a);
  v = std::move(array);
}

}  // namespace

std::string url_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_as_space) {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

FormPairs parse_form(std::string_view text) {
  FormPairs pairs;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(start, end - start);
    if (!item.empty()) {
      const size_t eq = item.find('=');
      if (eq == std::string_view::npos)
        pairs.emplace_back(url_decode(item), std::string());
      else
        pairs.emplace_back(url_decode(item.substr(0, eq)), url_decode(item.substr(eq + 1)));
    }
    start = end + 1;
  }
  return pairs;
}

const std::string* last_value(const FormPairs& pairs, const std::string& key) {
  const std::string* found = nullptr;
  for (const auto& p : pairs)
    if (p.first == key) found = &p.second;
  return found;
}

void form_to_json(const FormPairs& pairs, rapidjson::Document& out) {
  out.SetObject();
  auto& a = out.GetAllocator();
  for (const auto& [key, value] : pairs) {
    const std::vector<std::string> path = key_path(key);
    rapidjson::Value* cur = &out;
    for (size_t i = 0; i < path.size(); ++i) {
      const std::string seg = (i > 0 && path[i].empty()) ? next_index(*cur) : path[i];
      const bool leaf = i + 1 == path.size();
      auto it = cur->FindMember(rapidjson::Value(seg.c_str(), a));
      if (it == cur->MemberEnd()) {
        rapidjson::Value child;
        if (leaf)
          child.SetString(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), a);
        else
          child.SetObject();
        cur->AddMember(rapidjson::Value(seg.c_str(), a), child, a);
        it = cur->FindMember(rapidjson::Value(seg.c_str(), a));
      } else if (leaf) {
        it->value.SetString(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), a);
      } else if (!it->value.IsObject()) {
        it->value.SetObject();  // "a=1&a[x]=2": the later, nested form wins, as in PHP
      }
      cur = &it->value;
    }
  }
  for (auto& m : out.GetObject()) arrays_from_index_objects(m.value, a);
}

}  // namespace fake_pb
