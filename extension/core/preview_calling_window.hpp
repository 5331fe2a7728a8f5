// The preview's `calling_window` section (options.calling_window): how many
// of the ready contacts may be called at the preview's as_of, by status and
// by state, and the earliest time every one of them may be called.
#pragma once
#include "pg_free.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "calling_window.hpp"
#include "contact.hpp"

namespace pgdialer {

class PreviewCallingWindows {
 public:
  PreviewCallingWindows(std::shared_ptr<const CallingRules> rules, const ZoneClock& clock,
                        std::int64_t at_unix_seconds);

  // One ready contact and its normalized number.
  void add(const Contact& contact, const std::optional<std::string>& e164);

  // {"at", "callable", "later_today", "next_day", "blocked",
  //  "by_state": {"FL": {"callable": n, ...}, ..., "unknown": {...}},
  //  "all_callable_at": timestamp or null, "all_callable_note"?}
  // Timestamps as ISO 8601 UTC text.
  std::string json();

 private:
  WindowChecker checker_;
  std::array<long, kWindowStatusCount> counts_{};
  std::unordered_map<StateCode, std::array<long, kWindowStatusCount>> by_state_;
  std::unordered_set<std::uint64_t> keys_;  // distinct WindowKey::packed() seen
  std::unordered_map<std::uint64_t, WindowKey> key_of_;
};

// "2026-03-04T13:00:00Z"
std::string iso_utc(std::int64_t unix_seconds);

}  // namespace pgdialer
