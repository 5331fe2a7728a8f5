#include "jsonb_encoding.hpp"

#include "errors.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace pgdialer::jsonb {

namespace {

// Zero bytes up to the next multiple of 4; how many.
std::size_t pad(std::pmr::string& out) {
  const std::size_t padding = (4 - out.size() % 4) % 4;
  out.append(padding, '\0');
  return padding;
}

void put_u32(std::pmr::string& out, std::size_t at, std::uint32_t value) {
  std::memcpy(out.data() + at, &value, sizeof value);
}

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

[[noreturn]] void too_large() {
  throw Error(sqlstate::program_limit_exceeded, "the preview is too large for jsonb (256 MB)", {},
              "Preview a smaller list, or use dialer.preview_agg over fewer rows.");
}

// jsonb's key order (lengthCompareJsonbStringValue): shorter first, then bytes.
bool key_less(const Member& a, const Member& b) {
  if (a.key.size() != b.key.size()) return a.key.size() < b.key.size();
  return std::memcmp(a.key.data(), b.key.data(), a.key.size()) < 0;
}

// Appends one value's data; its JEntry with the data's length.
std::uint32_t append_value(std::pmr::string& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::null: return kIsNull;
    case Value::Kind::boolean: return v.boolean ? kIsTrue : kIsFalse;
    case Value::Kind::string:
      out.append(v.bytes);
      return kIsString | static_cast<std::uint32_t>(v.bytes.size());
    case Value::Kind::array: {
      const std::size_t start = out.size();
      v.array->append_to(out);
      if (out.size() - start > kOffLenMask) too_large();
      return kIsContainer | static_cast<std::uint32_t>(out.size() - start);
    }
    case Value::Kind::numeric:
    case Value::Kind::container: {
      const std::size_t padding = pad(out);
      out.append(v.bytes);
      return (v.kind == Value::Kind::numeric ? kIsNumeric : kIsContainer) |
             static_cast<std::uint32_t>(padding + v.bytes.size());
    }
  }
  return kIsNull;
}

// Every kOffsetStride'th JEntry holds the running end offset instead.
std::uint32_t stride_entry(std::uint32_t entry, std::size_t index, std::uint64_t end_offset) {
  if (end_offset > kOffLenMask) too_large();
  if (index % kOffsetStride != 0) return entry;
  return (entry & kTypeMask) | static_cast<std::uint32_t>(end_offset) | kHasOff;
}

}  // namespace

void append_object(std::pmr::string& out, Member* members, std::size_t count) {
  if (count > kCountMask) too_large();
  std::sort(members, members + count, key_less);
  pad(out);
  const std::size_t header_at = out.size();
  out.append(sizeof(std::uint32_t) * (1 + 2 * count), '\0');
  put_u32(out, header_at, static_cast<std::uint32_t>(count) | kObject);
  const std::size_t entries_at = header_at + sizeof(std::uint32_t);
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < 2 * count; ++i) {
    const std::uint32_t entry = i < count ? append_value(out, Value::string(members[i].key))
                                          : append_value(out, members[i - count].value);
    end += entry & kOffLenMask;
    put_u32(out, entries_at + sizeof(std::uint32_t) * i, stride_entry(entry, i, end));
  }
}

std::pmr::string& ContainerArray::begin_element() {
  // A new chunk when this one is nearly full, twice as large as the last up
  // to kMaxChunkBytes (small lists stay small); an element larger than what
  // is left just grows the chunk.
  if (chunks_.empty() || chunks_.back().size() + kRoomForElement > chunks_.back().capacity()) {
    const std::size_t capacity =
        chunks_.empty() ? kFirstChunkBytes : std::min(kMaxChunkBytes, 2 * chunks_.back().capacity());
    chunks_.emplace_back();
    chunks_.back().reserve(capacity);
  }
  std::pmr::string& chunk = chunks_.back();
  chunk_size_before_ = chunk.size();
  pad(chunk);
  element_start_ = chunk.size();
  return chunk;
}

void ContainerArray::end_element() {
  const std::size_t length = chunks_.back().size() - element_start_;
  if (length > kOffLenMask || element_start_ > kOffLenMask || elements_.size() >= kCountMask) too_large();
  elements_.push_back(Element{static_cast<std::uint32_t>(chunks_.size() - 1),
                              static_cast<std::uint32_t>(element_start_),
                              static_cast<std::uint32_t>(length)});
}

void ContainerArray::abandon_element() {
  if (!chunks_.empty()) chunks_.back().resize(chunk_size_before_);
}

std::vector<std::string_view> ContainerArray::elements() const {
  std::vector<std::string_view> out;
  for (const Element& e : elements_)
    out.push_back(std::string_view(chunks_[e.chunk]).substr(e.offset, e.length));
  return out;
}

std::size_t ContainerArray::size_bound() const {
  std::size_t bytes = 8 + 4 * elements_.size();  // padding, header, JEntries
  for (const std::pmr::string& c : chunks_) bytes += c.size() + 3;
  return bytes;
}

void ContainerArray::append_to(std::pmr::string& out) const {
  pad(out);
  const std::size_t header_at = out.size();
  const std::size_t count = elements_.size();
  out.append(sizeof(std::uint32_t) * (1 + count), '\0');
  put_u32(out, header_at, static_cast<std::uint32_t>(count) | kArray);
  // The data area starts at a word boundary (header and JEntries are whole
  // words); each chunk is placed at the next one after the previous chunk,
  // so every element keeps its place relative to a boundary. An element's
  // length counts the zero bytes between it and the one before.
  const std::size_t data_at = out.size();
  std::uint64_t end = 0;       // of the previous element, from data_at
  std::uint64_t chunk_at = 0;  // where the current chunk starts, from data_at
  std::size_t chunk = SIZE_MAX;
  for (std::size_t i = 0; i < count; ++i) {
    const Element& e = elements_[i];
    if (e.chunk != chunk) {
      if (chunk != SIZE_MAX) end = chunk_at + chunks_[chunk].size();
      chunk = e.chunk;
      chunk_at = (end + 3) / 4 * 4;
    }
    const std::uint64_t element_end = chunk_at + e.offset + e.length;
    const std::uint64_t length = element_end - end;
    end = element_end;
    put_u32(out, header_at + sizeof(std::uint32_t) * (1 + i),
            stride_entry(kIsContainer | static_cast<std::uint32_t>(length), i, end));
  }
  for (const std::pmr::string& c : chunks_) {
    out.append((4 - (out.size() - data_at) % 4) % 4, '\0');
    out.append(c);
  }
}

bool read_scalar_object(std::string_view bytes, std::vector<Member>* members) {
  members->clear();
  if (bytes.size() < 4) return false;
  const std::uint32_t header = get_u32(bytes, 0);
  if ((header & ~kCountMask) != kObject) return false;
  const std::size_t count = header & kCountMask;
  const std::size_t data_at = 4 + 8 * count;
  if (bytes.size() < data_at) return false;
  std::vector<std::string_view> data(2 * count);
  std::vector<std::uint32_t> types(2 * count);
  std::size_t start = 0;
  for (std::size_t i = 0; i < 2 * count; ++i) {
    const std::uint32_t entry = get_u32(bytes, 4 + 4 * i);
    const std::size_t end = (entry & kHasOff) ? (entry & kOffLenMask) : start + (entry & kOffLenMask);
    if (end < start || data_at + end > bytes.size()) return false;
    types[i] = entry & kTypeMask;
    data[i] = bytes.substr(data_at + start, end - start);
    start = end;
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (types[i] != kIsString) return false;
    Value value;
    switch (types[count + i]) {
      case kIsString: value = Value::string(data[count + i]); break;
      case kIsNull: value = Value::null(); break;
      case kIsTrue: value = Value::of(true); break;
      case kIsFalse: value = Value::of(false); break;
      default: return false;
    }
    members->push_back(Member{data[i], value});
  }
  return true;
}

}  // namespace pgdialer::jsonb
