// PhoneBurner's answers through the shared parser (common/json_parse) and
// every extractor of phoneburner/json, as the client runs them on a response
// body. None may crash or touch a value of the wrong type (UBSan, ASan).
#include "common/json_parse.hpp"
#include "phoneburner/json.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pgdialer::sync;
  rapidjson::Document doc;
  const auto result = json::parse(std::string_view(reinterpret_cast<const char*>(data), size), &doc);
  if (!result.ok()) {
    (void)result.problem();
    return 0;
  }
  std::string error;
  (void)pb_json::envelope_success(doc);
  (void)pb_json::error_reason(doc);
  (void)pb_json::scalar_text(doc);
  (void)pb_json::records(doc);
  std::string id;
  (void)pb_json::extract_member_id(doc, &id, &error);
  std::vector<Folder> folders;
  (void)pb_json::extract_folders(doc, &folders, &error);
  Folder folder;
  (void)pb_json::extract_created_folder(doc, &folder, &error);
  RemoteContact contact;
  (void)pb_json::extract_contact(doc, &contact, &error);
  std::vector<RemoteContact> contacts;
  pb_json::PageInfo page;
  (void)pb_json::extract_contact_page(doc, &contacts, &page, &error);
  DialSession session;
  (void)pb_json::extract_dial_session(doc, &session, &error);
  for (const rapidjson::Value* record : pb_json::records(doc)) {
    RemoteContact one;
    (void)pb_json::parse_contact(*record, &one);
  }
  return 0;
}
