// What PreviewBuilder::add says of each contact: a ready contact carries its
// E.164 number, which the preview's frequency caps look up (only ready
// contacts are listed there); an excluded or repeated one carries none.
#include <gtest/gtest.h>

#include "preview.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

Contact contact(const char* id, const char* phone) {
  Contact c;
  c.id = id;
  c.first_name = "First";
  c.last_name = id;
  c.phone = phone;
  return c;
}

}  // namespace

TEST(PreviewDecision, AReadyContactCarriesItsNumberInE164) {
  PreviewBuilder b(PreviewSettings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2}, PreviewOptions{});
  PreviewBuilder::Decision ready = b.add(contact("1", "(305) 555-0101"));
  EXPECT_EQ(ready.kind, PreviewBuilder::Decision::Kind::ready);
  ASSERT_TRUE(ready.e164.has_value());
  EXPECT_EQ(*ready.e164, "+13055550101");

  PreviewBuilder::Decision again = b.add(contact("1", "(305) 555-0101"));
  EXPECT_EQ(again.kind, PreviewBuilder::Decision::Kind::duplicate_id);
  EXPECT_FALSE(again.e164.has_value());

  PreviewBuilder::Decision same_number = b.add(contact("2", "305.555.0101"));
  EXPECT_EQ(same_number.kind, PreviewBuilder::Decision::Kind::excluded);
  EXPECT_FALSE(same_number.e164.has_value());

  Contact dnc = contact("3", "(305) 555-0103");
  dnc.do_not_call = true;
  dnc.do_not_call_source = "registry";
  PreviewBuilder::Decision excluded = b.add(dnc);
  EXPECT_EQ(excluded.kind, PreviewBuilder::Decision::Kind::excluded);
  EXPECT_FALSE(excluded.e164.has_value());

  PreviewBuilder::Decision invalid = b.add(contact("4", "555-0101"));
  EXPECT_EQ(invalid.kind, PreviewBuilder::Decision::Kind::excluded);
  EXPECT_FALSE(invalid.e164.has_value());
}
