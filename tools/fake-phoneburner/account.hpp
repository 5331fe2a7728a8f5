// What one PhoneBurner account holds: its member, folders, contacts, the
// custom-field definitions the contacts use and the dial sessions created.
// Plain data plus id allocation; not thread-safe (Api holds one mutex).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace fake_pb {

struct Member {
  std::string user_id = "1208450";
  std::string username = "fake.agent";
  std::string first_name = "Fake";
  std::string last_name = "Agent";
  std::string email = "fake.agent@example.test";
};

struct Folder {
  long id = 0;
  std::string name;
  std::string description;
};

// Account-wide: the same name on two contacts is the same field (same id).
struct CustomFieldDef {
  long id = 0;
  std::string name;
  std::string type;  // "1" = text, the only type seen in the wild
};

struct CustomFieldValue {
  long field_id = 0;
  std::string value;
};

// An entry of `additional_phone`.
struct ExtraPhone {
  long id = 0;
  std::string raw;     // the number as sent
  std::string digits;  // what PhoneBurner dials (see normalize_phone)
  std::string type;
  std::string label;
};

struct Contact {
  long id = 0;
  long category_id = 0;
  long original_category_id = 0;
  std::string first_name, last_name;
  std::string phone, raw_phone, phone_type, phone_label;  // phone: digits only
  std::string email;
  std::string address1, address2, city, state, state_other, zip, country;
  std::string lead_id, external_id;
  std::vector<std::string> notes_entries;  // the text of each notes write, oldest first
  std::string notes;                       // what PhoneBurner shows: stamped entries
  std::vector<CustomFieldValue> custom_fields;
  std::vector<std::string> tags;
  std::vector<ExtraPhone> additional_phones;
  std::string external_crm_data = "[]";  // JSON array, as written
  std::string date_added, date_modified;
  std::string origin;  // "api" or "dialsession <id>"
  // Call history as the read shape shows it: set by simulated calls only.
  long total_calls = 0;
  std::string last_call_time;  // Central, as in webhooks; "" = never called
  bool trashed = false;
  long phone_id = 0, email_id = 0, notes_id = 0, address_id = 0;  // sub-record ids on reads
};

struct DialSession {
  long id = 0;
  std::string name;
  std::vector<long> contact_ids;
  long skipped_contact_count = 0;
  std::string callbacks = "[]";    // JSON array of {callback_type, callback}
  std::string custom_data = "{}";  // JSON, verbatim
  std::string preset_id = "null";  // JSON, verbatim
  std::string errors = "[]";       // JSON array, as answered
  std::string redirect_url;
  std::string launch_token;
  bool launched = false;  // the one-time redirect_url has been opened
  std::string date_created;
};

// "+1 (555) 123-4567" -> "5551234567": digits only, and an 11-digit number
// starting with the NANP country code 1 loses it (webhooks carry 10 digits).
std::string normalize_phone(const std::string& raw);

struct Account {
  // Realistic starting ids (a live account's default folder was 47718 and
  // contact ids look like 30919237), increasing monotonically.
  static constexpr long kDefaultFolderId = 47718;
  static constexpr long kFirstContactId = 30919237;
  static constexpr long kFirstCustomFieldId = 812001;
  static constexpr long kFirstDialSessionId = 5530001;
  static constexpr long kFirstSubRecordId = 71000001;
  static constexpr long kFirstCallId = 880000001;

  Account();

  Member member;
  std::vector<Folder> folders;  // folders.front() is the default "Contacts"
  std::vector<CustomFieldDef> custom_field_defs;
  std::map<long, Contact> contacts;  // by id; deleted contacts stay, trashed
  std::vector<DialSession> dial_sessions;
  bool ignore_unknown_custom_fields = false;  // from the knob, per request

  const Folder& default_folder() const { return folders.front(); }
  const Folder* find_folder(long id) const;
  // A folder id as a client wrote it; unknown or malformed ids mean the
  // default folder (PhoneBurner does not reject them).
  long resolve_folder(const std::string& id_text) const;
  Folder& add_folder(std::string name, std::string description);

  const CustomFieldDef* find_custom_field(long id) const;
  // The definition with this name, created on first use.
  const CustomFieldDef& custom_field_named(const std::string& name, const std::string& type);

  // A live contact, or nullptr (unknown or trashed).
  Contact* find_live_contact(long id);
  Contact& new_contact(const std::string& origin, const std::string& now);
  DialSession& new_dial_session(const std::string& now);
  // The id of a dial session a rep starts in the UI (folder dialing): it takes
  // a number from the same sequence but is not one of ours to list.
  long allocate_dial_session_id() { return next_dial_session_id_++; }
  // PhoneBurner's call ids: unique, increasing, restarting only on reset.
  long next_call_id() { return next_call_id_++; }
  long next_sub_record_id() { return next_sub_record_id_++; }

 private:
  long next_folder_id_ = kDefaultFolderId;
  long next_contact_id_ = kFirstContactId;
  long next_custom_field_id_ = kFirstCustomFieldId;
  long next_dial_session_id_ = kFirstDialSessionId;
  long next_sub_record_id_ = kFirstSubRecordId;
  long next_call_id_ = kFirstCallId;
};

}  // namespace fake_pb
