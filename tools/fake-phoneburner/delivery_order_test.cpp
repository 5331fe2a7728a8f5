// The arrival order of a run's webhooks: in order, out of order, duplicates.
#include "delivery_order.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fake_pb {
namespace {

const std::vector<CallEvent> kAll{CallEvent::contact_displayed, CallEvent::callbegin, CallEvent::calldone};

size_t pos(const std::vector<OrderedEvent>& list, size_t call, CallEvent e) {
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].call == call && list[i].event == e && list[i].duplicate_of < 0) return i;
  ADD_FAILURE() << "call " << call << " has no " << event_name(e);
  return list.size();
}

TEST(DeliveryOrder, InOrderIsDisplayedBeginDoneCallAfterCall) {
  std::mt19937_64 rng(7);
  const auto list = order_events(3, kAll, false, 0, rng);
  ASSERT_EQ(list.size(), 9u);
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].call, i / 3);
    EXPECT_EQ(list[i].event, kAll[i % 3]);
    EXPECT_EQ(list[i].duplicate_of, -1);
  }
}

TEST(DeliveryOrder, OutOfOrderShowsTheNextContactEarlyAndSomeDoneBeforeBegin) {
  for (std::uint64_t seed : {1u, 2u, 3u, 42u}) {
    std::mt19937_64 rng(seed);
    const size_t calls = 6;
    const auto list = order_events(calls, kAll, true, 0, rng);
    ASSERT_EQ(list.size(), calls * 3);
    size_t done_first = 0;
    for (size_t c = 0; c < calls; ++c) {
      EXPECT_LT(pos(list, c, CallEvent::contact_displayed), pos(list, c, CallEvent::callbegin));
      EXPECT_LT(pos(list, c, CallEvent::contact_displayed), pos(list, c, CallEvent::calldone));
      if (c + 1 < calls) {
        EXPECT_LT(pos(list, c + 1, CallEvent::contact_displayed), pos(list, c, CallEvent::calldone))
            << "seed " << seed << " call " << c;
      }
      if (pos(list, c, CallEvent::calldone) < pos(list, c, CallEvent::callbegin)) ++done_first;
    }
    EXPECT_GE(done_first, 1u) << "seed " << seed;
    EXPECT_LT(done_first, calls) << "seed " << seed << ": only some calls, not all";
  }
}

TEST(DeliveryOrder, CalldoneAloneOutOfOrderSwapsNeighbours) {
  std::mt19937_64 rng(5);
  const auto list = order_events(5, {CallEvent::calldone}, true, 0, rng);
  ASSERT_EQ(list.size(), 5u);
  std::set<size_t> calls;
  bool inversion = false;
  for (size_t i = 0; i < list.size(); ++i) {
    calls.insert(list[i].call);
    if (i > 0 && list[i].call < list[i - 1].call) inversion = true;
  }
  EXPECT_EQ(calls.size(), 5u);
  EXPECT_TRUE(inversion);
}

TEST(DeliveryOrder, DuplicatesRepeatEarlierEventsLater) {
  std::mt19937_64 rng(11);
  const auto list = order_events(4, kAll, false, 5, rng);
  ASSERT_EQ(list.size(), 12u + 5u);
  size_t dups = 0;
  std::set<long> originals;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].duplicate_of < 0) continue;
    ++dups;
    const auto& first = list[static_cast<size_t>(list[i].duplicate_of)];
    EXPECT_LT(list[i].duplicate_of, static_cast<long>(i));
    EXPECT_EQ(first.duplicate_of, -1);
    EXPECT_EQ(first.call, list[i].call);
    EXPECT_EQ(first.event, list[i].event);
    originals.insert(list[i].duplicate_of);
  }
  EXPECT_EQ(dups, 5u);
  EXPECT_EQ(originals.size(), 5u);  // five different events, each repeated once
}

TEST(DeliveryOrder, DuplicatesAreClampedToTheEventsThereAre) {
  std::mt19937_64 rng(1);
  EXPECT_EQ(order_events(2, {CallEvent::calldone}, false, 10, rng).size(), 4u);
}

TEST(DeliveryOrder, SameSeedSameOrder) {
  auto run = [](std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::pair<size_t, int>> out;
    for (const auto& e : order_events(8, kAll, true, 4, rng))
      out.emplace_back(e.call, static_cast<int>(e.event));
    return out;
  };
  EXPECT_EQ(run(9), run(9));
  EXPECT_NE(run(9), run(10));
}

TEST(DeliveryOrder, BalancedFlagsHaveBothValues) {
  std::mt19937_64 rng(3);
  for (size_t n : {2u, 3u, 7u}) {
    const auto flags = balanced_flags(n, rng);
    size_t set = 0;
    for (bool f : flags) set += f;
    EXPECT_GE(set, n / 2);
    EXPECT_LE(set, (n + 1) / 2);
  }
}

}  // namespace
}  // namespace fake_pb
