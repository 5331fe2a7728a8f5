// The two ways the fake shows a contact: the API's read shape (what clients
// must parse: nested records, numbers as strings) and the flat state dump
// (what tests assert: every persisted field under the key it was written as).
#pragma once
#include "account.hpp"
#include "json_util.hpp"

namespace fake_pb {

// GET /contacts/{id} and list items: contact_user_id and user_id, category,
// custom_fields with ids, primary_phone/phones, primary_email/emails,
// primary_address/addresses, notes, the `contact` status block, ...
void write_contact_read(JsonWriter& w, const Account& account, const Contact& c);

// GET /_control/state: contact_user_id, category_id, folder_name, the write
// keys (phone = digits, raw_phone = as sent), custom_fields, tags, notes and
// notes_entries, dates, origin and trashed.
void write_contact_state(JsonWriter& w, const Account& account, const Contact& c);

}  // namespace fake_pb
