// An account in GET /_control/state: what tests assert PhoneBurner holds.
#pragma once
#include "account_state.hpp"
#include "json_util.hpp"

namespace fake_pb {

// Members of the object the caller has started: member, folders,
// custom_field_definitions, contacts, trashed_contacts, dial_sessions,
// account_webhook_url and oauth (its counters; null for a token account).
// Never a token or secret.
void write_account_members(JsonWriter& w, const AccountState& account, long long now_ms);

}  // namespace fake_pb
