// /rest/1 over real HTTP: auth, envelopes, members, folders, contacts and
// dial sessions, with the shapes docs/phoneburner.md describes.
#include "test_support.hpp"

namespace fake_pb::testing {
namespace {

using RestApiTest = FakeServerTest;

TEST_F(RestApiTest, TranquilityNeedsNoAuth) {
  auto res = http().Get("/rest/1/tranquility");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto doc = parse(res->body);
  EXPECT_EQ(doc["http_status"].GetInt(), 200);
  EXPECT_STREQ(doc["status"].GetString(), "success");
}

TEST_F(RestApiTest, MissingAuthorizationIsTheDocumented401) {
  auto res = http().Get("/rest/1/members/me");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->body, R"({"http_status":401,"status":"error","debug_codes":[{"code":40101,)"
                       R"("reason":"Login Failure: Authorization Header required"}]})");
  res = http().Get("/rest/1/members/me", {{"Authorization", "Basic dXNlcjpwdw=="}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(parse(res->body)["debug_codes"][0]["code"].GetInt(), 40101);
}

TEST_F(RestApiTest, WrongTokenIs401AndChangesNothing) {
  auto res = http().Post("/rest/1/contacts", {{"Authorization", "Bearer nope"}}, "first_name=A",
                         "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  auto doc = parse(res->body);
  EXPECT_EQ(doc["http_status"].GetInt(), 401);
  EXPECT_EQ(doc["debug_codes"][0]["code"].GetInt(), 40103);
  EXPECT_EQ(state()["contacts"].Size(), 0u);
}

TEST_F(RestApiTest, UnknownRouteIs404Envelope) {
  auto res = get("/rest/1/contacts/categories/extra");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  auto doc = parse(res->body);
  EXPECT_EQ(doc["http_status"].GetInt(), 404);
  EXPECT_STREQ(doc["status"].GetString(), "error");
  EXPECT_TRUE(doc["debug_codes"].IsArray());
  res = http().Get("/nowhere");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(RestApiTest, MembersMeIsOneObjectWithIds) {
  auto res = get("/rest/1/members/me");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto doc = parse(res->body);
  const auto& me = doc["members"]["members"];
  ASSERT_TRUE(me.IsObject());
  EXPECT_TRUE(me["member_user_id"].IsString());
  EXPECT_EQ(str(me["member_user_id"]), str(me["user_id"]));
  EXPECT_FALSE(str(me["username"]).empty());
  EXPECT_TRUE(me.HasMember("first_name") && me.HasMember("last_name") && me.HasMember("email"));
}

TEST_F(RestApiTest, FoldersAreAnObjectKeyedByIndex) {
  auto res = get("/rest/1/folders");
  ASSERT_TRUE(res);
  auto doc = parse(res->body);
  ASSERT_TRUE(doc["folders"].IsObject());
  EXPECT_EQ(str(doc["folders"]["0"]["folder_name"]), "Contacts");
  EXPECT_EQ(str(doc["folders"]["0"]["folder_id"]), "47718");

  res = post_form("/rest/1/folders", "name=Buyers&description=From+the+CRM");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(str(parse(res->body)["folders"]["folder_name"]), "Buyers");
  res = post_json("/rest/1/folders", R"({"folder_name":"Sellers"})");
  ASSERT_TRUE(res);
  const std::string sellers_id = str(parse(res->body)["folders"]["folder_id"]);
  EXPECT_EQ(sellers_id, "47720");

  doc = parse(get("/rest/1/folders")->body);
  EXPECT_EQ(doc["folders"].MemberCount(), 3u);
  EXPECT_EQ(str(doc["folders"]["1"]["description"]), "From the CRM");
  EXPECT_EQ(str(doc["folders"]["2"]["folder_id"]), sellers_id);

  res = post_json("/rest/1/folders", R"({"description":"no name"})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
}

TEST_F(RestApiTest, FormCreateWithCustomFieldsPersistsOnlyDocumentedKeys) {
  auto res = post_form("/rest/1/contacts",
                       "first_name=Ann&last_name=Lee&phone=%2B1+(555)+123-4567&phone_type=3"
                       "&email=ann%40x.com&city=Austin&state=TX&zip=73301&lead_id=ext-42"
                       "&custom_fields[0][name]=Case+ID&custom_fields[0][type]=1"
                       "&custom_fields[0][value]=154427&tags[]=vip&tags[]=2026"
                       "&raw_phone=999&email_address=other%40x.com&website=x.com&owner_id=7"
                       "&on_duplicate=update");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto doc = parse(res->body);
  EXPECT_EQ(doc["http_status"].GetInt(), 201);
  const auto& created = doc["contacts"]["contacts"];
  ASSERT_TRUE(created.IsObject());  // a single object on create
  EXPECT_EQ(str(created["contact_user_id"]), "30919237");
  EXPECT_EQ(str(created["user_id"]), "30919237");

  auto st = state();
  ASSERT_EQ(st["contacts"].Size(), 1u);
  const auto& c = st["contacts"][0];
  EXPECT_EQ(str(c["first_name"]), "Ann");
  EXPECT_EQ(str(c["phone"]), "5551234567");
  EXPECT_EQ(str(c["raw_phone"]), "+1 (555) 123-4567");  // as sent in `phone`, not `raw_phone`
  EXPECT_EQ(str(c["phone_type"]), "3");
  EXPECT_EQ(str(c["email"]), "ann@x.com");
  EXPECT_EQ(str(c["category_id"]), "47718");
  EXPECT_EQ(str(c["lead_id"]), "ext-42");
  ASSERT_EQ(c["custom_fields"].Size(), 1u);
  EXPECT_EQ(str(c["custom_fields"][0]["name"]), "Case ID");
  EXPECT_EQ(str(c["custom_fields"][0]["value"]), "154427");
  EXPECT_EQ(to_json(c["tags"]), R"(["vip","2026"])");
  EXPECT_FALSE(c.HasMember("website"));
  EXPECT_FALSE(c.HasMember("email_address"));
  EXPECT_FALSE(c.HasMember("owner_id"));
}

TEST_F(RestApiTest, JsonCreateAndCustomFieldsMatchByName) {
  auto res = post_json("/rest/1/contacts", R"({"first_name":"Bo","phone":5559876543,"category_id":999999,)"
                                           R"("custom_fields":[{"name":"Case ID","type":1,"value":7}],)"
                                           R"("notes":"Called twice","external_id":"e-1"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  res = post_json(
      "/rest/1/contacts",
      R"({"first_name":"Cy","folder_id":"47718","custom_fields":[{"name":"Case ID","value":"8"}]})");
  ASSERT_TRUE(res);
  auto st = state();
  ASSERT_EQ(st["contacts"].Size(), 2u);
  const auto& bo = st["contacts"][0];
  EXPECT_EQ(str(bo["phone"]), "5559876543");
  EXPECT_EQ(str(bo["category_id"]), "47718");  // unknown category -> default folder
  EXPECT_EQ(str(bo["custom_fields"][0]["value"]), "7");
  EXPECT_EQ(to_json(bo["notes_entries"]), R"(["Called twice"])");
  EXPECT_NE(str(bo["notes"]).find(" by fake.agent -- Called twice"), std::string::npos);
  EXPECT_EQ(str(bo["external_id"]), "e-1");
  EXPECT_EQ(str(st["contacts"][1]["custom_fields"][0]["custom_field_id"]),
            str(bo["custom_fields"][0]["custom_field_id"]));
  EXPECT_EQ(st["custom_field_definitions"].Size(), 1u);
}

TEST_F(RestApiTest, NoServerSideDedupe) {
  create_contact(
      "first_name=Ann&phone=5551234567&email=a%40x.com&on_duplicate=update"
      "&duplicate_checks[email]=1&duplicate_checks[phone]=1");
  create_contact("first_name=Ann&phone=5551234567&email=a%40x.com");
  EXPECT_EQ(state()["contacts"].Size(), 2u);
}

TEST_F(RestApiTest, ReadBackShape) {
  auto folder = parse(post_form("/rest/1/folders", "name=Buyers")->body);
  const std::string folder_id = str(folder["folders"]["folder_id"]);
  const std::string id = create_contact(
      "first_name=Ann&last_name=Lee&phone=5551234567&phone_type=3&email=ann%40x.com"
      "&address1=1+Main+St&city=Austin&state=TX&zip=73301&category_id=" +
      folder_id +
      "&custom_fields[0][name]=Case+ID&custom_fields[0][type]=1&custom_fields[0][value]=42"
      "&additional_phone[0][number]=5559876543&additional_phone[0][phone_type]=3");
  auto res = get("/rest/1/contacts/" + id);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto doc = parse(res->body);
  const auto& list = doc["contacts"]["contacts"];
  ASSERT_TRUE(list.IsArray());  // a one-element array on read
  ASSERT_EQ(list.Size(), 1u);
  const auto& c = list[0];
  EXPECT_EQ(str(c["contact_user_id"]), id);
  EXPECT_EQ(str(c["user_id"]), id);
  EXPECT_EQ(str(c["first_name"]), "Ann");
  EXPECT_TRUE(c["category"]["category_id"].IsString());
  EXPECT_EQ(str(c["category"]["category_id"]), folder_id);
  EXPECT_EQ(str(c["category"]["name"]), "Buyers");
  ASSERT_EQ(c["custom_fields"].Size(), 1u);
  EXPECT_TRUE(c["custom_fields"][0]["custom_field_id"].IsString());
  EXPECT_EQ(str(c["custom_fields"][0]["type"]), "1");
  EXPECT_EQ(str(c["custom_fields"][0]["value"]), "42");
  EXPECT_EQ(str(c["primary_phone"]["phone"]), "5551234567");
  EXPECT_EQ(str(c["primary_phone"]["type"]), "3");
  EXPECT_EQ(c["phones"].Size(), 2u);
  EXPECT_EQ(str(c["phones"][1]["phone"]), "5559876543");
  EXPECT_EQ(str(c["primary_email"]["email_address"]), "ann@x.com");
  EXPECT_EQ(str(c["primary_address"]["address"]), "1 Main St");
  EXPECT_EQ(str(c["primary_address"]["zip"]), "73301");
  EXPECT_EQ(str(c["raw_phone"]), "5551234567");
  EXPECT_EQ(str(c["date_added"]).size(), 19u);  // YYYY-MM-DD HH:MM:SS
  EXPECT_TRUE(c["notes"].IsNull());

  res = get("/rest/1/contacts/1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = get("/rest/1/contacts/abc");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(RestApiTest, ListPaginatesNewestFirstWithStringCounters) {
  for (int i = 0; i < 7; ++i) create_contact("first_name=C" + std::to_string(i));
  auto doc = parse(get("/rest/1/contacts?page_size=3")->body);
  const auto& page1 = doc["contacts"];
  EXPECT_EQ(str(page1["page"]), "1");
  EXPECT_EQ(str(page1["page_size"]), "3");
  EXPECT_EQ(str(page1["total_results"]), "7");
  EXPECT_EQ(str(page1["total_pages"]), "3");
  ASSERT_EQ(page1["contacts"].Size(), 3u);
  EXPECT_EQ(str(page1["contacts"][0]["first_name"]), "C6");  // DESC by default

  doc = parse(get("/rest/1/contacts?page_size=3&page=3&sort_order=ASC")->body);
  ASSERT_EQ(doc["contacts"]["contacts"].Size(), 1u);
  EXPECT_EQ(str(doc["contacts"]["contacts"][0]["first_name"]), "C6");
  doc = parse(get("/rest/1/contacts?page_size=3&page=4")->body);
  EXPECT_EQ(doc["contacts"]["contacts"].Size(), 0u);
  doc = parse(get("/rest/1/contacts")->body);  // default page_size 25
  EXPECT_EQ(str(doc["contacts"]["page_size"]), "25");
  EXPECT_EQ(doc["contacts"]["contacts"].Size(), 7u);
  doc = parse(get("/rest/1/contacts?page_size=500")->body);  // beyond the doc's 100: accepted
  EXPECT_EQ(str(doc["contacts"]["page_size"]), "500");
}

TEST_F(RestApiTest, ListFiltersByCategoryAndIgnoresUnknownFilters) {
  const std::string folder = str(parse(post_form("/rest/1/folders", "name=B")->body)["folders"]["folder_id"]);
  create_contact("first_name=InB&category_id=" + folder + "&email=Ann%40X.com");
  create_contact("first_name=InDefault");
  auto doc = parse(get("/rest/1/contacts?category_id=" + folder)->body);
  ASSERT_EQ(doc["contacts"]["contacts"].Size(), 1u);
  EXPECT_EQ(str(doc["contacts"]["contacts"][0]["first_name"]), "InB");
  doc = parse(get("/rest/1/contacts?folder_id=" + folder)->body);  // ignored: all contacts
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "2");
  doc = parse(get("/rest/1/contacts?first_name=InB&bogus=1")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "2");
  doc = parse(get("/rest/1/contacts?email_address=ann%40x.com")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "1");
  doc = parse(get("/rest/1/contacts?category_id=1")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "0");
}

TEST_F(RestApiTest, UpdatedFromNeedsIncludeNewForNewContacts) {
  create_contact("first_name=Old");
  auto doc = parse(get("/rest/1/contacts?updated_from=2000-01-01+00:00:00")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "0");  // created since: "new", not "updated"
  doc = parse(get("/rest/1/contacts?updated_from=2000-01-01+00:00:00&include_new=1")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "1");
  doc = parse(get("/rest/1/contacts?updated_from=2999-01-01+00:00:00&include_new=1")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "0");
}

TEST_F(RestApiTest, PutIsAPartialUpdate) {
  const std::string folder = str(parse(post_form("/rest/1/folders", "name=B")->body)["folders"]["folder_id"]);
  const std::string id = create_contact(
      "first_name=Ann&last_name=Lee&phone=5551234567&notes=first"
      "&custom_fields[0][name]=A&custom_fields[0][value]=1"
      "&custom_fields[1][name]=B&custom_fields[1][value]=2");
  auto res = put_form("/rest/1/contacts/" + id,
                      "last_name=Smith&category_id=" + folder +
                          "&custom_fields[0][name]=B&custom_fields[0][value]=20"
                          "&custom_fields[1][name]=C&custom_fields[1][value]=3&notes=second");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  res = put_json("/rest/1/contacts/" + id, R"({"email":"ann@x.com","raw_phone":"1"})");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto st = state();
  const auto& c = st["contacts"][0];
  EXPECT_EQ(str(c["first_name"]), "Ann");  // untouched
  EXPECT_EQ(str(c["last_name"]), "Smith");
  EXPECT_EQ(str(c["phone"]), "5551234567");
  EXPECT_EQ(str(c["email"]), "ann@x.com");
  EXPECT_EQ(str(c["category_id"]), folder);
  ASSERT_EQ(c["custom_fields"].Size(), 3u);  // merged by name
  EXPECT_EQ(str(c["custom_fields"][0]["value"]), "1");
  EXPECT_EQ(str(c["custom_fields"][1]["value"]), "20");
  EXPECT_EQ(str(c["custom_fields"][2]["name"]), "C");
  EXPECT_EQ(to_json(c["notes_entries"]), R"(["first","second"])");  // notes append

  res = put_form("/rest/1/contacts/30000000", "first_name=X");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(RestApiTest, DeleteTrashesAndThen404s) {
  const std::string id = create_contact("first_name=Gone");
  create_contact("first_name=Stays");
  auto res = del("/rest/1/contacts/" + id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(get("/rest/1/contacts/" + id)->status, 404);
  EXPECT_EQ(del("/rest/1/contacts/" + id)->status, 404);
  EXPECT_EQ(put_form("/rest/1/contacts/" + id, "first_name=X")->status, 404);
  auto doc = parse(get("/rest/1/contacts")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "1");
  doc = parse(get("/rest/1/contacts?include_trashed=1")->body);
  EXPECT_EQ(str(doc["contacts"]["total_results"]), "2");
  auto st = state();
  EXPECT_EQ(st["contacts"].Size(), 1u);
  ASSERT_EQ(st["trashed_contacts"].Size(), 1u);
  EXPECT_EQ(str(st["trashed_contacts"][0]["contact_user_id"]), id);
}

std::string dialsession_body(int contacts) {
  std::string body = R"({"name":"CRM List","preset_id":null,"custom_data":{"run":"r1"},)"
                     R"("callbacks":[{"callback_type":"api_calldone","callback":"http://me/h?s=T"},)"
                     R"({"callback_type":"api_call_done","callback":"http://typo"}],"contacts":[)";
  for (int i = 0; i < contacts; ++i) {
    if (i) body += ",";
    body += R"({"first_name":"P)" + std::to_string(i) + R"(","phone":"555000)" + std::to_string(1000 + i) +
            R"(","lead_id":"L)" + std::to_string(i) + R"("})";
  }
  return body + "]}";
}

TEST_F(RestApiTest, DialSessionKeepsTheFirst500) {
  auto res = post_json("/rest/1/dialsession", dialsession_body(503));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto doc = parse(res->body);
  const auto& ds = doc["dialsessions"];
  EXPECT_EQ(ds["contact_limit"].GetInt(), 500);
  EXPECT_EQ(ds["skipped_contact_count"].GetInt(), 3);
  EXPECT_TRUE(ds["errors"].IsArray());
  const std::string url = str(ds["redirect_url"]);
  const std::string own = "http://127.0.0.1:" + std::to_string(server_->port()) + "/";
  EXPECT_EQ(url.rfind(own, 0), 0u) << url;

  auto st = state();
  EXPECT_EQ(st["contacts"].Size(), 500u);
  EXPECT_EQ(str(st["contacts"][499]["lead_id"]), "L499");
  ASSERT_EQ(st["dial_sessions"].Size(), 1u);
  const auto& s = st["dial_sessions"][0];
  EXPECT_EQ(str(s["id"]), str(ds["id"]));
  EXPECT_EQ(str(s["name"]), "CRM List");
  EXPECT_EQ(s["contact_ids"].Size(), 500u);
  EXPECT_EQ(str(s["contact_ids"][0]), str(st["contacts"][0]["contact_user_id"]));
  EXPECT_EQ(s["skipped_contact_count"].GetInt(), 3);
  EXPECT_EQ(to_json(s["custom_data"]), R"({"run":"r1"})");
  EXPECT_EQ(s["callbacks"].Size(), 1u);  // the misspelled type is dropped
  EXPECT_TRUE(s["preset_id"].IsNull());

  // The redirect_url is a one-time link.
  const std::string path = url.substr(own.size() - 1);
  EXPECT_EQ(http().Get(path)->status, 200);
  EXPECT_EQ(http().Get(path)->status, 410);
  EXPECT_TRUE(state()["dial_sessions"][0]["launched"].GetBool());
}

TEST_F(RestApiTest, DialSessionWithoutContactsIs400) {
  auto res = post_json("/rest/1/dialsession", R"({"name":"empty","contacts":[]})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(state()["dial_sessions"].Size(), 0u);
}

TEST_F(RestApiTest, InvalidJsonBodyIs400) {
  auto res = post_json("/rest/1/contacts", R"({"first_name":)");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(parse(res->body)["http_status"].GetInt(), 400);
  EXPECT_EQ(state()["contacts"].Size(), 0u);
}

}  // namespace
}  // namespace fake_pb::testing
