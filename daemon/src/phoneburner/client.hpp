// The PhoneBurner REST client the sync daemon uses (libcurl + RapidJSON).
//
// What we assume PhoneBurner's API does, and why, is in docs/phoneburner.md;
// where it is uncertain this client takes the strictest reading: /contacts
// writes are form-encoded with PHP-array keys, responses are parsed
// tolerantly (numbers or strings, object or one-element array,
// contact_user_id or user_id, dialsessions or dialsession).
//
// Every call returns a Result instead of throwing for API failures, and says
// which kind of failure it was, because the push logic treats them apart:
//   - retryable: 429, 5xx, connect failure or timeout *before* the request
//     was sent — safe to send again after a backoff (honour retry_after);
//   - unknown:   the request may have been applied (timeout or reset after
//     sending, empty reply, malformed body on a write) — must be reconciled
//     by reading PhoneBurner before anything is written again;
//   - rejected:  other 4xx — the API refused this input; the reason is kept;
//   - auth:      401/403 — the token is wrong or expired (an expired OAuth
//                access token is refreshed and the request sent once more
//                first), or an OAuth refresh was refused;
//   - config:    the server's TLS certificate did not verify (or the CA file
//                is unusable): nothing was sent, and only a change of
//                configuration (PHONEBURNER_CA_FILE, the base URL, the
//                system's CA store) or of the server's certificate can fix
//                it, so it is never retried.
// The token never appears in an error message, log line or Result.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pgdialer::sync {

// One request as the client saw it, for metrics (never holds the token).
struct RequestReport {
  std::string endpoint;  // method and first path segment: "POST /contacts", "GET /members"
  int http_status = 0;   // 0 = no response
  double seconds = 0;    // the exchange, without pacing or backoff waits
  bool retry = false;    // a repeat of a request that failed retryably
};

class TokenSource;  // phoneburner/token_source.hpp

struct ClientOptions {
  std::string base_url = "https://www.phoneburner.com/rest/1";  // no trailing slash
  // PEM file of the certificate authorities to trust for https (empty: the
  // system's store). PHONEBURNER_CA_FILE.
  std::string ca_file;
  std::string token;  // bearer token (PAT)
  // Where each request's bearer token comes from instead of `token` (an
  // OAuth credential's refreshed access token). A 401 with debug code 40109
  // ("Expired oauth token") makes the client ask it once for a fresh token
  // and send the request again.
  std::shared_ptr<TokenSource> token_source;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds dialsession_timeout{60000};  // POST /dialsession is slow
  // Client-side pacing across all threads: at most this many requests a
  // second (0 = unlimited). PhoneBurner documents no limit; clients self-pace.
  double requests_per_second = 10.0;
  int max_retries = 5;  // for retryable failures, with exponential backoff and jitter
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_cap{30000};
  // Polled during waits and transfers; returning true aborts (shutdown).
  std::function<bool()> should_stop;
  // Told about every request that went out (optional; must not throw).
  std::function<void(const RequestReport&)> on_request;
};

enum class Failure { none, retryable, unknown, rejected, auth, config, stopped };

struct Result {
  Failure failure = Failure::none;
  int http_status = 0;
  std::string message;  // API reason (debug_codes) or transport error; never the token
  std::optional<std::chrono::seconds> retry_after;
  int attempts = 0;  // requests actually sent
  bool ok() const { return failure == Failure::none; }
};

// A contact as PhoneBurner returns it (the fields we read back).
struct RemoteContact {
  std::string id;       // contact_user_id / user_id
  std::string lead_id;  // our contact id
  std::string category_id;
  std::string first_name, last_name, phone, email;
  std::map<std::string, std::string> custom_fields;  // name -> value
};

struct Folder {
  std::string id;
  std::string name;
};

struct DialSession {
  std::string id;            // may be empty: PhoneBurner does not always return it
  std::string redirect_url;  // one-time login link; never log it
  int skipped_contact_count = 0;
};

class PhoneBurnerClient {
 public:
  explicit PhoneBurnerClient(ClientOptions options);
  ~PhoneBurnerClient();
  PhoneBurnerClient(const PhoneBurnerClient&) = delete;
  PhoneBurnerClient& operator=(const PhoneBurnerClient&) = delete;

  // GET /members/me: checks the token. `member_id` receives the member's id.
  Result check_token(std::string* member_id);

  Result list_folders(std::vector<Folder>* folders);
  Result create_folder(const std::string& name, const std::string& description, Folder* created);

  // POST /contacts, form-encoded. `payload` is dialer.payload's JSON (standard
  // fields + custom_fields object); this maps it to PhoneBurner's keys:
  // address -> address1, custom_fields object -> [{name, type: 1, value}],
  // company and title also as custom fields, plus lead_id and category_id.
  Result create_contact(const std::string& payload_json, const std::string& lead_id,
                        const std::string& folder_id, std::string* contact_id);
  // PUT /contacts/{id} with the same mapping (partial update).
  Result update_contact(const std::string& contact_id, const std::string& payload_json,
                        const std::string& lead_id, const std::string& folder_id);
  Result get_contact(const std::string& contact_id, RemoteContact* contact);
  // Every contact in a folder (pages through GET /contacts?category_id=...).
  Result list_folder_contacts(const std::string& folder_id, std::vector<RemoteContact>* contacts);

  // POST /dialsession (JSON) with at most 500 contacts. Never retried
  // automatically: a timeout returns Failure::unknown.
  Result create_dial_session(const std::string& name, const std::vector<std::string>& payload_jsons,
                             const std::vector<std::string>& lead_ids, const std::string& custom_data_json,
                             const std::vector<std::pair<std::string, std::string>>& callbacks,
                             DialSession* session);

 private:
  struct Impl;
  Impl* impl_;
};

// curl_global_init, once, before any thread starts.
void init_http();

}  // namespace pgdialer::sync
