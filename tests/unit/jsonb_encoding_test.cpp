// The jsonb writer: PostgreSQL's layout (checked byte for byte on a small
// object; sql/preview_jsonb.sql checks that PostgreSQL reads the preview
// exactly as jsonb_in would have made it), key order, the every-32nd-entry
// offsets, padding, and reading rows back.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "jsonb_encoding.hpp"

using namespace pgdialer;
using namespace pgdialer::jsonb;

namespace {

std::vector<std::uint32_t> words(std::string_view bytes) {
  std::vector<std::uint32_t> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

std::vector<std::string> keys_of(std::string_view object) {
  std::vector<Member> members;
  EXPECT_TRUE(read_scalar_object(object, &members));
  std::vector<std::string> keys;
  for (const Member& m : members) keys.emplace_back(m.key);
  return keys;
}

}  // namespace

TEST(JsonbEncoding, SmallObjectLayout) {
  std::pmr::string out;
  Member members[] = {{"c", Value::of(true)}, {"a", Value::string("x")}, {"b", Value::null()}};
  append_object(out, members, 3);
  ASSERT_EQ(out.size(), 4u + 6 * 4 + 4);
  const auto w = words(out);
  EXPECT_EQ(w[0], 3u | kObject);
  EXPECT_EQ(w[1], kHasOff | 1u);  // key 0 ("a"): an offset, the end of its data
  EXPECT_EQ(w[2], 1u);            // key 1 ("b"): a length
  EXPECT_EQ(w[3], 1u);            // key 2 ("c")
  EXPECT_EQ(w[4], kIsString | 1u);
  EXPECT_EQ(w[5], kIsNull);
  EXPECT_EQ(w[6], kIsTrue);
  EXPECT_EQ(out.substr(28), "abcx");
}

TEST(JsonbEncoding, KeysSortShorterFirstThenBytewise) {
  std::pmr::string out;
  Member members[] = {
      {"bb", Value::null()}, {"a", Value::null()}, {"ab", Value::null()}, {"c", Value::null()}};
  append_object(out, members, 4);
  EXPECT_EQ(keys_of(out), (std::vector<std::string>{"a", "c", "ab", "bb"}));
}

TEST(JsonbEncoding, ManyMembersReadBackThroughStrideOffsets) {
  std::vector<std::string> keys, values;
  for (int i = 0; i < 70; ++i) {
    keys.push_back("key" + std::to_string(100 + i));
    values.push_back(std::string(i % 5, 'v') + std::to_string(i));
  }
  std::vector<Member> members;
  for (int i = 0; i < 70; ++i) members.push_back({keys[i], Value::string(values[i])});
  std::pmr::string out;
  append_object(out, members.data(), members.size());
  std::vector<Member> back;
  ASSERT_TRUE(read_scalar_object(out, &back));
  ASSERT_EQ(back.size(), 70u);
  for (int i = 0; i < 70; ++i) {
    EXPECT_EQ(back[i].key, keys[i]);  // same length: bytewise, which is insertion order here
    EXPECT_EQ(back[i].value.bytes, values[i]);
  }
  // Entries 0, 32, 64, ... (keys then values) carry offsets.
  const auto w = words(out);
  for (int i = 0; i < 140; ++i) EXPECT_EQ((w[1 + i] & kHasOff) != 0, i % 32 == 0) << i;
}

TEST(JsonbEncoding, NumericsAndContainersStartOnWordBoundaries) {
  // A numeric varlena stand-in of 6 bytes after a 1-byte string: padded.
  const std::string numeric("\x18\x00\x00\x00\x80\x01", 6);
  std::pmr::string inner;
  Member inner_members[] = {{"n", Value::numeric(numeric)}};
  append_object(inner, inner_members, 1);
  std::pmr::string out;
  out.append(4, '\0');  // the varlena header
  Member members[] = {{"s", Value::string("x")}, {"o", Value::container(inner)}};
  append_object(out, members, 2);
  const auto w = words(out.substr(4, 20));
  EXPECT_EQ(w[0], 2u | kObject);
  // keys "o", "s"; data: "os" | 2 bytes of padding | inner (at a multiple
  // of 4, its padding counted in its length) | "x"
  EXPECT_EQ(w[3], kIsContainer | static_cast<std::uint32_t>(2 + inner.size()));
  EXPECT_EQ(w[4], kIsString | 1u);
  const std::size_t inner_at = 4 + 4 + 16 + 2 + 2;
  EXPECT_EQ(out.substr(inner_at, inner.size()), inner);
  EXPECT_EQ(out.substr(inner_at + inner.size()), "x");
  // Inside it, the numeric after the key "n" is padded too.
  const auto v = words(inner.substr(0, 12));
  EXPECT_EQ(v[2], kIsNumeric | static_cast<std::uint32_t>(3 + numeric.size()));
}

TEST(JsonbEncoding, ContainerArrayKeepsEachElementAligned) {
  ContainerArray array(std::pmr::get_default_resource());
  // 400 rows of ~40 bytes: several chunks (the first holds 4 KB).
  for (int i = 0; i < 400; ++i) {
    std::string name(i % 3 + 1, 'n');
    Member row[] = {{"id", Value::string(std::to_string(i))}, {"name", Value::string(name)}};
    append_object(array.begin_element(), row, 2);
    array.end_element();
  }
  const auto elements = array.elements();
  ASSERT_EQ(elements.size(), 400u);
  for (int i = 0; i < 400; ++i) {
    std::vector<Member> back;
    ASSERT_TRUE(read_scalar_object(elements[i], &back)) << i;
    EXPECT_EQ(back[0].value.bytes, std::to_string(i));
  }
  std::pmr::string out;
  out.append(4, '\0');
  array.append_to(out);
  EXPECT_LE(out.size(), 4 + array.size_bound());
  const auto w = words(out.substr(4, 4 * 401));
  EXPECT_EQ(w[0], 400u | kArray);
  // Walk the JEntries as PostgreSQL does and read every element back from
  // where they say it is (past the zero padding before it).
  const std::size_t data_at = 4 + 4 * 401;
  std::size_t start = 0;
  for (int i = 0; i < 400; ++i) {
    const std::uint32_t entry = w[1 + i];
    EXPECT_EQ((entry & kHasOff) != 0, i % 32 == 0) << i;
    EXPECT_EQ(entry & kTypeMask, kIsContainer);
    const std::size_t end = (entry & kHasOff) ? (entry & kOffLenMask) : start + (entry & kOffLenMask);
    const std::size_t at = data_at + (start + 3) / 4 * 4;
    EXPECT_EQ(std::string_view(out).substr(at, data_at + end - at), elements[i]) << i;
    start = end;
  }
}

TEST(JsonbEncoding, AnAbandonedElementLeavesNoTrace) {
  ContainerArray array(std::pmr::get_default_resource());
  Member row[] = {{"id", Value::string("1")}};
  append_object(array.begin_element(), row, 1);
  array.end_element();
  append_object(array.begin_element(), row, 1);
  array.abandon_element();
  EXPECT_EQ(array.size(), 1u);
  EXPECT_EQ(array.elements().size(), 1u);
}
