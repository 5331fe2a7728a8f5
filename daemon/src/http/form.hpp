// application/x-www-form-urlencoded bodies and query strings.
//
// Keys are encoded like values: PHP (PhoneBurner) decodes a key before it
// splits PHP-array syntax, so "custom_fields%5B0%5D%5Bname%5D" and
// "custom_fields[0][name]" mean the same to it, and the encoded form is what
// the HTML spec asks for.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgdialer::sync::http {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but ALPHA / DIGIT / "-" / "." / "_" / "~"; a
// space becomes "+" when `space_as_plus` (form bodies), else "%20" (paths).
std::string form_escape(std::string_view text, bool space_as_plus = true);

// "a=1&b=x+y", pairs in order, duplicates kept.
std::string form_encode(const FormPairs& pairs);

}  // namespace pgdialer::sync::http
