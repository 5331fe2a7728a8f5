// A hash map from strings to strings (or a set: empty values) that keeps
// both in one byte arena and its table in one flat array of 16-byte slots.
//
// Why: a preview of a million contacts remembers every distinct id (and the
// number and name of every ready contact). As std::unordered_set nodes that
// cost ~90 bytes an id once each node is a palloc chunk, and a million-row
// preview_agg went past dialer.preview_memory_limit; here it is ~30 bytes
// (the slot at up to 70% load, the bytes themselves, and a length word).
// Everything comes from the given memory resource (the preview's capped
// memory context in the extension).
#pragma once
#include "pg_free.hpp"

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <vector>

namespace pgdialer {

class CompactStringMap {
 public:
  explicit CompactStringMap(std::pmr::memory_resource* memory) : arena_(memory), slots_(memory) {}

  // Adds key -> value unless the key is there; returns the value already
  // stored for it, or nullopt when it was added. The views stay valid until
  // the next insert.
  std::optional<std::string_view> insert(std::string_view key, std::string_view value = {});

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t hash;    // the low bits of the key's hash; 0 with offset kEmpty = free
    std::uint32_t offset;  // of the entry in arena_: key length, key, value length, value
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  std::string_view key_at(std::uint32_t offset) const;
  std::string_view value_at(std::uint32_t offset) const;
  void grow();

  std::pmr::vector<char> arena_;
  std::pmr::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace pgdialer
