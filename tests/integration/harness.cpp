#include "harness.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace pgdialer::testing {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string str(const rapidjson::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

std::string member(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it == o.MemberEnd() ? "" : str(it->value);
}

}  // namespace

std::string test_log_path(const std::string& name) {
  return env_or("PGDIALER_TEST_LOG_DIR", "/tmp") + "/" + name + ".log";
}

FakePhoneBurner::FakePhoneBurner(const std::string& log_path, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{env_or("FAKE_PHONEBURNER", FAKE_PHONEBURNER_PATH), "--listen", "127.0.0.1:0",
                                "--token", token()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Subprocess>(argv, std::map<std::string, std::string>{}, log_path);
  auto line = process_->read_line(std::chrono::seconds(20));
  // "listening on https://..." when started with --tls-cert/--tls-key.
  const std::string http = "listening on http://127.0.0.1:", https = "listening on https://127.0.0.1:";
  if (line && line->rfind(https, 0) == 0) {
    scheme_ = "https";
    port_ = std::stoi(line->substr(https.size()));
  } else if (line && line->rfind(http, 0) == 0) {
    port_ = std::stoi(line->substr(http.size()));
  } else {
    throw std::runtime_error("fake-phoneburner did not start: " + line.value_or("(no output)"));
  }
}

void FakePhoneBurner::control(const std::string& what, const std::string& json) {
  httplib::Client client("127.0.0.1", port_);
  auto r = client.Post(("/_control/" + what).c_str(), json, "application/json");
  if (!r || r->status >= 300) throw std::runtime_error("fake control " + what + " failed");
}

std::string FakePhoneBurner::control_json(const std::string& what, const std::string& json) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(120, 0);  // simulate_calls answers once every webhook was answered
  auto r = client.Post(("/_control/" + what).c_str(), json, "application/json");
  if (!r) throw std::runtime_error("fake control " + what + ": no answer");
  if (r->status >= 300)
    throw std::runtime_error("fake control " + what + " failed with " + std::to_string(r->status) + ": " +
                             r->body);
  return r->body;
}

std::string FakePhoneBurner::calls_json() {
  httplib::Client client("127.0.0.1", port_);
  auto r = client.Get("/_control/calls");
  if (!r || r->status != 200) throw std::runtime_error("fake calls failed");
  return r->body;
}

std::string FakePhoneBurner::state_json(const std::string& query) {
  httplib::Client client("127.0.0.1", port_);
  auto r = client.Get(query.empty() ? "/_control/state" : ("/_control/state?" + query).c_str());
  if (!r || r->status != 200) throw std::runtime_error("fake state failed");
  return r->body;
}

std::vector<HeldContact> FakePhoneBurner::contacts() {
  rapidjson::Document d;
  d.Parse(state_json().c_str());
  std::vector<HeldContact> out;
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("contacts") || !d["contacts"].IsArray())
    throw std::runtime_error("unexpected fake state shape");
  for (const auto& c : d["contacts"].GetArray()) {
    HeldContact h;
    h.id = member(c, "contact_user_id");
    if (h.id.empty()) h.id = member(c, "id");
    h.lead_id = member(c, "lead_id");
    h.category_id = member(c, "category_id");
    h.first_name = member(c, "first_name");
    h.last_name = member(c, "last_name");
    h.phone = member(c, "phone");
    if (c.HasMember("custom_fields") && c["custom_fields"].IsArray())
      for (const auto& f : c["custom_fields"].GetArray())
        h.custom_fields[member(f, "name")] = member(f, "value");
    if (!member(c, "deleted").empty() && member(c, "deleted") != "false") continue;
    out.push_back(std::move(h));
  }
  return out;
}

SyncDaemon::SyncDaemon(const std::string& database_url, const std::string& base_url,
                       const std::string& log_path, std::map<std::string, std::string> extra_env,
                       std::vector<std::string> args) {
  std::map<std::string, std::string> env{{"DATABASE_URL", database_url},
                                         {"PHONEBURNER_BASE_URL", base_url},
                                         {"PHONEBURNER_TOKEN", FakePhoneBurner::token()},
                                         {"PGDIALER_POLL_SECONDS", "1"},
                                         {"PGDIALER_LEASE_SECONDS", "6"},
                                         {"PGDIALER_REQUESTS_PER_SECOND", "0"}};
  for (auto& [k, v] : extra_env) env[k] = v;
  std::vector<std::string> argv{env_or("PGDIALER_SYNC", PGDIALER_SYNC_PATH)};
  argv.insert(argv.end(), args.begin(), args.end());
  process_ = std::make_unique<Subprocess>(argv, env, log_path);
}

TestDatabase::TestDatabase(const std::string& name) : name_(name) {
  admin_url_ = env_or("PGDIALER_TEST_DATABASE_URL", "");
  if (admin_url_.empty()) throw std::runtime_error("PGDIALER_TEST_DATABASE_URL is not set");
  {
    sync::PgConnection admin(admin_url_, "pgdialer-tests");
    admin.exec("SET client_min_messages = warning");
    admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    admin.exec("CREATE DATABASE " + name_);
  }
  url_ = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") + "dbname=" + name_;
  if (admin_url_.find("://") == std::string::npos) url_ = admin_url_ + " dbname=" + name_;
  conn_ = std::make_unique<sync::PgConnection>(url_, "pgdialer-tests");
  conn_->exec("SET client_min_messages = warning");
  conn_->exec("CREATE EXTENSION pgdialer");
  // Launches keep out contacts outside their calling window: check them at a
  // fixed instant (Wednesday 13:00 in New York), not at the time the tests run.
  conn_->exec("ALTER DATABASE " + name_ + " SET dialer.calling_window_clock = '2026-03-04 18:00+00'");
  conn_->exec(R"(CREATE TABLE contacts (
      id bigint PRIMARY KEY, contact_type text DEFAULT 'buyer', buyer_type text DEFAULT 'PE Firm',
      first_name text, last_name text, company text, title text, email text, phone text,
      do_not_call boolean DEFAULT false, do_not_call_source text, last_call_attempt_at timestamptz,
      call_talking_points text))");
  // The logins (cluster-wide, so made once) and the recipe of
  // docs/sql-reference.md, "Roles and privileges".
  conn_->exec(std::string(R"(DO $$
      DECLARE login text; role text;
      BEGIN
        FOR login, role IN VALUES (')") +
              kSyncLogin + "', 'dialer_sync'), ('" + kSarah + "', 'dialer_rep'), ('" + kMike +
              "', 'dialer_rep'), ('" + kAppLogin + R"(', 'dialer_app') LOOP
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', login, role);
          END IF;
        END LOOP;
      END $$)");
  conn_->exec(std::string("GRANT SELECT ON contacts TO dialer_rep, ") + kSyncLogin);
  conn_->exec("SELECT dialer.add_rep($1, 'Sarah Johnson', 'sarah@sourceco.example')", {kSarah});
  conn_->exec("SELECT dialer.add_rep($1, 'Mike Chen', 'mike@sourceco.example')", {kMike});
}

std::string TestDatabase::url_as(const std::string& login) const {
  if (url_.find("://") == std::string::npos) return url_ + " user=" + login;  // the last key wins
  return url_ + "&user=" + login;
}

sync::PgConnection& TestDatabase::rep(const std::string& login) {
  auto& conn = reps_[login];
  if (!conn) conn = std::make_unique<sync::PgConnection>(url_as(login), "pgdialer-tests/" + login);
  return *conn;
}

TestDatabase::~TestDatabase() {
  reps_.clear();
  conn_.reset();
  try {
    sync::PgConnection admin(admin_url_, "pgdialer-tests");
    admin.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

void TestDatabase::reconnect() {
  reps_.clear();
  conn_.reset();
  conn_ = std::make_unique<sync::PgConnection>(url_, "pgdialer-tests");
}

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

std::string fresh_test_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(env_or("PGDIALER_TEST_LOG_DIR", "/tmp")) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

namespace {

HttpReply reply_of(const httplib::Result& r) {
  HttpReply out;
  if (!r) {
    out.error = httplib::to_string(r.error());
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  return out;
}

}  // namespace

HttpReply http_get(int port, const std::string& target) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  return reply_of(client.Get(target.c_str()));
}

HttpReply http_post(int port, const std::string& target, const std::string& body,
                    const std::string& content_type) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  client.set_write_timeout(10, 0);
  return reply_of(client.Post(target.c_str(), body, content_type.c_str()));
}

double metric_value(const std::string& metrics_text, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
  double sum = 0;
  std::size_t pos = 0;
  while (pos < metrics_text.size()) {
    std::size_t end = metrics_text.find('\n', pos);
    if (end == std::string::npos) end = metrics_text.size();
    const std::string line = metrics_text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line[0] == '#' || line.compare(0, name.size(), name) != 0) continue;
    std::string rest = line.substr(name.size());
    std::string label_text;
    if (!rest.empty() && rest[0] == '{') {
      std::size_t close = rest.find('}');
      if (close == std::string::npos) continue;
      label_text = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || rest[0] != ' ') continue;  // another metric with this prefix
    bool match = true;
    for (const auto& [k, v] : labels)
      if (("," + label_text + ",").find("," + k + "=\"" + v + "\",") == std::string::npos) match = false;
    if (match) sum += std::stod(rest.substr(1));
  }
  return sum;
}

void test_cluster(const std::string& command) {
  const std::string script = env_or("PGDIALER_PG_CLUSTER_SCRIPT", "");
  const std::string name = env_or("PGDIALER_PG_CLUSTER_NAME", "");
  if (script.empty() || name.empty())
    throw std::runtime_error(
        "PGDIALER_PG_CLUSTER_SCRIPT/NAME are not set (run through scripts/run-tests.sh)");
  const std::string cmd = "'" + script + "' " + command + " " + name + " >/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

void TestDatabase::add_contacts(int first_id, int n) {
  conn_->exec(
      "INSERT INTO contacts (id, first_name, last_name, company, title, email, phone, do_not_call, "
      "do_not_call_source) "
      "SELECT g, 'First' || g, 'Last' || g, 'Company ' || (g % 50), 'Partner', 'c' || g || '@example.com', "
      "'(919) ' || (500 + (g / 10000) % 400) || '-' || lpad((g % 10000)::text, 4, '0'), g % 10 = 0, "
      "'registry' "
      "FROM generate_series($1::int, $1::int + $2::int - 1) g",
      {std::to_string(first_id), std::to_string(n)});
}

std::string TestDatabase::wait_for_job(long long job_id, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string status;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = conn_->exec("SELECT dialer.push_status($1) ->> 'status'", {std::to_string(job_id)});
    status = r.text(0, 0);
    if (status != "queued" && status != "running") return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return "timeout (last status " + status + ")";
}

}  // namespace pgdialer::testing
