// credentials/refresh_token_store: the newest refresh token survives a
// restart, privately (0700 directory, 0600 file), and a new refresh token in
// the credential file wins over the saved one (the origin hash).
#include "credentials/refresh_token_store.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "webhook/test_support.hpp"  // TempDir, read_file

namespace pgdialer::sync::testing {
namespace {

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(Sha256Hex, MatchesTheKnownDigest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RefreshTokenStore, SavesPrivatelyAndLoadsForTheSameOrigin) {
  TempDir temp;
  const std::string journal = temp.file("journal");  // not there yet: made on the first save
  RefreshTokenStore store(journal + "/oauth");
  EXPECT_FALSE(store.load("alice", "rt-file").has_value());
  store.save("alice", "rt-file", "rt-2");
  EXPECT_EQ(mode_of(journal + "/oauth"), 0700u);
  EXPECT_EQ(mode_of(journal + "/oauth/alice"), 0600u);
  EXPECT_FALSE(std::filesystem::exists(journal + "/oauth/alice.tmp"));
  EXPECT_EQ(store.load("alice", "rt-file"), "rt-2");
  const std::string text = read_file(journal + "/oauth/alice");
  EXPECT_NE(text.find("origin_sha256=" + sha256_hex("rt-file")), std::string::npos) << text;
  EXPECT_EQ(text.find("rt-file"), std::string::npos) << "the origin is kept as a hash only";

  store.save("alice", "rt-file", "rt-3");  // replaced, not appended
  EXPECT_EQ(store.load("alice", "rt-file"), "rt-3");
  EXPECT_FALSE(store.load("bob", "rt-file").has_value());
}

TEST(RefreshTokenStore, ANewTokenInTheCredentialFileWins) {
  TempDir temp;
  RefreshTokenStore store(temp.file("oauth"));
  store.save("alice", "rt-file", "rt-2");
  EXPECT_FALSE(store.load("alice", "rt-reauthorized").has_value());
}

TEST(RefreshTokenStore, AWideOAuthDirectoryIsMadePrivate) {
  TempDir temp;
  std::filesystem::create_directory(temp.file("oauth"));
  ::chmod(temp.file("oauth").c_str(), 0755);
  RefreshTokenStore(temp.file("oauth")).save("alice", "o", "n");
  EXPECT_EQ(mode_of(temp.file("oauth")), 0700u);
}

TEST(RefreshTokenStore, AFailureNamesThePathNotTheToken) {
  TempDir temp;
  std::ofstream(temp.file("file")) << "x";
  RefreshTokenStore store(temp.file("file") + "/oauth");  // a file where a directory should be
  try {
    store.save("alice", "rt-origin", "rt-secret-new");
    FAIL() << "saved under a file";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(temp.file("file")), std::string::npos) << what;
    EXPECT_EQ(what.find("rt-secret-new"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace pgdialer::sync::testing
