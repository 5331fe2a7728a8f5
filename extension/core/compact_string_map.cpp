#include "compact_string_map.hpp"

#include "errors.hpp"

#include <cstring>
#include <functional>

namespace pgdialer {

namespace {

std::uint32_t hash_of(std::string_view s) {
  const std::size_t h = std::hash<std::string_view>{}(s);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void append_length(std::pmr::vector<char>& arena, std::size_t length) {
  const std::uint32_t n = static_cast<std::uint32_t>(length);
  const char* bytes = reinterpret_cast<const char*>(&n);
  arena.insert(arena.end(), bytes, bytes + sizeof n);
}

std::uint32_t read_length(const std::pmr::vector<char>& arena, std::size_t at) {
  std::uint32_t n;
  std::memcpy(&n, arena.data() + at, sizeof n);
  return n;
}

}  // namespace

std::string_view CompactStringMap::key_at(std::uint32_t offset) const {
  return std::string_view(arena_.data() + offset + 4, read_length(arena_, offset));
}

std::string_view CompactStringMap::value_at(std::uint32_t offset) const {
  const std::size_t at = offset + 4 + read_length(arena_, offset);
  return std::string_view(arena_.data() + at + 4, read_length(arena_, at));
}

void CompactStringMap::grow() {
  std::pmr::vector<Slot> old(slots_.get_allocator());
  old.swap(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{0, kEmpty});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.offset == kEmpty) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].offset != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::optional<std::string_view> CompactStringMap::insert(std::string_view key, std::string_view value) {
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  const std::uint32_t h = hash_of(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  for (; slots_[i].offset != kEmpty; i = (i + 1) & mask) {
    if (slots_[i].hash == h && key_at(slots_[i].offset) == key) return value_at(slots_[i].offset);
  }
  const std::size_t offset = arena_.size();
  if (offset + 8 + key.size() + value.size() >= kEmpty)
    throw Error(sqlstate::program_limit_exceeded, "too many distinct strings for one preview (4 GB)");
  append_length(arena_, key.size());
  arena_.insert(arena_.end(), key.begin(), key.end());
  append_length(arena_, value.size());
  arena_.insert(arena_.end(), value.begin(), value.end());
  slots_[i] = Slot{h, static_cast<std::uint32_t>(offset)};
  ++size_;
  return std::nullopt;
}

}  // namespace pgdialer
