// How long to wait before retrying, and what the server asked for.
//
// Exponential backoff with "full jitter" (a uniform draw between zero and the
// exponential ceiling): clients that failed together do not retry together.
// A Retry-After from the server is a floor, never shortened by the jitter.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace pgdialer::sync::http {

// The ceiling for retry number `retry` (0 = the first retry):
// min(cap, base * 2^retry), without overflow for any `retry`.
std::chrono::milliseconds backoff_ceiling(int retry, std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap);

// The delay before retry number `retry`: `unit` (a uniform draw in [0, 1))
// times the ceiling, raised to `retry_after` when the server sent one.
std::chrono::milliseconds backoff_delay(int retry, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double unit,
                                        std::optional<std::chrono::seconds> retry_after);

// A uniform draw in [0, 1) from a per-thread generator (no shared state).
double jitter_unit();

// A Retry-After header value: delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", relative to `now_unix` seconds). Dates in
// the past give 0 s; garbage or a negative number gives nullopt.
std::optional<std::chrono::seconds> parse_retry_after(const std::string& value, long long now_unix);

}  // namespace pgdialer::sync::http
