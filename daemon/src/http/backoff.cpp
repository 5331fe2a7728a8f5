#include "http/backoff.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <random>

namespace pgdialer::sync::http {

std::chrono::milliseconds backoff_ceiling(int retry, std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap) {
  if (base.count() <= 0 || cap.count() <= 0) return std::chrono::milliseconds(0);
  long long ceiling = base.count();
  // Doubling stops at the cap, and never overflows, even for a cap beyond
  // half the range.
  for (int i = 0; i < retry && ceiling < cap.count(); ++i)
    ceiling = ceiling > cap.count() / 2 ? cap.count() : ceiling * 2;
  return std::chrono::milliseconds(std::min(ceiling, static_cast<long long>(cap.count())));
}

std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double unit,
                                        std::optional<std::chrono::seconds> retry_after) {
  unit = std::clamp(unit, 0.0, 1.0);
  const auto ceiling = backoff_ceiling(retry, base, cap);
  auto delay = std::chrono::milliseconds(static_cast<long long>(static_cast<double>(ceiling.count()) * unit));
  if (delay > ceiling) delay = ceiling;  // unit == 1.0 after clamping
  if (retry_after && *retry_after > delay)
    delay = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
  return delay;
}

double jitter_unit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::optional<std::chrono::seconds> parse_retry_after(const std::string& raw, long long now_unix) {
  size_t b = 0, e = raw.size();
  while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
  const std::string value = raw.substr(b, e - b);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return std::chrono::seconds(999999999);  // absurd, but a wait all the same
    return std::chrono::seconds(std::stoll(value));
  }
  // curl_getdate parses the three HTTP date formats; it needs no global init.
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  return std::chrono::seconds(std::max<long long>(0, static_cast<long long>(when) - now_unix));
}

}  // namespace pgdialer::sync::http
