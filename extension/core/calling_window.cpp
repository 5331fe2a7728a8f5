#include "calling_window.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "errors.hpp"
#include "number_zones_data.hpp"
#include "us_zones.hpp"

namespace pgdialer {

namespace {

namespace nz = number_zones_data;

constexpr std::int64_t kDay = 86400;

// Every zone and zone set, numbered: the generated ones first, then the
// states' (whose zones may add names the number metadata does not use).
struct Registry {
  struct Prefix {
    const char* digits;
    std::uint8_t length;
    std::uint16_t set;
  };
  // The prefixes of a number's first four digits: the longest listed prefix
  // of at most four digits (set, or -1), and the longer ones, longest first.
  struct Bucket {
    int base = -1;
    std::uint32_t begin = 0, end = 0;
  };

  std::vector<std::string_view> names;
  std::unordered_map<std::string_view, int> index;
  std::vector<std::vector<std::uint16_t>> state_sets;  // set id nz::kSetCount + i
  std::unordered_map<StateCode, int> state_set;
  std::vector<Bucket> buckets = std::vector<Bucket>(10000);
  std::vector<Prefix> longer;

  int zone_id(std::string_view name) {
    auto it = index.find(name);
    if (it != index.end()) return it->second;
    names.push_back(name);
    index.emplace(name, static_cast<int>(names.size() - 1));
    return static_cast<int>(names.size() - 1);
  }

  Registry() {
    for (int i = 0; i < nz::kZoneCount; ++i) zone_id(nz::kZoneNames[i]);
    for (int i = 0; i < us_zones::kStateZoneCount; ++i) {
      const auto& s = us_zones::kStateZones[i];
      std::vector<std::uint16_t> set;
      for (const char* z : s.zones)
        if (z != nullptr) set.push_back(static_cast<std::uint16_t>(zone_id(z)));
      std::sort(set.begin(), set.end());
      set.erase(std::unique(set.begin(), set.end()), set.end());
      state_sets.push_back(std::move(set));
      state_set.emplace(state_code(s.state), nz::kSetCount + i);
    }
    std::unordered_map<std::string_view, int> short_prefixes;
    for (int i = 0; i < nz::kPrefixCount; ++i) {
      const auto& p = nz::kPrefixes[i];
      std::size_t length = std::strlen(p.digits);
      if (length <= 4)
        short_prefixes.emplace(std::string_view(p.digits, length), p.set);
      else
        longer.push_back(Prefix{p.digits, static_cast<std::uint8_t>(length), p.set});
    }
    char digits[5];
    for (int key = 0; key < 10000; ++key) {
      std::snprintf(digits, sizeof digits, "%04d", key);
      for (int length = 4; length >= 1; --length) {
        auto it = short_prefixes.find(std::string_view(digits, length));
        if (it != short_prefixes.end()) {
          buckets[key].base = it->second;
          break;
        }
      }
    }
    auto first4 = [](const Prefix& p) {
      return (p.digits[0] - '0') * 1000 + (p.digits[1] - '0') * 100 + (p.digits[2] - '0') * 10 +
             (p.digits[3] - '0');
    };
    std::stable_sort(longer.begin(), longer.end(), [&](const Prefix& a, const Prefix& b) {
      int ka = first4(a), kb = first4(b);
      return ka != kb ? ka < kb : a.length > b.length;
    });
    for (std::uint32_t i = 0; i < longer.size(); ++i) {
      Bucket& b = buckets[first4(longer[i])];
      if (b.begin == b.end) b.begin = i;
      b.end = i + 1;
    }
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int32_t local_day(std::int64_t t, int offset) {
  return static_cast<std::int32_t>(floor_div(t + offset, kDay));
}

// 0 = Sunday; 1970-01-01 was a Thursday.
int weekday(std::int32_t day) { return static_cast<int>(((day % 7) + 7 + 4) % 7); }

using Interval = std::pair<std::int64_t, std::int64_t>;  // [start, end) in unix seconds

// The instant a zone's clock shows `local` (seconds since the local epoch).
// A local time skipped by a change to daylight saving time has no instant:
// `later` picks the one after the change (for an opening), else the one
// before (for a closing), so a window never grows.
std::optional<std::int64_t> local_to_utc(const ZoneClock& clock, int zone, std::int64_t local, bool later) {
  auto o0 = clock.utc_offset(zone, local);
  if (!o0) return std::nullopt;
  auto o1 = clock.utc_offset(zone, local - *o0);
  if (!o1) return std::nullopt;
  std::int64_t u = local - *o1;
  auto o2 = clock.utc_offset(zone, u);
  if (!o2) return std::nullopt;
  if (*o2 == *o1) return u;
  std::int64_t u2 = local - *o2;
  return later ? std::max(u, u2) : std::min(u, u2);
}

std::vector<Interval> intersect(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::int64_t lo = std::max(a[i].first, b[j].first), hi = std::min(a[i].second, b[j].second);
    if (lo < hi) out.emplace_back(lo, hi);
    if (a[i].second < b[j].second)
      ++i;
    else
      ++j;
  }
  return out;
}

std::string clock_text(int seconds) {
  char buf[16];
  if (seconds % 60 != 0)
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  else
    std::snprintf(buf, sizeof buf, "%02d:%02d", seconds / 3600, seconds / 60 % 60);
  return buf;
}

std::string describe(const CallingRule& r) {
  std::string s = r.state + " " + clock_text(r.opens) + "-" + clock_text(r.closes);
  if (!r.sunday_calls) s += ", no Sundays";
  if (!r.holiday_calls) s += ", no holidays";
  if (!r.source.empty()) s += " (" + r.source + ")";
  return s;
}

}  // namespace

// ---- zones -----------------------------------------------------------------

int zone_count() { return static_cast<int>(registry().names.size()); }

std::string_view zone_name(int zone) {
  const auto& r = registry();
  if (zone < 0 || static_cast<std::size_t>(zone) >= r.names.size()) return {};
  return r.names[zone];
}

ZoneSet zone_set(int set_id) {
  const auto& r = registry();
  if (set_id < 0) return {};
  if (set_id < nz::kSetCount)
    return ZoneSet{nz::kSetMembers + nz::kSetStarts[set_id], nz::kSetMembers + nz::kSetStarts[set_id + 1]};
  std::size_t i = static_cast<std::size_t>(set_id - nz::kSetCount);
  if (i >= r.state_sets.size()) return {};
  return ZoneSet{r.state_sets[i].data(), r.state_sets[i].data() + r.state_sets[i].size()};
}

int number_zone_set(std::string_view e164) noexcept {
  if (e164.size() < 5 || e164[0] != '+') return -1;
  std::string_view digits = e164.substr(1);
  for (char c : digits)
    if (c < '0' || c > '9') return -1;
  const auto& r = registry();
  int key = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
  const auto& bucket = r.buckets[key];
  for (std::uint32_t i = bucket.begin; i < bucket.end; ++i) {
    const auto& p = r.longer[i];
    if (p.length <= digits.size() && std::memcmp(p.digits + 4, digits.data() + 4, p.length - 4) == 0)
      return p.set;
  }
  return bucket.base;
}

int state_zone_set(std::string_view state) noexcept {
  StateCode code = state_code(state);
  if (code == 0) return -1;
  const auto& r = registry();
  auto it = r.state_set.find(code);
  return it == r.state_set.end() ? -1 : it->second;
}

std::string_view zip_state(std::string_view zip) noexcept {
  if (zip.size() != 5 && zip.size() != 9 && !(zip.size() == 10 && zip[5] == '-')) return {};
  for (std::size_t i = 0; i < zip.size(); ++i)
    if (i != 5 || zip.size() != 10)
      if (zip[i] < '0' || zip[i] > '9') return {};
  return us_zones::zip3_state((zip[0] - '0') * 100 + (zip[1] - '0') * 10 + (zip[2] - '0'));
}

// ---- rules -----------------------------------------------------------------

StateCode state_code(std::string_view state) noexcept {
  if (state.size() != 2) return 0;
  auto up = [](char c) -> int {
    if (c >= 'a' && c <= 'z') return c - 'a' + 'A';
    if (c >= 'A' && c <= 'Z') return c;
    return 0;
  };
  int a = up(state[0]), b = up(state[1]);
  if (a == 0 || b == 0) return 0;
  return static_cast<StateCode>(a << 8 | b);
}

std::string state_text(StateCode code) {
  if (code == 0) return {};
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
}

void CallingRules::add_rule(CallingRule rule) {
  if (rule.state == "default") {
    default_rule = std::move(rule);
    return;
  }
  StateCode code = state_code(rule.state);
  if (code == 0) throw invalid_argument("calling rule for an invalid state \"" + rule.state + "\"");
  states[code] = std::move(rule);
}

void CallingRules::add_holiday(std::string_view state, std::int32_t day, std::string name) {
  StateCode code = state == "default" ? 0 : state_code(state);
  if (code == 0 && state != "default")
    throw invalid_argument("calling holiday for an invalid state \"" + std::string(state) + "\"");
  holidays[code][day] = std::move(name);
}

void CallingRules::add_area_code(int area_code, std::string_view state) {
  if (area_code >= 0 && area_code < 1000) area_code_state[area_code] = state_code(state);
}

// ---- answers ---------------------------------------------------------------

std::string_view status_name(WindowStatus status) {
  switch (status) {
    case WindowStatus::callable: return "callable";
    case WindowStatus::later_today: return "later_today";
    case WindowStatus::next_day: return "next_day";
    case WindowStatus::blocked: return "blocked";
  }
  return "blocked";
}

std::uint64_t WindowKey::packed() const {
  return (static_cast<std::uint64_t>(static_cast<std::uint16_t>(zone_set + 1)) << 48) |
         (static_cast<std::uint64_t>(address_state) << 32) | (static_cast<std::uint64_t>(zip_state) << 16) |
         number_state;
}

WindowKey window_key(const Contact& contact, const std::optional<std::string>& e164,
                     const CallingRules& rules) noexcept {
  WindowKey key;
  if (auto state = present(contact.state)) {
    StateCode code = state_code(*state);
    if (code != 0 && state_zone_set(*state) >= 0) key.address_state = code;
  }
  if (auto zip = present(contact.zip)) key.zip_state = state_code(zip_state(*zip));
  if (e164 && e164->size() == 12 && (*e164)[0] == '+' && (*e164)[1] == '1') {
    const std::string& n = *e164;
    if (n[2] >= '0' && n[2] <= '9' && n[3] >= '0' && n[3] <= '9' && n[4] >= '0' && n[4] <= '9')
      key.number_state = rules.area_code_state[(n[2] - '0') * 100 + (n[3] - '0') * 10 + (n[4] - '0')];
  }
  if (key.zip_state != 0)
    key.zone_set = state_zone_set(state_text(key.zip_state));
  else if (key.address_state != 0)
    key.zone_set = state_zone_set(state_text(key.address_state));
  else if (e164)
    key.zone_set = number_zone_set(*e164);
  return key;
}

WindowChecker::WindowChecker(std::shared_ptr<const CallingRules> rules, const ZoneClock& clock,
                             std::int64_t at_unix_seconds)
    : rules_(std::move(rules)), clock_(clock), at_(at_unix_seconds) {}

const WindowAnswer& WindowChecker::answer(const WindowKey& key) {
  std::uint64_t packed = key.packed();
  auto it = memo_.find(packed);
  if (it != memo_.end()) return it->second;
  return memo_.emplace(packed, compute(key)).first->second;
}

WindowAnswer WindowChecker::compute(const WindowKey& key) const {
  WindowAnswer out;
  if (key.zone_set < 0) {
    out.rule = "unknown time zone: no US ZIP code, state or number that gives one";
    return out;
  }
  ZoneSet zones = zone_set(key.zone_set);
  for (const std::uint16_t* z = zones.begin; z != zones.end; ++z) {
    if (!out.zone.empty()) out.zone += ",";
    out.zone += zone_name(*z);
  }
  for (const std::uint16_t* z = zones.begin; z != zones.end; ++z)
    if (!clock_.utc_offset(*z, at_)) {
      out.rule = "unknown time zone: " + std::string(zone_name(*z)) + " is not in the time zone database";
      return out;
    }

  // The rules that apply: the states' (address, ZIP, number) first, then the default.
  std::vector<const CallingRule*> applied;
  for (StateCode s : {key.address_state, key.zip_state, key.number_state}) {
    if (s == 0) continue;
    auto r = rules_->states.find(s);
    if (r != rules_->states.end() && std::find(applied.begin(), applied.end(), &r->second) == applied.end())
      applied.push_back(&r->second);
  }
  applied.push_back(&rules_->default_rule);

  auto holiday = [&](const CallingRule& r, std::int32_t day) -> const std::string* {
    // 'default' days ban every rule without holiday calls; a state's, its own.
    for (StateCode s : {StateCode(0), state_code(r.state)}) {
      auto h = rules_->holidays.find(s);
      if (h == rules_->holidays.end()) continue;
      auto d = h->second.find(day);
      if (d != h->second.end()) return &d->second;
    }
    return nullptr;
  };

  struct Part {
    const CallingRule* rule;
    int zone;
    bool allows_at;
  };
  std::vector<Part> parts;
  std::optional<std::vector<Interval>> allowed;
  for (const CallingRule* r : applied) {
    for (const std::uint16_t* z = zones.begin; z != zones.end; ++z) {
      std::int32_t today = local_day(at_, *clock_.utc_offset(*z, at_));
      std::vector<Interval> windows;
      for (std::int32_t d = today - 1; d <= today + kHorizonDays; ++d) {
        if (!r->sunday_calls && weekday(d) == 0) continue;
        if (!r->holiday_calls && holiday(*r, d) != nullptr) continue;
        auto a = local_to_utc(clock_, *z, d * kDay + r->opens, true);
        auto b = local_to_utc(clock_, *z, d * kDay + r->closes, false);
        if (a && b && *a < *b) windows.emplace_back(*a, *b);
      }
      bool in = false;
      for (const auto& w : windows) in = in || (w.first <= at_ && at_ < w.second);
      parts.push_back(Part{r, *z, in});
      allowed = allowed ? intersect(*allowed, windows) : std::move(windows);
    }
  }

  const std::vector<Interval>& open = *allowed;
  for (const Interval& w : open)
    if (at_ < w.second) out.windows.push_back(w);
  auto next = std::find_if(open.begin(), open.end(), [&](const Interval& w) { return at_ < w.second; });
  if (next == open.end()) {
    out.rule = "no time in the next " + std::to_string(kHorizonDays) +
               " days when every rule allows a call in " + (zones.size() > 1 ? "every zone" : "the zone");
    return out;
  }
  if (next->first <= at_) {
    out.status = WindowStatus::callable;
    const CallingRule* narrowest = applied.front();
    for (const CallingRule* r : applied)
      if (r->closes - r->opens < narrowest->closes - narrowest->opens) narrowest = r;
    out.rule = describe(*narrowest);
    return out;
  }
  out.opens_at = next->first;
  bool same_day = true;
  for (const std::uint16_t* z = zones.begin; z != zones.end; ++z)
    same_day = same_day && local_day(next->first, *clock_.utc_offset(*z, next->first)) ==
                               local_day(at_, *clock_.utc_offset(*z, at_));
  out.status = same_day ? WindowStatus::later_today : WindowStatus::next_day;
  for (const Part& p : parts) {
    if (p.allows_at) continue;
    const CallingRule& r = *p.rule;
    std::int32_t today = local_day(at_, *clock_.utc_offset(p.zone, at_));
    if (!r.sunday_calls && weekday(today) == 0)
      out.rule = r.state + ": no calls on Sundays";
    else if (const std::string* name = r.holiday_calls ? nullptr : holiday(r, today))
      out.rule = r.state + ": no calls on holidays (" + *name + ")";
    else
      out.rule = describe(r);
    break;
  }
  return out;
}

}  // namespace pgdialer
