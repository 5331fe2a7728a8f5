#include "clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace fake_pb {
namespace {

std::tm utc_now(int* millis = nullptr) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  if (millis) {
    const auto since_epoch = now.time_since_epoch();
    *millis = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string now_datetime() {
  const std::tm tm = utc_now();
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string notes_stamp(const std::string& username) {
  const std::tm tm = utc_now();
  int hour12 = tm.tm_hour % 12;
  if (hour12 == 0) hour12 = 12;
  char buf[64];
  std::snprintf(buf, sizeof buf, "-- %02d/%02d/%04d @ %d:%02d %s UTC by ", tm.tm_mon + 1,
                tm.tm_mday, tm.tm_year + 1900, hour12, tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM");
  return buf + username + " -- ";
}

std::string now_iso_millis() {
  int millis = 0;
  const std::tm tm = utc_now(&millis);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, millis);
  return out;
}

}  // namespace fake_pb
