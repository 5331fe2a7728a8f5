#include "preview_calling_window.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace pgdialer {

namespace {

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
void civil_from_days(std::int64_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_counts(Writer& w, const std::array<long, kWindowStatusCount>& counts) {
  for (int i = 0; i < kWindowStatusCount; ++i) {
    std::string_view name = status_name(static_cast<WindowStatus>(i));
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.Int64(counts[i]);
  }
}

}  // namespace

std::string iso_utc(std::int64_t t) {
  std::int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  std::int64_t secs = t - days * 86400;
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

PreviewCallingWindows::PreviewCallingWindows(std::shared_ptr<const CallingRules> rules,
                                             const ZoneClock& clock, std::int64_t at_unix_seconds)
    : checker_(std::move(rules), clock, at_unix_seconds) {}

void PreviewCallingWindows::add(const Contact& contact, const std::optional<std::string>& e164) {
  WindowKey key = window_key(contact, e164, checker_.rules());
  const WindowAnswer& a = checker_.answer(key);
  int status = static_cast<int>(a.status);
  ++counts_[status];
  StateCode state = key.address_state ? key.address_state : key.zip_state ? key.zip_state : key.number_state;
  ++by_state_[state][status];
  if (keys_.insert(key.packed()).second) key_of_.emplace(key.packed(), key);
}

std::string PreviewCallingWindows::json() {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("at");
  std::string at = iso_utc(checker_.at());
  w.String(at.c_str());
  write_counts(w, counts_);
  w.Key("by_state");
  w.StartObject();
  std::map<std::string, std::array<long, kWindowStatusCount>> states;  // sorted for the reader
  for (const auto& [code, counts] : by_state_) states[code ? state_text(code) : "unknown"] = counts;
  for (const auto& [name, counts] : states) {
    w.Key(name.c_str());
    w.StartObject();
    write_counts(w, counts);
    w.EndObject();
  }
  w.EndObject();

  // The earliest instant inside every distinct window of the list.
  std::optional<std::vector<std::pair<std::int64_t, std::int64_t>>> common;
  for (std::uint64_t packed : keys_) {
    const WindowAnswer& a = checker_.answer(key_of_.at(packed));  // memoized
    if (!common) {
      common = a.windows;
      continue;
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> next;
    std::size_t i = 0, j = 0;
    while (i < common->size() && j < a.windows.size()) {
      std::int64_t lo = std::max((*common)[i].first, a.windows[j].first);
      std::int64_t hi = std::min((*common)[i].second, a.windows[j].second);
      if (lo < hi) next.emplace_back(lo, hi);
      if ((*common)[i].second < a.windows[j].second)
        ++i;
      else
        ++j;
    }
    common = std::move(next);
  }
  w.Key("all_callable_at");
  if (!common) {
    w.String(at.c_str());  // no ready contact: nothing waits
  } else if (common->empty()) {
    w.Null();
    w.Key("all_callable_note");
    w.String(counts_[static_cast<int>(WindowStatus::blocked)] > 0
                 ? "some contacts are blocked (see by_state), so the whole list is never callable"
                 : "no time in the next days is inside every contact's window: split the list by zone");
  } else {
    std::string when = iso_utc(std::max(common->front().first, checker_.at()));
    w.String(when.c_str());
  }
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace pgdialer
