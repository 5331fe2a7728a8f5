// The id counters of the whole fake, shared by every account: PhoneBurner's
// ids are global (a contact id names one contact of one account), so ids of
// two accounts never collide and a wrong account's id is simply not found.
#pragma once

namespace fake_pb {

struct IdSequences {
  // Realistic starting ids (a live account's default folder was 47718 and
  // contact ids look like 30919237), increasing monotonically.
  static constexpr long kDefaultFolderId = 47718;
  static constexpr long kFirstContactId = 30919237;
  static constexpr long kFirstCustomFieldId = 812001;
  static constexpr long kFirstDialSessionId = 5530001;
  static constexpr long kFirstSubRecordId = 71000001;
  static constexpr long kFirstCallId = 880000001;
  static constexpr long kFirstMemberId = 1208450;

  long next_folder_id = kDefaultFolderId;
  long next_contact_id = kFirstContactId;
  long next_custom_field_id = kFirstCustomFieldId;
  long next_dial_session_id = kFirstDialSessionId;
  long next_sub_record_id = kFirstSubRecordId;
  long next_call_id = kFirstCallId;
  long next_member_id = kFirstMemberId;
};

}  // namespace fake_pb
