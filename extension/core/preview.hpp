// The push modal's List Summary and its excluded contacts (dialer.preview in
// docs/sql-reference.md; the screen in docs/app-integration.md).
#pragma once
#include "pg_free.hpp"

#include <array>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "compact_string_map.hpp"
#include "contact.hpp"
#include "exclusion.hpp"
#include "jsonb_encoding.hpp"
#include "preview_calling_window.hpp"
#include "priority_tier.hpp"
#include "session_name.hpp"
#include "shared_numbers.hpp"

namespace pgdialer {

// A `filters` object read the way jsonb's ->> reads it: strings as is,
// numbers and booleans as their text, null as absent.
struct OwnedFilters {
  std::optional<std::string> industry, state, region;
  SessionNameFilters view() const;
};
// Throws pgdialer::Error (22023) unless `json` is an object.
OwnedFilters parse_filters(std::string_view json);

// dialer.preview's `options`, parsed. Unknown keys and values of the wrong
// type or range are errors (22023), so a typo never silently changes a list.
struct PreviewOptions {
  std::optional<int> min_days;       // 0..365
  std::optional<std::string> as_of;  // timestamptz text, parsed by the caller
  OwnedFilters filters;              // from options.filters
  bool calling_window = false;       // the calling_window section (preview_calling_window.hpp)
};
PreviewOptions parse_preview_options(std::string_view json);

struct PreviewSettings {
  RuleSettings rules;
  double minutes_per_contact = 2.5;
  int year = 1970;  // of as_of, in the session time zone (session naming)
  int month = 1;
  // The suppression list the whole list is classified against (one snapshot
  // of dialer.suppressions for every contact); shared, since the glue's
  // statement cache may move on while an aggregate still builds.
  std::shared_ptr<const SuppressionList> suppressions = nullptr;
  // The list size guidance (dialer.configure_list_size): more ready contacts
  // than this and the summary says so and proposes a split by priority tier.
  // 0: no guidance.
  long size_limit = 0;
  // options.calling_window: the ready contacts' calling windows at as_of.
  std::shared_ptr<PreviewCallingWindows> calling_windows = nullptr;
};

// Builds the summary one contact at a time, in array order, so a very large
// list never needs more than the running counts, the distinct ids and numbers,
// and the excluded rows' JSON.
//
// Everything that grows with the list (those ids, numbers and rows, and the
// finished summary) is allocated from `memory`. The extension passes a
// resource backed by a PostgreSQL memory context with a size limit, so the
// state is counted, capped and freed by PostgreSQL; a resource that throws
// (std::bad_alloc, pgdialer::Error) leaves the builder safe to destroy.
// Only small fixed-size pieces (one row's scratch JSON, the session name's
// two types) use the ordinary heap.
class PreviewBuilder {
 public:
  // `summary_memory` holds only the finished summary (default: `memory`).
  PreviewBuilder(PreviewSettings settings, const PreviewOptions& options,
                 std::pmr::memory_resource* memory = std::pmr::get_default_resource(),
                 std::pmr::memory_resource* summary_memory = nullptr);
  ~PreviewBuilder();
  PreviewBuilder(const PreviewBuilder&) = delete;
  PreviewBuilder& operator=(const PreviewBuilder&) = delete;

  // What became of one contact: counted before (same id), ready, or excluded.
  struct Decision {
    enum class Kind { duplicate_id, ready, excluded } kind;
    std::optional<Exclusion> exclusion;  // when excluded
    std::optional<std::string> e164;     // a ready contact's number (the frequency caps)
  };
  Decision add(const Contact& contact);

  // The summary's numbers, for the glue to make PostgreSQL numerics of.
  // Trivially destructible, so it may sit in frames PostgreSQL longjmps over.
  struct Numbers {
    long total, ready, excluded;
    long by_category[kExclusionCategoryCount];
    char dial_minutes[32];  // as JSON writes the double, e.g. "7785.0"
  };
  Numbers numbers() const;

  // The same numbers as numeric varlenas (4-byte header), in the same order.
  struct EncodedNumbers {
    std::string_view total, ready, excluded;
    std::string_view by_category[kExclusionCategoryCount];
    std::string_view dial_minutes;
    // size_guidance_json() as a jsonb container (jsonb_in's, without its
    // length word); empty when there is none.
    std::string_view size_guidance;
    // shared_numbers_json() as a jsonb container, the same way; always set.
    std::string_view shared_numbers;
    // calling_window_json() as a jsonb container, likewise; empty when not asked.
    std::string_view calling_window;
  };

  // The "calling_window" object as JSON text, when options.calling_window.
  std::optional<std::string> calling_window_json();
  // Whether contacts must be read with their address (options.calling_window).
  bool reads_calling_window() const { return settings_.calling_windows != nullptr; }

  // The "size_guidance" object as JSON text, when the list calls for one.
  std::optional<std::string> size_guidance_json() const;

  // The "shared_numbers" object as JSON text (shared_numbers.hpp).
  std::string shared_numbers_json() const { return shared_numbers_.json(region_); }

  // {"total", "ready", "excluded", "excluded_by_category", "exclusions",
  //  "estimated_dial_minutes", "estimated_dial_time", "suggested_session_name"}
  // and, when more contacts are ready than settings.size_limit,
  // "size_guidance" {"recommended_max", "ready", "message", "proposed_split":
  // [{"tier", "engagement", "contacts", "estimated_dial_time",
  // "session_name"}]}, highest tier first, empty tiers left out,
  // as a jsonb varlena whose first 4 bytes (the length word) the caller sets
  // (jsonb_encoding.hpp). Kept in the builder (its memory is the builder's)
  // and valid until the next call; calling again gives the same bytes, so an
  // aggregate's final function may run more than once.
  const std::pmr::string& finish_jsonb(const EncodedNumbers& numbers);

  // The same summary as JSON text (for tests and tools without PostgreSQL).
  const std::pmr::string& finish_json();

  long total() const { return total_; }
  long ready() const { return ready_; }

 private:
  void record_exclusion(const Contact& contact, const Exclusion& exclusion);
  bool wants_size_guidance() const;

  PreviewSettings settings_;
  std::string region_;  // owns what settings_.rules.region views
  OwnedFilters filters_;
  long total_ = 0;
  long ready_ = 0;
  std::array<long, kExclusionCategoryCount> by_category_{};
  std::array<long, kTierCount> ready_by_tier_{};
  std::pmr::memory_resource* memory_;
  CompactStringMap seen_ids_;     // ids, no values
  SharedNumbers shared_numbers_;  // ready contacts' numbers, and who shares them
  SessionNameCollector names_;
  jsonb::ContainerArray exclusions_;  // the excluded rows, as jsonb objects
  std::pmr::string summary_;          // what finish_jsonb() or finish_json() returned last
};

// "First Last" from whichever parts are present; nullopt when neither is.
std::optional<std::string> display_name(const Contact& contact);

}  // namespace pgdialer
