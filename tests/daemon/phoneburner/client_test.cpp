// PhoneBurnerClient against the fake PhoneBurner over real HTTP on loopback:
// what each call sends, and what PhoneBurner ends up holding (read back from
// the fake's state dump, not from the client's own view).
#include "phoneburner/client_fixture.hpp"
#include "http/form.hpp"

#include "fake-phoneburner/form_decode.hpp"
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

namespace pgdialer::sync::testing {
namespace {

using std::chrono::milliseconds;
using ClientTest = FakeClientTest;

// ---- construction ----------------------------------------------------------

std::string construction_error(ClientOptions o) {
  try {
    PhoneBurnerClient c(std::move(o));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no exception";
}

TEST_F(ClientTest, PlainHttpToANonLoopbackHostIsRefused) {
  ClientOptions o = options();
  for (const char* url : {"http://www.phoneburner.com/rest/1", "http://192.0.2.10:8080/rest/1",
                          "http://localhost.example.com/rest/1"}) {
    o.base_url = url;
    const std::string why = construction_error(o);
    EXPECT_NE(why, "no exception") << url;
    EXPECT_EQ(why.find(kToken), std::string::npos) << why;
  }
  o.base_url = "https://www.phoneburner.com/rest/1";
  EXPECT_EQ(construction_error(o), "no exception");
  o.base_url = base_url();  // http://127.0.0.1:<port>/rest/1
  EXPECT_EQ(construction_error(o), "no exception");
}

TEST_F(ClientTest, BadOptionsAreRefused) {
  ClientOptions o = options();
  o.token = "abc\r\nX-Injected: 1";
  EXPECT_NE(construction_error(o), "no exception");
  o = options();
  o.max_retries = -1;
  EXPECT_NE(construction_error(o), "no exception");
  o = options();
  o.requests_per_second = -1;
  EXPECT_NE(construction_error(o), "no exception");
  o = options();
  o.request_timeout = milliseconds(0);
  EXPECT_NE(construction_error(o), "no exception");
}

// ---- members and folders ---------------------------------------------------

TEST_F(ClientTest, CheckTokenReturnsTheMemberId) {
  std::string member;
  const Result r = client()->check_token(&member);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(member, "1208450");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 1);
}

TEST_F(ClientTest, ATrailingSlashOnTheBaseUrlIsHarmless) {
  ClientOptions o = options();
  o.base_url += "/";
  std::string member;
  const Result r = client(o)->check_token(&member);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(count_requests("GET", "/rest/1/members/me"), 1);
}

TEST_F(ClientTest, CreateFolderThenListFolders) {
  auto c = client();
  Folder created;
  Result r = c->create_folder("Q3 Leads & Friends", "from pgdialer", &created);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_FALSE(created.id.empty());
  EXPECT_EQ(created.name, "Q3 Leads & Friends");

  auto st = state();
  ASSERT_EQ(st["folders"].Size(), 2u);
  EXPECT_EQ(text(st["folders"][1]["folder_id"]), created.id);
  EXPECT_EQ(text(st["folders"][1]["folder_name"]), "Q3 Leads & Friends");
  EXPECT_EQ(text(st["folders"][1]["description"]), "from pgdialer");

  std::vector<Folder> folders;
  r = c->list_folders(&folders);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(folders[0].name, "Contacts");
  EXPECT_EQ(folders[1].id, created.id);
  EXPECT_EQ(folders[1].name, created.name);
}

TEST_F(ClientTest, EmptyArgumentsAreRejectedWithoutARequest) {
  auto c = client();
  mark();
  EXPECT_EQ(c->create_folder("", "", nullptr).failure, Failure::rejected);
  EXPECT_EQ(c->get_contact("", nullptr).failure, Failure::rejected);
  EXPECT_EQ(c->update_contact("", "{}", "", "").failure, Failure::rejected);
  EXPECT_EQ(c->list_folder_contacts("", nullptr).failure, Failure::rejected);
  EXPECT_EQ(c->create_contact("not json", "1", "", nullptr).failure, Failure::rejected);
  EXPECT_EQ(request_log()["requests"].Size(), 0u);
}

// ---- contacts: what PhoneBurner holds -------------------------------------

constexpr const char* kFullPayload = R"({
  "first_name":"Ann","last_name":"Lee","phone":"+1 (555) 123-4567","email":"ann@example.com",
  "address":"1 Main St","address2":"Apt 2","city":"Springfield","state":"IL","zip":"62701",
  "country":"US","company":"Acme","title":"CTO","notes":"never sent",
  "custom_fields":{"Case ID":"42","Score":7,"Empty":null}})";

TEST_F(ClientTest, CreateContactStoresWhatThePayloadSays) {
  const std::string folder = seed_folder("Leads");
  auto c = client();
  mark();
  std::string id;
  const Result r = c->create_contact(kFullPayload, "lead-42", folder, &id);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.http_status, 201);
  ASSERT_FALSE(id.empty());

  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  const StoredContact& s = contacts[0];
  EXPECT_EQ(s["contact_user_id"], id);
  EXPECT_EQ(s["first_name"], "Ann");
  EXPECT_EQ(s["last_name"], "Lee");
  EXPECT_EQ(s["phone"], "5551234567");
  EXPECT_EQ(s["raw_phone"], "+1 (555) 123-4567");
  EXPECT_EQ(s["email"], "ann@example.com");
  EXPECT_EQ(s["address1"], "1 Main St");  // "address" -> address1
  EXPECT_EQ(s["address2"], "Apt 2");
  EXPECT_EQ(s["city"], "Springfield");
  EXPECT_EQ(s["state"], "IL");
  EXPECT_EQ(s["zip"], "62701");
  EXPECT_EQ(s["country"], "US");
  EXPECT_EQ(s["lead_id"], "lead-42");
  EXPECT_EQ(s["category_id"], folder);
  EXPECT_EQ(s["folder_name"], "Leads");
  EXPECT_EQ(s["notes"], "");  // notes are never sent: PhoneBurner appends each write
  // company and title have no top-level home in PhoneBurner: also custom fields.
  EXPECT_EQ(s["cf:company"], "Acme");
  EXPECT_EQ(s["cf:title"], "CTO");
  EXPECT_EQ(s["cf:Case ID"], "42");
  EXPECT_EQ(s["cf:Score"], "7");
  EXPECT_EQ(s["cf:Empty"], "<absent>");

  // On the wire: one form-encoded POST with PHP-array custom fields.
  auto log = request_log();
  ASSERT_EQ(log["requests"].Size(), 2u);  // the seeded folder, then the create
  const auto& req = log["requests"][1];
  EXPECT_EQ(text(req["method"]), "POST");
  EXPECT_EQ(text(req["path"]), "/rest/1/contacts");
  EXPECT_NE(text(req["content_type"]).find("application/x-www-form-urlencoded"), std::string::npos);
  const auto pairs = fake_pb::parse_form(text(req["body"]));
  std::map<std::string, std::string> sent(pairs.begin(), pairs.end());
  EXPECT_EQ(sent.count("address"), 0u);
  EXPECT_EQ(sent.count("notes"), 0u);
  EXPECT_EQ(sent["address1"], "1 Main St");
  EXPECT_EQ(sent["lead_id"], "lead-42");
  EXPECT_EQ(sent["category_id"], folder);
  EXPECT_EQ(sent["custom_fields[0][name]"], "Case ID");
  EXPECT_EQ(sent["custom_fields[0][type]"], "1");
  EXPECT_EQ(sent["custom_fields[0][value]"], "42");
  EXPECT_EQ(sent.count("custom_fields"), 0u);  // never a JSON blob in a form field
}

TEST_F(ClientTest, GetContactReadsBackWhatWasCreated) {
  const std::string folder = seed_folder("Leads");
  auto c = client();
  std::string id;
  ASSERT_TRUE(c->create_contact(kFullPayload, "lead-42", folder, &id).ok());
  RemoteContact got;
  const Result r = c->get_contact(id, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.lead_id, "lead-42");
  EXPECT_EQ(got.category_id, folder);
  EXPECT_EQ(got.first_name, "Ann");
  EXPECT_EQ(got.last_name, "Lee");
  EXPECT_EQ(got.phone, "5551234567");
  EXPECT_EQ(got.email, "ann@example.com");
  const std::map<std::string, std::string> want{
      {"Case ID", "42"}, {"Score", "7"}, {"company", "Acme"}, {"title", "CTO"}};
  EXPECT_EQ(got.custom_fields, want);
}

TEST_F(ClientTest, TextSurvivesTheFormEncodingExactly) {
  const std::string nasty = "A&B=C+D 100% \"q\" Zo\xC3\xAB\nline2 [0] ~";
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("first_name");
  w.String(nasty.c_str());
  w.Key("custom_fields");
  w.StartObject();
  w.Key("Note & [Tag]");
  w.String(nasty.c_str());
  w.EndObject();
  w.EndObject();
  std::string id;
  const Result r = client()->create_contact(buf.GetString(), "lead &=+ 1", "", &id);
  ASSERT_TRUE(r.ok()) << r.message;
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["first_name"], nasty);
  EXPECT_EQ(contacts[0]["lead_id"], "lead &=+ 1");
  EXPECT_EQ(contacts[0]["cf:Note & [Tag]"], nasty);
}

TEST_F(ClientTest, WithoutAFolderTheContactLandsInTheDefaultFolder) {
  std::string id;
  ASSERT_TRUE(client()->create_contact(R"({"first_name":"A"})", "", "", &id).ok());
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0]["category_id"], "47718");
  EXPECT_EQ(contacts[0]["lead_id"], "");
}

TEST_F(ClientTest, UpdateContactIsAPartialUpdate) {
  const std::string leads = seed_folder("Leads");
  const std::string won = seed_folder("Won");
  auto c = client();
  std::string id;
  ASSERT_TRUE(c->create_contact(kFullPayload, "lead-42", leads, &id).ok());
  mark();
  const Result r = c->update_contact(
      id, R"({"last_name":"Smith","address":"2 Elm St","custom_fields":{"Case ID":"43"}})", "lead-42", won);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(count_requests("PUT", "/rest/1/contacts/" + id), 1);

  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 1u);  // updated in place, not re-created
  const StoredContact& s = contacts[0];
  EXPECT_EQ(s["first_name"], "Ann");  // untouched
  EXPECT_EQ(s["last_name"], "Smith");
  EXPECT_EQ(s["address1"], "2 Elm St");
  EXPECT_EQ(s["email"], "ann@example.com");
  EXPECT_EQ(s["category_id"], won);
  EXPECT_EQ(s["cf:Case ID"], "43");
  EXPECT_EQ(s["cf:Score"], "7");
  EXPECT_EQ(s["cf:company"], "Acme");
}

TEST_F(ClientTest, GetUnknownContactIsRejectedWithTheApiReason) {
  auto c = client();
  RemoteContact got;
  const Result r = c->get_contact("99999999", &got);
  EXPECT_EQ(r.failure, Failure::rejected);
  EXPECT_EQ(r.http_status, 404);
  EXPECT_NE(r.message.find("Contact not found (code 40401)"), std::string::npos) << r.message;
  EXPECT_EQ(count_requests("GET", "/rest/1/contacts/99999999"), 1);  // not retried
}

TEST_F(ClientTest, UpdateOfAContactIdNeedingEscapesStaysOneSegment) {
  // An id with '/' must not address another route.
  const Result r = client()->update_contact("1/../../folders", R"({"first_name":"x"})", "", "");
  EXPECT_EQ(r.failure, Failure::rejected);
  EXPECT_EQ(r.http_status, 404);
  EXPECT_EQ(state()["folders"].Size(), 1u);
  auto log = request_log();
  ASSERT_EQ(log["requests"].Size(), 1u);
  // The id went out percent-encoded as one segment: libcurl did not resolve
  // the "../" away into PUT /rest/1/folders. (The fake, like PHP servers that
  // decode %2F, then finds no route for it: a 404, nothing changed.)
  EXPECT_EQ(text(log["requests"][0]["path"]), "/rest/1/contacts/1/../../folders");
}

// ---- paging -----------------------------------------------------------------

TEST_F(ClientTest, ListFolderContactsPagesThroughEveryContactOnce) {
  const std::string folder = seed_folder("Big");
  std::set<std::string> want;
  for (int i = 0; i < 250; ++i) {
    want.insert(seed_contact("first_name=F" + std::to_string(i) + "&lead_id=L" + std::to_string(i) +
                             "&category_id=" + folder));
    if (i % 10 == 0) seed_contact("first_name=Other" + std::to_string(i));  // another folder
  }
  ASSERT_EQ(want.size(), 250u);
  mark();
  std::vector<RemoteContact> got;
  const Result r = client()->list_folder_contacts(folder, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(got.size(), 250u);
  std::set<std::string> ids;
  std::set<std::string> leads;
  for (const auto& c : got) {
    EXPECT_TRUE(ids.insert(c.id).second) << "contact " << c.id << " returned twice";
    EXPECT_EQ(c.category_id, folder);
    leads.insert(c.lead_id);
  }
  EXPECT_EQ(ids, want);
  EXPECT_EQ(leads.size(), 250u);

  // More than one page was read, each once.
  auto log = request_log();
  std::vector<std::string> pages;
  for (const auto& q : log["requests"].GetArray()) {
    if (q["seq"].GetInt64() <= mark_) continue;
    ASSERT_EQ(text(q["path"]), "/rest/1/contacts");
    const auto params = fake_pb::parse_form(text(q["query"]));
    std::map<std::string, std::string> p(params.begin(), params.end());
    EXPECT_EQ(p["category_id"], folder);
    pages.push_back(p["page"]);
  }
  EXPECT_EQ(pages, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(r.attempts, 3);
}

TEST_F(ClientTest, ListFolderContactsOnAnExactMultipleOfThePageSize) {
  const std::string folder = seed_folder("Exact");
  for (int i = 0; i < 200; ++i) seed_contact("first_name=F&category_id=" + folder);
  std::vector<RemoteContact> got;
  const Result r = client()->list_folder_contacts(folder, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(got.size(), 200u);
}

TEST_F(ClientTest, ListFolderContactsOfAnEmptyFolder) {
  const std::string folder = seed_folder("Empty");
  seed_contact("first_name=Elsewhere");
  mark();
  std::vector<RemoteContact> got{RemoteContact{}};
  const Result r = client()->list_folder_contacts(folder, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(count_requests("GET", "/rest/1/contacts"), 1);
}

TEST_F(ClientTest, ListFolderContactsRetriesAFailedPageOnly) {
  const std::string folder = seed_folder("Big");
  for (int i = 0; i < 150; ++i) seed_contact("first_name=F&category_id=" + folder);
  mark();
  // The second page fails once with a 503, then answers.
  fail_next(R"({"count":1,"status":503,"method":"GET","path":"/rest/1/contacts"})");
  std::vector<RemoteContact> got;
  Result r = client()->list_folder_contacts(folder, &got);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(got.size(), 150u);
  EXPECT_EQ(count_requests("GET", "/rest/1/contacts"), 3);
  EXPECT_EQ(r.attempts, 3);
}

// A contact created or moved while the client pages shifts later pages by
// one, so a page can repeat the previous page's last contact. This server
// does that on purpose: pages 1..100, 100..199, 199..230.
TEST(ListFolderContactsPaging, AContactRepeatedOnTheNextPageIsReturnedOnce) {
  httplib::Server server;
  std::atomic<int> requests{0};
  server.Get("/rest/1/contacts", [&](const httplib::Request& req, httplib::Response& res) {
    ++requests;
    const int page = std::stoi(req.get_param_value("page"));
    const int first = page == 1 ? 1 : page == 2 ? 100 : 199;
    const int last = page == 1 ? 100 : page == 2 ? 199 : page == 3 ? 230 : 0;
    std::string list;
    for (int id = first; id <= last; ++id)
      list += (list.empty() ? "" : ",") + std::string(R"({"contact_user_id":")") + std::to_string(id) +
              R"(","category":{"category_id":"7"}})";
    res.set_content(R"({"http_status":200,"status":"success","contacts":{"contacts":[)" + list +
                        R"(],"page":")" + std::to_string(page) +
                        R"(","page_size":"100","total_results":"230","total_pages":"3"}})",
                    "application/json");
  });
  server.set_keep_alive_max_count(1);
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(milliseconds(1));

  ClientOptions o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/rest/1";
  o.token = kToken;
  o.requests_per_second = 0;
  std::vector<RemoteContact> got;
  const Result r = PhoneBurnerClient(o).list_folder_contacts("7", &got);
  server.stop();
  thread.join();

  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(requests.load(), 3);
  ASSERT_EQ(got.size(), 230u);
  std::set<std::string> ids;
  for (const auto& c : got) ids.insert(c.id);
  EXPECT_EQ(ids.size(), 230u);
}

// ---- dial sessions ----------------------------------------------------------

std::vector<std::string> payloads(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(R"({"first_name":"P)" + std::to_string(i) + R"(","phone":"555000)" +
                  std::to_string(1000 + i) + R"(","address":"A)" + std::to_string(i) +
                  R"(","company":"Co"})");
  return out;
}
std::vector<std::string> lead_ids(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("lead-" + std::to_string(i));
  return out;
}

TEST_F(ClientTest, CreateDialSessionSendsContactsDataAndCallbacks) {
  DialSession session;
  const Result r =
      client()->create_dial_session("CRM List", payloads(3), lead_ids(3), R"({"job":"j-1","n":2})",
                                    {{"api_calldone", "https://hooks.example/done?s=abc"},
                                     {"api_callbegin", "https://hooks.example/begin"}},
                                    &session);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_FALSE(session.redirect_url.empty());
  EXPECT_EQ(session.skipped_contact_count, 0);

  auto st = state();
  ASSERT_EQ(st["dial_sessions"].Size(), 1u);
  const auto& s = st["dial_sessions"][0];
  EXPECT_EQ(text(s["id"]), session.id);
  EXPECT_EQ(text(s["name"]), "CRM List");
  EXPECT_EQ(s["contact_count"].GetInt(), 3);
  EXPECT_EQ(text(s["redirect_url"]), session.redirect_url);
  ASSERT_TRUE(s["custom_data"].IsObject());
  EXPECT_EQ(text(s["custom_data"]["job"]), "j-1");
  ASSERT_EQ(s["callbacks"].Size(), 2u);
  EXPECT_EQ(text(s["callbacks"][0]["callback_type"]), "api_calldone");
  EXPECT_EQ(text(s["callbacks"][0]["callback"]), "https://hooks.example/done?s=abc");
  EXPECT_TRUE(s["preset_id"].IsNull());

  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 3u);
  EXPECT_EQ(contacts[1]["lead_id"], "lead-1");
  EXPECT_EQ(contacts[1]["first_name"], "P1");
  EXPECT_EQ(contacts[1]["address1"], "A1");
  EXPECT_EQ(contacts[1]["cf:company"], "Co");

  auto log = request_log();
  ASSERT_EQ(log["requests"].Size(), 1u);
  EXPECT_NE(text(log["requests"][0]["content_type"]).find("application/json"), std::string::npos);
}

TEST_F(ClientTest, CreateDialSessionWithoutLeadIds) {
  DialSession session;
  const Result r = client()->create_dial_session("x", payloads(2), {}, "", {}, &session);
  ASSERT_TRUE(r.ok()) << r.message;
  const auto contacts = stored_contacts();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0]["lead_id"], "");
  auto st = state();
  EXPECT_EQ(st["dial_sessions"][0]["callbacks"].Size(), 0u);
}

TEST_F(ClientTest, CreateDialSessionSends500OfA501ContactCall) {
  DialSession session;
  const Result r = client()->create_dial_session("big", payloads(501), lead_ids(501), "", {}, &session);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(session.skipped_contact_count, 1);

  auto st = state();
  ASSERT_EQ(st["dial_sessions"].Size(), 1u);
  EXPECT_EQ(st["dial_sessions"][0]["contact_count"].GetInt(), 500);
  // The client sent 500: the server had nothing to skip.
  EXPECT_EQ(st["dial_sessions"][0]["skipped_contact_count"].GetInt(), 0);
  // Exactly the first 500 made it, the tail is what was skipped.
  std::set<std::string> leads;
  for (const auto& c : stored_contacts()) leads.insert(c["lead_id"]);
  EXPECT_EQ(leads.size(), 500u);
  EXPECT_EQ(leads.count("lead-0"), 1u);
  EXPECT_EQ(leads.count("lead-499"), 1u);
  EXPECT_EQ(leads.count("lead-500"), 0u);
}

TEST_F(ClientTest, CreateDialSessionCountsEverythingPast500AsSkipped) {
  DialSession session;
  const Result r = client()->create_dial_session("bigger", payloads(730), {}, "", {}, &session);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(session.skipped_contact_count, 230);
  EXPECT_EQ(state()["dial_sessions"][0]["contact_count"].GetInt(), 500);
  EXPECT_EQ(stored_contacts().size(), 500u);
}

TEST_F(ClientTest, CreateDialSessionBadInputIsRejectedWithoutARequest) {
  auto c = client();
  DialSession session;
  EXPECT_EQ(c->create_dial_session("x", {}, {}, "", {}, &session).failure, Failure::rejected);
  EXPECT_EQ(c->create_dial_session("x", payloads(2), lead_ids(3), "", {}, &session).failure,
            Failure::rejected);
  EXPECT_EQ(c->create_dial_session("x", payloads(2), {}, "[1,2]", {}, &session).failure, Failure::rejected);
  EXPECT_EQ(c->create_dial_session("x", payloads(2), {}, "{", {}, &session).failure, Failure::rejected);
  EXPECT_EQ(c->create_dial_session("x", {"{}", "nope"}, {}, "", {}, &session).failure, Failure::rejected);
  EXPECT_EQ(request_log()["requests"].Size(), 0u);
  EXPECT_EQ(state()["dial_sessions"].Size(), 0u);
}

// ---- pacing -----------------------------------------------------------------

TEST_F(ClientTest, RequestsPerSecondSpacesCalls) {
  ClientOptions o = options();
  o.requests_per_second = 20;  // 50 ms apart
  auto c = client(o);
  const auto start = std::chrono::steady_clock::now();
  // A burst of 3 goes out at once; the 4 after it are 50 ms apart.
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(c->check_token(nullptr).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(195));
}

}  // namespace
}  // namespace pgdialer::sync::testing
