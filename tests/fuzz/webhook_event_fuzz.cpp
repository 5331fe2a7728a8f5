// The webhook body normalizer (webhook/event) on arbitrary bodies. Whatever
// the body, normalize_event must return (no crash, no sanitizer report), and
// an accepted body must give one line of valid JSON: the journal stores it as
// one record and PostgreSQL's jsonb input reads it.
#include "common/json_parse.hpp"
#include "webhook/event.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer::sync;
  const std::string body(reinterpret_cast<const char*>(data), size);
  EventOrigin origin;
  origin.received_at = "2026-11-24T15:04:05.123456Z";
  // Both kinds of delivery: a session callback with its ?event=, and the account hook.
  if (size % 2 == 0) {
    origin.session_id = 42;
    origin.event = "api_calldone";
  } else {
    origin.credential = "default";
  }
  const NormalizedEvent event = normalize_event(body, origin);
  if (!event.ok) return 0;
  if (event.json.find('\n') != std::string::npos) std::abort();
  rapidjson::Document doc;
  if (!json::parse(event.json, &doc).ok() || !doc.IsObject()) std::abort();
  return 0;
}
