#include "phone_memo.hpp"

#include "phone.hpp"

namespace pgdialer {

std::optional<std::string> PhoneMemo::to_e164(std::string_view raw, std::string_view region) {
  if (raw.size() > kMaxKeyLength) return pgdialer::to_e164(raw, region);
  if (region != region_) {
    answers_.clear();
    region_.assign(region.data(), region.size());
  }
  // C++17's unordered_map has no heterogeneous lookup: one short copy.
  std::string key(raw);
  auto found = answers_.find(key);
  if (found != answers_.end()) return found->second;
  std::optional<std::string> answer = pgdialer::to_e164(raw, region);  // may throw: nothing kept
  if (answers_.size() < kMaxEntries) answers_.emplace(std::move(key), answer);
  return answer;
}

}  // namespace pgdialer
