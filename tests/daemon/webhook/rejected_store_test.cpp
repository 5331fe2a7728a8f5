// rejected_store and held_file: refused events as JSON lines, poison events
// set aside where --replay-held finds them, rotation, and the one cap over
// all of it.
#include "webhook/rejected_store.hpp"

#include "webhook/held_file.hpp"
#include "webhook/test_support.hpp"

namespace pgdialer::sync::testing {
namespace {

std::vector<std::string> rotated_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("webhook-rejected-", 0) == 0) names.push_back(name);
  }
  return names;
}

TEST(RejectedStore, RejectKeepsTheEventAndTheReasonAsOneJsonLine) {
  TempDir dir;
  RejectedStore store(dir.path(), 0);
  store.reject(R"({"event":"api_calldone","call_id":"9"})", "22023: not a call event");
  store.reject(R"({"event":"api_calldone","call_id":"10"})", "22023: \"quoted\"");
  const auto lines = lines_of(read_file(store.rejected_path()));
  ASSERT_EQ(lines.size(), 2u);
  auto doc = json(lines[0]);
  EXPECT_STREQ(doc["error"].GetString(), "22023: not a call event");
  EXPECT_STREQ(doc["event"]["call_id"].GetString(), "9");
  EXPECT_TRUE(doc["rejected_at"].IsString());
  EXPECT_FALSE(doc.HasMember("set_aside"));
  EXPECT_STREQ(json(lines[1])["error"].GetString(), "22023: \"quoted\"");
  EXPECT_EQ(held_bytes(dir.path()), 0u);  // refused as data: nothing to replay
}

TEST(RejectedStore, SetAsideKeepsTheEventForReplayAndSaysSoInTheRejectedFile) {
  TempDir dir;
  RejectedStore store(dir.path(), 0);
  store.set_aside(R"({"call_id":"7"})", "54001: stack depth limit exceeded", 5);
  const auto lines = lines_of(read_file(store.rejected_path()));
  ASSERT_EQ(lines.size(), 1u);
  auto doc = json(lines[0]);
  EXPECT_TRUE(doc["set_aside"].GetBool());
  EXPECT_EQ(doc["attempts"].GetInt(), 5);
  std::vector<std::string> held;
  EXPECT_EQ(drain_held(dir.path(),
                       [&](const std::string& p) {
                         held.push_back(p);
                         return true;
                       }),
            1u);
  EXPECT_EQ(held, (std::vector<std::string>{R"({"call_id":"7"})"}));
  EXPECT_EQ(held_bytes(dir.path()), 0u);  // replayed: the held file is empty
}

TEST(RejectedStore, TheRejectedFileRotatesAndNothingIsDeleted) {
  TempDir dir;
  RejectedStore store(dir.path(), 64 * 1024);  // rotates at 8 KiB
  const std::string big = "{\"call_id\":\"" + std::string(3000, 'x') + "\"}";
  for (int i = 0; i < 10; ++i) store.reject(big, "22023: bad");
  const auto rotated = rotated_files(dir.path());
  EXPECT_GE(rotated.size(), 2u);
  std::size_t lines = lines_of(read_file(store.rejected_path())).size();
  for (const auto& name : rotated) {
    EXPECT_EQ(name.substr(name.size() - 6), ".jsonl");
    lines += lines_of(read_file(dir.file(name))).size();
  }
  EXPECT_EQ(lines, 10u);
}

TEST(RejectedStore, PastTheCapNothingIsWrittenUntilFilesAreRemoved) {
  TempDir dir;
  RejectedStore store(dir.path(), 8 * 1024);  // rotates at 1 KiB
  const std::string event = "{\"call_id\":\"" + std::string(900, 'x') + "\"}";
  int kept = 0;
  try {
    for (; kept < 100; ++kept) store.reject(event, "22023: bad");
  } catch (const JournalFull& e) {
    EXPECT_NE(std::string(e.what()).find("PGDIALER_REJECTED_MAX_BYTES"), std::string::npos);
  }
  EXPECT_GT(kept, 4);
  EXPECT_LT(kept, 9);
  EXPECT_LE(store.bytes(), 8u * 1024);
  EXPECT_THROW(store.set_aside(event, "54001: x", 5), JournalFull);
  EXPECT_EQ(held_bytes(dir.path()), 0u);  // the held copy is not written either
  // An administrator reviews and removes the rotated files: room again.
  for (const auto& name : rotated_files(dir.path())) std::filesystem::remove(dir.file(name));
  store.set_aside(event, "54001: x", 5);
  EXPECT_GT(held_bytes(dir.path()), 0u);
}

TEST(HeldFile, DrainKeepsWhatStillFailsInOrderAndTakesNewAppends) {
  TempDir dir;
  for (const char* p : {R"({"n":1})", R"({"n":2})", R"({"n":3})", R"({"n":4})"}) append_held(dir.path(), p);
  const std::size_t left =
      drain_held(dir.path(), [](const std::string& p) { return p == R"({"n":1})" || p == R"({"n":3})"; });
  EXPECT_EQ(left, 2u);
  append_held(dir.path(), R"({"n":5})");
  std::vector<std::string> still;
  drain_held(dir.path(), [&](const std::string& p) {
    still.push_back(p);
    return false;
  });
  EXPECT_EQ(still, (std::vector<std::string>{R"({"n":2})", R"({"n":4})", R"({"n":5})"}));
  EXPECT_EQ(drain_held(dir.path(), [](const std::string&) { return true; }), 3u);
  EXPECT_EQ(drain_held(dir.path(), [](const std::string&) { return true; }), 0u);
}

TEST(HeldFile, ADamagedTailIsKeptUntouched) {
  TempDir dir;
  append_held(dir.path(), R"({"n":1})");
  {
    std::ofstream out(held_path(dir.path()), std::ios::binary | std::ios::app);
    out << "garbage\nmore";
  }
  EXPECT_EQ(drain_held(dir.path(), [](const std::string&) { return true; }), 1u);
  EXPECT_EQ(read_file(held_path(dir.path())), "garbage\nmore");
}

}  // namespace
}  // namespace pgdialer::sync::testing
