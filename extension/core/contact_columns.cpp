#include "contact_columns.hpp"

#include <array>

namespace pgdialer {

namespace {

constexpr ColumnSpec text_column(std::string_view name, Text Contact::*member) {
  return {name, ColumnKind::text, member, nullptr};
}
constexpr ColumnSpec list_column(std::string_view name, Text Contact::*member) {
  return {name, ColumnKind::text_list, member, nullptr};
}
constexpr ColumnSpec bool_column(std::string_view name, std::optional<bool> Contact::*member) {
  return {name, ColumnKind::boolean, nullptr, member};
}

const std::array kColumns{
    text_column("id", &Contact::id),
    text_column("contact_type", &Contact::contact_type),
    text_column("first_name", &Contact::first_name),
    text_column("last_name", &Contact::last_name),
    text_column("company", &Contact::company),
    text_column("title", &Contact::title),
    text_column("email", &Contact::email),
    text_column("phone", &Contact::phone),
    text_column("phone_e164", &Contact::phone_e164),
    text_column("address_line1", &Contact::address_line1),
    text_column("city", &Contact::city),
    text_column("state", &Contact::state),
    text_column("zip", &Contact::zip),
    bool_column("do_not_call", &Contact::do_not_call),
    text_column("do_not_call_reason", &Contact::do_not_call_reason),
    text_column("do_not_call_source", &Contact::do_not_call_source),
    bool_column("suppressed", &Contact::suppressed),
    bool_column("phone_number_invalid", &Contact::phone_number_invalid),
    text_column("phone_invalid_reason", &Contact::phone_invalid_reason),
    ColumnSpec{"last_call_attempt_at", ColumnKind::timestamp, nullptr, nullptr},
    text_column("last_contact_method", &Contact::last_contact_method),
    text_column("last_contact_outcome", &Contact::last_contact_outcome),
    text_column("buyer_type", &Contact::buyer_type),
    text_column("aum", &Contact::aum),
    text_column("fund_size", &Contact::fund_size),
    text_column("target_ebitda_range", &Contact::target_ebitda_range),
    list_column("target_industries", &Contact::target_industries),
    list_column("target_geographies", &Contact::target_geographies),
    text_column("engagement_score", &Contact::engagement_score),
    text_column("relationship_strength", &Contact::relationship_strength),
    text_column("active_deals_count", &Contact::active_deals_count),
    text_column("last_deal_presented", &Contact::last_deal_presented),
    text_column("last_deal_outcome", &Contact::last_deal_outcome),
    text_column("call_talking_points", &Contact::call_talking_points),
    text_column("preferred_contact_time", &Contact::preferred_contact_time),
    text_column("assistant_name", &Contact::assistant_name),
    text_column("assistant_phone", &Contact::assistant_phone),
    text_column("contact_owner", &Contact::contact_owner),
    text_column("contact_source", &Contact::contact_source),
    text_column("industry", &Contact::industry),
};

// What the exclusion rules read (checks 1-4 of dialer.exclusion).
constexpr std::array<std::string_view, 11> kExclusionColumns{
    "do_not_call", "suppressed",           "do_not_call_reason",   "do_not_call_source",   "phone",
    "phone_e164",  "phone_number_invalid", "phone_invalid_reason", "last_call_attempt_at", "first_name",
    "last_name"};

// What "Dialable Only" reads: no recency, no names.
constexpr std::array<std::string_view, 5> kDialableColumns{"do_not_call", "suppressed", "phone", "phone_e164",
                                                           "phone_number_invalid"};

// The exclusion columns plus what the List Summary shows, names sessions by
// and splits an oversized list by (the priority tier of engagement_score),
// and the address state the frequency caps read.
constexpr std::array<std::string_view, 6> kPreviewExtraColumns{
    "id", "company", "contact_type", "buyer_type", "engagement_score", "state"};

// What the calling window reads (calling_window.hpp).
constexpr std::array<std::string_view, 4> kCallingWindowColumns{"phone", "phone_e164", "state", "zip"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (auto n : names)
    if (n == name) return true;
  return false;
}

}  // namespace

const ColumnSpec* contact_columns() { return kColumns.data(); }

int column_index(std::string_view name) {
  for (std::size_t i = 0; i < kColumns.size(); ++i)
    if (kColumns[i].name == name) return static_cast<int>(i);
  return -1;
}

bool column_in_set(int index, ColumnSet set) {
  if (index < 0 || static_cast<std::size_t>(index) >= kColumns.size()) return false;
  switch (set) {
    case ColumnSet::exclusion: return contains(kExclusionColumns, kColumns[index].name);
    case ColumnSet::dialable: return contains(kDialableColumns, kColumns[index].name);
    case ColumnSet::preview:
      return contains(kExclusionColumns, kColumns[index].name) ||
             contains(kPreviewExtraColumns, kColumns[index].name);
    case ColumnSet::everything: return true;
    case ColumnSet::calling_window: return contains(kCallingWindowColumns, kColumns[index].name);
    case ColumnSet::preview_calling_window:
      return column_in_set(index, ColumnSet::preview) ||
             contains(kCallingWindowColumns, kColumns[index].name);
  }
  return false;
}

}  // namespace pgdialer
