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

#include "contact.hpp"
#include "exclusion.hpp"
#include "priority_tier.hpp"
#include "session_name.hpp"

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
  PreviewBuilder(PreviewSettings settings, const PreviewOptions& options,
                 std::pmr::memory_resource* memory = std::pmr::get_default_resource());
  ~PreviewBuilder();
  PreviewBuilder(const PreviewBuilder&) = delete;
  PreviewBuilder& operator=(const PreviewBuilder&) = delete;

  // What became of one contact: counted before (same id), ready, or excluded.
  struct Decision {
    enum class Kind { duplicate_id, ready, excluded } kind;
    std::optional<Exclusion> exclusion;  // when excluded
  };
  Decision add(const Contact& contact);

  // {"total", "ready", "excluded", "excluded_by_category", "exclusions",
  //  "estimated_dial_minutes", "estimated_dial_time", "suggested_session_name"}
  // and, when more contacts are ready than settings.size_limit,
  // "size_guidance" {"recommended_max", "ready", "message", "proposed_split":
  // [{"tier", "engagement", "contacts", "estimated_dial_time",
  // "session_name"}]}, highest tier first, empty tiers left out.
  // The summary is kept in the builder (its memory is the builder's) and is
  // valid until the next call; calling again gives the same text, so an
  // aggregate's final function may run more than once.
  const std::pmr::string& finish_json();

  long total() const { return total_; }
  long ready() const { return ready_; }

 private:
  void record_exclusion(const Contact& contact, const Exclusion& exclusion);

  PreviewSettings settings_;
  std::string region_;  // owns what settings_.rules.region views
  OwnedFilters filters_;
  long total_ = 0;
  long ready_ = 0;
  std::array<long, kExclusionCategoryCount> by_category_{};
  std::array<long, kTierCount> ready_by_tier_{};
  std::pmr::memory_resource* memory_;
  std::pmr::unordered_set<std::pmr::string> seen_ids_;
  std::pmr::unordered_map<std::pmr::string, std::pmr::string> name_by_number_;  // ready contacts only
  SessionNameCollector names_;
  std::pmr::string exclusion_rows_;  // the excluded rows' JSON objects, comma-separated
  std::pmr::string summary_;         // what finish_json() returned last
  struct RowWriter;                  // scratch for one excluded row
  std::unique_ptr<RowWriter> row_writer_;
};

// "First Last" from whichever parts are present; nullopt when neither is.
std::optional<std::string> display_name(const Contact& contact);

}  // namespace pgdialer
