// credentials/secret_file: what makes a file fit to hold a secret.
#include "credentials/secret_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "webhook/test_support.hpp"  // TempDir

namespace pgdialer::sync::testing {
namespace {

std::string problem_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return secret_file_problem(path, st);
}

TEST(SecretFile, OnlyTheOwnerMayReadOrWriteIt) {
  TempDir dir;
  const std::string path = dir.file("secret");
  std::ofstream(path) << "s";
  for (mode_t mode : {0600, 0400, 0200, 0700, 0000}) {
    ::chmod(path.c_str(), mode);
    EXPECT_EQ(problem_of(path), "") << std::oct << mode;
  }
  for (mode_t mode : {0644, 0640, 0604, 0610, 0601, 0602, 0620, 0666}) {
    ::chmod(path.c_str(), mode);
    const std::string problem = problem_of(path);
    EXPECT_EQ(problem.rfind(path + " has mode 0", 0), 0u) << problem;
    EXPECT_NE(problem.find("chmod 600"), std::string::npos) << problem;
  }
}

TEST(SecretFile, ItMustBeARegularFileOfTheDaemonsUser) {
  TempDir dir;
  EXPECT_EQ(problem_of(dir.path()), dir.path() + " is not a regular file");
  const std::string path = dir.file("secret");
  std::ofstream(path) << "s";
  ::chmod(path.c_str(), 0600);
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file away";
  ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
  const std::string problem = problem_of(path);
  EXPECT_EQ(problem.rfind(path + " is owned by uid 65534, not by the user the daemon runs as (uid 0)", 0), 0u)
      << problem;
}

TEST(SecretFile, SystemdsCredentialsAreRecognisedByDirectory) {
  EXPECT_TRUE(
      is_systemd_credential("/run/credentials/x.service/webhook-secret", "/run/credentials/x.service"));
  EXPECT_TRUE(is_systemd_credential("/run/credentials/x.service/a", "/run/credentials/x.service/"));
  EXPECT_FALSE(is_systemd_credential("/run/credentials/x.serviceevil/a", "/run/credentials/x.service"));
  EXPECT_FALSE(is_systemd_credential("/etc/pgdialer/webhook-secret", ""));
}

}  // namespace
}  // namespace pgdialer::sync::testing
