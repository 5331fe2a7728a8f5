// Where a preview's state lives: everything that grows with the list goes
// through the memory resource the caller passes (in the extension, a
// PostgreSQL memory context with a limit), a resource that refuses leaves the
// builder consistent and safe to destroy, and long core loops stop when the
// stop hook says so.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstddef>
#include <memory_resource>
#include <string>
#include <vector>

#include "errors.hpp"
#include "preview.hpp"
#include "session_name.hpp"
#include "stop_check.hpp"

using namespace pgdialer;

namespace {

constexpr UnixMicros kNow = 1'771'000'000'000'000LL;  // Feb 2026

// Counts the bytes it holds and, like the extension's ContextMemory, refuses
// with SQLSTATE 54000 past a limit.
class CountingResource : public std::pmr::memory_resource {
 public:
  explicit CountingResource(std::pmr::memory_resource* upstream, std::size_t limit = SIZE_MAX)
      : upstream_(upstream), limit_(limit) {}
  std::size_t live() const { return live_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override {
    if (live_ + bytes > limit_) throw Error(sqlstate::program_limit_exceeded, "over the limit");
    void* p = upstream_->allocate(bytes, alignment);
    live_ += bytes;
    return p;
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
    upstream_->deallocate(p, bytes, alignment);
    live_ -= bytes;
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }

  std::pmr::memory_resource* upstream_;
  std::size_t limit_;
  std::size_t live_ = 0;
};

// Distinct contacts with distinct valid numbers; every third is do-not-call,
// so the excluded rows grow too. Ids are longer than any short-string buffer.
struct ContactList {
  std::vector<std::string> ids, phones;
  explicit ContactList(int n) {
    for (int i = 0; i < n; ++i) {
      ids.push_back("contact-with-a-long-id-" + std::to_string(i));
      phones.push_back("+1919" + std::to_string(2000000 + i));
    }
  }
  Contact at(int i) const {
    Contact c;
    c.id = ids[i];
    c.first_name = "Alex";
    c.last_name = "Martinez";
    c.company = "Heritage Capital";
    c.phone = phones[i];
    c.contact_type = "buyer";
    c.buyer_type = "PE Firm";
    if (i % 3 == 0) {
      c.do_not_call = true;
      c.do_not_call_source = "requested";
    }
    return c;
  }
};

PreviewSettings settings() { return PreviewSettings{RuleSettings{7, kNow, "US"}, 2.5, 2026, 2}; }

}  // namespace

TEST(PreviewMemory, StateGrowsInTheResourceNotOnTheHeap) {
  const int kWarmUp = 1000, kMeasured = 20000;
  ContactList list(kWarmUp + kMeasured);
  // An arena taken from the heap before measuring, so that what the builder
  // puts in it does not show as heap growth.
  std::vector<std::byte> buffer(64 << 20);
  std::pmr::monotonic_buffer_resource arena(buffer.data(), buffer.size(), std::pmr::null_memory_resource());
  CountingResource memory(&arena);
  PreviewBuilder b(settings(), PreviewOptions{}, &memory);
  for (int i = 0; i < kWarmUp; ++i) b.add(list.at(i));

  std::size_t heap_before = mallinfo2().uordblks;
  std::size_t held_before = memory.live();
  for (int i = kWarmUp; i < kWarmUp + kMeasured; ++i) b.add(list.at(i));
  std::size_t heap_growth = mallinfo2().uordblks - heap_before;
  std::size_t held_growth = memory.live() - held_before;

  // Ids, numbers and excluded rows: tens of bytes per contact, all in the
  // resource; the heap stays flat (the old builder grew it by megabytes).
  EXPECT_GT(held_growth, std::size_t(kMeasured) * 50);
  EXPECT_LT(heap_growth, std::size_t(64) * 1024) << "held in the resource: " << held_growth;

  // The summary is built in the resource too.
  std::size_t held_at_end = memory.live();
  const std::pmr::string& json = b.finish_json();
  EXPECT_EQ(json.get_allocator().resource(), &memory);
  EXPECT_GE(memory.live(), held_at_end + json.size());
  EXPECT_NE(json.find("\"total\":21000"), std::string::npos);
}

TEST(PreviewMemory, DestroyingTheBuilderReturnsEverything) {
  ContactList list(5000);
  CountingResource memory(std::pmr::new_delete_resource());
  {
    PreviewBuilder b(settings(), PreviewOptions{}, &memory);
    for (int i = 0; i < 5000; ++i) b.add(list.at(i));
    b.finish_json();
    EXPECT_GT(memory.live(), 0u);
  }
  EXPECT_EQ(memory.live(), 0u);
}

TEST(PreviewMemory, ALimitStopsTheListWithItsErrorAndLeavesNothingBehind) {
  ContactList list(20000);
  CountingResource memory(std::pmr::new_delete_resource(), 256 * 1024);
  {
    PreviewBuilder b(settings(), PreviewOptions{}, &memory);
    int added = 0;
    try {
      for (; added < 20000; ++added) b.add(list.at(added));
      FAIL() << "20,000 contacts fit in 256 kB";
    } catch (const Error& e) {
      EXPECT_STREQ(e.sqlstate(), "54000");
    }
    EXPECT_GT(added, 100);
    EXPECT_LE(memory.live(), 256u * 1024);
    // Counts stay in step with the stored rows: the summary still parses.
    EXPECT_LE(b.total(), added + 1);
  }
  EXPECT_EQ(memory.live(), 0u);
}

TEST(SessionNameCollector, ManyDistinctTypesCostNothingAndNameTheSame) {
  SessionNameCollector names;
  for (int i = 0; i < 200000; ++i) names.add(Text("buyer"), Text(std::to_string(i)));
  EXPECT_EQ(names.name({}, 2026, 2), "Buyers - Feb 2026");
  SessionNameCollector one_type;
  for (int i = 0; i < 1000; ++i) one_type.add(Text("Buyer"), Text("PE Firm"));
  EXPECT_EQ(one_type.name({}, 2026, 2), "Buyers - PE Firm - Feb 2026");
  SessionNameCollector mixed;
  mixed.add(Text("buyer"), std::nullopt);
  for (int i = 0; i < 1000; ++i) mixed.add(Text("seller" + std::to_string(i)), std::nullopt);
  mixed.add(Text("buyer"), std::nullopt);
  EXPECT_EQ(mixed.name({}, 2026, 2), "Contacts - Feb 2026");
}

TEST(StopHook, ALongCoreLoopStopsWhenTheHookSaysSo) {
  std::vector<Text> types(100000, Text("buyer"));
  set_stop_hook([]() noexcept { return true; });
  EXPECT_THROW(session_name(types, {}, {}, 2026, 2), Interrupted);
  // A short input finishes before the first poll.
  EXPECT_EQ(session_name({Text("buyer")}, {}, {}, 2026, 2), "Buyers - Feb 2026");
  set_stop_hook([]() noexcept { return false; });
  EXPECT_EQ(session_name(types, {}, {}, 2026, 2), "Buyers - Feb 2026");
  set_stop_hook(nullptr);
  EXPECT_EQ(session_name(types, {}, {}, 2026, 2), "Buyers - Feb 2026");
}
