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

// "Acme HVAC (Southeast, $4M EBITDA)": only the facts the deal row has.
std::string deal_phrase(const Deal& d) {
  std::string facts;
  auto add = [&](const std::string& fact) {
    if (fact.empty()) return;
    if (!facts.empty()) facts += ", ";
    facts += fact;
  };
  add(std::string(present(std::string_view(d.geography)).value_or("")));
  if (d.ebitda) add(format_dollars(*d.ebitda) + " EBITDA");
  std::string name(present(std::string_view(d.name)).value_or("Unnamed deal"));
  return facts.empty() ? name : name + " (" + facts + ")";
}

// The longest prefix of `s` of at most `max` bytes that ends on a UTF-8
// character boundary.
std::string cut_utf8(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// "N active deal(s) match: a, b and K more." in at most `budget` bytes; as
// many whole deals as fit, in matching_deals' order. Empty if not even the
// count fits.
std::string deals_sentence(const std::vector<const Deal*>& matched, size_t budget) {
  const size_t n = matched.size();
  const std::string head = std::to_string(n) + (n == 1 ? " active deal matches: " : " active deals match: ");
  for (size_t shown = n;; --shown) {
    std::string s = head;
    for (size_t i = 0; i < shown; ++i) {
      if (i > 0) s += ", ";
      s += deal_phrase(*matched[i]);
    }
    if (shown == 0)
      s = head.substr(0, head.size() - 2);  // "3 active deals match"
    else if (shown < n)
      s += " and " + std::to_string(n - shown) + " more";
    s += '.';
    if (s.size() <= budget) return s;
    if (shown == 0) return std::string();
  }
}

}  // namespace

std::optional<std::string> talking_points(const Contact& c, const std::vector<Deal>* deals) {
  std::string out;
  for (auto sentence : {deal_sentence(c), target_sentence(c), contact_sentence(c)}) {
    if (!sentence) continue;
    if (!out.empty()) out += ' ';
    out += *sentence;
  }
  out = cut_utf8(out, kTalkingPointsMaxBytes);
  if (deals) {
    const std::vector<const Deal*> matched = matching_deals(c, *deals);
    const size_t used = out.empty() ? 0 : out.size() + 1;
    if (!matched.empty() && used < kTalkingPointsMaxBytes) {
      std::string sentence = deals_sentence(matched, kTalkingPointsMaxBytes - used);
      if (!sentence.empty()) out += (out.empty() ? "" : " ") + sentence;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace pgdialer
