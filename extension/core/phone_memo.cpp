#include "phone_memo.hpp"

#include "phone.hpp"
#include "phone_fast_e164.hpp"

namespace pgdialer {

std::optional<std::string> PhoneMemo::to_e164(std::string_view raw, std::string_view region) {
  if (region != region_ || code_.empty()) {
    answers_.clear();
    code_ = canonical_region(region);  // throws for an unknown region, as to_e164 does
    region_.assign(region.data(), region.size());
  }
  // The steps of pgdialer::to_e164, with the region checked once above.
  if (raw.size() > kMaxPhoneInputLength) return std::nullopt;
  // The fast path answers plain shapes, valid or not, in well under a
  // microsecond: cheaper than a lookup here, whose misses (a list of
  // distinct numbers) cost cache misses for nothing. Only what it cannot
  // answer goes to libphonenumber, and that is what is worth remembering.
  phone_fast::Answer fast = phone_fast::answer(raw, code_);
  switch (fast.kind) {
    case phone_fast::Answer::Kind::valid: return std::move(fast.e164);
    case phone_fast::Answer::Kind::invalid: return std::nullopt;
    case phone_fast::Answer::Kind::unsure: break;
  }
  if (raw.size() > kMaxKeyLength) return to_e164_reference(raw, code_);
  // C++17's unordered_map has no heterogeneous lookup: one short copy.
  std::string key(raw);
  auto found = answers_.find(key);
  if (found != answers_.end()) return found->second;
  std::optional<std::string> answer = to_e164_reference(raw, code_);  // may throw: nothing kept
  if (answers_.size() < kMaxEntries) answers_.emplace(std::move(key), answer);
  return answer;
}

}  // namespace pgdialer
