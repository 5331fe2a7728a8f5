// What one PhoneBurner account holds: its member, folders, contacts, the
// custom-field definitions the contacts use and the dial sessions created.
// Plain data plus id allocation from the fake's shared IdSequences; not
// thread-safe (Api holds one mutex).
#pragma once
#include "id_sequences.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fake_pb {

// The user a token belongs to (GET /members/me). The `default` account's is
// "Fake Agent" (fake.agent); another account NAME's is "Fake Agent NAME"
// (NAME.agent), with its own user_id.
struct Member {
  std::string user_id;
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string email;
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
  // The `default` account alone, with ids of its own.
  Account();
  // Account `name`, one of several drawing ids from the shared `ids`, so that
  // no id is ever used by two of them.
  Account(std::shared_ptr<IdSequences> ids, const std::string& name);

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
  long allocate_dial_session_id() { return ids_->next_dial_session_id++; }
  // PhoneBurner's call ids: unique, increasing, restarting only on reset.
  long next_call_id() { return ids_->next_call_id++; }
  long next_sub_record_id() { return ids_->next_sub_record_id++; }

  const DialSession* find_dial_session(long id) const;

 private:
  std::shared_ptr<IdSequences> ids_;
};

}  // namespace fake_pb
