// phoneburner/json: tolerant reading of the shapes docs/phoneburner.md lists
// (numbers as strings, object-or-array, contact_user_id|user_id,
// dialsessions|dialsession, index-keyed objects) and the error envelope.
#include "phoneburner/json.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace pgdialer::sync::pb_json {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

TEST(ScalarText, StringsNumbersBooleans) {
  EXPECT_EQ(scalar_text(parse(R"(["abc"])")[0]), "abc");
  EXPECT_EQ(scalar_text(parse("[42]")[0]), "42");
  EXPECT_EQ(scalar_text(parse("[-7]")[0]), "-7");
  EXPECT_EQ(scalar_text(parse("[18446744073709551615]")[0]), "18446744073709551615");
  EXPECT_EQ(scalar_text(parse("[1.5]")[0]), "1.5");
  EXPECT_EQ(scalar_text(parse("[0.1]")[0]), "0.1");
  EXPECT_EQ(scalar_text(parse("[true]")[0]), "1");
  EXPECT_EQ(scalar_text(parse("[false]")[0]), "0");
}

TEST(ScalarText, NullArraysAndObjectsHaveNone) {
  EXPECT_EQ(scalar_text(parse("[null]")[0]), std::nullopt);
  EXPECT_EQ(scalar_text(parse("[[1]]")[0]), std::nullopt);
  EXPECT_EQ(scalar_text(parse(R"([{"a":1}])")[0]), std::nullopt);
}

TEST(ScalarText, KeepsEmbeddedNul) {
  EXPECT_EQ(scalar_text(parse(R"(["a\u0000b"])")[0]), std::string("a\0b", 3));
}

TEST(Member, OnlyOnObjects) {
  auto doc = parse(R"({"a":1,"arr":[1]})");
  ASSERT_NE(member(doc, "a"), nullptr);
  EXPECT_EQ(member(doc, "b"), nullptr);
  EXPECT_EQ(member(doc["arr"], "a"), nullptr);  // an array: no member, no crash
}

TEST(FirstText, SkipsMissingEmptyAndNonScalar) {
  auto doc = parse(R"({"a":"","b":{"x":1},"c":null,"d":30919237,"e":"later"})");
  EXPECT_EQ(first_text(doc, {"zz", "a", "b", "c", "d", "e"}), "30919237");
  EXPECT_EQ(first_text(doc, {"zz", "a"}), "");
}

TEST(Integer, NumbersAndNumericStrings) {
  auto doc =
      parse(R"({"a":3,"b":"4","c":"x","d":"4x","e":2.0,"f":2.5,"g":"","h":null,"i":18446744073709551615})");
  EXPECT_EQ(integer(member(doc, "a")), 3);
  EXPECT_EQ(integer(member(doc, "b")), 4);
  EXPECT_EQ(integer(member(doc, "c")), std::nullopt);
  EXPECT_EQ(integer(member(doc, "d")), std::nullopt);
  EXPECT_EQ(integer(member(doc, "e")), 2);
  EXPECT_EQ(integer(member(doc, "f")), std::nullopt);
  EXPECT_EQ(integer(member(doc, "g")), std::nullopt);
  EXPECT_EQ(integer(member(doc, "h")), std::nullopt);
  EXPECT_EQ(integer(member(doc, "i")), std::nullopt);
  EXPECT_EQ(integer(nullptr), std::nullopt);
}

TEST(Records, ArrayIndexObjectSingleObjectAndNestedArrays) {
  EXPECT_EQ(records(parse(R"([{"a":1},{"a":2}])")).size(), 2u);
  EXPECT_EQ(records(parse(R"({"0":{"a":1},"1":{"a":2},"2":{"a":3}})")).size(), 3u);
  EXPECT_EQ(records(parse(R"({"a":1})")).size(), 1u);
  EXPECT_EQ(records(parse(R"([[{"a":1}],[{"a":2}]])")).size(), 2u);  // one level flattened
  EXPECT_EQ(records(parse(R"([1,"x",null,{"a":1}])")).size(), 1u);   // non-objects left out
  EXPECT_EQ(records(parse(R"([])")).size(), 0u);
  EXPECT_EQ(records(parse(R"("text")")).size(), 0u);
}

TEST(EnvelopeSuccess, AbsentOrSuccessStatus) {
  EXPECT_TRUE(envelope_success(parse(R"({"contacts":{}})")));
  EXPECT_TRUE(envelope_success(parse(R"({"status":"success"})")));
  EXPECT_FALSE(envelope_success(parse(R"({"status":"error"})")));
  EXPECT_FALSE(envelope_success(parse(R"({"status":1})")));
  EXPECT_FALSE(envelope_success(parse(R"([])")));
}

TEST(ErrorReason, FromDebugCodesArrayOrObject) {
  EXPECT_EQ(
      error_reason(parse(
          R"({"http_status":404,"status":"error","debug_codes":[{"code":40401,"reason":"Contact not found"}]})")),
      "Contact not found (code 40401)");
  EXPECT_EQ(error_reason(parse(R"({"debug_codes":{"code":"40001","reason":"Bad phone"}})")),
            "Bad phone (code 40001)");
  EXPECT_EQ(error_reason(parse(R"({"debug_codes":[{"reason":"Only a reason"}]})")), "Only a reason");
  EXPECT_EQ(error_reason(parse(R"({"debug_codes":[{"code":40001}]})")), "code 40001");
  EXPECT_EQ(error_reason(parse(R"({"debug_codes":[{},{"code":1,"reason":"second"}]})")), "second (code 1)");
}

TEST(ErrorReason, FallsBackToMessageOrError) {
  EXPECT_EQ(error_reason(parse(R"({"message":"m"})")), "m");
  EXPECT_EQ(error_reason(parse(R"({"error":"invalid_token","error_description":"d"})")), "d");
  EXPECT_EQ(error_reason(parse(R"({"error":"invalid_token"})")), "invalid_token");
  EXPECT_EQ(error_reason(parse(R"({"status":"error"})")), "");
}

TEST(ExtractMemberId, SingleObjectOrListAndEitherIdKey) {
  std::string id, error;
  EXPECT_TRUE(extract_member_id(
      parse(R"({"members":{"members":{"member_user_id":"1208450","user_id":"9"}}})"), &id, &error));
  EXPECT_EQ(id, "1208450");
  EXPECT_TRUE(extract_member_id(parse(R"({"members":{"members":[{"user_id":77}]}})"), &id, &error));
  EXPECT_EQ(id, "77");
  EXPECT_TRUE(extract_member_id(parse(R"({"members":{"members":[[{"user_id":"5"}]]}})"), &id, &error));
  EXPECT_EQ(id, "5");
  EXPECT_FALSE(extract_member_id(parse(R"({"members":{"members":[{"username":"x"}]}})"), &id, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(extract_member_id(parse(R"({"status":"success"})"), &id, &error));
}

TEST(ExtractFolders, IndexKeyedObjectAsPhoneBurnerSendsIt) {
  std::vector<Folder> folders;
  std::string error;
  ASSERT_TRUE(extract_folders(
      parse(
          R"({"folders":{"0":{"folder_id":"47718","folder_name":"Contacts"},"1":{"folder_id":47719,"folder_name":"Leads"}}})"),
      &folders, &error))
      << error;
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(folders[0].id, "47718");
  EXPECT_EQ(folders[0].name, "Contacts");
  EXPECT_EQ(folders[1].id, "47719");
  EXPECT_EQ(folders[1].name, "Leads");
}

TEST(ExtractFolders, ArraysNestedListsAndEmpty) {
  std::vector<Folder> folders;
  std::string error;
  ASSERT_TRUE(extract_folders(parse(R"({"folders":{"folders":[{"category_id":"3","name":"A"}]}})"), &folders,
                              &error));
  ASSERT_EQ(folders.size(), 1u);
  EXPECT_EQ(folders[0].id, "3");
  EXPECT_EQ(folders[0].name, "A");
  ASSERT_TRUE(extract_folders(parse(R"({"folders":[]})"), &folders, &error));
  EXPECT_TRUE(folders.empty());
  EXPECT_FALSE(extract_folders(parse(R"({"folders":"none"})"), &folders, &error));
  EXPECT_FALSE(extract_folders(parse(R"({"other":{}})"), &folders, &error));
}

TEST(ParseContact, ReadShapeWithNestedPhoneEmailCategoryAndCustomFields) {
  auto doc = parse(R"({
    "contact_user_id":"30919237","user_id":"30919237","lead_id":"lead-1",
    "first_name":"Ann","last_name":"Lee","raw_phone":"(555) 123-4567",
    "category":{"category_id":"47719","name":"Leads"},
    "primary_phone":{"phone":"5551234567","raw_phone":"(555) 123-4567"},
    "primary_email":{"email_address":"ann@example.com"},
    "custom_fields":[{"custom_field_id":"812001","name":"Case ID","type":"1","value":"42"},
                     {"name":"Score","value":7}]})");
  RemoteContact c;
  ASSERT_TRUE(parse_contact(doc, &c));
  EXPECT_EQ(c.id, "30919237");
  EXPECT_EQ(c.lead_id, "lead-1");
  EXPECT_EQ(c.category_id, "47719");
  EXPECT_EQ(c.first_name, "Ann");
  EXPECT_EQ(c.last_name, "Lee");
  EXPECT_EQ(c.phone, "5551234567");
  EXPECT_EQ(c.email, "ann@example.com");
  ASSERT_EQ(c.custom_fields.size(), 2u);
  EXPECT_EQ(c.custom_fields["Case ID"], "42");
  EXPECT_EQ(c.custom_fields["Score"], "7");
}

TEST(ParseContact, WebhookShapeAndFallbacks) {
  RemoteContact c;
  ASSERT_TRUE(parse_contact(parse(R"({"user_id":12,"phone":"5550001111","primary_email":"x@y.z",
                                       "folder_id":"9","custom_fields":{"Case ID":"42","n":3}})"),
                            &c));
  EXPECT_EQ(c.id, "12");
  EXPECT_EQ(c.phone, "5550001111");
  EXPECT_EQ(c.email, "x@y.z");
  EXPECT_EQ(c.category_id, "9");
  EXPECT_EQ(c.custom_fields["Case ID"], "42");
  EXPECT_EQ(c.custom_fields["n"], "3");

  ASSERT_TRUE(parse_contact(parse(R"({"contact_user_id":"1","phones":[{"phone":""},{"phone":"5552223333"}],
                                       "emails":["a@b.c"],"custom_fields":false})"),
                            &c));
  EXPECT_EQ(c.phone, "5552223333");
  EXPECT_EQ(c.email, "a@b.c");
  EXPECT_TRUE(c.custom_fields.empty());
}

TEST(ParseContact, NoIdIsNoContact) {
  RemoteContact c;
  EXPECT_FALSE(parse_contact(parse(R"({"first_name":"Ann"})"), &c));
  EXPECT_FALSE(parse_contact(parse(R"({"contact_user_id":""})"), &c));
}

TEST(ExtractContact, CreateAnswerIsAnObjectReadAnswerAOneElementArray) {
  RemoteContact c;
  std::string error;
  ASSERT_TRUE(extract_contact(
      parse(R"({"status":"success","contacts":{"contacts":{"contact_user_id":"5","user_id":"5"}}})"), &c,
      &error));
  EXPECT_EQ(c.id, "5");
  ASSERT_TRUE(extract_contact(parse(R"({"contacts":{"contacts":[{"user_id":"6"}]}})"), &c, &error));
  EXPECT_EQ(c.id, "6");
  EXPECT_FALSE(extract_contact(parse(R"({"contacts":{"contacts":[]}})"), &c, &error));
  EXPECT_FALSE(extract_contact(parse(R"({"contacts":{"contacts":{"first_name":"x"}}})"), &c, &error));
  EXPECT_FALSE(extract_contact(parse(R"({"members":{}})"), &c, &error));
  EXPECT_FALSE(error.empty());
}

TEST(ExtractContactPage, ListWithStringCounters) {
  std::vector<RemoteContact> contacts;
  PageInfo page;
  std::string error;
  ASSERT_TRUE(
      extract_contact_page(parse(R"({"contacts":{"contacts":[{"contact_user_id":"1"},{"contact_user_id":"2"}],
                "page":"2","page_size":"100","total_results":"102","total_pages":"2"}})"),
                           &contacts, &page, &error))
      << error;
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[1].id, "2");
  EXPECT_EQ(page.page, 2);
  EXPECT_EQ(page.page_size, 100);
  EXPECT_EQ(page.total_results, 102);
  EXPECT_EQ(page.total_pages, 2);
}

TEST(ExtractContactPage, EmptyPageAsArrayOrPhpEmptyObject) {
  std::vector<RemoteContact> contacts{RemoteContact{}};
  PageInfo page;
  std::string error;
  ASSERT_TRUE(extract_contact_page(parse(R"({"contacts":{"contacts":[],"total_pages":0}})"), &contacts, &page,
                                   &error));
  EXPECT_TRUE(contacts.empty());
  EXPECT_EQ(page.total_pages, 0);
  ASSERT_TRUE(extract_contact_page(parse(R"({"contacts":{"contacts":{}}})"), &contacts, &page, &error))
      << error;
  EXPECT_TRUE(contacts.empty()) << "an empty object is an empty page, not one contact";
}

TEST(ExtractContactPage, BadShapesAreErrors) {
  std::vector<RemoteContact> contacts;
  PageInfo page;
  std::string error;
  EXPECT_FALSE(extract_contact_page(parse(R"({"contacts":{"contacts":"x"}})"), &contacts, &page, &error));
  EXPECT_FALSE(extract_contact_page(parse(R"({"contacts":{"contacts":[{"first_name":"no id"}]}})"), &contacts,
                                    &page, &error));
  EXPECT_FALSE(extract_contact_page(parse(R"({"contacts":{"total":1}})"), &contacts, &page, &error));
  EXPECT_FALSE(extract_contact_page(parse(R"({"nothing":1})"), &contacts, &page, &error));
}

TEST(ExtractDialSession, PluralSingularAndNested) {
  DialSession s;
  std::string error;
  ASSERT_TRUE(extract_dial_session(
      parse(R"({"dialsessions":{"redirect_url":"https://pb/x","id":"5530001","skipped_contact_count":"3"}})"),
      &s, &error))
      << error;
  EXPECT_EQ(s.redirect_url, "https://pb/x");
  EXPECT_EQ(s.id, "5530001");
  EXPECT_EQ(s.skipped_contact_count, 3);
  ASSERT_TRUE(extract_dial_session(parse(R"({"dialsession":{"redirect_url":"https://pb/y"}})"), &s, &error));
  EXPECT_EQ(s.redirect_url, "https://pb/y");
  EXPECT_EQ(s.id, "");
  EXPECT_EQ(s.skipped_contact_count, 0);
  ASSERT_TRUE(extract_dial_session(
      parse(R"({"dialsessions":{"dialsessions":[{"redirect_url":"https://pb/z","dialsession_id":9}]}})"), &s,
      &error));
  EXPECT_EQ(s.redirect_url, "https://pb/z");
  EXPECT_EQ(s.id, "9");
}

TEST(ExtractDialSession, NoOrEmptyRedirectUrlIsAnErrorThatDoesNotEchoValues) {
  DialSession s;
  std::string error;
  EXPECT_FALSE(extract_dial_session(parse(R"({"dialsessions":{"id":"1"}})"), &s, &error));
  EXPECT_FALSE(extract_dial_session(parse(R"({"dialsessions":{"redirect_url":""}})"), &s, &error));
  EXPECT_FALSE(extract_dial_session(parse(R"({"other":{}})"), &s, &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(extract_dial_session(parse(R"({"dialsessions":{"redirect_url":["https://secret-link"]}})"), &s,
                                    &error));
  EXPECT_EQ(error.find("secret-link"), std::string::npos) << error;
}

TEST(ExtractDialSession, NegativeSkippedCountIsZero) {
  DialSession s;
  std::string error;
  ASSERT_TRUE(extract_dial_session(
      parse(R"({"dialsessions":{"redirect_url":"u","skipped_contact_count":-4}})"), &s, &error));
  EXPECT_EQ(s.skipped_contact_count, 0);
}

}  // namespace
}  // namespace pgdialer::sync::pb_json
