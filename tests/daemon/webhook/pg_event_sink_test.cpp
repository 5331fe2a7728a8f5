// pg_event_sink's reading of SQLSTATEs: which errors are the event's own
// (class 22: rejected; anything else: failed, counted towards setting it
// aside) and which say only that the database cannot run anything now.
#include "webhook/pg_event_sink.hpp"

#include <gtest/gtest.h>

namespace pgdialer::sync {
namespace {

TEST(PgEventSinkSqlstate, ClassTwentyTwoIsTheEventsContent) {
  EXPECT_TRUE(is_rejection_sqlstate("22023"));
  EXPECT_TRUE(is_rejection_sqlstate("22P02"));
  EXPECT_FALSE(is_rejection_sqlstate("54001"));
  EXPECT_FALSE(is_rejection_sqlstate(""));
}

TEST(PgEventSinkSqlstate, OutagesNeverCountAgainstAnEvent) {
  for (const char* outage : {"", "08006", "08001", "28P01", "3D000", "53100", "53300", "57P01", "57P03",
                             "58030", "25006", "40001", "40P01", "55P03"})
    EXPECT_TRUE(is_outage_sqlstate(outage)) << outage;
  // The event's own failure, or one only the events behind it can tell apart.
  for (const char* failure : {"54001", "57014", "P0001", "XX000", "42501", "42883", "23505", "0A000"})
    EXPECT_FALSE(is_outage_sqlstate(failure)) << failure;
}

}  // namespace
}  // namespace pgdialer::sync
