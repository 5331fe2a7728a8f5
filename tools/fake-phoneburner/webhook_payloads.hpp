// The JSON bodies PhoneBurner POSTs for one call, in the shapes
// docs/call-events.md shows, worded as the call's PayloadVariant says.
#pragma once
#include "simulated_call.hpp"

#include <string>

namespace fake_pb {

// The next contact is on the rep's screen (no call_id yet): contact fields at
// the top level, contact_user_id, external_id, external_crm_data.
std::string contact_displayed_body(const SimulatedCall& call);
// The dialer starts ringing: ds_id, call_id, lead_id, contact, custom_data.
std::string callbegin_body(const SimulatedCall& call);
// The call is over and dispositioned: everything, including status,
// connected, duration, times, recording, notes and custom fields.
std::string calldone_body(const SimulatedCall& call);

}  // namespace fake_pb
