// The per-row fast paths must never change an answer: certainly_ready only
// says "ready" when classify would, and PhoneMemo answers exactly as to_e164.
#include <gtest/gtest.h>

#include <vector>

#include "exclusion.hpp"
#include "phone.hpp"
#include "errors.hpp"
#include "phone_memo.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kDay = 86'400'000'000LL;
constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

}  // namespace

TEST(FastPath, CertainlyReadyAgreesWithClassify) {
  SuppressionList list;
  list.add("+19195550123", "registry");
  std::vector<Text> texts{std::nullopt, "", "  ", "Alex"};
  std::vector<Text> stored{std::nullopt, "", " ", "+19195550123", "+19195550199"};
  std::vector<Text> phones{std::nullopt, "", "(919) 555-0199", "n/a"};
  std::vector<std::optional<bool>> flags{std::nullopt, false, true};
  std::vector<std::optional<UnixMicros>> calls{std::nullopt, kNow - 2 * kDay, kNow - 7 * kDay, kNow + kDay};
  int ready = 0, checked = 0;
  for (const SuppressionList* suppressions : std::vector<const SuppressionList*>{nullptr, &list})
    for (int min_days : {0, 7})
      for (const Text& e164 : stored)
        for (const Text& phone : phones)
          for (const auto& dnc : flags)
            for (const auto& suppressed : flags)
              for (const auto& invalid : flags)
                for (const auto& call : calls)
                  for (const Text& first : texts)
                    for (const Text& last : {Text{"Martinez"}, Text{" "}}) {
                      Contact c;
                      c.phone_e164 = e164;
                      c.phone = phone;
                      c.do_not_call = dnc;
                      c.suppressed = suppressed;
                      c.phone_number_invalid = invalid;
                      c.last_call_attempt_at = call;
                      c.first_name = first;
                      c.last_name = last;
                      RuleSettings s{min_days, kNow, "US", suppressions};
                      bool fast = certainly_ready(c, s);
                      bool slow = !classify(c, s).has_value();
                      if (fast) {
                        EXPECT_TRUE(slow);
                      }
                      // Every ready contact with a stored number takes the fast path.
                      if (slow && present(c.phone_e164)) {
                        EXPECT_TRUE(fast);
                      }
                      ready += fast;
                      checked++;
                    }
  EXPECT_GT(ready, 0);
  EXPECT_GT(checked, 10000);
}

TEST(FastPath, PhoneMemoAnswersAsToE164) {
  PhoneMemo memo;
  std::vector<std::string> inputs{"(919) 555-0123", "n/a", "TBD", "999-999-9999",       "+44 20 7946 0958",
                                  "020 7946 0958",  "911", "",    std::string(200, '5')};
  for (int round = 0; round < 2; round++)
    for (const char* region : {"US", "GB", "US"})
      for (const auto& raw : inputs)
        EXPECT_EQ(memo.to_e164(raw, region), to_e164(raw, region)) << raw << " " << region;
  EXPECT_LE(memo.size(), inputs.size());
  // normalize and normalizes give the same answers without a string, from
  // the fast path and from what the memo remembers alike.
  inputs.push_back("+1 (919) 555-0199 ext. 12");  // libphonenumber: a remembered valid answer
  for (int round = 0; round < 2; round++)
    for (const auto& raw : inputs) {
      const std::optional<std::string> expected = to_e164(raw, "US");
      phone_fast::E164Buffer out;
      out.size = 3;  // an earlier answer's length must not survive
      const bool normalizes = memo.normalize(raw, "US", &out);
      EXPECT_EQ(normalizes, expected.has_value()) << raw;
      if (expected) {
        EXPECT_EQ(out.view(), *expected) << raw;
      }
      EXPECT_EQ(memo.normalizes(raw, "US"), expected.has_value()) << raw;
    }
  EXPECT_EQ(memo.to_e164("(919) 555-0123", "us"), to_e164("(919) 555-0123", "us"));
  EXPECT_EQ(memo.to_e164(std::string(1001, '5'), "US"), std::nullopt);
  EXPECT_THROW(memo.to_e164("(919) 555-0123", "XX"), Error);
}

// Plain shapes, valid or not, are the fast path's: remembering them would
// only cost lookups. What goes to libphonenumber is remembered.
TEST(FastPath, PhoneMemoRemembersOnlyWhatTheFastPathCannotAnswer) {
  PhoneMemo memo;
  for (int i = 0; i < 5000; ++i) {
    const std::string raw = "(" + std::to_string(200 + i % 800) + ") 555-" + std::to_string(1000 + i);
    EXPECT_EQ(memo.to_e164(raw, "US"), to_e164(raw, "US")) << raw;
  }
  EXPECT_EQ(memo.size(), 0u);
  EXPECT_EQ(memo.to_e164("n/a", "US"), std::nullopt);
  EXPECT_EQ(memo.size(), 1u);
}
