// Frequency caps end to end (31_frequency_caps.sql): a contact whose number
// a cap holds stays in the session's PhoneBurner folder but never reaches the
// dial session the daemon creates; the launch lists it with its reason.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "harness.hpp"
#include <rapidjson/document.h>

using namespace pgdialer::testing;
using std::chrono::seconds;

TEST(FrequencyCapsTest, ACappedContactStaysInTheFolderButOutOfTheDialSession) {
  TestDatabase db("pgdialer_it_frequency_caps");
  FakePhoneBurner fake(test_log_path("FrequencyCapsTest.fake"));
  db.add_contacts(1, 6);  // (919) numbers: North Carolina, no cap
  db.sql().exec("ALTER TABLE contacts ADD COLUMN state text");
  db.sql().exec("UPDATE contacts SET phone = '(305) 555-0102' WHERE id = 2");  // Miami: Florida's cap
  db.sql().exec("UPDATE contacts SET state = 'FL' WHERE id = 3");              // a Florida resident
  db.sql().exec("SELECT dialer.configure('contacts')");
  // Three calls in the last 15 hours to the numbers of 2, 3 and 4 (4 lives in
  // North Carolina: no cap applies to it).
  db.sql().exec(
      "INSERT INTO dialer.call_activity (call_id, phone, started_at) "
      "SELECT 'earlier-' || n || '-' || g, n, now() - g * interval '5 hours' "
      "FROM generate_series(1, 3) g, unnest(ARRAY['+13055550102', '+19195000003', '+19195000004']) n");

  SyncDaemon daemon(db.sync_url(), fake.base_url(), test_log_path("FrequencyCapsTest.daemon"));
  long long push_job = db.rep()
                           .exec(
                               "SELECT dialer.push(array_agg(c ORDER BY id), 'Caps', NULL, "
                               "'{\"auto_launch\": true}') FROM contacts c")
                           .integer(0, 0);
  ASSERT_EQ(db.wait_for_job(push_job, seconds(60)), "succeeded");
  std::string launch_job;
  for (int i = 0; i < 100 && launch_job.empty(); ++i) {
    launch_job = db.sql()
                     .exec("SELECT dialer.push_status($1) ->> 'launch_job_id'", {std::to_string(push_job)})
                     .text(0, 0);
    if (launch_job.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(launch_job.empty());
  ASSERT_EQ(db.wait_for_job(std::stoll(launch_job), seconds(60)), "succeeded");

  // All six are in the session's folder; the dial session has the four
  // without a cap.
  std::string folder = db.sql().exec("SELECT phoneburner_folder_id FROM dialer.sessions").text(0, 0);
  std::map<std::string, std::string> lead_of;  // PhoneBurner contact id -> our id
  std::set<std::string> in_folder;
  for (const auto& c : fake.contacts()) {
    lead_of[c.id] = c.lead_id;
    if (c.category_id == folder) in_folder.insert(c.lead_id);
  }
  EXPECT_EQ(in_folder, (std::set<std::string>{"1", "2", "3", "4", "5", "6"}));
  rapidjson::Document state;
  state.Parse(fake.state_json().c_str());
  ASSERT_EQ(state["dial_sessions"].Size(), 1u);
  std::set<std::string> dialed;
  for (const auto& id : state["dial_sessions"][0]["contact_ids"].GetArray()) {
    std::string pb_id = id.IsString() ? id.GetString() : std::to_string(id.GetInt64());
    dialed.insert(lead_of.count(pb_id) ? lead_of[pb_id] : "unknown " + pb_id);
  }
  EXPECT_EQ(dialed, (std::set<std::string>{"1", "4", "5", "6"}));

  // The launch says why, per contact, and counts them.
  auto refused = db.sql().exec(
      "SELECT string_agg(r.contact_id || ' ' || r.reason, ', ' ORDER BY r.contact_id) "
      "FROM dialer.launch_refusals r WHERE r.job_id = $1",
      {launch_job});
  EXPECT_EQ(refused.text(0, 0), "2 frequency_capped, 3 frequency_capped");
  EXPECT_EQ(db.sql()
                .exec("SELECT dialer.push_status($1) -> 'excluded' ->> 'frequency_capped'", {launch_job})
                .text(0, 0),
            "2");
}
