// What gets pushed to PhoneBurner for one contact (dialer.payload in docs/sql-reference.md).
#pragma once
#include "pg_free.hpp"

#include <string>
#include <vector>

#include "contact.hpp"
#include "deals.hpp"

namespace pgdialer {

// A JSON object with the standard fields first_name, last_name, company,
// phone (E.164), email, title, address (from address_line1), city, state, zip
// and a `custom_fields` object (sourceco_contact_id, contact_type, ...,
// contact_source). Every value is a string; absent and blank values are
// omitted. call_talking_points falls back to talking_points(contact, deals).
std::string payload_json(const Contact& contact, std::string_view region,
                         const std::vector<Deal>* deals = nullptr);

}  // namespace pgdialer
