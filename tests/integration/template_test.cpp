// List templates run by the daemon: two daemons and a restart, exactly one
// push job per due time. Due times are made controllable by setting
// next_run in the past directly; the daemons look every second
// (PGDIALER_TEMPLATE_SECONDS=1).
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "harness.hpp"

using namespace pgdialer::testing;
using std::chrono::seconds;

namespace {

class TemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("pgdialer_it_templates");
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path("templates.fake"));
    db_->add_contacts(1, 6);  // id 10 would be do-not-call; none here
    db_->sql().exec("SELECT dialer.configure('contacts')");
    auto& sarah = db_->rep();
    list_ = std::to_string(sarah.exec("SELECT dialer.create_list('Buyers')").integer(0, 0));
    sarah.exec("SELECT dialer.add_to_list($1, ARRAY[1, 2, 3, 4, 5, 6])", {list_});
    template_ = std::to_string(sarah
                                   .exec("SELECT dialer.create_template('Daily buyers', 'Buyers {Date}', "
                                         "'{\"every\": \"day\", \"at\": \"08:00\", \"time_zone\": "
                                         "\"America/New_York\"}', list_id => $1)",
                                         {list_})
                                   .integer(0, 0));
  }
  std::unique_ptr<SyncDaemon> start_daemon(const std::string& name) {
    return std::make_unique<SyncDaemon>(db_->sync_url(), fake_->base_url(),
                                        test_log_path("templates." + name),
                                        std::map<std::string, std::string>{{"PGDIALER_TEMPLATE_SECONDS", "1"},
                                                                           {"PGDIALER_POLL_SECONDS", "1"},
                                                                           {"PGDIALER_WORKER_ID", name}});
  }
  // A due time `ago` in the past, as if it had been missed.
  void make_due(const std::string& ago) {
    db_->sql().exec("UPDATE dialer.list_templates SET next_run = now() - $1::interval WHERE id = $2",
                    {ago, template_});
  }
  long long runs() {
    return db_->sql()
        .exec("SELECT count(*) FROM dialer.template_runs WHERE template_id = $1", {template_})
        .integer(0, 0);
  }
  // Waits until `n` runs are recorded (or 10 s), then more than a daemon
  // tick, so a second run of the same due time would have happened.
  void wait_for_runs(long long n) {
    for (int i = 0; i < 100 && runs() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }
  // Every run queued one job, of list source 'template', and the jobs are
  // one per due time.
  void expect_one_job_per_due_time(long long due_times) {
    auto r = db_->sql().exec(
        "SELECT count(*), count(DISTINCT r.due_at), count(j.id), "
        "       count(*) FILTER (WHERE r.result = 'queued' AND j.list_source = 'template' "
        "                          AND s.owner = $2) "
        "FROM dialer.template_runs r LEFT JOIN dialer.push_jobs j ON j.id = r.job_id "
        "LEFT JOIN dialer.sessions s ON s.id = j.session_id WHERE r.template_id = $1",
        {template_, TestDatabase::kSarah});
    EXPECT_EQ(r.integer(0, 0), due_times) << "runs";
    EXPECT_EQ(r.integer(0, 1), due_times) << "distinct due times";
    EXPECT_EQ(r.integer(0, 2), due_times) << "jobs";
    EXPECT_EQ(r.integer(0, 3), due_times)
        << "queued template jobs owned by the rep: "
        << db_->sql()
               .exec(
                   "SELECT string_agg(result || ' ' || coalesce(error, ''), '; ') FROM dialer.template_runs")
               .text(0, 0);
    EXPECT_EQ(
        db_->sql().exec("SELECT count(*) FROM dialer.push_jobs WHERE list_source = 'template'").integer(0, 0),
        due_times)
        << "template jobs in the queue";
  }
  std::string list_;
  std::string template_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
};

}  // namespace

TEST_F(TemplateTest, TwoDaemonsAndARestartRunEachDueTimeOnce) {
  {
    auto a = start_daemon("template-a");
    auto b = start_daemon("template-b");
    // Missed for three days: one run, not three.
    make_due("3 days");
    wait_for_runs(1);
    expect_one_job_per_due_time(1);
    EXPECT_EQ(db_->sql()
                  .exec("SELECT next_run > now() FROM dialer.list_templates WHERE id = $1", {template_})
                  .text(0, 0),
              "t");
    make_due("1 minute");
    wait_for_runs(2);
    expect_one_job_per_due_time(2);
    // One daemon dies mid-life; the other carries on alone.
    a->process().signal(SIGKILL);
    make_due("2 minutes");
    wait_for_runs(3);
    expect_one_job_per_due_time(3);
  }
  // Every daemon stopped; a due time passes; a daemon starting runs it once.
  make_due("1 hour");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(runs(), 3);
  auto c = start_daemon("template-c");
  wait_for_runs(4);
  expect_one_job_per_due_time(4);
  // The jobs were pushed like any other.
  auto jobs = db_->sql().exec("SELECT job_id FROM dialer.template_runs WHERE template_id = $1 ORDER BY id",
                              {template_});
  for (int i = 0; i < jobs.rows(); ++i)
    EXPECT_EQ(db_->wait_for_job(jobs.integer(i, 0), seconds(20)), "succeeded");
}
