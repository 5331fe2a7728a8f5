// Applies a create or update body to a contact the way PhoneBurner does, as
// strictly as the API notes allow: only documented keys persist; everything
// else, including the look-alikes raw_phone, email_address and website (seen
// dropped live), vanishes without an error. No duplicate detection here.
#pragma once
#include "account.hpp"

#include <rapidjson/document.h>

#include <string>

namespace fake_pb {

// `body` is the decoded request object (or one element of a dial session's
// contacts). Partial: keys that are absent leave the contact as it is.
//  - category_id (alias folder_id; category_id wins): unknown -> default folder
//  - phone: raw_phone keeps the text, phone the digits (normalize_phone)
//  - custom_fields [{name,type,value}]: merged by name, definitions created
//  - notes: each write appends a stamped entry (nothing is overwritten)
//  - tags, additional_phone, external_crm_data: replaced as a whole
// Returns true if the body held at least one persisted key.
bool apply_contact_write(Account& account, Contact& contact, const rapidjson::Value& body);

}  // namespace fake_pb
