#include "contact.hpp"

namespace pgdialer {

namespace {
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
}  // namespace

Text present(const Text& value) {
  if (!value) return std::nullopt;
  std::string_view v = *value;
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  return v;
}

bool is_blank(const Text& value) { return !present(value).has_value(); }

}  // namespace pgdialer
