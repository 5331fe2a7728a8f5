#include "deals.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace pgdialer {

namespace {

std::string lower_trimmed(std::string_view v) {
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  std::string out;
  out.reserve(v.size());
  for (char c : v) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The elements of a list column as the contact reader gives it (arrays are
// joined with ", "; a text column may use commas or semicolons), lower case.
std::vector<std::string> list_items(std::string_view joined) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= joined.size(); ++i) {
    if (i == joined.size() || joined[i] == ',' || joined[i] == ';') {
      std::string item = lower_trimmed(joined.substr(start, i - start));
      if (!item.empty()) out.push_back(std::move(item));
      start = i + 1;
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& items, const std::string& value) {
  return std::find(items.begin(), items.end(), value) != items.end();
}

double unit_of(char c) {
  switch (std::tolower(static_cast<unsigned char>(c))) {
    case 'k': return 1e3;
    case 'm': return 1e6;
    case 'b': return 1e9;
    default: return 0;
  }
}

struct Amount {
  double value;
  double unit;  // 0 when none was written
  size_t end;   // just past the amount (and its unit)
};

// The next amount at or after `from`: digits with an optional fraction and
// an optional K/M/B (or "MM") right after them.
std::optional<Amount> next_amount(std::string_view s, size_t from) {
  size_t i = from;
  while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == s.size()) return std::nullopt;
  size_t j = i;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == ',')) ++j;
  std::string digits;
  for (size_t k = i; k < j; ++k)
    if (s[k] != ',') digits += s[k];
  char* end = nullptr;
  const double value = std::strtod(digits.c_str(), &end);
  if (end == digits.c_str() || *end != '\0') return std::nullopt;
  size_t k = j;
  while (k < s.size() && s[k] == ' ') ++k;
  double unit = 0;
  if (k < s.size() && unit_of(s[k]) > 0 &&
      (k + 1 == s.size() || !std::isalpha(static_cast<unsigned char>(s[k + 1])) ||
       std::tolower(static_cast<unsigned char>(s[k + 1])) == 'm')) {
    unit = unit_of(s[k]);
    j = k + 1;
    if (j < s.size() && unit == 1e6 && std::tolower(static_cast<unsigned char>(s[j])) == 'm') ++j;  // "MM"
  }
  return Amount{value, unit, j};
}

}  // namespace

std::optional<EbitdaRange> parse_ebitda_range(std::string_view text) {
  const std::string lower = lower_trimmed(text);
  auto first = next_amount(lower, 0);
  if (!first) return std::nullopt;
  auto second = next_amount(lower, first->end);
  // "2-10M": an amount without a unit takes the other's; none at all: dollars.
  double unit1 = first->unit, unit2 = second ? second->unit : 0;
  if (unit1 == 0) unit1 = unit2 != 0 ? unit2 : 1;
  if (second && unit2 == 0) unit2 = unit1;
  const double a = first->value * unit1;
  if (second) {
    const double b = second->value * unit2;
    if (next_amount(lower, second->end)) return std::nullopt;  // more than two amounts: not a range
    if (a > b) return std::nullopt;
    return EbitdaRange{a, b};
  }
  const std::string_view rest(lower.c_str() + first->end);
  const std::string_view before(lower.c_str(), lower.find_first_of("0123456789"));
  if (rest.find('+') != std::string_view::npos || lower.find("over") != std::string::npos ||
      lower.find("above") != std::string::npos || lower.find('>') != std::string::npos)
    return EbitdaRange{a, std::numeric_limits<double>::infinity()};
  if (before.find("up to") != std::string_view::npos || before.find("under") != std::string_view::npos ||
      before.find('<') != std::string_view::npos)
    return EbitdaRange{0, a};
  return std::nullopt;  // one amount is a point, not a range
}

std::vector<const Deal*> matching_deals(const Contact& c, const std::vector<Deal>& deals) {
  std::vector<const Deal*> out;
  auto sectors_text = present(c.target_industries);
  if (!sectors_text || deals.empty()) return out;
  const std::vector<std::string> sectors = list_items(*sectors_text);
  auto geographies_text = present(c.target_geographies);
  const std::vector<std::string> geographies =
      geographies_text ? list_items(*geographies_text) : std::vector<std::string>{};
  auto range_text = present(c.target_ebitda_range);
  const std::optional<EbitdaRange> range =
      range_text ? parse_ebitda_range(*range_text) : std::optional<EbitdaRange>{};
  for (const Deal& d : deals) {
    if (!contains(sectors, lower_trimmed(d.sector))) continue;
    if (!geographies.empty() && !contains(geographies, lower_trimmed(d.geography))) continue;
    if (range && (!d.ebitda || *d.ebitda < range->low || *d.ebitda > range->high)) continue;
    out.push_back(&d);
  }
  std::stable_sort(out.begin(), out.end(), [](const Deal* a, const Deal* b) {
    if (a->name != b->name) return a->name < b->name;
    return a->geography < b->geography;
  });
  return out;
}

std::string format_dollars(double amount) {
  struct Scale {
    double size;
    const char* suffix;
  };
  for (Scale s : {Scale{1e9, "B"}, Scale{1e6, "M"}, Scale{1e3, "K"}}) {
    if (std::fabs(amount) < s.size) continue;
    const double scaled = std::round(amount / s.size * 10) / 10;
    char buffer[64];
    if (scaled == std::floor(scaled))
      std::snprintf(buffer, sizeof buffer, "$%.0f%s", scaled, s.suffix);
    else
      std::snprintf(buffer, sizeof buffer, "$%.1f%s", scaled, s.suffix);
    return buffer;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "$%.0f", amount);
  return buffer;
}

}  // namespace pgdialer
