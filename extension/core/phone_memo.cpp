#include "phone_memo.hpp"

#include "phone.hpp"
#include "phone_fast_e164.hpp"

namespace pgdialer {

std::optional<std::string> PhoneMemo::to_e164(std::string_view raw, std::string_view region) {
  phone_fast::E164Buffer e164;
  if (!normalize(raw, region, &e164)) return std::nullopt;
  return std::string(e164.view());
}

bool PhoneMemo::normalize(std::string_view raw, std::string_view region, phone_fast::E164Buffer* out) {
  if (region != region_ || code_.empty()) {
    answers_.clear();
    code_ = canonical_region(region);  // throws for an unknown region, as to_e164 does
    region_.assign(region.data(), region.size());
  }
  // The steps of pgdialer::to_e164, with the region checked once above.
  if (raw.size() > kMaxPhoneInputLength) return false;
  // The fast path answers plain shapes, valid or not, in well under a
  // microsecond: cheaper than a lookup here, whose misses (a list of
  // distinct numbers) cost cache misses for nothing. Only what it cannot
  // answer goes to libphonenumber, and that is what is worth remembering.
  switch (phone_fast::answer_into(raw, code_, out)) {
    case phone_fast::Answer::Kind::valid: return true;
    case phone_fast::Answer::Kind::invalid: return false;
    case phone_fast::Answer::Kind::unsure: break;
  }
  const auto give = [out](const std::optional<std::string>& answer) {
    if (answer) out->assign(*answer);
    return answer.has_value();
  };
  if (raw.size() > kMaxKeyLength) return give(to_e164_reference(raw, code_));
  // C++17's unordered_map has no heterogeneous lookup: one short copy.
  std::string key(raw);
  auto found = answers_.find(key);
  if (found != answers_.end()) return give(found->second);
  std::optional<std::string> answer = to_e164_reference(raw, code_);  // may throw: nothing kept
  if (answers_.size() < kMaxEntries) answers_.emplace(std::move(key), answer);
  return give(answer);
}

}  // namespace pgdialer
