#include "session_name.hpp"

#include <algorithm>
#include <array>

#include "errors.hpp"
#include "stop_check.hpp"

namespace pgdialer {

namespace {

std::string lower(std::string_view v) {
  std::string out(v);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

// The name only asks whether there is exactly one distinct value, so two are
// enough to remember: a list of a million distinct buyer types costs neither
// memory nor a search through them per contact.
void add_distinct(std::vector<std::string>& set, std::string_view value) {
  if (set.size() >= 2 || std::find(set.begin(), set.end(), value) != set.end()) return;
  set.emplace_back(value);
}

// "Buyers", "Sellers", "Prospects" when every typed contact is of that one
// type; "Contacts" for a mix or when no type is known.
std::string_view audience(const std::vector<std::string>& types) {
  if (types.size() != 1) return "Contacts";
  if (types[0] == "buyer") return "Buyers";
  if (types[0] == "seller") return "Sellers";
  if (types[0] == "prospect") return "Prospects";
  return "Contacts";
}

// English month abbreviations: the server's lc_time must not change names.
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

void SessionNameCollector::add(const Text& contact_type, const Text& buyer_type) {
  if (auto t = present(contact_type)) {
    if (contact_types_.size() < 2) add_distinct(contact_types_, lower(*t));
  }
  if (auto b = present(buyer_type)) add_distinct(buyer_types_, *b);
}

std::string SessionNameCollector::name(const SessionNameFilters& filters, int year, int month) const {
  if (month < 1 || month > 12) throw invalid_argument("month must be between 1 and 12");
  std::vector<std::string_view> parts;
  std::string_view who = audience(contact_types_);
  parts.push_back(who);
  if (who == "Buyers" && buyer_types_.size() == 1) parts.push_back(buyer_types_[0]);
  if (auto industry = present(filters.industry)) parts.push_back(*industry);
  if (auto state = present(filters.state))
    parts.push_back(*state);
  else if (auto region = present(filters.region))
    parts.push_back(*region);
  std::string date = std::string(kMonths[month - 1]) + " " + std::to_string(year);
  parts.push_back(date);

  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += " - ";
    out += parts[i];
  }
  return out;
}

std::string session_name(const std::vector<Text>& contact_types, const std::vector<Text>& buyer_types,
                         const SessionNameFilters& filters, int year, int month) {
  SessionNameCollector collector;
  // The arrays are the caller's and may be long: let a cancel stop the walk.
  StopPoller poll;
  for (const auto& t : contact_types) {
    poll();
    collector.add(t, std::nullopt);
  }
  for (const auto& b : buyer_types) {
    poll();
    collector.add(std::nullopt, b);
  }
  return collector.name(filters, year, month);
}

}  // namespace pgdialer
