// Tolerant reading of PhoneBurner's JSON.
//
// The API's shapes vary between routes, doc versions and accounts (see
// docs/phoneburner.md): numbers arrive as strings or numbers, a collection may
// be an array, a single object, an object keyed "0","1",... or an array of
// arrays; ids are contact_user_id or user_id; the dial-session resource is
// dialsessions or dialsession. Every accessor here checks the type before
// touching a value: RapidJSON does not throw, and a wrong-type access is
// undefined behaviour in release builds.
#pragma once

#include "phoneburner/client.hpp"

#include <rapidjson/document.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace pgdialer::sync::pb_json {

// obj[key] when obj is an object that has it, else nullptr.
const rapidjson::Value* member(const rapidjson::Value& obj, const char* key);

// Strings as they are, integers in decimal, other numbers shortest-form,
// booleans "1"/"0"; null, arrays and objects -> nullopt.
std::optional<std::string> scalar_text(const rapidjson::Value& v);

// The first of `keys` whose value has non-empty scalar text, else "".
std::string first_text(const rapidjson::Value& obj, std::initializer_list<const char*> keys);

// 3 or "3" -> 3; anything else -> nullopt.
std::optional<long long> integer(const rapidjson::Value* v);

// The records of a collection: an array's elements (arrays inside it are
// flattened one level), an index-keyed object's values, or a single object
// itself. Non-object records are left out.
std::vector<const rapidjson::Value*> records(const rapidjson::Value& v);

// The envelope's "status" is absent or "success".
bool envelope_success(const rapidjson::Value& doc);

// "Contact not found (code 40401)" from debug_codes[0] (an array or a single
// object), else a top-level message/error string, else "".
std::string error_reason(const rapidjson::Value& doc);

// The resource under the first of `names` present, else nullptr.
const rapidjson::Value* resource(const rapidjson::Value& doc, std::initializer_list<const char*> names);

// Each extractor reads a full success response. On a shape it cannot use it
// returns false and says why in `error` (never echoing values: a response
// may hold a one-time login link).
bool extract_member_id(const rapidjson::Value& doc, std::string* id, std::string* error);
bool extract_folders(const rapidjson::Value& doc, std::vector<Folder>* folders, std::string* error);
bool extract_created_folder(const rapidjson::Value& doc, Folder* folder, std::string* error);
// The first contact of contacts.contacts (object or one-element array).
bool extract_contact(const rapidjson::Value& doc, RemoteContact* contact, std::string* error);

struct PageInfo {
  std::optional<long long> page, page_size, total_pages, total_results;
};
bool extract_contact_page(const rapidjson::Value& doc, std::vector<RemoteContact>* contacts, PageInfo* page,
                          std::string* error);
bool extract_dial_session(const rapidjson::Value& doc, DialSession* session, std::string* error);

// One contact record (read shape); false when it has no id.
bool parse_contact(const rapidjson::Value& record, RemoteContact* contact);

}  // namespace pgdialer::sync::pb_json
