// to_e164's fast path: libphonenumber's Parse + IsValidNumber re-enacted on
// the plain digit strings phone_scan recognises, with RE2 in place of ICU.
//
// It answers only when it is certain: "valid" with exactly what
// libphonenumber's Parse + IsValidNumber + Format(E164) give, or "invalid"
// when the whole parse was re-enacted and the number fails libphonenumber's
// own validity check. "Unsure" -- input outside the plain shapes, or a step not
// re-enacted here (IDD prefixes, national-prefix transform rules,
// non-geographic codes, parse errors) -- means the caller must ask
// libphonenumber.
#pragma once
#include "pg_free.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pgdialer::phone_fast {

struct Answer {
  enum class Kind { valid, invalid, unsure } kind;
  std::string e164;  // set when valid
};

// `region` must be an upper-case region code libphonenumber supports.
Answer answer(std::string_view raw, std::string_view region);

// The E.164 number when the answer is "valid", else nullopt.
std::optional<std::string> to_e164(std::string_view raw, std::string_view region);

}  // namespace pgdialer::phone_fast
