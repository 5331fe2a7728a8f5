#include "suppression_list.hpp"

#include "contact.hpp"

namespace pgdialer {

namespace {

constexpr int kReasonShift = 50;  // 10^15 (15 digits, E.164's maximum) < 2^50
constexpr std::uint64_t kKeyMask = (std::uint64_t{1} << kReasonShift) - 1;
constexpr std::size_t kMaxReasons = std::size_t{1} << (64 - kReasonShift);
constexpr std::size_t kInitialSlots = 64;

// "+" followed by 1-15 digits, the first not 0, as the integer those digits
// spell; nullopt for anything else. Distinct canonical strings give distinct
// integers (no leading zeros), so integer equality is string equality.
std::optional<std::uint64_t> canonical_key(std::string_view s) {
  if (s.size() < 2 || s.size() > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9') return std::nullopt;
  std::uint64_t key = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    unsigned digit = static_cast<unsigned char>(s[i]) - '0';
    if (digit > 9) return std::nullopt;
    key = key * 10 + digit;
  }
  return key;
}

std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
}

}  // namespace

std::string suppression_reason(std::string_view source) {
  auto s = present(Text(source));
  if (!s) return "On the suppression list";
  return "On the suppression list (" + std::string(*s) + ")";
}

std::uint16_t SuppressionList::reason_index(std::string_view source) {
  // Rows come in runs of the same few sources: skip the map for a repeat.
  if (!reasons_.empty() && source == last_source_) return last_reason_;
  auto it = reason_by_source_.find(std::string(source));
  if (it != reason_by_source_.end()) {
    last_source_.assign(source);
    last_reason_ = it->second;
    return it->second;
  }
  // Thousands of distinct sources would be a misuse of the column; past the
  // packing limit they share the plain reason rather than failing the list.
  if (reasons_.size() + 1 >= kMaxReasons) return reason_index("");
  auto index = static_cast<std::uint16_t>(reasons_.size());
  reasons_.push_back(suppression_reason(source));
  reason_by_source_.emplace(std::string(source), index);
  last_source_.assign(source);
  last_reason_ = index;
  return index;
}

bool SuppressionList::insert_packed(std::uint64_t key, std::uint16_t reason) {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    std::uint64_t slot = slots_[i];
    if (slot == 0) {
      slots_[i] = key | (std::uint64_t{reason} << kReasonShift);
      return true;
    }
    if ((slot & kKeyMask) == key) return false;  // listed already: first source wins
  }
}

void SuppressionList::grow() {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, 0);
  for (std::uint64_t slot : old)
    if (slot != 0) insert_packed(slot & kKeyMask, static_cast<std::uint16_t>(slot >> kReasonShift));
}

void SuppressionList::add(std::string_view number, std::string_view source) {
  auto trimmed = present(Text(number));
  if (!trimmed) return;
  std::uint16_t reason = reason_index(source);
  if (auto key = canonical_key(*trimmed)) {
    // Keep the table at most half full, so probes stay short.
    if (2 * (packed_count_ + 1) > slots_.size()) grow();
    if (insert_packed(*key, reason)) {
      ++packed_count_;
      ++size_;
    }
  } else if (other_.emplace(std::string(*trimmed), reason).second) {
    ++size_;
  }
}

std::optional<std::string_view> SuppressionList::find(std::string_view number) const {
  if (size_ == 0) return std::nullopt;
  if (auto key = canonical_key(number)) {
    if (slots_.empty()) return std::nullopt;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = slot_of(*key, mask);; i = (i + 1) & mask) {
      std::uint64_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if ((slot & kKeyMask) == *key) return std::string_view(reasons_[slot >> kReasonShift]);
    }
  }
  if (other_.empty()) return std::nullopt;
  auto it = other_.find(std::string(number));
  if (it == other_.end()) return std::nullopt;
  return std::string_view(reasons_[it->second]);
}

}  // namespace pgdialer
