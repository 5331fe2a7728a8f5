// webhook/descriptor_limit: the connection cap fitted under RLIMIT_NOFILE.
// Each case runs in a child process (a death test's fork), so the limits it
// changes are the child's alone.
#include "webhook/descriptor_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>

namespace pgdialer::sync::testing {
namespace {

void set_limits(rlim_t soft, rlim_t hard) {
  rlimit limit{soft, hard};
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) std::exit(90);
}

rlim_t soft_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

TEST(DescriptorLimit, RaisesTheSoftLimitUpToTheHardLimitForTheCap) {
  EXPECT_EXIT(
      {
        set_limits(512, 4096);
        std::string warning;
        const std::size_t fit = fit_descriptor_limit(1000, &warning);
        std::exit(fit == 1000 && warning.empty() && soft_limit() == 1000 + kReservedDescriptors ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(DescriptorLimit, LowersTheCapWithAWarningWhenTheHardLimitIsTooLow) {
  EXPECT_EXIT(
      {
        set_limits(256, 1024);
        std::string warning;
        const std::size_t fit = fit_descriptor_limit(5000, &warning);
        const bool named = warning.find("PGDIALER_WEBHOOK_MAX_CONNECTIONS=5000") != std::string::npos &&
                           warning.find("LimitNOFILE") != std::string::npos;
        std::exit(fit == 1024 - kReservedDescriptors && named && soft_limit() == 1024 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(DescriptorLimit, LeavesAHighEnoughLimitAlone) {
  EXPECT_EXIT(
      {
        set_limits(8192, 8192);
        std::string warning;
        std::exit(fit_descriptor_limit(100, &warning) == 100 && warning.empty() && soft_limit() == 8192 ? 0
                                                                                                        : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace pgdialer::sync::testing
