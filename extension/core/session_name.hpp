// Smart session naming (dialer.session_name in docs/sql-reference.md).
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <vector>

#include "contact.hpp"

namespace pgdialer {

struct SessionNameFilters {
  Text industry;  // filters->>'industry'
  Text state;     // filters->>'state'
  Text region;    // filters->>'region', used when state is absent
};

// Components joined by " - ": Buyers/Sellers/Prospects (or Contacts), the
// buyer type when every contact is a buyer of one single type, the industry,
// the state or region, and "Mon YYYY" in English whatever the locale.
// Blank values are skipped; contact types compare case-insensitively.
// `month` is 1..12.
std::string session_name(const std::vector<Text>& contact_types, const std::vector<Text>& buyer_types,
                         const SessionNameFilters& filters, int year, int month);

// Incremental form for callers that see contacts one at a time (preview):
// remembers the distinct types and answers the same as session_name.
class SessionNameCollector {
 public:
  void add(const Text& contact_type, const Text& buyer_type);
  std::string name(const SessionNameFilters& filters, int year, int month) const;

 private:
  // At most two of each: the name only needs to know whether there is one.
  std::vector<std::string> contact_types_;  // distinct, lower-cased
  std::vector<std::string> buyer_types_;    // distinct, as written
};

}  // namespace pgdialer
