// Calling windows at launch, end to end: real PostgreSQL, the real
// pgdialer-sync and the fake PhoneBurner. A session's contacts in and out of
// their local calling window are launched; only those inside it (and a
// documented business number) reach the dial session, the others stay in the
// folder and are reported per contact in dialer.launch_window_holds.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "harness.hpp"
#include <rapidjson/document.h>

using namespace pgdialer::testing;
using std::chrono::seconds;

namespace {

std::string str(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

class CallingWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>("pgdialer_it_calling_window");
    fake_ = std::make_unique<FakePhoneBurner>(test_log_path("CallingWindow.fake"));
  }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<FakePhoneBurner> fake_;
};

}  // namespace

TEST_F(CallingWindowTest, LaunchDialsOnlyContactsInsideTheirWindow) {
  auto& sql = db_->sql();
  sql.exec("ALTER TABLE contacts ADD COLUMN zip text, ADD COLUMN state text");
  // Wednesday 2026-03-04 14:30 UTC: 9:30 in New York, 8:30 in Austin, 6:30
  // in Los Angeles; Kentucky opens at 10:00.
  sql.exec(
      "ALTER DATABASE pgdialer_it_calling_window SET dialer.calling_window_clock = '2026-03-04 14:30+00'");
  sql.exec(R"(INSERT INTO contacts (id, first_name, last_name, phone, zip, state) VALUES
      (1, 'Ny', 'Inside', '(212) 555-0101', NULL, NULL),
      (2, 'Tx', 'Inside', '(512) 555-0102', NULL, NULL),
      (3, 'Ky', 'Early', '(502) 555-0103', NULL, NULL),
      (4, 'Ca', 'Early', '(212) 555-0104', '90210', 'CA'),
      (5, 'Ca', 'Business', '(310) 555-0105', NULL, NULL),
      (6, 'No', 'Zone', '+800 1234 5678', NULL, NULL))");
  sql.exec("SELECT dialer.configure('contacts')");
  sql.exec(
      "SELECT dialer.set_calling_window_exemption('(310) 555-0105', 'Acme Corp switchboard', "
      "'listed on acme.example/contact, verified 2026-02-01')");

  SyncDaemon daemon(db_->sync_url(), fake_->base_url(), test_log_path("CallingWindow.daemon"));
  long long push_job = db_->rep()
                           .exec("SELECT dialer.push(array_agg(c ORDER BY id), 'Windows') FROM contacts c")
                           .integer(0, 0);
  ASSERT_EQ(db_->wait_for_job(push_job, seconds(60)), "succeeded");
  std::string session =
      sql.exec("SELECT session_id FROM dialer.push_jobs WHERE id = $1", {std::to_string(push_job)})
          .text(0, 0);
  long long launch = db_->rep().exec("SELECT dialer.launch($1)", {session}).integer(0, 0);
  ASSERT_EQ(db_->wait_for_job(launch, seconds(60)), "succeeded");

  // What reached PhoneBurner's dial session, as our contact ids.
  rapidjson::Document state;
  state.Parse(fake_->state_json().c_str());
  std::map<std::string, std::string> lead_of;  // PhoneBurner contact id -> our id
  std::set<std::string> in_folder;
  for (const auto& c : state["contacts"].GetArray()) {
    lead_of[str(c[c.HasMember("contact_user_id") ? "contact_user_id" : "id"])] = str(c["lead_id"]);
    in_folder.insert(str(c["lead_id"]));
  }
  ASSERT_EQ(state["dial_sessions"].Size(), 1u);
  std::set<std::string> dialed;
  for (const auto& id : state["dial_sessions"][0]["contact_ids"].GetArray()) dialed.insert(lead_of[str(id)]);
  EXPECT_EQ(dialed, (std::set<std::string>{"1", "2", "5"}));
  // The held ones stay in the session's folder.
  EXPECT_EQ(in_folder, (std::set<std::string>{"1", "2", "3", "4", "5", "6"}));

  // Reported per contact: when each window opens, and the exemption used.
  auto holds = sql.exec(
      "SELECT contact_id, status, coalesce(to_char(opens_at AT TIME ZONE 'UTC', 'HH24:MI'), ''), "
      "coalesce(exempted_by, '') FROM dialer.launch_window_holds WHERE job_id = $1 ORDER BY contact_id",
      {std::to_string(launch)});
  ASSERT_EQ(holds.rows(), 4);
  EXPECT_EQ(holds.text(0, 0) + " " + holds.text(0, 1) + " " + holds.text(0, 2), "3 later_today 15:00");
  EXPECT_EQ(holds.text(1, 0) + " " + holds.text(1, 1) + " " + holds.text(1, 2), "4 later_today 16:00");
  EXPECT_EQ(holds.text(2, 0) + " " + holds.text(2, 3), "5 Acme Corp switchboard");
  EXPECT_EQ(holds.text(3, 0) + " " + holds.text(3, 1), "6 blocked");
  EXPECT_EQ(sql.exec("SELECT dialer.push_status($1) -> 'excluded' ->> 'outside_calling_window'",
                     {std::to_string(launch)})
                .text(0, 0),
            "3");
}
