// version: dotted versions and the extension range the daemon supports.
#include "common/version.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pgdialer::sync::testing {
namespace {

TEST(Version, PartsAreComparedAsNumbers) {
  EXPECT_LT(compare_versions("1.9", "1.10"), 0);
  EXPECT_GT(compare_versions("2.0", "1.99.99"), 0);
  EXPECT_EQ(compare_versions("1.0", "1.0.0"), 0);
  EXPECT_EQ(parse_version("1.10.2"), (std::vector<int>{1, 10, 2}));
}

TEST(Version, AnythingButDottedNumbersIsRefused) {
  for (const char* bad : {"", "1.", ".1", "1..0", "1.0-beta", "v1", "1.0.0.0.0", "1234567", " 1.0"})
    EXPECT_THROW(parse_version(bad), std::invalid_argument) << '"' << bad << '"';
}

TEST(Version, TheSupportedExtensionRangeIncludesFromAndExcludesBelow) {
  EXPECT_TRUE(extension_version_supported(kExtensionVersionFrom));
  EXPECT_TRUE(extension_version_supported("1.7"));
  EXPECT_FALSE(extension_version_supported(kExtensionVersionBelow));
  EXPECT_FALSE(extension_version_supported("0.9"));
  EXPECT_THROW(extension_version_supported("1.x"), std::invalid_argument);
}

TEST(Version, TheDaemonHasOne) { EXPECT_NO_THROW(parse_version(daemon_version())); }

}  // namespace
}  // namespace pgdialer::sync::testing
