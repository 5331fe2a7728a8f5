// PostgreSQL's jsonb binary format, written directly.
//
// Why: a preview of 10,000 contacts returns about 1 MB of jsonb, and handing
// its JSON text to jsonb_in cost twice as much as classifying the contacts
// (jsonb_in parses every token into a palloc'd tree, then serializes it).
// Writing the binary form once, from the values we already have, costs a
// copy. The format is PostgreSQL's on-disk format, which pg_upgrade keeps
// byte-compatible across major versions, as defined in its utils/jsonb.h:
//
//   container = uint32 header (count | JB_FOBJECT or JB_FARRAY)
//               JEntry[count] (objects: 2 * count, every key first, then every value)
//               the children's data, each numeric or container preceded by zero
//               padding to a 4-byte boundary that counts as part of that child
//   JEntry    = type bits | length of the child's data; every 32nd (i % 32 == 0)
//               holds instead the end offset of that child's data, with JENTRY_HAS_OFF
//   keys      sorted by length, then bytewise (no duplicates here)
//
// Alignment is counted from the start of the varlena: `out` must start with
// the 4-byte varlena header (left for the glue to set) or at any multiple of 4.
// Numerics are PostgreSQL numeric varlenas with a 4-byte header, made by the
// glue (numeric_in); the core never builds one.
#pragma once
#include "pg_free.hpp"

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

namespace pgdialer::jsonb {

inline constexpr std::uint32_t kOffLenMask = 0x0FFFFFFF;
inline constexpr std::uint32_t kTypeMask = 0x70000000;
inline constexpr std::uint32_t kHasOff = 0x80000000;
inline constexpr std::uint32_t kIsString = 0x00000000;
inline constexpr std::uint32_t kIsNumeric = 0x10000000;
inline constexpr std::uint32_t kIsFalse = 0x20000000;
inline constexpr std::uint32_t kIsTrue = 0x30000000;
inline constexpr std::uint32_t kIsNull = 0x40000000;
inline constexpr std::uint32_t kIsContainer = 0x50000000;
inline constexpr std::uint32_t kObject = 0x20000000;  // container header flags
inline constexpr std::uint32_t kArray = 0x40000000;
inline constexpr std::uint32_t kCountMask = 0x0FFFFFFF;
inline constexpr std::size_t kOffsetStride = 32;

class ContainerArray;

// One value of an object or array.
struct Value {
  enum class Kind { null, boolean, string, numeric, container, array } kind = Kind::null;
  bool boolean = false;
  // string: its bytes; numeric: a numeric varlena (4-byte header);
  // container: an encoded container that was written at a 4-byte boundary.
  std::string_view bytes;
  const ContainerArray* array = nullptr;  // array: written in place, not copied twice

  static Value null() { return {}; }
  static Value of(bool b) { return {Kind::boolean, b, {}, nullptr}; }
  static Value string(std::string_view s) { return {Kind::string, false, s, nullptr}; }
  static Value numeric(std::string_view varlena) { return {Kind::numeric, false, varlena, nullptr}; }
  static Value container(std::string_view encoded) { return {Kind::container, false, encoded, nullptr}; }
  static Value of(const ContainerArray& a) { return {Kind::array, false, {}, &a}; }
};

struct Member {
  std::string_view key;
  Value value;
};

// Appends an object with these members (sorted here, in place, as jsonb
// orders keys) to `out`, padding `out` to 4 bytes first. Throws
// pgdialer::Error 54000 when the object's data exceeds jsonb's 256 MB.
void append_object(std::pmr::string& out, Member* members, std::size_t count);

// The elements of an array whose elements are all containers, gathered as
// they come, in chunks: a preview of a million contacts holds ~100 MB of
// excluded rows, and one growing buffer would copy them again at every
// doubling. Each element starts at a 4-byte boundary of its chunk, so it is
// laid out exactly as it will be in the array.
class ContainerArray {
 public:
  explicit ContainerArray(std::pmr::memory_resource* memory) : chunks_(memory), elements_(memory) {}

  // Returns the buffer to append the element to (e.g. with append_object),
  // padded to the element's boundary; then end_element(). Written in place:
  // no copy per element.
  std::pmr::string& begin_element();
  void end_element();
  // Forgets an element begun but not ended (its writer threw).
  void abandon_element();

  std::size_t size() const { return elements_.size(); }
  // Each element's bytes, in order (for reading back; not a hot path).
  std::vector<std::string_view> elements() const;

  // Appends the array container to `out` (padded to 4 bytes first).
  void append_to(std::pmr::string& out) const;
  // At least what append_to appends (to reserve it at once).
  std::size_t size_bound() const;

 private:
  static constexpr std::size_t kFirstChunkBytes = 4 * 1024;
  static constexpr std::size_t kMaxChunkBytes = 1024 * 1024;
  static constexpr std::size_t kRoomForElement = 1024;
  struct Element {
    std::uint32_t chunk;
    std::uint32_t offset;  // in its chunk, a multiple of 4
    std::uint32_t length;  // its bytes, without padding
  };
  std::pmr::vector<std::pmr::string> chunks_;
  std::pmr::vector<Element> elements_;
  std::size_t element_start_ = 0;
  std::size_t chunk_size_before_ = 0;
};

// Reads back an object container that append_object wrote with string,
// null and boolean values only, in its stored (sorted) order; false when
// `bytes` is not such an object. For turning what the core wrote back into
// JSON text (PreviewBuilder::finish_json), not a general jsonb reader.
bool read_scalar_object(std::string_view bytes, std::vector<Member>* members);

}  // namespace pgdialer::jsonb
