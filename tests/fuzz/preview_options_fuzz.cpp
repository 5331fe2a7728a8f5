// The extension core's jsonb options and filters of dialer.preview
// (extension/core/preview parse_preview_options, parse_filters). PostgreSQL
// hands them jsonb's text output; arbitrary text is a superset of that. Each
// either parses or throws pgdialer::Error (which the fmgr glue turns into an
// ERROR); any other exception escapes and libFuzzer reports it.
#include "errors.hpp"
#include "preview.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  try {
    const PreviewOptions options = parse_preview_options(json);
    if (options.min_days && (*options.min_days < 0 || *options.min_days > 365)) std::abort();
    (void)options.filters.view();
  } catch (const Error&) {
  }
  try {
    const OwnedFilters filters = parse_filters(json);
    (void)filters.view();
  } catch (const Error&) {
  }
  return 0;
}
