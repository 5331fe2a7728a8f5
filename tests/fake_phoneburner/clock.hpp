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

}  // namespace fake_pb
