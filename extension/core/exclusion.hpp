// The pre-push exclusion rules (dialer.exclusion in docs/sql-reference.md).
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "contact.hpp"
#include "phone_memo.hpp"
#include "suppression_list.hpp"

namespace pgdialer {

// In check order: the first that matches wins.
enum class ExclusionCategory { do_not_call, invalid_phone, recently_contacted, missing_required_fields };

inline constexpr int kExclusionCategoryCount = 4;

// "do_not_call", "invalid_phone", ... (the keys analysts see).
std::string_view category_name(ExclusionCategory category);

// An exclusion's reason: one of the rules' fixed texts, kept as a view of
// static storage, or a text built for the contact ("Called 3 days ago", the
// row's own do-not-call reason), owned. Most excluded rows have a fixed reason,
// so classifying them allocates nothing.
class ReasonText {
 public:
  // `text` must have static storage (a string literal).
  static ReasonText fixed(const char* text) {
    ReasonText r;
    r.fixed_ = text;
    return r;
  }
  ReasonText(std::string text) : owned_(std::move(text)), is_owned_(true) {}

  std::string_view view() const { return is_owned_ ? std::string_view(owned_) : fixed_; }
  operator std::string_view() const { return view(); }
  std::size_t size() const { return view().size(); }
  const char* data() const { return view().data(); }
  friend bool operator==(const ReasonText& a, std::string_view b) { return a.view() == b; }

 private:
  ReasonText() = default;
  std::string owned_;
  std::string_view fixed_;
  bool is_owned_ = false;
};

struct Exclusion {
  ExclusionCategory category;
  ReasonText reason;
  bool overridable;
};

struct RuleSettings {
  int min_days = 7;      // 0 disables the recency check
  UnixMicros as_of = 0;  // "now" for the recency check
  // Default region for numbers without a country code. A view: the caller
  // keeps the string alive (the setting's value, or an owner's copy).
  std::string_view region = "US";
  // dialer.suppressions as the statement sees it; nullptr (or empty) when
  // there is nothing listed. Borrowed: the caller keeps it alive.
  const SuppressionList* suppressions = nullptr;
  // Where to remember parses of numbers without a stored phone_e164
  // (phone_memo.hpp); nullptr parses every time. Borrowed.
  PhoneMemo* phone_memo = nullptr;
};

// The contact's normalized number: a non-blank phone_e164 column is trusted
// as is (so classification never re-parses), and so is a blank one that is
// maintained (Contact::phone_e164_maintained: no number); otherwise `phone`
// is parsed. nullopt when there is no number or it does not normalize.
std::optional<std::string> normalized_phone(const Contact& contact, std::string_view region);

// Checks 1-4; nullopt when the contact is ready to push. Between checks 1 and
// 2, a normalized number on `settings.suppressions` is do_not_call, never
// overridable (the list holds legal do-not-call numbers), with the reason
// "On the suppression list (<source>)"; it also replaces an overridable
// (internal) check 1, so a listed number can never be forced in. When `e164` is given
// it receives the normalized number (if any) that the checks computed, so
// callers that need it (duplicate detection in preview) do not parse twice.
std::optional<Exclusion> classify(const Contact& contact, const RuleSettings& settings,
                                  std::optional<std::string>* e164 = nullptr);

// The per-row fast path: true only when classify(contact, settings) would
// certainly return nullopt (the contact is ready) without parsing a number,
// i.e. a stored phone_e164 and every check passing. false means "ask
// classify". Never throws and never allocates on the way to true, so the
// glue may call it outside its exception boundary.
bool certainly_ready(const Contact& contact, const RuleSettings& settings) noexcept;

// "Dialable Only": not DNC or suppressed, and a phone that is present, not
// flagged, normalizes and is not on `suppressions` (may be nullptr). Recency
// and names do not matter. A `memo` (borrowed, may be nullptr) remembers
// parses as in RuleSettings::phone_memo.
bool is_dialable(const Contact& contact, std::string_view region,
                 const SuppressionList* suppressions = nullptr, PhoneMemo* memo = nullptr);

// "Called today", "Called 1 day ago", "Called N days ago".
std::string called_days_ago(long days);

// Whole days from `then` to `now` (floor); a future `then` counts as 0.
long whole_days_between(UnixMicros then, UnixMicros now);

}  // namespace pgdialer
