#include "talking_points.hpp"

namespace pgdialer {

namespace {

std::string s(std::string_view v) { return std::string(v); }

std::optional<std::string> deal_sentence(const Contact& c) {
  auto deal = present(c.last_deal_presented);
  auto outcome = present(c.last_deal_outcome);
  if (deal && outcome) return "Last deal presented: " + s(*deal) + " (" + s(*outcome) + ").";
  if (deal) return "Last deal presented: " + s(*deal) + ".";
  if (outcome) return "Last deal outcome: " + s(*outcome) + ".";
  return std::nullopt;
}

std::optional<std::string> target_sentence(const Contact& c) {
  auto sectors = present(c.target_industries);
  auto ebitda = present(c.target_ebitda_range);
  if (sectors && ebitda) return "Targets: " + s(*sectors) + "; EBITDA " + s(*ebitda) + ".";
  if (sectors) return "Targets: " + s(*sectors) + ".";
  if (ebitda) return "Target EBITDA: " + s(*ebitda) + ".";
  return std::nullopt;
}

std::optional<std::string> contact_sentence(const Contact& c) {
  if (auto outcome = present(c.last_contact_outcome)) return "Last contact: " + s(*outcome) + ".";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> talking_points(const Contact& c) {
  std::string out;
  for (auto sentence : {deal_sentence(c), target_sentence(c), contact_sentence(c)}) {
    if (!sentence) continue;
    if (!out.empty()) out += ' ';
    out += *sentence;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace pgdialer
