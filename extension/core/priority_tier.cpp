#include "priority_tier.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace pgdialer {

namespace {

// The lower bound of each tier but the last, highest first.
constexpr double kTierFloors[kTierCount - 1] = {75, 50, 25};

}  // namespace

int priority_tier(const Text& engagement_score) {
  auto text = present(engagement_score);
  if (!text) return kTierCount;
  // The column is read through its output function: "75", "75.5", "8e1".
  const std::string s(*text);
  char* end = nullptr;
  const double score = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(score)) return kTierCount;
  for (int i = 0; i < kTierCount - 1; ++i)
    if (score >= kTierFloors[i]) return i + 1;
  return kTierCount;
}

std::string_view tier_band(int tier) {
  switch (tier) {
    case 1: return "75+";
    case 2: return "50-74";
    case 3: return "25-49";
    default: return "under 25 or no score";
  }
}

}  // namespace pgdialer
