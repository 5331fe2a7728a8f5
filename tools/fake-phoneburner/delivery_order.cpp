#include "delivery_order.hpp"

#include <algorithm>

namespace fake_pb {
namespace {

bool has(const std::vector<CallEvent>& kinds, CallEvent e) {
  return std::find(kinds.begin(), kinds.end(), e) != kinds.end();
}

size_t position(const std::vector<OrderedEvent>& list, size_t call, CallEvent e) {
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].call == call && list[i].event == e) return i;
  return list.size();
}

// Roughly a third of the calls, and at least one.
std::vector<size_t> some_of(size_t n, std::mt19937_64& rng) {
  std::vector<size_t> picked;
  for (size_t i = 0; i < n; ++i)
    if (uniform(rng, 0, 2) == 0) picked.push_back(i);
  if (picked.empty() && n > 0) picked.push_back(static_cast<size_t>(uniform(rng, 0, n - 1)));
  return picked;
}

void disorder(std::vector<OrderedEvent>& list, size_t calls, const std::vector<CallEvent>& kinds,
              std::mt19937_64& rng) {
  const bool displayed = has(kinds, CallEvent::contact_displayed);
  const bool begin = has(kinds, CallEvent::callbegin);
  const bool done = has(kinds, CallEvent::calldone);
  bool changed = false;
  if (displayed && done) {  // the next contact shows while the last call wraps up
    for (size_t i = 0; i + 1 < calls; ++i) {
      const size_t from = position(list, i + 1, CallEvent::contact_displayed);
      const OrderedEvent moved = list[from];
      list.erase(list.begin() + static_cast<long>(from));
      list.insert(list.begin() + static_cast<long>(position(list, i, CallEvent::calldone)), moved);
      changed = true;
    }
  }
  if (begin && done) {  // a slow callbegin overtaken by its calldone: it arrives just after
    for (size_t i : some_of(calls, rng)) {
      const size_t from = position(list, i, CallEvent::callbegin);
      const OrderedEvent moved = list[from];
      list.erase(list.begin() + static_cast<long>(from));
      list.insert(list.begin() + static_cast<long>(position(list, i, CallEvent::calldone)) + 1, moved);
    }
    changed = true;
  }
  if (!changed && calls > 1) {  // one kind only: neighbours swap
    std::vector<size_t> pairs = some_of(calls - 1, rng);
    for (size_t i : pairs) {
      const CallEvent e = kinds.front();
      std::swap(list[position(list, i, e)], list[position(list, i + 1, e)]);
    }
  }
}

}  // namespace

const char* event_name(CallEvent e) {
  switch (e) {
    case CallEvent::contact_displayed: return "api_contact_displayed";
    case CallEvent::callbegin: return "api_callbegin";
    default: return "api_calldone";
  }
}

long uniform(std::mt19937_64& rng, long lo, long hi) {
  if (hi <= lo) return lo;
  const unsigned long long span = static_cast<unsigned long long>(hi - lo) + 1;
  return lo + static_cast<long>(rng() % span);  // the bias is irrelevant for test data
}

std::vector<bool> balanced_flags(size_t n, std::mt19937_64& rng) {
  std::vector<bool> flags(n, false);
  for (size_t i = 0; i < n; ++i) flags[i] = i < (n + uniform(rng, 0, 1)) / 2;
  seeded_shuffle(flags, rng);
  return flags;
}

std::vector<OrderedEvent> order_events(size_t calls, const std::vector<CallEvent>& kinds, bool out_of_order,
                                       long duplicates, std::mt19937_64& rng) {
  std::vector<OrderedEvent> base;
  for (size_t c = 0; c < calls; ++c)
    for (CallEvent e : kinds) base.push_back(OrderedEvent{c, e, -1});
  if (out_of_order) disorder(base, calls, kinds, rng);

  // Each chosen event is sent again after some later base event (its slot).
  std::vector<size_t> indexes(base.size());
  for (size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
  seeded_shuffle(indexes, rng);
  const size_t k = std::min(static_cast<size_t>(std::max(0L, duplicates)), base.size());
  std::vector<std::vector<size_t>> after(base.size());  // slot -> base indexes to repeat
  for (size_t j = 0; j < k; ++j) {
    const size_t original = indexes[j];
    const size_t slot =
        static_cast<size_t>(uniform(rng, static_cast<long>(original), static_cast<long>(base.size()) - 1));
    after[slot].push_back(original);
  }
  std::vector<OrderedEvent> out;
  std::vector<long> final_index(base.size(), -1);
  for (size_t i = 0; i < base.size(); ++i) {
    final_index[i] = static_cast<long>(out.size());
    out.push_back(base[i]);
    for (size_t original : after[i]) {
      OrderedEvent dup = base[original];
      dup.duplicate_of = final_index[original];
      out.push_back(dup);
    }
  }
  return out;
}

}  // namespace fake_pb
