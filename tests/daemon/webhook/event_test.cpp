// The webhook normalizer (webhook/event.hpp): every pair of the shared
// contract, tests/contract/webhook-events/*.json, becomes exactly its
// normalized event, or is refused with its reason (tests/contract/README.md).
// sql/call_events.sql records the same events. The few cases a JSON file
// cannot hold stay here.
#include "webhook/event.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "webhook/handler.hpp"
#include "webhook/test_support.hpp"

namespace pgdialer::sync::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> contract_pairs() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(PGDIALER_CONTRACT_DIR) / "webhook-events";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string text(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* v = member(object, name);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

// The route of the pair's "url" as the receiver reads it: the account-level
// hook, or a dial-session callback with its session id and ?event=.
bool origin_of(const rapidjson::Value& pair, EventOrigin& origin) {
  const std::string url = text(pair, "url");
  const std::string path = url.substr(0, url.find('?'));
  const std::string query = url.size() > path.size() ? url.substr(path.size() + 1) : std::string();
  const std::string session_prefix = "/phoneburner/session/";
  if (path == "/phoneburner/account") {
    origin.session_id.reset();
  } else if (path.rfind(session_prefix, 0) == 0) {
    origin.session_id = parse_session_id(path.substr(session_prefix.size()));
    if (!origin.session_id) return false;
  } else {
    return false;
  }
  for (size_t start = 0; start <= query.size();) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string param = query.substr(start, end - start);
    if (param.rfind("event=", 0) == 0) origin.event = param.substr(6);
    start = end + 1;
  }
  origin.received_at = text(pair, "received_at");
  origin.time_zone = text(pair, "time_zone");
  return true;
}

// Each key whose value differs, both ways, for a readable failure.
std::string differences(const rapidjson::Value& expected, const rapidjson::Value& actual) {
  std::string out;
  for (const auto& m : expected.GetObject()) {
    const rapidjson::Value* got = member(actual, m.name.GetString());
    if (!got)
      out += "\n  " + std::string(m.name.GetString()) + ": missing, expected " + compact(m.value);
    else if (*got != m.value)
      out +=
          "\n  " + std::string(m.name.GetString()) + ": " + compact(*got) + ", expected " + compact(m.value);
  }
  for (const auto& m : actual.GetObject())
    if (!member(expected, m.name.GetString()))
      out += "\n  " + std::string(m.name.GetString()) + ": not expected, got " + compact(m.value);
  return out;
}

void check_pair(const fs::path& file) {
  rapidjson::Document pair = json(read_file(file.string()));
  ASSERT_TRUE(pair.IsObject());
  EventOrigin origin;
  ASSERT_TRUE(origin_of(pair, origin)) << "url is neither the account hook nor a session callback";

  const rapidjson::Value* body = member(pair, "body");
  const rapidjson::Value* body_text = member(pair, "body_text");
  ASSERT_TRUE((body != nullptr) != (body_text != nullptr)) << "needs one of body and body_text";
  ASSERT_TRUE(!body_text || body_text->IsString());
  const std::string posted = body ? compact(*body) : text(pair, "body_text");
  const NormalizedEvent normalized = normalize_event(posted, origin);

  const rapidjson::Value* refused = member(pair, "refused");
  const rapidjson::Value* event = member(pair, "event");
  ASSERT_TRUE((refused != nullptr) != (event != nullptr)) << "needs one of event and refused";
  if (refused) {
    EXPECT_FALSE(normalized.ok) << "accepted as " << normalized.json;
    EXPECT_EQ(normalized.error, text(pair, "refused"));
    return;
  }
  ASSERT_TRUE(normalized.ok) << normalized.error;
  ASSERT_TRUE(event->IsObject());
  ASSERT_FALSE(event->HasMember("raw")) << "raw is always the body: the pair leaves it out";
  EXPECT_EQ(normalized.json.find('\n'), std::string::npos) << "one line, for the journal";

  // The pair's event, with the body as received under "raw".
  rapidjson::Document expected;
  expected.CopyFrom(*event, expected.GetAllocator());
  rapidjson::Document raw = json(posted);
  expected.AddMember("raw", rapidjson::Value(raw, expected.GetAllocator()), expected.GetAllocator());
  rapidjson::Document actual = json(normalized.json);
  EXPECT_TRUE(actual == expected) << differences(expected, actual);
  EXPECT_EQ(normalized.event, text(*event, "event"));
}

TEST(NormalizeEvent, EveryContractPair) {
  const std::vector<fs::path> files = contract_pairs();
  ASSERT_GE(files.size(), 30u) << "the pairs in " << PGDIALER_CONTRACT_DIR "/webhook-events";
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    check_pair(file);
  }
}

// Not expressible as a pair: a JSON file cannot hold bytes that are not UTF-8.
TEST(NormalizeEvent, RefusesInvalidUtf8) {
  EventOrigin origin;
  origin.received_at = "2026-11-24T15:04:05.123456Z";
  const NormalizedEvent e = normalize_event("{\"status\":\"\xff\xfe\"}", origin);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.error, "body is not valid JSON");
}

// Issue 11: the recursive parse of a deep body overflowed the stack.
TEST(NormalizeEvent, RefusesABodyNestedTooDeepWithoutCrashing) {
  EventOrigin origin;
  origin.received_at = "2026-11-24T15:04:05.123456Z";
  NormalizedEvent e = normalize_event(std::string(180 * 1024, '['), origin);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.error, "body is nested deeper than 64 levels");
  std::string deep = R"({"call_id":"1","contact":)";
  for (int i = 0; i < 100000; ++i) deep += R"({"x":)";
  e = normalize_event(deep + "1" + std::string(100000, '}') + "}", origin);
  EXPECT_FALSE(e.ok);
  EXPECT_EQ(e.error, "body is nested deeper than 64 levels");
  // 64 levels in all are still a body (raw keeps them).
  std::string fits = R"({"call_id":"1","extra":)" + std::string(62, '[') + "0" + std::string(62, ']') + "}";
  e = normalize_event(fits, origin);
  EXPECT_TRUE(e.ok) << e.error;
}

// custom_data sent as a string is parsed too: deep or NUL-holding, it is
// left out (null), not a crash and not a refusal of the call outcome.
TEST(NormalizeEvent, ACustomDataStringNestedTooDeepIsLeftOut) {
  EventOrigin origin;
  origin.received_at = "2026-11-24T15:04:05.123456Z";
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  const std::string inner = std::string(100000, '[');
  w.StartObject();
  w.Key("call_id");
  w.String("7");
  w.Key("custom_data");
  w.String(inner.c_str(), static_cast<rapidjson::SizeType>(inner.size()));
  w.EndObject();
  NormalizedEvent e = normalize_event(buffer.GetString(), origin);
  ASSERT_TRUE(e.ok) << e.error;
  rapidjson::Document event = json(e.json);
  EXPECT_TRUE(event["custom_data"].IsNull());
  EXPECT_STREQ(event["call_id"].GetString(), "7");

  e = normalize_event(R"({"call_id":"8","custom_data":"{\"a\":\"x\\u0000\"}"})", origin);
  ASSERT_TRUE(e.ok) << e.error;
  EXPECT_TRUE(json(e.json)["custom_data"].IsNull());
  e = normalize_event(R"({"call_id":"9","custom_data":"{\"a\":1}"})", origin);
  ASSERT_TRUE(e.ok) << e.error;
  EXPECT_EQ(json(e.json)["custom_data"]["a"].GetInt(), 1);
}

TEST(FormatReceivedAt, IsUtcWithMicroseconds) {
  using namespace std::chrono;
  const system_clock::time_point t{microseconds(1795532645123456LL)};  // 2026-11-24T15:04:05.123456Z
  EXPECT_EQ(format_received_at(t), "2026-11-24T15:04:05.123456Z");
  EXPECT_EQ(format_received_at(system_clock::time_point{}), "1970-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace pgdialer::sync::testing
