// The one JSON parser of pgdialer-sync: every JSON text the daemon reads
// (webhook bodies and the custom_data inside them, PhoneBurner's answers and
// its OAuth endpoint's, the queue's contact payloads and custom_data) goes
// through parse() and nothing else.
//
// Why: RapidJSON's default parser recurses once per nesting level, so a few
// hundred kilobytes of '[' overflow a thread's stack and kill the daemon.
// parse() runs RapidJSON's iterative parser (its stack is on the heap) and
// stops at the first array or object nested deeper than the limit. The limit
// also bounds whatever walks a parsed document recursively afterwards
// (RapidJSON's Accept when a webhook body is copied into the normalized
// event, PostgreSQL's jsonb input when that event is stored).
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace pgdialer::sync::json {

// Arrays and objects nested deeper than this are refused. PhoneBurner's
// deepest answer (a contact page: envelope, contacts, list, contact, custom
// fields, field) is about 7 levels, a webhook body about 5; a document
// beyond 64 is an attack or a bug, not data.
inline constexpr int kMaxDepth = 64;

struct ParseOptions {
  int max_depth = kMaxDepth;  // the top-level array or object is level 1
  // Refuse invalid UTF-8 (what PostgreSQL would refuse later).
  bool validate_utf8 = false;
};

struct ParseResult {
  enum class Status {
    ok,
    invalid,   // not one well-formed JSON value (or not UTF-8, when checked)
    too_deep,  // well-formed so far, but nested deeper than max_depth
  } status = Status::invalid;
  // A string or key holds U+0000 (written \u0000), which jsonb cannot store.
  bool contains_nul = false;
  int max_depth = kMaxDepth;  // the limit applied, for the message
  bool ok() const { return status == Status::ok; }
  // What is wrong, to follow a subject: "is not valid JSON", "is nested
  // deeper than 64 levels"; "" when ok. Never quotes the text.
  std::string problem() const;
};

// Parses `text` into `doc` (set to null first). On failure `doc` holds null
// or a partial value and must not be used.
ParseResult parse(std::string_view text, rapidjson::Document* doc, const ParseOptions& options = {});

}  // namespace pgdialer::sync::json
