// The extension's settings (GUCs). Defined in _PG_init; read by the functions.
#pragma once

#include <cstddef>

namespace pgdialer::glue {

void define_settings();

const char* default_region();              // dialer.default_region, upper-cased ISO code
int min_days_between_calls();              // dialer.min_days_between_calls, 0..365
double minutes_per_contact();              // dialer.minutes_per_contact, > 0
std::size_t preview_memory_limit_bytes();  // dialer.preview_memory_limit
void define_calling_window_settings();     // dialer.calling_window_clock (calling_window_cache.cpp)

}  // namespace pgdialer::glue
