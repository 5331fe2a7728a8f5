// The preview's compact id and number maps: first value wins, growth keeps
// every entry, memory comes from the given resource only.
#include <gtest/gtest.h>

#include <string>

#include "compact_string_map.hpp"

using namespace pgdialer;

TEST(CompactStringMap, FirstValueWinsAndIsReturnedForLaterInserts) {
  CompactStringMap map(std::pmr::get_default_resource());
  EXPECT_EQ(map.insert("+19195550123", "Ann Lee"), std::nullopt);
  EXPECT_EQ(map.insert("+19195550124", ""), std::nullopt);
  EXPECT_EQ(map.insert("+19195550123", "Bo Oh"), std::optional<std::string_view>("Ann Lee"));
  EXPECT_EQ(map.insert("+19195550124", "x"), std::optional<std::string_view>(""));
  EXPECT_EQ(map.insert("", ""), std::nullopt);  // the empty key is a key like any other
  EXPECT_TRUE(map.insert("", "").has_value());
  EXPECT_EQ(map.size(), 3u);
}

TEST(CompactStringMap, GrowsWithoutLosingEntries) {
  CompactStringMap set(std::pmr::get_default_resource());
  for (int i = 0; i < 200000; ++i) ASSERT_EQ(set.insert(std::to_string(i)), std::nullopt) << i;
  for (int i = 0; i < 200000; i += 7) ASSERT_TRUE(set.insert(std::to_string(i)).has_value()) << i;
  EXPECT_EQ(set.size(), 200000u);
}

TEST(CompactStringMap, AllocatesOnlyFromItsResource) {
  std::pmr::monotonic_buffer_resource arena(1 << 22);
  std::pmr::memory_resource* none = std::pmr::null_memory_resource();
  std::pmr::set_default_resource(none);  // any other allocation would throw
  {
    CompactStringMap map(&arena);
    for (int i = 0; i < 10000; ++i) map.insert("id-" + std::to_string(i), "name");
    EXPECT_EQ(map.size(), 10000u);
  }
  std::pmr::set_default_resource(std::pmr::new_delete_resource());
}
