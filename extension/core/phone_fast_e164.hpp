// to_e164's fast path: libphonenumber's Parse + IsValidNumber re-enacted on
// the plain digit strings phone_scan recognises, with RE2 in place of ICU.
//
// It answers only when it is certain: a returned string is exactly what
// libphonenumber's Parse + IsValidNumber + Format(E164) give. nullopt means
// "not sure" -- input outside the plain shapes, a step not re-enacted here
// (IDD prefixes, national-prefix transform rules, non-geographic codes), or a
// number that comes out invalid -- and the caller must ask libphonenumber.
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pgdialer::phone_fast {

// `region` must be an upper-case region code libphonenumber supports.
std::optional<std::string> to_e164(std::string_view raw, std::string_view region);

}  // namespace pgdialer::phone_fast
