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

// An E.164 number without a heap allocation: '+', a calling code of up to
// three digits and a national number of up to 17 (kMaxNationalLength).
struct E164Buffer {
  char data[24];
  std::size_t size = 0;

  std::string_view view() const { return {data, size}; }
  void assign(std::string_view s) {
    size = s.size() < sizeof data ? s.size() : sizeof data;
    for (std::size_t i = 0; i < size; ++i) data[i] = s[i];
  }
};

// `region` must be an upper-case region code libphonenumber supports.
Answer answer(std::string_view raw, std::string_view region);

// The same answer with no allocation: the E.164 number goes to `out` when
// the kind is valid. North American numbers (ten national digits after +1)
// are validated by NanpDigitDfa in one table walk, the rest by RE2.
Answer::Kind answer_into(std::string_view raw, std::string_view region, E164Buffer* out);

// IsValidNumber by the RE2 walk over the calling code's regions, never the
// digit automaton: what NanpDigitDfa must agree with (its tests).
bool valid_by_rules(int country_code, std::string_view national);

// The E.164 number when the answer is "valid", else nullopt.
std::optional<std::string> to_e164(std::string_view raw, std::string_view region);

}  // namespace pgdialer::phone_fast
