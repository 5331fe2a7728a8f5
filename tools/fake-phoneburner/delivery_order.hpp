// In which order the webhooks of a run of calls arrive. In order, each call
// sends api_contact_displayed -> api_callbegin -> api_calldone before the next
// call starts. Out of order is what PhoneBurner's engineers describe and
// receivers must survive: the next contact's api_contact_displayed before the
// previous api_calldone, and some api_calldone before their api_callbegin (or,
// with calldone alone, neighbouring calldones swapped). Duplicates re-deliver
// chosen events, unchanged, somewhere later in the run.
#pragma once
#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

namespace fake_pb {

enum class CallEvent { contact_displayed, callbegin, calldone };

const char* event_name(CallEvent e);  // "api_contact_displayed", ...

struct OrderedEvent {
  size_t call = 0;  // index of the call in the run
  CallEvent event = CallEvent::calldone;
  long duplicate_of = -1;  // index in the same list of the first delivery
};

// `kinds`: the events anyone listens to (at least one), in their natural
// order. `duplicates` is clamped to the number of distinct events.
std::vector<OrderedEvent> order_events(size_t calls, const std::vector<CallEvent>& kinds, bool out_of_order,
                                       long duplicates, std::mt19937_64& rng);

// A uniform number in [lo, hi] that does not depend on the standard library's
// distributions (which differ between implementations): runs are reproducible.
long uniform(std::mt19937_64& rng, long lo, long hi);

// `n` flags, half of them set, in a seeded order: every variant shows up in
// any run of two calls or more.
std::vector<bool> balanced_flags(size_t n, std::mt19937_64& rng);

template <typename T>
void seeded_shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  // iter_swap: also right for std::vector<bool>'s proxy references.
  for (size_t i = v.size(); i > 1; --i)
    std::iter_swap(v.begin() + static_cast<long>(i) - 1,
                   v.begin() + uniform(rng, 0, static_cast<long>(i) - 1));
}

}  // namespace fake_pb
