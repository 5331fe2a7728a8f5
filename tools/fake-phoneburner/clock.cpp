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
    *millis =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

// US Central offset at a UTC instant under the rules in force since 2007:
// CDT (UTC-5) from the second Sunday of March, 08:00 UTC (2:00 CST), to the
// first Sunday of November, 07:00 UTC (2:00 CDT); CST (UTC-6) otherwise.
// Written out instead of using TZ/localtime because the server is threaded.
long central_offset_seconds(std::time_t utc) {
  std::tm tm{};
  gmtime_r(&utc, &tm);
  auto nth_sunday_utc = [&](int month, int nth, int hour_utc) {
    std::tm first{};
    first.tm_year = tm.tm_year;
    first.tm_mon = month;
    first.tm_mday = 1;
    const std::time_t t = timegm(&first);
    std::tm f{};
    gmtime_r(&t, &f);
    const int first_sunday = 1 + (7 - f.tm_wday) % 7;
    first.tm_mday = first_sunday + 7 * (nth - 1);
    first.tm_hour = hour_utc;
    return timegm(&first);
  };
  const std::time_t dst_start = nth_sunday_utc(2, 2, 8);
  const std::time_t dst_end = nth_sunday_utc(10, 1, 7);
  return (utc >= dst_start && utc < dst_end) ? -5 * 3600 : -6 * 3600;
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
  std::snprintf(buf, sizeof buf, "-- %02d/%02d/%04d @ %d:%02d %s UTC by ", tm.tm_mon + 1, tm.tm_mday,
                tm.tm_year + 1900, hour12, tm.tm_min, tm.tm_hour < 12 ? "AM" : "PM");
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

long long now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string central_now_datetime() { return central_datetime(std::time(nullptr)); }

std::string central_datetime(long long utc_seconds) {
  return format_datetime(utc_seconds + central_offset_seconds(static_cast<std::time_t>(utc_seconds)));
}

bool parse_datetime(const std::string& text, long long& seconds) {
  int y, mo, d, h, mi, s;
  char tail;
  if (text.size() != 19 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail) != 6)
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || y < 1970) return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const std::time_t t = timegm(&tm);
  if (format_datetime(t) != text) return false;  // e.g. February 30th
  seconds = t;
  return true;
}

std::string format_datetime(long long seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace fake_pb
