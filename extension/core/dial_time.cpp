#include "dial_time.hpp"

#include <cmath>
#include <cstdio>

#include "errors.hpp"

namespace pgdialer {

double dial_minutes(std::int64_t contacts, double minutes_per_contact) {
  if (contacts < 0) throw invalid_argument("contacts must not be negative");
  if (!(minutes_per_contact > 0) || !std::isfinite(minutes_per_contact))
    throw invalid_argument("minutes_per_contact must be greater than zero");
  return static_cast<double>(contacts) * minutes_per_contact;
}

std::string dial_time(std::int64_t contacts, double minutes_per_contact) {
  double total = dial_minutes(contacts, minutes_per_contact);
  if (contacts == 0) return "0 min";
  if (total < 60) {
    auto minutes = static_cast<long long>(std::floor(total + 0.5));
    return "~" + std::to_string(minutes) + " min";
  }
  // Half hours, rounded half up: 3h14m -> 3, 3h15m -> 3.5, 3h45m -> 4.
  double halves = std::floor(total / 30.0 + 0.5);
  auto whole = static_cast<long long>(halves) / 2;
  bool half = static_cast<long long>(halves) % 2 != 0;
  std::string hours = std::to_string(whole) + (half ? ".5" : "");
  return "~" + hours + (halves == 2 ? " hour" : " hours");
}

}  // namespace pgdialer
