// The number-level suppression list: lookups, and where it sits in the rules
// (after the contact's own do-not-call check, before invalid_phone).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "exclusion.hpp"
#include "preview.hpp"
#include "suppression_list.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

Contact contact(const char* id, const char* phone) {
  Contact c;
  c.id = id;
  c.first_name = "Alex";
  c.last_name = "Martinez";
  if (phone != nullptr) c.phone = phone;
  return c;
}

RuleSettings with(const SuppressionList& list) {
  RuleSettings s{7, kNow, "US"};
  s.suppressions = &list;
  return s;
}

SuppressionList one_number() {
  SuppressionList list;
  list.add("+19195550123", "requested");
  return list;
}

}  // namespace

TEST(SuppressionList, FindsCanonicalNumbersWithTheirSource) {
  SuppressionList list;
  EXPECT_TRUE(list.empty());
  EXPECT_FALSE(list.find("+19195550123"));
  list.add("+19195550123", "requested");
  list.add("+442079460958", "registry");
  list.add(" +14155550100 ", "internal");  // trimmed on the way in
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.find("+19195550123").value_or(""), "On the suppression list (requested)");
  EXPECT_EQ(list.find("+442079460958").value_or(""), "On the suppression list (registry)");
  EXPECT_EQ(list.find("+14155550100").value_or(""), "On the suppression list (internal)");
  EXPECT_FALSE(list.find("+19195550124"));
  EXPECT_FALSE(list.find("19195550123"));  // exact match: no "+" is another string
  EXPECT_FALSE(list.find("+1919555012"));  // a prefix is another number
  EXPECT_FALSE(list.find(""));
}

TEST(SuppressionList, FirstSourceWinsAndBlanksAreIgnored) {
  SuppressionList list;
  list.add("+19195550123", "requested");
  list.add("+19195550123", "registry");
  list.add("  ", "registry");
  list.add("", "registry");
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(list.find("+19195550123").value_or(""), "On the suppression list (requested)");
  list.add("+19195550199", "  ");
  EXPECT_EQ(list.find("+19195550199").value_or(""), "On the suppression list");
}

TEST(SuppressionList, NonCanonicalEntriesMatchExactly) {
  SuppressionList list;
  list.add("(919) 555-0123", "internal");     // not E.164: kept as a string
  list.add("+0123", "internal");              // leading zero: not canonical
  list.add("+1234567890123456", "internal");  // 16 digits: not canonical
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.find("(919) 555-0123"));
  EXPECT_TRUE(list.find("+0123"));
  EXPECT_TRUE(list.find("+1234567890123456"));
  EXPECT_FALSE(list.find("+123"));
  EXPECT_FALSE(list.find("+19195550123"));
}

TEST(SuppressionList, ManyNumbers) {
  SuppressionList list;
  for (int i = 0; i < 50'000; ++i)
    list.add("+1919" + std::to_string(1'000'000 + i * 7), i % 2 ? "registry" : "requested");
  EXPECT_EQ(list.size(), 50'000u);
  int found = 0;
  for (int i = 0; i < 350'000; ++i)
    if (list.find("+1919" + std::to_string(1'000'000 + i))) ++found;
  EXPECT_EQ(found, 50'000);
  EXPECT_EQ(list.find("+19191000007").value_or(""), "On the suppression list (registry)");
  EXPECT_EQ(list.find("+19191000014").value_or(""), "On the suppression list (requested)");
}

TEST(SuppressionRule, ListedNumberIsLegalDoNotCall) {
  SuppressionList list = one_number();
  // Parsed from phone, in any format.
  auto e = classify(contact("1", "(919) 555-0123"), with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(category_name(e->category), "do_not_call");
  EXPECT_EQ(e->reason, "On the suppression list (requested)");
  EXPECT_FALSE(e->overridable);
  // A stored phone_e164 is what is looked up, whatever phone says.
  Contact stored = contact("2", "not a number");
  stored.phone_e164 = "+19195550123";
  e = classify(stored, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "On the suppression list (requested)");
  stored.phone_e164 = "+19195550124";
  stored.phone = "919-555-0123";  // the stored number wins: not listed
  EXPECT_FALSE(classify(stored, with(list)));
  // An unlisted number, an empty list, or no list at all changes nothing.
  EXPECT_FALSE(classify(contact("3", "919-555-0124"), with(list)));
  SuppressionList empty;
  EXPECT_FALSE(classify(contact("4", "919-555-0123"), with(empty)));
  EXPECT_FALSE(classify(contact("5", "919-555-0123"), RuleSettings{7, kNow, "US"}));
}

TEST(SuppressionRule, AfterTheContactsOwnDoNotCallBeforeInvalidPhone) {
  SuppressionList list = one_number();
  Contact c = contact("1", "919-555-0123");
  c.do_not_call = true;
  c.do_not_call_source = "registry";
  c.do_not_call_reason = "National DNC registry";
  // The row's own legal do-not-call comes first, with its own reason.
  auto e = classify(c, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "National DNC registry");
  EXPECT_FALSE(e->overridable);
  // An internal one alone could be overridden; the listing makes it legal.
  c.do_not_call_source = "internal";
  e = classify(c, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "On the suppression list (requested)");
  EXPECT_FALSE(e->overridable);
  c.phone = "919-555-0124";  // not listed: the row's own internal flag, overridable
  e = classify(c, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "National DNC registry");
  EXPECT_TRUE(e->overridable);
  c.phone = "919-555-0123";
  // Flagged invalid, recently called, nameless: the listing still wins.
  c.do_not_call = std::nullopt;
  c.phone_number_invalid = true;
  c.last_call_attempt_at = kNow;
  c.first_name = std::nullopt;
  e = classify(c, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->reason, "On the suppression list (requested)");
  EXPECT_FALSE(e->overridable);
  // A number that does not normalize cannot be listed: invalid_phone as before.
  c.phone = "555-CALL";
  e = classify(c, with(list));
  ASSERT_TRUE(e);
  EXPECT_EQ(category_name(e->category), "invalid_phone");
}

TEST(SuppressionRule, E164OutputStillFilled) {
  SuppressionList list = one_number();
  std::optional<std::string> e164;
  EXPECT_FALSE(classify(contact("1", "919 555 0124"), with(list), &e164));
  EXPECT_EQ(e164.value_or(""), "+19195550124");
  Contact stored = contact("2", nullptr);
  stored.phone_e164 = " +19195550125 ";
  e164.reset();
  EXPECT_FALSE(classify(stored, with(list), &e164));
  EXPECT_EQ(e164.value_or(""), "+19195550125");
}

TEST(SuppressionRule, NotDialable) {
  SuppressionList list = one_number();
  EXPECT_FALSE(is_dialable(contact("1", "+1 919-555-0123"), "US", &list));
  EXPECT_TRUE(is_dialable(contact("1", "+1 919-555-0123"), "US"));
  EXPECT_TRUE(is_dialable(contact("1", "+1 919-555-0124"), "US", &list));
  Contact stored = contact("2", nullptr);
  stored.phone_e164 = "+19195550123";
  EXPECT_FALSE(is_dialable(stored, "US", &list));
}

TEST(SuppressionRule, PreviewCountsItAndNeverMakesItADuplicateSource) {
  auto list = std::make_shared<SuppressionList>(one_number());
  PreviewSettings settings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2, list};
  PreviewBuilder b(std::move(settings), PreviewOptions{});
  auto first = b.add(contact("1", "919-555-0123"));
  EXPECT_EQ(first.kind, PreviewBuilder::Decision::Kind::excluded);
  // Sharing the listed number: suppressed too, not "Duplicate number of ...".
  auto second = b.add(contact("2", "+19195550123"));
  ASSERT_TRUE(second.exclusion);
  EXPECT_EQ(second.exclusion->reason, "On the suppression list (requested)");
  EXPECT_EQ(b.add(contact("3", "919-555-0124")).kind, PreviewBuilder::Decision::Kind::ready);
  rapidjson::Document d;
  d.Parse(b.finish_json().c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["total"].GetInt(), 3);
  EXPECT_EQ(d["ready"].GetInt(), 1);
  EXPECT_EQ(d["excluded_by_category"]["do_not_call"].GetInt(), 2);
  EXPECT_EQ(d["excluded_by_category"]["invalid_phone"].GetInt(), 0);
  EXPECT_FALSE(d["exclusions"][0]["overridable"].GetBool());
}
