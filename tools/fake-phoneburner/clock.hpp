// Time as PhoneBurner writes it. The fake uses UTC throughout (the live API
// seems to use US Central time; a fixed zone is all tests need).
#pragma once
#include <string>

namespace fake_pb {

// "YYYY-MM-DD HH:MM:SS", the API's date format (date_added, updated_from, ...).
std::string now_datetime();

// The header PhoneBurner puts in front of every notes entry:
// "-- 11/24/2025 @ 3:26 PM UTC by fake.agent -- ".
std::string notes_stamp(const std::string& username);

// "2025-11-24T15:26:03.123Z", for the request log.
std::string now_iso_millis();

// Milliseconds since the Unix epoch: when OAuth access tokens expire.
long long now_millis();

// Call times in webhooks are zoneless US Central wall-clock times (the live
// team's observation), so the call simulation needs them apart from the UTC
// used everywhere else. A "datetime" here is "YYYY-MM-DD HH:MM:SS" read as a
// plain wall-clock value: adding seconds ignores DST jumps, which is what a
// naive PHP date() in the sender would do too.
std::string central_now_datetime();
// The Central wall clock at a UTC instant (seconds since the epoch).
std::string central_datetime(long long utc_seconds);
// False unless `text` is exactly "YYYY-MM-DD HH:MM:SS" with valid fields.
bool parse_datetime(const std::string& text, long long& seconds);
std::string format_datetime(long long seconds);

}  // namespace fake_pb
