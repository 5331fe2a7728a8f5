// application/x-www-form-urlencoded with PHP's array syntax
// (custom_fields[0][name]=Case+ID&custom_fields[0][type]=1&tags[]=vip), turned
// into the JSON object PHP's $_POST would hold, so that form and JSON request
// bodies go through one field-handling path. PhoneBurner is PHP: a live probe
// found form bodies with this syntax to be the encoding that always works.
#pragma once
#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fake_pb {

using FormPairs = std::vector<std::pair<std::string, std::string>>;

// Percent-decoding; '+' means a space in form bodies and query strings.
std::string url_decode(std::string_view text, bool plus_as_space = true);

// "a=1&b=x+y" -> {{"a","1"},{"b","x y"}}, in order, duplicates kept.
FormPairs parse_form(std::string_view text);

// The value of the last pair named `key` (PHP keeps the last), or nullptr.
const std::string* last_value(const FormPairs& pairs, const std::string& key);

// PHP-style nesting: "a[b][0]" builds objects; an object whose keys are all
// array indexes becomes a JSON array ordered by index; "a[]" appends. Leaf
// values stay strings, as they are in PHP. `out` becomes an object.
void form_to_json(const FormPairs& pairs, rapidjson::Document& out);

}  // namespace fake_pb
