// webhook/event: PhoneBurner's bodies in their real variants (docs/call-events.md)
// all become the one normalized shape dialer.record_call_event takes.
#include "webhook/event.hpp"

#include "webhook/test_support.hpp"

namespace pgdialer::sync::testing {
namespace {

EventOrigin from_session(long long id) {
  EventOrigin o;
  o.session_id = id;
  o.received_at = "2026-11-24T15:04:05.123456Z";
  o.time_zone = "America/Chicago";
  return o;
}

EventOrigin from_account() {
  EventOrigin o = from_session(0);
  o.session_id.reset();
  return o;
}

rapidjson::Document normalized(const std::string& body, const EventOrigin& origin) {
  NormalizedEvent e = normalize_event(body, origin);
  EXPECT_TRUE(e.ok) << e.error;
  EXPECT_EQ(e.json.find('\n'), std::string::npos);
  return json(e.json);
}

std::string str(const rapidjson::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

// A 2026 live-style api_calldone from the account-level hook.
constexpr const char* kLiveCallDone = R"({
  "call_id": "884422731",
  "ds_id": "5550123",
  "status": "Appointment",
  "connected": "1",
  "duration": "93",
  "start_time": "2026-11-24 09:02:11",
  "end_time": "2026-11-24 09:03:44",
  "recording_url": "https://recordings.phoneburner.com/r/884422731.mp3",
  "recording_url_public": "https://public.phoneburner.com/r/884422731",
  "contact": {
    "user_id": "30919237", "first_name": "Dana", "last_name": "Reyes", "phone": "5125550142",
    "primary_email": "dana@example.com", "notes": "older history...",
    "category": {"category_id": "77120", "name": "Q4 buyers [pgdialer session 42]"},
    "lead_id": "c-1001", "external_id": "pb-ext-1"
  },
  "agent": {"user_id": 1208450, "first_name": "Sam", "last_name": "Ortiz"},
  "typed_custom_fields": [{"type": 1, "name": "sourceco_contact_id", "value": "c-1001"}],
  "custom_fields": {"sourceco_contact_id": "c-1001", "company": "Acme"},
  "folder": {"id": 77120, "name": "Q4 buyers [pgdialer session 42]"},
  "call_notes": ["Wants a demo", "Call back Tuesday"],
  "events": {"last_event": null, "next_event": null}
})";

TEST(NormalizeEvent, ALiveCallDoneFromTheAccountHook) {
  auto e = normalized(kLiveCallDone, from_account());
  EXPECT_EQ(str(e["event"]), "api_calldone");
  EXPECT_EQ(str(e["source"]), "account");
  EXPECT_TRUE(e["session_id"].IsNull());
  EXPECT_EQ(str(e["received_at"]), "2026-11-24T15:04:05.123456Z");
  EXPECT_EQ(str(e["time_zone"]), "America/Chicago");
  EXPECT_EQ(str(e["call_id"]), "884422731");
  EXPECT_EQ(str(e["dial_session_id"]), "5550123");
  EXPECT_EQ(str(e["phoneburner_contact_id"]), "30919237");
  EXPECT_EQ(str(e["lead_id"]), "c-1001");
  EXPECT_EQ(str(e["sourceco_contact_id"]), "c-1001");
  EXPECT_EQ(str(e["folder_id"]), "77120");
  EXPECT_TRUE(e["custom_data"].IsNull());
  EXPECT_EQ(str(e["agent_name"]), "Sam Ortiz");
  EXPECT_EQ(str(e["agent_id"]), "1208450");
  EXPECT_EQ(str(e["start_time"]), "2026-11-24 09:02:11");
  EXPECT_EQ(str(e["end_time"]), "2026-11-24 09:03:44");
  EXPECT_EQ(e["duration_seconds"].GetInt64(), 93);
  EXPECT_TRUE(e["connected"].GetBool());
  EXPECT_EQ(str(e["disposition"]), "Appointment");
  EXPECT_EQ(str(e["notes"]), "Wants a demo\nCall back Tuesday");
  EXPECT_EQ(str(e["recording_url"]), "https://recordings.phoneburner.com/r/884422731.mp3");
  EXPECT_EQ(str(e["phone"]), "5125550142");
  ASSERT_TRUE(e["raw"].IsObject());
  EXPECT_EQ(str(e["raw"]["contact"]["first_name"]), "Dana");
}

// The 2020 (SplendidCRM) shape on a per-session callback: numbers as numbers,
// recording_link, custom_fields false, agent name, custom_data echoed.
constexpr const char* kOlderCallDone = R"({
  "ds_id": 5550123, "call_id": 884422732, "status": "No Answer", "connected": 0, "duration": 0,
  "start_time": "2026-11-24 09:05:00", "end_time": "0000-00-00 00:00:00",
  "recording_link": "", "recording_link_public": "https://public.phoneburner.com/r/old",
  "lead_id": 1002,
  "contact": {"user_id": 30919238, "phone": 5125550143, "primary_email": "x@example.com"},
  "custom_data": {"pgdialer_session_id": 42, "pgdialer_job_id": 7, "pgdialer_batch": 1},
  "agent": {"name": "Sam Ortiz", "user_id": "1208450"},
  "custom_fields": false,
  "call_notes": []
})";

TEST(NormalizeEvent, AnOlderCallDoneFromASessionCallback) {
  auto e = normalized(kOlderCallDone, from_session(42));
  EXPECT_EQ(str(e["event"]), "api_calldone");
  EXPECT_EQ(str(e["source"]), "session");
  EXPECT_EQ(e["session_id"].GetInt64(), 42);
  EXPECT_EQ(str(e["call_id"]), "884422732");
  EXPECT_EQ(str(e["dial_session_id"]), "5550123");
  EXPECT_EQ(str(e["lead_id"]), "1002");
  EXPECT_EQ(str(e["phoneburner_contact_id"]), "30919238");
  EXPECT_TRUE(e["sourceco_contact_id"].IsNull());
  EXPECT_TRUE(e["folder_id"].IsNull());
  ASSERT_TRUE(e["custom_data"].IsObject());
  EXPECT_EQ(e["custom_data"]["pgdialer_job_id"].GetInt(), 7);
  EXPECT_EQ(str(e["agent_name"]), "Sam Ortiz");
  EXPECT_EQ(str(e["start_time"]), "2026-11-24 09:05:00");
  EXPECT_TRUE(e["end_time"].IsNull()) << "zero date";
  EXPECT_EQ(e["duration_seconds"].GetInt64(), 0);
  EXPECT_FALSE(e["connected"].GetBool());
  EXPECT_EQ(str(e["disposition"]), "No Answer");
  EXPECT_TRUE(e["notes"].IsNull());
  EXPECT_EQ(str(e["recording_url"]), "https://public.phoneburner.com/r/old") << "empty link skipped";
  EXPECT_EQ(str(e["phone"]), "5125550143");
}

TEST(NormalizeEvent, ACallBeginHasACallButNoOutcome) {
  auto e = normalized(R"({"ds_id":"5550123","call_id":"884422733","lead_id":"c-1003",
    "contact":{"user_id":"30919239","primary_email":"a@example.com","phone":"5125550144"},
    "custom_data":{"pgdialer_session_id":42,"pgdialer_job_id":7,"pgdialer_batch":1}})",
                      from_session(42));
  EXPECT_EQ(str(e["event"]), "api_callbegin");
  EXPECT_EQ(str(e["call_id"]), "884422733");
  EXPECT_TRUE(e["disposition"].IsNull());
  EXPECT_TRUE(e["duration_seconds"].IsNull());
  EXPECT_TRUE(e["connected"].IsNull());
}

TEST(NormalizeEvent, AContactDisplayedHasNoCall) {
  auto e = normalized(R"({"contact_user_id":"30919240","external_id":"pb-ext-4",
    "external_crm_data":[{"crm_id":"c-1004","crm_name":"sourceco"}],
    "first_name":"Lee","phone":"5125550145",
    "custom_data":"{\"pgdialer_session_id\":42,\"pgdialer_job_id\":7,\"pgdialer_batch\":2}"})",
                      from_session(42));
  EXPECT_EQ(str(e["event"]), "api_contact_displayed");
  EXPECT_TRUE(e["call_id"].IsNull());
  EXPECT_EQ(str(e["phoneburner_contact_id"]), "30919240");
  EXPECT_EQ(str(e["phone"]), "5125550145");
  ASSERT_TRUE(e["custom_data"].IsObject()) << "a double-encoded custom_data is decoded";
  EXPECT_EQ(e["custom_data"]["pgdialer_batch"].GetInt(), 2);
}

TEST(NormalizeEvent, AnEventNamedInTheBodyWins) {
  auto e = normalized(R"({"event":"callbegin","call_id":"1","status":"x"})", from_session(1));
  EXPECT_EQ(str(e["event"]), "api_callbegin");
  auto f = normalized(R"({"type":"outbound","call_id":"1"})", from_session(1));
  EXPECT_EQ(str(f["event"]), "api_callbegin") << "an unrelated 'type' is not an event name";
}

TEST(NormalizeEvent, TheEventNamedInOurCallbackUrlWinsOverTheBodysShape) {
  EventOrigin origin = from_session(42);
  origin.event = "api_callbegin";
  // Shaped like a calldone (it has a status), but it came to the callbegin URL.
  auto e = normalized(R"({"call_id":"9","status":"Ringing","lead_id":"c-1"})", origin);
  EXPECT_EQ(str(e["event"]), "api_callbegin");
  origin.event = "api_something_else";  // not one of ours: the shape decides
  auto f = normalized(R"({"call_id":"9","status":"No Answer"})", origin);
  EXPECT_EQ(str(f["event"]), "api_calldone");
}

TEST(NormalizeEvent, EveryKeyOfTheContractIsPresentEvenForAnEmptyObject) {
  auto e = normalized("{}", from_account());
  for (const char* key : {"event", "source", "session_id", "received_at", "time_zone", "call_id",
                          "dial_session_id", "phoneburner_contact_id", "lead_id", "sourceco_contact_id",
                          "folder_id", "custom_data", "agent_name", "agent_id", "start_time", "end_time",
                          "duration_seconds", "connected", "disposition", "notes", "recording_url", "phone",
                          "raw"})
    EXPECT_TRUE(e.HasMember(key)) << key;
  EXPECT_EQ(e.MemberCount(), 23u);
  EXPECT_EQ(str(e["event"]), "api_calldone");
}

TEST(NormalizeEvent, CustomFieldsFromTheContactArrayAndTypedFields) {
  auto a = normalized(R"({"call_id":"1","custom_fields":false,
    "typed_custom_fields":[{"type":1,"name":"company","value":"Acme"},{"type":1,"name":"sourceco_contact_id","value":555}]})",
                      from_account());
  EXPECT_EQ(str(a["sourceco_contact_id"]), "555");
  auto b = normalized(R"({"call_id":"1","contact":{"custom_fields":[{"name":"sourceco_contact_id","value":"c-9"}],
    "category_id":"88"}})",
                      from_account());
  EXPECT_EQ(str(b["sourceco_contact_id"]), "c-9");
  EXPECT_EQ(str(b["folder_id"]), "88");
}

TEST(NormalizeEvent, ToleratesOddScalars) {
  auto e = normalized(R"({"call_id":"  77 ","duration":"61.6","connected":"true","agent":{"first_name":"Sam"},
    "start_time":"2026-11-24T09:02:11","end_time":"yesterday","contact_user_id":30919241,
    "call_notes":"one note","status":"","phone":"5125550146","lead_id":""})",
                      from_account());
  EXPECT_EQ(str(e["call_id"]), "77");
  EXPECT_EQ(e["duration_seconds"].GetInt64(), 62);
  EXPECT_TRUE(e["connected"].GetBool());
  EXPECT_EQ(str(e["agent_name"]), "Sam");
  EXPECT_EQ(str(e["start_time"]), "2026-11-24 09:02:11");
  EXPECT_TRUE(e["end_time"].IsNull());
  EXPECT_EQ(str(e["phoneburner_contact_id"]), "30919241");
  EXPECT_EQ(str(e["notes"]), "one note");
  EXPECT_TRUE(e["disposition"].IsNull()) << "empty text is absent";
  EXPECT_TRUE(e["lead_id"].IsNull());
  EXPECT_EQ(str(e["phone"]), "5125550146") << "top-level phone when the contact has none";
  auto f = normalized(R"({"connected":"maybe","duration":"abc","agent":{"name":""}})", from_account());
  EXPECT_TRUE(f["connected"].IsNull());
  EXPECT_TRUE(f["duration_seconds"].IsNull());
  EXPECT_TRUE(f["agent_name"].IsNull());
}

TEST(NormalizeEvent, RecordingFallsBackThroughTheVariants) {
  EXPECT_EQ(str(normalized(R"({"recording_link":"L","recording_url_public":"P"})", from_account())["recording_url"]),
            "L");
  EXPECT_EQ(str(normalized(R"({"recording_url_public":"P","recording_link_public":"Q"})",
                           from_account())["recording_url"]),
            "P");
  EXPECT_EQ(str(normalized(R"({"recording_link_public":"Q"})", from_account())["recording_url"]), "Q");
}

TEST(NormalizeEvent, RefusesWhatIsNotAJsonObject) {
  EXPECT_FALSE(normalize_event("", from_account()).ok);
  EXPECT_FALSE(normalize_event("{\"a\":", from_account()).ok);
  EXPECT_FALSE(normalize_event("[1,2]", from_account()).ok);
  EXPECT_FALSE(normalize_event("\"text\"", from_account()).ok);
  EXPECT_FALSE(normalize_event("call_id=1&status=x", from_account()).ok);
  EXPECT_EQ(normalize_event("[]", from_account()).error, "body is not a JSON object");
}

TEST(NormalizeEvent, RefusesWhatPostgresJsonbCannotHold) {
  EXPECT_FALSE(normalize_event(R"({"status":"a\u0000b"})", from_account()).ok);
  EXPECT_FALSE(normalize_event("{\"status\":\"\xff\xfe\"}", from_account()).ok);
  EXPECT_TRUE(normalize_event("{\"status\":\"Caf\xc3\xa9\"}", from_account()).ok);
}

TEST(FormatReceivedAt, IsUtcWithMicroseconds) {
  using namespace std::chrono;
  const system_clock::time_point t{microseconds(1795532645123456LL)};  // 2026-11-24T15:04:05.123456Z
  EXPECT_EQ(format_received_at(t), "2026-11-24T15:04:05.123456Z");
  EXPECT_EQ(format_received_at(system_clock::time_point{}), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace pgdialer::sync::testing
