// POST /_control/simulate_calls over real HTTP, with a receiver on loopback:
// event sequences for dial sessions and folder dialing, disposition counts,
// duplicates, out-of-order arrival, the payload variants, failed deliveries
// and the truth record at GET /_control/calls.
#include "test_support.hpp"
#include "webhook_receiver.hpp"

#include <map>
#include <set>

namespace fake_pb::testing {
namespace {

constexpr const char* kStart = "2026-11-24 09:00:00";

class CallSimulationTest : public FakeServerTest {
 protected:
  // A folder holding `n` contacts; odd ones carry the sourceco_contact_id
  // custom field, even ones none (custom_fields then arrives as false).
  std::string folder_with_contacts(int n) {
    auto res = post_form("/rest/1/folders", "name=Buyers+Nov");
    EXPECT_TRUE(res && res->status == 201);
    const std::string folder = str(parse(res->body)["folders"]["folder_id"]);
    for (int i = 0; i < n; ++i) {
      std::string form = "first_name=F" + std::to_string(i) + "&last_name=L&phone=%2B1+555+010+" +
                         std::to_string(1000 + i) + "&email=p" + std::to_string(i) +
                         "%40x.test&lead_id=lead-" + std::to_string(i) + "&category_id=" + folder;
      if (i % 2)
        form += "&custom_fields[0][name]=sourceco_contact_id&custom_fields[0][value]=sc-" + std::to_string(i);
      create_contact(form);
    }
    return folder;
  }

  // A dial session of `n` contacts whose callbacks (those named in `types`)
  // go to the receiver, one path per type, with a token in the query.
  std::string dial_session(int n, const std::vector<std::string>& types = {"api_contact_displayed",
                                                                           "api_callbegin", "api_calldone"}) {
    std::string body = R"({"name":"S","custom_data":{"pgdialer_session_id":42,"pgdialer_job_id":7,)"
                       R"("pgdialer_batch":1},"callbacks":[)";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i) body += ",";
      body += R"({"callback_type":")" + types[i] + R"(","callback":")" +
              receiver_.url("/cb/" + types[i] + "?s=tok42") + R"("})";
    }
    body += R"(],"contacts":[)";
    for (int i = 0; i < n; ++i) {
      if (i) body += ",";
      body += R"({"first_name":"P)" + std::to_string(i) + R"(","phone":"555020)" + std::to_string(1000 + i) +
              R"(","lead_id":"S)" + std::to_string(i) +
              R"(","custom_fields":[{"name":"sourceco_contact_id","value":"sc)" + std::to_string(i) +
              R"("}]})";
    }
    auto res = post_json("/rest/1/dialsession", body + "]}");
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    return res ? str(parse(res->body)["dialsessions"]["id"]) : "";
  }

  void set_account_hook() {
    control("config", R"({"account_webhook_url":")" + receiver_.url("/account?s=acct") + R"("})");
  }

  httplib::Result simulate_raw(const std::string& json) {
    return http().Post("/_control/simulate_calls", json, "application/json");
  }
  rapidjson::Document simulate(const std::string& json) { return control("simulate_calls", json); }

  WebhookReceiver receiver_;
};

std::string event_of(const WebhookReceiver::Hit& hit) { return hit.path.substr(hit.path.rfind('/') + 1); }

TEST_F(CallSimulationTest, DialSessionFiresDisplayedBeginDoneToItsCallbacks) {
  const std::string ds = dial_session(3);
  auto run = simulate(R"({"dial_session_id":")" + ds +
                      R"(","dispositions":["No Answer","Appointment","Left Message"],)"
                      R"("seed":7,"start":"2026-11-24 09:00:00"})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 9u);
  const auto& calls = run["calls"];
  ASSERT_EQ(calls.Size(), 3u);
  const auto st = state();
  const auto& contact_ids = st["dial_sessions"][0]["contact_ids"];
  for (size_t i = 0; i < hits.size(); ++i) {
    const size_t call = i / 3;
    const char* expected[] = {"api_contact_displayed", "api_callbegin", "api_calldone"};
    EXPECT_EQ(event_of(hits[i]), expected[i % 3]) << i;
    EXPECT_EQ(hits[i].target.substr(hits[i].target.find('?')), "?s=tok42");
    EXPECT_EQ(hits[i].content_type, "application/json");
    auto body = parse(hits[i].body);
    EXPECT_EQ(str(body["ds_id"]), ds);
    EXPECT_EQ(to_json(body["custom_data"]),
              R"({"pgdialer_session_id":42,"pgdialer_job_id":7,"pgdialer_batch":1})");
    const std::string contact = i % 3 == 0 ? str(body["contact_user_id"]) : str(body["contact"]["user_id"]);
    EXPECT_EQ(contact, str(contact_ids[static_cast<rapidjson::SizeType>(call)]));
    EXPECT_EQ(contact, str(calls[static_cast<rapidjson::SizeType>(call)]["phoneburner_contact_id"]));
    if (i % 3 != 0)
      EXPECT_EQ(str(body["call_id"]), str(calls[static_cast<rapidjson::SizeType>(call)]["call_id"]));
    else
      EXPECT_FALSE(body.HasMember("call_id"));  // nothing has been dialed yet
  }
  auto done = parse(hits[5].body);  // the second call's api_calldone
  EXPECT_EQ(str(done["status"]), "Appointment");
  EXPECT_EQ(str(done["connected"]), "1");
  EXPECT_EQ(str(done["contact"]["lead_id"]), "S1");
  EXPECT_EQ(str(done["contact"]["phone"]), "5550201001");
  EXPECT_EQ(str(done["custom_fields"]["sourceco_contact_id"]), "sc1");
  EXPECT_EQ(str(parse(hits[2].body)["connected"]), "0");  // No Answer
  EXPECT_EQ(str(run["source"]), "session");
  EXPECT_EQ(str(calls[0]["start_time"]), kStart);
  EXPECT_EQ(to_json(calls[1]["custom_data"]),
            R"({"pgdialer_session_id":42,"pgdialer_job_id":7,"pgdialer_batch":1})");
  // Stable unique call ids, increasing.
  std::set<std::string> ids;
  for (const auto& c : calls.GetArray()) ids.insert(str(c["call_id"]));
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(str(calls[0]["call_id"]), "880000001");
}

TEST_F(CallSimulationTest, OnlyRegisteredCallbackTypesFire) {
  const std::string ds = dial_session(4, {"api_calldone"});
  simulate(R"({"dial_session_id":)" + ds + R"(,"seed":1})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 4u);
  for (const auto& h : hits) EXPECT_EQ(event_of(h), "api_calldone");
}

TEST_F(CallSimulationTest, FolderDialingSendsCalldoneToTheAccountHookWithExactCounts) {
  const std::string folder = folder_with_contacts(4);
  set_account_hook();
  auto run = simulate(R"({"folder_id":")" + folder +
                      R"(","calls":10,"seed":7,)"
                      R"("dispositions":{"No Answer":5,"Left Message":3,"Appointment":1,)"
                      R"("Not Interested":1},"talk_seconds":{"min":20,"max":600},)"
                      R"("start":"2026-11-24 09:00:00"})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 10u);
  std::map<std::string, int> by_status;
  std::set<std::string> ds_ids;
  std::string previous_end;
  for (const auto& h : hits) {
    EXPECT_EQ(h.target, "/account?s=acct");
    auto body = parse(h.body);
    ++by_status[str(body["status"])];
    ds_ids.insert(str(body["ds_id"]));
    EXPECT_FALSE(body.HasMember("custom_data"));  // no session of ours
    EXPECT_EQ(str(body["folder"]["id"]), folder);
    EXPECT_EQ(str(body["folder"]["name"]), "Buyers Nov");
    EXPECT_EQ(str(body["contact"]["category"]["category_id"]), folder);
    const bool connected = str(body["connected"]) == "1";
    const std::string status = str(body["status"]);
    EXPECT_EQ(connected, status == "Appointment" || status == "Not Interested") << status;
    const long duration = std::stol(str(body["duration"]));
    if (connected) {
      EXPECT_GE(duration, 20);
      EXPECT_LE(duration, 600);
    } else {
      EXPECT_GE(duration, 8);
      EXPECT_LE(duration, 45);
    }
    // Calls follow each other on the rep's (zoneless Central) clock.
    EXPECT_LT(str(body["start_time"]), str(body["end_time"]));
    EXPECT_LE(previous_end, str(body["start_time"]));
    previous_end = str(body["end_time"]);
  }
  EXPECT_EQ(by_status,
            (std::map<std::string, int>{
                {"No Answer", 5}, {"Left Message", 3}, {"Appointment", 1}, {"Not Interested", 1}}));
  EXPECT_EQ(ds_ids.size(), 1u);                    // one UI dial session...
  EXPECT_EQ(state()["dial_sessions"].Size(), 0u);  // ...that is not one of ours
  EXPECT_EQ(str(parse(hits[0].body)["start_time"]), kStart);
  // Ten calls over four contacts: redials, in folder order.
  const auto& calls = run["calls"];
  EXPECT_EQ(str(calls[0]["phoneburner_contact_id"]), str(calls[4]["phoneburner_contact_id"]));
  EXPECT_EQ(str(run["source"]), "account");
  const auto& summary = run["summary"];
  EXPECT_EQ(summary["calls"].GetInt(), 10);
  EXPECT_EQ(summary["connected"].GetInt(), 2);
  EXPECT_EQ(summary["by_disposition"]["No Answer"].GetInt(), 5);
  EXPECT_EQ(summary["delivered"].GetInt(), 10);
  EXPECT_EQ(summary["by_event"]["api_calldone"].GetInt(), 10);
}

TEST_F(CallSimulationTest, TruthMatchesWhatWasSent) {
  const std::string folder = folder_with_contacts(3);
  set_account_hook();
  auto run = simulate(R"({"folder_id":)" + folder +
                      R"(,"contacts":"all","seed":3,)"
                      R"("agent":{"user_id":"77","first_name":"Rita","last_name":"Rep"}})");
  const auto hits = receiver_.hits();
  const auto& calls = run["calls"];
  ASSERT_EQ(calls.Size(), 3u);
  ASSERT_EQ(hits.size(), 3u);
  const auto& deliveries = run["deliveries"];
  ASSERT_EQ(deliveries.Size(), 3u);
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    auto body = parse(hits[i].body);
    const auto& c = calls[i];
    EXPECT_EQ(str(body["call_id"]), str(c["call_id"]));
    EXPECT_EQ(str(body["status"]), str(c["disposition"]));
    EXPECT_EQ(str(body["connected"]) == "1", c["connected"].GetBool());
    EXPECT_EQ(std::stol(str(body["duration"])), c["duration_seconds"].GetInt64());
    EXPECT_EQ(str(body["start_time"]), str(c["start_time"]));
    EXPECT_EQ(str(body["end_time"]), str(c["end_time"]));
    EXPECT_EQ(str(body["contact"]["lead_id"]), str(c["lead_id"]));
    EXPECT_EQ(str(body["contact"]["lead_id"]), "lead-" + std::to_string(i));
    EXPECT_EQ(str(c["phone"]), "555010" + std::to_string(1000 + i));
    EXPECT_EQ(str(c["agent_id"]), "77");
    EXPECT_EQ(str(c["agent_name"]), "Rita Rep");
    EXPECT_EQ(str(body["agent"]["user_id"]), "77");
    EXPECT_EQ(to_json(body["call_notes"]), to_json(c["call_notes"]));
    const auto& d = deliveries[i];
    EXPECT_EQ(d["seq"].GetInt(), static_cast<int>(i) + 1);
    EXPECT_EQ(str(d["event"]), "api_calldone");
    EXPECT_EQ(str(d["call_id"]), str(c["call_id"]));
    EXPECT_EQ(d["status"].GetInt(), 200);
    EXPECT_TRUE(d["ok"].GetBool());
    EXPECT_FALSE(d["duplicate"].GetBool());
    EXPECT_EQ(to_json(d["body"]), to_json(body));
  }
  // GET /_control/calls keeps every run; reset clears it.
  simulate(R"({"folder_id":)" + folder + R"(,"calls":2,"seed":4})");
  auto all = parse(http().Get("/_control/calls")->body);
  EXPECT_EQ(all["simulations"].GetInt(), 2);
  EXPECT_EQ(all["calls"].Size(), 5u);
  EXPECT_EQ(all["deliveries"].Size(), 5u);
  EXPECT_EQ(all["summary"]["calls"].GetInt(), 5);
  EXPECT_EQ(parse(http().Get("/_control/calls?simulation=2")->body)["calls"].Size(), 2u);
  control("reset");
  all = parse(http().Get("/_control/calls")->body);
  EXPECT_EQ(all["simulations"].GetInt(), 0);
  EXPECT_EQ(all["calls"].Size(), 0u);
}

TEST_F(CallSimulationTest, DuplicatesAreIdenticalRedeliveriesOfEarlierEvents) {
  const std::string ds = dial_session(3);
  auto run = simulate(R"({"dial_session_id":)" + ds + R"(,"duplicates":4,"seed":5})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 9u + 4u);
  const auto& deliveries = run["deliveries"];
  ASSERT_EQ(deliveries.Size(), hits.size());
  int dups = 0;
  for (rapidjson::SizeType i = 0; i < deliveries.Size(); ++i) {
    const auto& d = deliveries[i];
    EXPECT_EQ(to_json(d["body"]), to_json(parse(hits[i].body)));  // the receiver saw the truth
    if (!d["duplicate"].GetBool()) continue;
    ++dups;
    const int first = d["duplicate_of"].GetInt();
    ASSERT_LT(first, d["seq"].GetInt());
    EXPECT_EQ(hits[static_cast<size_t>(first - 1)].body, hits[i].body);
    EXPECT_EQ(hits[static_cast<size_t>(first - 1)].target, hits[i].target);
  }
  EXPECT_EQ(dups, 4);
  EXPECT_EQ(run["summary"]["duplicates"].GetInt(), 4);
  EXPECT_EQ(run["calls"].Size(), 3u);  // duplicates are deliveries, not calls
}

TEST_F(CallSimulationTest, OutOfOrderArrival) {
  const std::string ds = dial_session(5);
  simulate(R"({"dial_session_id":)" + ds + R"(,"out_of_order":true,"seed":2})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 15u);
  // Per PhoneBurner contact: where each event arrived; call ids per call.
  std::vector<std::string> contacts;
  std::map<std::string, std::map<std::string, size_t>> at;
  std::map<std::string, std::string> call_of;
  for (size_t i = 0; i < hits.size(); ++i) {
    auto body = parse(hits[i].body);
    const std::string event = event_of(hits[i]);
    const std::string contact =
        event == "api_contact_displayed" ? str(body["contact_user_id"]) : str(body["contact"]["user_id"]);
    if (event == "api_contact_displayed") contacts.push_back(contact);
    at[contact][event] = i;
    if (event != "api_contact_displayed") {
      if (call_of.count(contact)) {
        EXPECT_EQ(call_of[contact], str(body["call_id"]));
      }
      call_of[contact] = str(body["call_id"]);
    }
  }
  ASSERT_EQ(contacts.size(), 5u);
  int done_before_begin = 0;
  for (size_t c = 0; c < contacts.size(); ++c) {
    auto& ev = at[contacts[c]];
    ASSERT_EQ(ev.size(), 3u);
    if (c + 1 < contacts.size()) {
      EXPECT_LT(at[contacts[c + 1]]["api_contact_displayed"], ev["api_calldone"]);
    }
    if (ev["api_calldone"] < ev["api_callbegin"]) ++done_before_begin;
  }
  EXPECT_GE(done_before_begin, 1);
}

TEST_F(CallSimulationTest, PayloadVariantsAreMixed) {
  const std::string folder = folder_with_contacts(4);
  set_account_hook();
  auto run = simulate(R"({"folder_id":)" + folder +
                      R"(,"calls":8,"seed":9,)"
                      R"("dispositions":{"Interested":1,"No Answer":1}})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 8u);
  std::map<std::string, std::set<std::string>> seen;
  for (size_t i = 0; i < hits.size(); ++i) {
    auto b = parse(hits[i].body);
    seen["duration"].insert(b["duration"].IsString() ? "string" : "number");
    EXPECT_TRUE(b["connected"].IsString());
    const bool old_names = b.HasMember("recording_link");
    seen["recording"].insert(old_names ? "recording_link" : "recording_url");
    EXPECT_NE(old_names, b.HasMember("recording_url"));
    EXPECT_EQ(old_names, b.HasMember("recording_link_public"));
    const auto& rec = b[old_names ? "recording_link" : "recording_url"];
    if (str(b["connected"]) == "1")
      EXPECT_EQ(str(rec).rfind("https://", 0), 0u);
    else
      seen["no_recording"].insert(rec.IsNull() ? "null" : str(rec));
    seen["custom_fields"].insert(b["custom_fields"].IsFalse()    ? "false"
                                 : b["custom_fields"].IsObject() ? "object"
                                                                 : "other");
    seen["typed"].insert(b.HasMember("typed_custom_fields") ? "yes" : "no");
    seen["agent"].insert(b["agent"].HasMember("name") ? "name" : "first_last");
    EXPECT_NE(b["agent"].HasMember("name"), b["agent"].HasMember("first_name"));
    seen["lead_id"].insert(b.HasMember("lead_id") ? "top" : "contact_only");
    seen["folder_id"].insert(b["folder"]["id"].IsString() ? "string" : "number");
    EXPECT_TRUE(b["contact"]["primary_email"].IsString());
    EXPECT_EQ(str(b["contact"]["phone"]).size(), 10u);
    EXPECT_TRUE(b["call_notes"].IsArray());
    // The variant the truth claims is the one that was sent.
    const auto& v = run["calls"][static_cast<rapidjson::SizeType>(i)]["variant"];
    EXPECT_EQ(v["duration_as_string"].GetBool(), b["duration"].IsString());
    EXPECT_EQ(v["old_recording_names"].GetBool(), old_names);
  }
  for (const auto& [what, values] : seen)
    if (what != "no_recording") {
      EXPECT_EQ(values.size(), 2u) << what;
    }
  EXPECT_EQ(seen["no_recording"], (std::set<std::string>{"", "null"}));
  EXPECT_EQ(seen["custom_fields"], (std::set<std::string>{"false", "object"}));
}

TEST_F(CallSimulationTest, SameSeedSameRunAfterReset) {
  auto once = [&](const std::string& seed) {
    control("reset");
    const std::string folder = folder_with_contacts(3);
    set_account_hook();
    auto run = simulate(R"({"folder_id":)" + folder +
                        R"(,"calls":6,"out_of_order":true,)"
                        R"("duplicates":2,"start":"2026-11-24 09:00:00","seed":)" +
                        seed + "}");
    return to_json(run["deliveries"]);
  };
  const std::string a = once("21");
  EXPECT_EQ(a, once("21"));
  EXPECT_NE(a, once("22"));
}

TEST_F(CallSimulationTest, DialedContactsShowTheirCallHistory) {
  const std::string folder = folder_with_contacts(2);
  set_account_hook();
  auto run = simulate(R"({"folder_id":)" + folder + R"(,"calls":3,"start":"2026-11-24 10:00:00"})");
  const std::string first = str(run["calls"][0]["phoneburner_contact_id"]);
  auto doc = parse(get("/rest/1/contacts/" + first)->body);
  const auto& c = doc["contacts"]["contacts"][0];
  EXPECT_EQ(str(c["total_calls"]), "2");
  EXPECT_EQ(str(c["last_call_time"]), str(run["calls"][2]["start_time"]));
}

TEST_F(CallSimulationTest, FailedDeliveriesAreRecordedAndRetriedOnlyWhenAsked) {
  const std::string ds = dial_session(1);
  receiver_.answer("/cb/api_callbegin", 401);
  receiver_.answer("/cb/api_calldone", 503);
  auto run = simulate(R"({"dial_session_id":)" + ds + R"(,"retries":2,"retry_delay_ms":0})");
  const auto& d = run["deliveries"];
  ASSERT_EQ(d.Size(), 3u);
  EXPECT_EQ(d[0]["status"].GetInt(), 200);
  EXPECT_EQ(d[1]["status"].GetInt(), 401);  // a 4xx is final
  EXPECT_EQ(d[1]["attempts"].Size(), 1u);
  EXPECT_FALSE(d[1]["ok"].GetBool());
  EXPECT_EQ(d[2]["status"].GetInt(), 503);  // a 5xx is retried, then given up
  EXPECT_EQ(d[2]["attempts"].Size(), 3u);
  EXPECT_EQ(receiver_.hits().size(), 1u + 1u + 3u);
  EXPECT_EQ(run["summary"]["failed"].GetInt(), 2);
  EXPECT_EQ(run["summary"]["by_status"]["503"].GetInt(), 1);
}

TEST_F(CallSimulationTest, UnreachableReceiverIsRecordedNotFatal) {
  int dead_port = 0;
  {
    httplib::Server probe;
    dead_port = probe.bind_to_any_port("127.0.0.1");
  }  // closed again: nothing listens there now
  const std::string folder = folder_with_contacts(2);
  control("config",
          R"({"account_webhook_url":"http://127.0.0.1:)" + std::to_string(dead_port) + R"(/account?s=x"})");
  auto run = simulate(R"({"folder_id":)" + folder + R"(,"timeout_ms":500})");
  const auto& d = run["deliveries"];
  ASSERT_EQ(d.Size(), 2u);
  for (const auto& one : d.GetArray()) {
    EXPECT_EQ(one["status"].GetInt(), 0);
    EXPECT_TRUE(one["error"].IsString());
    EXPECT_FALSE(one["ok"].GetBool());
  }
  EXPECT_EQ(run["calls"].Size(), 2u);  // the calls still happened
}

TEST_F(CallSimulationTest, SessionCalldoneCanAlsoGoToTheAccountHook) {
  const std::string ds = dial_session(2, {"api_calldone"});
  set_account_hook();
  auto run = simulate(R"({"dial_session_id":)" + ds + R"(,"also_account_webhook":true})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].path, "/cb/api_calldone");
  EXPECT_EQ(hits[1].path, "/account");
  EXPECT_EQ(hits[0].body, hits[1].body);  // the same call, both hooks
}

TEST_F(CallSimulationTest, RefusesWhatItCannotDoAndFiresNothing) {
  const std::string folder = folder_with_contacts(1);
  auto expect_status = [&](const std::string& json, int status, const std::string& words) {
    auto res = simulate_raw(json);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << json << " -> " << res->body;
    EXPECT_NE(res->body.find(words), std::string::npos) << res->body;
  };
  expect_status(R"({"folder_id":)" + folder + "}", 409, "account_webhook_url");
  expect_status(R"({"dial_session_id":"999"})", 404, "no dial session");
  expect_status(R"({"folder_id":"1"})", 404, "no folder");
  expect_status(R"({"folder_id":)" + folder + R"(,"duplicate":2})", 400, "unknown key: duplicate");
  expect_status(R"({})", 400, "exactly one of");
  expect_status(R"({"folder_id":)" + folder + R"(,"calls":2,"dispositions":["A"]})", 400,
                "one entry per call");
  expect_status(R"({"folder_id":)" + folder + R"(,"start":"2026-11-24T09:00:00Z"})", 400, "start");

  auto res = http().Post("/_control/config", R"({"account_webhook_url":"http://example.com/h"})",
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("loopback"), std::string::npos);
  res =
      http().Post("/_control/config", R"({"account_webhook_url":"https://127.0.0.1/h"})", "application/json");
  EXPECT_EQ(res->status, 400);

  // A session whose callbacks point off the machine: refused before any call.
  auto ds = post_json("/rest/1/dialsession",
                      R"({"contacts":[{"first_name":"A","phone":"5550001111"}],"callbacks":[)"
                      R"({"callback_type":"api_calldone","callback":")" +
                          receiver_.url("/ok") +
                          R"("},)"
                          R"({"callback_type":"api_callbegin","callback":"https://hooks.example.com/x"}]})");
  const std::string id = str(parse(ds->body)["dialsessions"]["id"]);
  expect_status(R"({"dial_session_id":)" + id + "}", 400, "https://hooks.example.com/x");
  EXPECT_TRUE(receiver_.hits().empty());
  EXPECT_EQ(parse(http().Get("/_control/calls")->body)["calls"].Size(), 0u);
  EXPECT_EQ(str(state()["contacts"][0]["last_call_time"]), "");  // nobody was called
}

TEST_F(CallSimulationTest, AccountHookIsPartOfConfigAndState) {
  set_account_hook();
  auto cfg = parse(http().Get("/_control/config")->body);
  EXPECT_EQ(str(cfg["account_webhook_url"]), receiver_.url("/account?s=acct"));
  EXPECT_EQ(str(state()["account_webhook_url"]), receiver_.url("/account?s=acct"));
  control("config", R"({"account_webhook_url":""})");
  EXPECT_EQ(str(state()["account_webhook_url"]), "");
}

}  // namespace
}  // namespace fake_pb::testing

namespace fake_pb::testing {
namespace {

// callback_days: a callback disposition's api_calldone carries the callback's
// date in events.next_event; other calls do not; the truth records it.
TEST_F(CallSimulationTest, CallbackDispositionsCarryTheCallbackDate) {
  const std::string folder = folder_with_contacts(2);
  set_account_hook();
  auto run = simulate(R"({"folder_id":")" + folder +
                      R"(","dispositions":["Call Back","Interested"],)"
                      R"("seed":3,"start":"2026-11-24 09:00:00","callback_days":2})");
  const auto hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 2u);
  std::map<std::string, std::string> next_event_date;
  for (const auto& h : hits) {
    auto body = parse(h.body);
    const std::string status = str(body["status"]);
    if (status == "Call Back") {
      ASSERT_TRUE(body.HasMember("events"));
      EXPECT_EQ(str(body["events"]["next_event"]["type"]), "callback");
      next_event_date[status] = str(body["events"]["next_event"]["date"]);
    } else if (body.HasMember("events")) {
      EXPECT_TRUE(body["events"]["next_event"].IsNull());
    }
  }
  EXPECT_EQ(next_event_date["Call Back"].substr(0, 10), "2026-11-26");
  int with_callback = 0;
  for (const auto& c : run["calls"].GetArray())
    if (c["callback_at"].IsString()) {
      ++with_callback;
      EXPECT_EQ(str(c["callback_at"]), next_event_date["Call Back"]);
    }
  EXPECT_EQ(with_callback, 1);

  auto bad = simulate_raw(R"({"folder_id":")" + folder + R"(","callback_days":400})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace fake_pb::testing
