// event_journal: durable appends, ordered replay, torn tails after a crash,
// truncation once drained, and the rejected file.
#include "webhook/event_journal.hpp"

#include "webhook/test_support.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace pgdialer::sync::testing {
namespace {

using Step = EventJournal::Step;

std::vector<std::string> replay_all(EventJournal& j) {
  std::vector<std::string> seen;
  j.replay([&](const std::string& p) {
    seen.push_back(p);
    return Step::consumed;
  });
  return seen;
}

void append_raw(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
}

TEST(EventJournal, AStartsEmptyAndCreatesItsFile) {
  TempDir dir;
  EventJournal j(dir.path());
  EXPECT_EQ(j.depth(), 0u);
  EXPECT_TRUE(j.empty());
  EXPECT_TRUE(std::filesystem::exists(j.path()));
}

TEST(EventJournal, CreatesAMissingDirectory) {
  TempDir dir;
  EventJournal j(dir.file("state"));
  j.append(R"({"n":1})");
  EXPECT_EQ(j.depth(), 1u);
}

TEST(EventJournal, ReplaysInAppendOrderAndTruncatesOnceDrained) {
  TempDir dir;
  EventJournal j(dir.path());
  j.append(R"({"n":1})");
  j.append(R"({"n":2})");
  j.append(R"({"n":3})");
  EXPECT_EQ(j.depth(), 3u);
  EXPECT_EQ(replay_all(j), (std::vector<std::string>{R"({"n":1})", R"({"n":2})", R"({"n":3})"}));
  EXPECT_EQ(j.depth(), 0u);
  EXPECT_EQ(std::filesystem::file_size(j.path()), 0u);
  // Appends after the truncation start a fresh file and replay alone.
  j.append(R"({"n":4})");
  EXPECT_EQ(replay_all(j), (std::vector<std::string>{R"({"n":4})"}));
}

TEST(EventJournal, AStoppedReplayResumesAtTheSameRecord) {
  TempDir dir;
  EventJournal j(dir.path());
  for (int i = 1; i <= 4; ++i) j.append("{\"n\":" + std::to_string(i) + "}");
  std::vector<std::string> first;
  const size_t consumed = j.replay([&](const std::string& p) {
    if (first.size() == 2) return Step::stop;
    first.push_back(p);
    return Step::consumed;
  });
  EXPECT_EQ(consumed, 2u);
  EXPECT_EQ(j.depth(), 2u);
  EXPECT_GT(std::filesystem::file_size(j.path()), 0u);  // not truncated while records remain
  EXPECT_EQ(replay_all(j), (std::vector<std::string>{R"({"n":3})", R"({"n":4})"}));
}

TEST(EventJournal, RecordsAppendedDuringAReplayAreReplayedToo) {
  TempDir dir;
  EventJournal j(dir.path());
  j.append(R"({"n":1})");
  std::vector<std::string> seen;
  j.replay([&](const std::string& p) {
    seen.push_back(p);
    if (seen.size() == 1) j.append(R"({"n":2})");  // arrives while replaying
    return Step::consumed;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_EQ(j.depth(), 0u);
}

TEST(EventJournal, SurvivesARestart) {
  TempDir dir;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    j.append(R"({"n":2})");
  }
  EventJournal reopened(dir.path());
  EXPECT_EQ(reopened.depth(), 2u);
  EXPECT_EQ(replay_all(reopened), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
}

TEST(EventJournal, ARecordReplayedButNotTruncatedBeforeACrashIsReplayedAgain) {
  TempDir dir;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    j.append(R"({"n":2})");
    j.replay([](const std::string& p) { return p == R"({"n":1})" ? Step::consumed : Step::stop; });
  }  // "crash": record 1 was handed to the database, the file still holds it
  EventJournal reopened(dir.path());
  EXPECT_EQ(replay_all(reopened), (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
}

TEST(EventJournal, DropsATornLastRecordAndKeepsAppending) {
  TempDir dir;
  std::string path;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    path = j.path();
  }
  append_raw(path, "1234abcd {\"n\":2");  // a crash mid-append: no newline
  EventJournal reopened(dir.path());
  EXPECT_EQ(reopened.depth(), 1u);
  reopened.append(R"({"n":3})");
  EXPECT_EQ(replay_all(reopened), (std::vector<std::string>{R"({"n":1})", R"({"n":3})"}));
  EXPECT_FALSE(std::filesystem::exists(path + ".damaged")) << "a torn tail is not kept aside";
}

TEST(EventJournal, DropsATornRecordWhoseChecksumDoesNotMatch) {
  TempDir dir;
  std::string path;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    path = j.path();
  }
  append_raw(path, "00000000 {\"n\":2}\n");  // complete line, wrong checksum
  EventJournal reopened(dir.path());
  EXPECT_EQ(replay_all(reopened), (std::vector<std::string>{R"({"n":1})"}));
}

TEST(EventJournal, DropsZerosLeftByACrashAfterTheSizeGrew) {
  TempDir dir;
  std::string path;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    path = j.path();
  }
  append_raw(path, std::string(64, '\0'));
  EventJournal reopened(dir.path());
  EXPECT_EQ(reopened.depth(), 1u);
}

TEST(EventJournal, KeepsADamagedRegionLongerThanOneLineAside) {
  TempDir dir;
  std::string path;
  {
    EventJournal j(dir.path());
    j.append(R"({"n":1})");
    path = j.path();
  }
  std::string second;
  {
    TempDir other;
    EventJournal k(other.path());
    k.append(R"({"n":3})");
    second = read_file(k.path());
  }
  append_raw(path, "garbage line\n" + second);  // a valid record after damage
  EventJournal reopened(dir.path());
  EXPECT_EQ(reopened.depth(), 1u);
  bool kept = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind("webhook-journal.damaged-", 0) == 0) {
      kept = true;
      EXPECT_EQ(read_file(entry.path().string()), "garbage line\n" + second);
    }
  }
  EXPECT_TRUE(kept);
}

TEST(EventJournal, RefusesAPayloadWithANewline) {
  TempDir dir;
  EventJournal j(dir.path());
  EXPECT_THROW(j.append("{\"a\":\n1}"), JournalError);
  EXPECT_EQ(j.depth(), 0u);
}

TEST(EventJournal, OnlyOneDaemonMayUseAJournal) {
  TempDir dir;
  EventJournal first(dir.path());
  EXPECT_THROW(EventJournal second(dir.path()), JournalError);
}

TEST(EventJournal, ReplaysRecordsLargerThanOneReadChunk) {
  TempDir dir;
  EventJournal j(dir.path());
  const std::string big = "{\"x\":\"" + std::string(3 << 20, 'a') + "\"}";
  j.append(R"({"n":1})");
  j.append(big);
  j.append(R"({"n":2})");
  const auto seen = replay_all(j);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1], big);
  EXPECT_EQ(seen[2], R"({"n":2})");
}

TEST(EventJournal, RecoveryStreamsAJournalOfManyChunks) {
  TempDir dir;
  const std::string filler(1000, 'f');
  // About 3 MiB, written as a crash would leave it (without 3,000 fsyncs):
  // several of the reader's 1 MiB chunks, records cut by their edges, and a
  // torn tail.
  std::string bytes;
  const std::size_t records = 3000;
  for (std::size_t n = 0; n < records; ++n)
    bytes += encode_record("{\"n\":" + std::to_string(n) + ",\"f\":\"" + filler + "\"}");
  append_raw(dir.file("webhook-journal"), bytes + "0000");
  EventJournal reopened(dir.path());
  EXPECT_EQ(reopened.depth(), records);
  const auto seen = replay_all(reopened);
  ASSERT_EQ(seen.size(), records);
  EXPECT_EQ(seen.back(), "{\"n\":2999,\"f\":\"" + filler + "\"}");
}

TEST(EventJournal, FollowingListsTheRecordsBehindTheOldest) {
  TempDir dir;
  EventJournal j(dir.path());
  EXPECT_TRUE(j.following(3).empty());
  j.append(R"({"n":1})");
  EXPECT_TRUE(j.following(3).empty());
  j.append(R"({"n":2})");
  j.append(R"({"n":3})");
  j.append(R"({"n":4})");
  EXPECT_EQ(j.following(2), (std::vector<std::string>{R"({"n":2})", R"({"n":3})"}));
  // From inside a replay: behind the record being handled.
  std::vector<std::string> behind;
  j.replay([&](const std::string& p) {
    if (p == R"({"n":2})") {
      behind = j.following(5);
      return Step::stop;
    }
    return Step::consumed;
  });
  EXPECT_EQ(behind, (std::vector<std::string>{R"({"n":3})", R"({"n":4})"}));
}

TEST(EventJournal, AnAppendPastTheCapIsRefusedAndNothingIsWritten) {
  TempDir dir;
  EventJournal j(dir.path(), 40);
  j.append(R"({"n":1})");  // 17 bytes with its CRC and newline
  j.append(R"({"n":2})");
  EXPECT_THROW(j.append(R"({"n":3})"), JournalFull);
  EXPECT_EQ(j.depth(), 2u);
  EXPECT_EQ(j.bytes(), 34u);
  EXPECT_EQ(std::filesystem::file_size(j.path()), 34u);
  // Drained and truncated, it takes events again.
  replay_all(j);
  j.append(R"({"n":3})");
  EXPECT_EQ(j.depth(), 1u);
}

}  // namespace
}  // namespace pgdialer::sync::testing
