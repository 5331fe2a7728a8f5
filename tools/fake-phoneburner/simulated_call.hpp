// One simulated call: what "really" happened (the truth tests compare the
// receiver's view with) plus the copy of the contact and the wording choices
// its webhook payloads are built from. Copies, so payloads can be written and
// sent without holding the account lock.
#pragma once
#include <string>
#include <vector>

namespace fake_pb {

struct CallAgent {
  std::string user_id, first_name, last_name;
  std::string full_name() const { return last_name.empty() ? first_name : first_name + " " + last_name; }
};

struct CustomFieldSnapshot {
  std::string name, type, value;
};

struct ContactSnapshot {
  long id = 0;
  long folder_id = 0;
  std::string folder_name;
  std::string first_name, last_name, phone, email, lead_id, external_id;
  std::string external_crm_data = "[]";  // JSON array, as written
  std::string notes;                     // the full history string
  std::vector<CustomFieldSnapshot> custom_fields;
};

// How one call's payloads are worded. PhoneBurner's payloads differ between
// accounts and API generations; a run mixes these (seeded, balanced) so a
// receiver's tolerant parsing is exercised on every path.
struct PayloadVariant {
  bool duration_as_string = false;      // "duration":"93" instead of 93
  bool old_recording_names = false;     // recording_link(_public), the 2020 names
  bool agent_single_name = false;       // agent {user_id, name} instead of first/last
  bool top_level_lead_id = true;        // else lead_id only inside contact
  bool typed_custom_fields = true;      // also typed_custom_fields [{type,name,value}]
  bool folder_id_as_number = false;     // folder {"id": 47718} instead of "47718"
  bool events_block = false;            // "events": {"last_event":null,"next_event":null}
  bool no_recording_as_null = false;    // a call without recording: null instead of ""
  bool external_crm_short_key = false;  // contact_displayed: external_crm, not external_crm_data
};

struct SimulatedCall {
  std::string call_id;
  std::string source;       // "session" (our dial session's callbacks) | "account"
  long ds_id = 0;           // PhoneBurner's dial session (a UI one for folder dialing)
  std::string custom_data;  // our session's custom_data (JSON), "" for folder dialing
  ContactSnapshot contact;
  CallAgent agent;
  std::string disposition;  // PhoneBurner's `status`
  bool connected = false;
  long duration = 0;                 // seconds
  std::string start_time, end_time;  // Central wall clock, zoneless
  std::vector<std::string> notes;    // this call's call_notes
  std::string recording_url;         // "" when none
  std::string callback_at;           // the callback scheduled ("" none), Central wall clock
  PayloadVariant variant;
};

}  // namespace fake_pb
