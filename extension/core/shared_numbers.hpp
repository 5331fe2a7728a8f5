// The preview's "shared_numbers" section: contacts of one list that share an
// E.164 number (a firm's switchboard), grouped, with the contact that is kept
// for the number. Only contacts that pass the rules are grouped; the first
// one of a number (in list order) is kept, the others are held back by the
// duplicate-number exclusion (category invalid_phone, overridable), which
// stays as it is. The section only explains that exclusion: "3 contacts at
// +1 212-555-0100" instead of two unexplained duplicates.
#pragma once
#include "pg_free.hpp"

#include <cstddef>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>

#include "compact_string_map.hpp"

namespace pgdialer {

class SharedNumbers {
 public:
  // At most this many groups are listed (in the order their second contact
  // came), each with at most kMaxContactsListed contacts; the counts are
  // always complete.
  static constexpr std::size_t kMaxGroupsListed = 100;
  static constexpr std::size_t kMaxContactsListed = 25;

  // Everything that grows with the list comes from `memory` (the preview's
  // capped memory context in the extension).
  explicit SharedNumbers(std::pmr::memory_resource* memory);

  // A contact that passed the rules, with its number. Returns nullopt when it
  // is the first with this number (it is kept), else the kept contact's
  // display name ("" when it has none), valid until the next call.
  std::optional<std::string_view> add(std::string_view e164, std::optional<std::string_view> id,
                                      std::optional<std::string_view> name);

  // {"numbers": groups, "contacts": contacts in them, "held_back": contacts
  //  held back, "groups": [{"number", "display", "contacts", "summary",
  //  "kept": {"contact_id", "name"}, "members": [{"contact_id", "name",
  //  "kept"}, ...]}], "groups_listed": n}. `region` formats the display
  // number (libphonenumber's INTERNATIONAL format).
  std::string json(std::string_view region) const;

  std::size_t groups() const { return group_count_; }

 private:
  // number -> kept contact as: id present flag, id, NUL, name present flag, name
  CompactStringMap first_by_number_;
  // number -> index of its group (decimal), for the shared ones only
  CompactStringMap group_by_number_;
  struct Member {
    std::pmr::string id, name;
    bool has_id, has_name;
  };
  struct Group {
    std::pmr::string number;
    long contacts;
    std::pmr::vector<Member> listed;
  };
  std::pmr::memory_resource* memory_;
  std::pmr::vector<Group> groups_;  // the listed groups
  std::size_t group_count_ = 0;     // all groups
  long contacts_ = 0;               // contacts in all groups
  std::pmr::string scratch_;        // the kept contact's name, returned by add()
  std::string entry_;               // add()'s encoded contact (one row's scratch, ordinary heap)
};

}  // namespace pgdialer
