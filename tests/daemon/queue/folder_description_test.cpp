// queue/push_runner: the PhoneBurner folder a session gets is named with its
// session tag and described with the session's description (issue 13), else
// with one naming the session.
#include <gtest/gtest.h>

#include "queue/push_queue.hpp"
#include "queue/push_runner.hpp"

namespace pgdialer::sync::testing {
namespace {

TEST(FolderDescription, TheSessionsOwnWhenItHasOne) {
  JobSession s;
  s.id = 7;
  s.name = "PE Buyers - Tier 1";
  s.description = "Q1 PE outreach: buyers who asked for the CPA deal";
  EXPECT_EQ(folder_description(s), "Q1 PE outreach: buyers who asked for the CPA deal");
  EXPECT_EQ(folder_name(s.id, s.name), "PE Buyers - Tier 1 [pgdialer session 7]");
}

TEST(FolderDescription, OneNamingTheSessionOtherwise) {
  JobSession s;
  s.id = 7;
  EXPECT_EQ(folder_description(s), "SourceCo dial session 7");
  s.description = "";
  EXPECT_EQ(folder_description(s), "SourceCo dial session 7");
}

}  // namespace
}  // namespace pgdialer::sync::testing
