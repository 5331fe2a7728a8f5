// The four exclusion checks, their order, reasons and overridability.
#include <gtest/gtest.h>

#include "exclusion.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kDay = 86'400'000'000LL;
constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

Contact ready_contact() {
  Contact c;
  c.id = "42";
  c.first_name = "Alex";
  c.last_name = "Martinez";
  c.phone = "(919) 555-0123";
  return c;
}

RuleSettings settings(int min_days = 7) { return RuleSettings{min_days, kNow, "US"}; }

void expect_exclusion(const Contact& c, ExclusionCategory category, const std::string& reason,
                      bool overridable, int min_days = 7) {
  auto e = classify(c, settings(min_days));
  ASSERT_TRUE(e.has_value()) << "expected " << reason;
  EXPECT_EQ(category_name(e->category), category_name(category));
  EXPECT_EQ(e->reason, reason);
  EXPECT_EQ(e->overridable, overridable);
}

}  // namespace

TEST(Exclusion, ReadyContactHasNone) { EXPECT_FALSE(classify(ready_contact(), settings())); }

TEST(Exclusion, DoNotCallReasonAndSource) {
  Contact c = ready_contact();
  c.do_not_call = true;
  expect_exclusion(c, ExclusionCategory::do_not_call, "Do not call", false);
  c.do_not_call_reason = "Requested removal 2025-11-15";
  c.do_not_call_source = "requested";
  expect_exclusion(c, ExclusionCategory::do_not_call, "Requested removal 2025-11-15", false);
  c.do_not_call_source = "registry";
  expect_exclusion(c, ExclusionCategory::do_not_call, "Requested removal 2025-11-15", false);
  c.do_not_call_source = "internal";
  expect_exclusion(c, ExclusionCategory::do_not_call, "Requested removal 2025-11-15", true);
  c.do_not_call_source = "something else";  // unknown source is treated as legal DNC
  expect_exclusion(c, ExclusionCategory::do_not_call, "Requested removal 2025-11-15", false);
  c.do_not_call_reason = "   ";  // blank reason falls back
  expect_exclusion(c, ExclusionCategory::do_not_call, "Do not call", false);
}

TEST(Exclusion, SuppressedWithoutDoNotCall) {
  Contact c = ready_contact();
  c.suppressed = true;
  c.do_not_call = false;
  expect_exclusion(c, ExclusionCategory::do_not_call, "Suppressed", false);
  c.do_not_call_source = "internal";
  expect_exclusion(c, ExclusionCategory::do_not_call, "Suppressed", true);
}

TEST(Exclusion, DoNotCallWinsOverEverythingElse) {
  Contact c;
  c.do_not_call = true;  // no phone, no names, called today
  c.last_call_attempt_at = kNow;
  expect_exclusion(c, ExclusionCategory::do_not_call, "Do not call", false);
}

TEST(Exclusion, MissingPhone) {
  Contact c = ready_contact();
  c.phone = std::nullopt;
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Missing phone number", false);
  c.phone = " \t";
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Missing phone number", false);
  c.phone_e164 = "";
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Missing phone number", false);
}

TEST(Exclusion, FlaggedInvalid) {
  Contact c = ready_contact();
  c.phone_number_invalid = true;
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Flagged as invalid", true);
  c.phone_invalid_reason = "Wrong number (last call)";
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Flagged as invalid: Wrong number (last call)", true);
  c.phone = "555-CALL";  // flagged and not normalizable: no override
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Flagged as invalid: Wrong number (last call)",
                   false);
}

TEST(Exclusion, UnrecognizedNumber) {
  Contact c = ready_contact();
  c.phone = "123";
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Unrecognized phone number", false);
}

TEST(Exclusion, StoredE164IsTrustedWithoutParsing) {
  Contact c = ready_contact();
  c.phone = "not a number at all";
  c.phone_e164 = "+19195550123";
  EXPECT_FALSE(classify(c, settings()));
  c.phone = std::nullopt;  // trusted even when phone is NULL
  std::optional<std::string> e164;
  EXPECT_FALSE(classify(c, settings(), &e164));
  EXPECT_EQ(e164.value_or(""), "+19195550123");
}

// A maintained phone_e164 that is blank means the number did not normalize:
// believed as such, even where parsing phone would have found a number (a
// row written before the trigger existed stays out until it is backfilled).
TEST(Exclusion, BlankMaintainedE164IsTrustedAsInvalid) {
  Contact c = ready_contact();  // (919) 555-0123 parses
  c.phone_e164_maintained = true;
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Unrecognized phone number", false);
  c.phone_e164 = "  ";
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Unrecognized phone number", false);
  EXPECT_FALSE(is_dialable(c, "US"));
  EXPECT_FALSE(normalized_phone(c, "US"));
  // Flagged: not overridable, as for any number that does not normalize.
  c.phone_number_invalid = true;
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Flagged as invalid", false);
  // A stored number is used as ever.
  c.phone_number_invalid = std::nullopt;
  c.phone_e164 = "+19195550123";
  EXPECT_FALSE(classify(c, settings()));
  EXPECT_TRUE(is_dialable(c, "US"));
  // Not maintained: a blank one sends the rules back to phone.
  c.phone_e164_maintained = false;
  c.phone_e164 = std::nullopt;
  EXPECT_FALSE(classify(c, settings()));
}

TEST(Exclusion, RecencyBoundaries) {
  Contact c = ready_contact();
  c.last_call_attempt_at = kNow - 7 * kDay;  // exactly 7 days: allowed
  EXPECT_FALSE(classify(c, settings(7)));
  c.last_call_attempt_at = kNow - 7 * kDay + 1;  // a microsecond short: 6 whole days
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called 6 days ago", true);
  c.last_call_attempt_at = kNow - kDay - 5;
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called 1 day ago", true);
  c.last_call_attempt_at = kNow - 3'600'000'000LL;
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called today", true);
  c.last_call_attempt_at = kNow + 5 * kDay;  // future counts as 0
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called today", true);
  c.last_call_attempt_at = kNow - 2 * kDay;
  EXPECT_FALSE(classify(c, settings(0)));  // 0 disables the check
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called 2 days ago", true, 30);
}

TEST(Exclusion, ExtremeTimestampsDoNotOverflow) {
  Contact c = ready_contact();
  c.last_call_attempt_at = INT64_MIN;  // -infinity: long ago
  EXPECT_FALSE(classify(c, settings(365)));
  c.last_call_attempt_at = INT64_MAX;  // +infinity: in the future
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called today", true);
}

TEST(Exclusion, MissingNames) {
  Contact c = ready_contact();
  c.first_name = " ";
  expect_exclusion(c, ExclusionCategory::missing_required_fields, "Missing first name", true);
  c.first_name = "Alex";
  c.last_name = std::nullopt;
  expect_exclusion(c, ExclusionCategory::missing_required_fields, "Missing last name", true);
  c.first_name = std::nullopt;
  expect_exclusion(c, ExclusionCategory::missing_required_fields, "Missing first and last name", true);
}

TEST(Exclusion, OrderPhoneBeforeRecencyBeforeNames) {
  Contact c;
  c.last_call_attempt_at = kNow;
  expect_exclusion(c, ExclusionCategory::invalid_phone, "Missing phone number", false);
  c.phone = "+1 919 555 0123";
  expect_exclusion(c, ExclusionCategory::recently_contacted, "Called today", true);
}

TEST(Dialable, IgnoresRecencyAndNames) {
  Contact c;
  c.phone = "919-555-0123";
  c.last_call_attempt_at = kNow;
  EXPECT_TRUE(is_dialable(c, "US"));
  c.phone_number_invalid = true;
  EXPECT_FALSE(is_dialable(c, "US"));
  c.phone_number_invalid = false;
  c.suppressed = true;
  EXPECT_FALSE(is_dialable(c, "US"));
  c.suppressed = std::nullopt;
  c.phone = "12";
  EXPECT_FALSE(is_dialable(c, "US"));
  c.phone_e164 = "+442079460958";
  EXPECT_TRUE(is_dialable(c, "US"));
}

TEST(Exclusion, CalledDaysAgoWording) {
  EXPECT_EQ(called_days_ago(0), "Called today");
  EXPECT_EQ(called_days_ago(1), "Called 1 day ago");
  EXPECT_EQ(called_days_ago(12), "Called 12 days ago");
}
