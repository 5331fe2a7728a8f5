// The words the daemon and the extension exchange about jobs
// (common/job_statuses.hpp) against the installed extension: every list is
// exactly the set its CHECK constraint allows, and the daemon API answers
// with the daemon's words. A status added, renamed or dropped on one side
// alone fails here.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/job_statuses.hpp"
#include "harness.hpp"

using namespace pgdialer::testing;
namespace pgd = ::pgdialer::sync;

namespace {

template <std::size_t N>
std::set<std::string> words(const char* const (&list)[N]) {
  return std::set<std::string>(std::begin(list), std::end(list));
}

class VocabularyTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = std::make_unique<TestDatabase>("pgdialer_it_vocabulary"); }

  // The values the CHECK constraint on dialer.<table>.<column> allows
  // ("column IN (...)", which PostgreSQL keeps as "= ANY (ARRAY[...])").
  std::set<std::string> allowed(const std::string& table, const std::string& column) {
    auto r = db_->sql().exec(
        "SELECT (regexp_matches(def, '''([^'']*)''::text', 'g'))[1] "
        "FROM (SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c "
        "      WHERE c.conrelid = ('dialer.' || $1)::regclass AND c.contype = 'c') d "
        "WHERE def ~ ('\\(' || $2 || ' = ANY \\(ARRAY\\[')",
        {table, column});
    std::set<std::string> values;
    for (int i = 0; i < r.rows(); ++i) values.insert(r.text(i, 0));
    return values;
  }

  std::unique_ptr<TestDatabase> db_;
};

}  // namespace

TEST_F(VocabularyTest, TheDaemonsStatusesAreExactlyTheExtensionsChecks) {
  const std::set<std::string> jobs = allowed("push_jobs", "status");
  ASSERT_FALSE(jobs.empty()) << "no CHECK on dialer.push_jobs.status found";
  EXPECT_EQ(words(pgd::job_status::all), jobs);
  EXPECT_EQ(jobs.count(pgd::job_status::retrying), 0u) << "'retrying' must not be a status a job can be in";
  EXPECT_EQ(words(pgd::job_kind::all), allowed("push_jobs", "kind"));
  EXPECT_EQ(words(pgd::item_status::all), allowed("push_items", "status"));
  EXPECT_EQ(words(pgd::batch_status::all), allowed("dial_sessions", "status"));
}

TEST_F(VocabularyTest, TheDaemonAPIAnswersInTheDaemonsWords) {
  db_->add_contacts(1, 1);
  // As in production: a rep pushes and cancels, the daemon's login works the job.
  auto& rep = db_->rep();
  pgd::PgConnection sql(db_->sync_url(), "pgdialer-tests/sync");
  const std::string job = rep.exec("SELECT dialer.push(array_agg(c), 'Words') FROM contacts c").text(0, 0);
  auto claimed = sql.exec("SELECT id, kind, status FROM dialer.claim_push_job('worker-1')");
  ASSERT_EQ(claimed.rows(), 1);
  EXPECT_EQ(claimed.text(0, 0), job);
  EXPECT_EQ(claimed.text(0, 1), pgd::job_kind::push);
  EXPECT_EQ(claimed.text(0, 2), pgd::job_status::running);
  EXPECT_EQ(sql.exec("SELECT dialer.renew_push_lease($1, 'worker-1')", {job}).text(0, 0),
            pgd::lease_answer::running);
  EXPECT_EQ(sql.exec("SELECT dialer.fail_push_attempt($1, 'worker-1', 'test failure')", {job}).text(0, 0),
            pgd::job_status::retrying);
  EXPECT_EQ(rep.exec("SELECT dialer.push_status($1) ->> 'status'", {job}).text(0, 0),
            pgd::job_status::queued);
  db_->sql().exec("UPDATE dialer.push_jobs SET run_at = now() WHERE id = $1", {job});
  ASSERT_EQ(sql.exec("SELECT id FROM dialer.claim_push_job('worker-1')").rows(), 1);
  rep.exec("SELECT dialer.cancel($1)", {job});
  EXPECT_EQ(sql.exec("SELECT dialer.renew_push_lease($1, 'worker-1')", {job}).text(0, 0),
            pgd::lease_answer::cancel);
  EXPECT_EQ(sql.exec("SELECT dialer.finish_push_job($1, 'worker-1')", {job}).text(0, 0),
            pgd::job_status::cancelled);
}
