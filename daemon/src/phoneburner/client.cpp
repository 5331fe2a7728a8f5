// PhoneBurnerClient: the calls of phoneburner/client.hpp on top of the
// helpers: http/transport (libcurl), http/rate_limiter (pacing),
// http/backoff (retry delays), phoneburner/payload (request bodies),
// phoneburner/json (responses) and phoneburner/failure (what went wrong).
//
// Every call goes through Impl::run: pace, send, classify, and for retryable
// failures back off and send again, up to max_retries. The response body is
// interpreted *inside* that loop, so a truncated answer to a read is retried
// like any other transient failure, while the same on a write ends the call
// as unknown.
#include "phoneburner/client.hpp"

#include "common/json_parse.hpp"
#include "http/backoff.hpp"
#include "http/form.hpp"
#include "http/rate_limiter.hpp"
#include "http/transport.hpp"
#include "http/url.hpp"
#include "http/wait.hpp"
#include "phoneburner/failure.hpp"
#include "phoneburner/json.hpp"
#include "phoneburner/payload.hpp"
#include "phoneburner/token_source.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>
#include <set>
#include <stdexcept>

namespace pgdialer::sync {
namespace {

using std::chrono::milliseconds;

// PhoneBurner's debug code for "Expired oauth token": refresh, then retry once.
constexpr long long kExpiredOAuthToken = 40109;

// Whether a parsed error envelope carries `code` among its debug_codes.
bool has_debug_code(const rapidjson::Value& doc, long long code) {
  const rapidjson::Value* codes = pb_json::member(doc, "debug_codes");
  if (!codes) return false;
  for (const rapidjson::Value* r : pb_json::records(*codes))
    if (pb_json::integer(pb_json::member(*r, "code")) == code) return true;
  return false;
}

// PhoneBurner keeps the first 500 contacts of a dial session (PB-ENG).
constexpr size_t kMaxDialSessionContacts = 500;
// The documented page_size range is 1..100; larger sizes work live but are
// not promised, so the client stays inside the documented range.
constexpr int kPageSize = 100;
// A folder larger than this many pages means the server ignores `page`.
constexpr int kMaxPages = 100000;

constexpr const char* kFormType = "Content-Type: application/x-www-form-urlencoded";
constexpr const char* kJsonType = "Content-Type: application/json";

// Interprets a parsed success envelope; returns "" or what is wrong with it.
using Interpret = std::function<std::string(const rapidjson::Document&)>;

struct Call {
  Call(std::string m, std::string p) : method(std::move(m)), path(std::move(p)) {}
  std::string method;
  std::string path;   // after the base URL, starting with '/'
  std::string query;  // already encoded, without '?'
  std::string content_type_header;
  std::string body;
  bool retry = true;  // false: one attempt only (POST /dialsession)
  milliseconds timeout{0};
  Interpret interpret;  // may be empty: only the envelope is checked
};

Result rejected_before_sending(std::string message) {
  Result r;
  r.failure = Failure::rejected;
  r.message = std::move(message);
  return r;
}

std::string path_segment(const std::string& id) { return http::form_escape(id, false); }

// "POST /contacts/123" -> "POST /contacts": ids would make every series unique.
std::string endpoint_of(const std::string& method, const std::string& path) {
  const auto second = path.find('/', 1);
  return method + " " + path.substr(0, second);
}

}  // namespace

struct PhoneBurnerClient::Impl {
  ClientOptions options;
  std::string base_url;
  std::shared_ptr<TokenSource> tokens;
  http::RateLimiter limiter;

  explicit Impl(ClientOptions o)
      : options(std::move(o)),
        base_url(http::validate_base_url(options.base_url)),
        tokens(options.token_source ? options.token_source
                                    : std::make_shared<StaticTokenSource>(options.token)),
        // A burst of 3: a new session's first requests (list folders,
        // create the folder, first contact) go out at once, not 1/rate apart.
        limiter(options.requests_per_second, 3.0) {}

  bool stopping() const { return options.should_stop && options.should_stop(); }

  // The configured token and the one this request carries never appear in
  // a message, whatever a server echoes back.
  std::string clean(std::string text, const std::string& token) const {
    return redact(redact(std::move(text), options.token), token);
  }

  Result run(const Call& call);
  Result attempt(const Call& call, Result* out_of_loop_state, bool retry, const std::string& token,
                 bool* token_expired);
};

// One attempt: send, then classify. `result.attempts` is carried over.
// `token_expired`: the answer was 401 with debug code 40109.
Result PhoneBurnerClient::Impl::attempt(const Call& call, Result* state, bool retry, const std::string& token,
                                        bool* token_expired) {
  auto clean = [&](std::string text) { return this->clean(std::move(text), token); };
  const bool is_write = is_write_method(call.method);
  http::Request req;
  req.method = call.method;
  req.url = base_url + call.path + (call.query.empty() ? "" : "?" + call.query);
  req.headers.push_back("Accept: application/json");
  if (!token.empty()) req.headers.push_back("Authorization: Bearer " + token);
  if (!call.content_type_header.empty()) req.headers.push_back(call.content_type_header);
  req.body = call.body;
  req.connect_timeout = options.connect_timeout;
  req.timeout = call.timeout;
  // Slower than 1 byte/s for half the time budget (at least 10 s) means a
  // stalled peer, except where the server legitimately thinks for the whole
  // timeout (POST /dialsession passes retry=false and gets no such limit).
  if (call.retry) req.low_speed_time = std::max(milliseconds(10000), call.timeout / 2);
  req.fresh_connection = is_write;
  req.should_stop = options.should_stop;
  req.ca_file = options.ca_file;

  const auto started = std::chrono::steady_clock::now();
  const http::Response res = http::perform(req);
  if (options.on_request && res.request_sent) {
    RequestReport report;
    report.endpoint = endpoint_of(call.method, call.path);
    report.http_status = res.status;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.retry = retry;
    options.on_request(report);
  }

  Result r;
  r.attempts = state->attempts + (res.request_sent ? 1 : 0);
  r.http_status = res.status;
  const std::string what = call.method + " " + call.path;

  if (res.error != http::TransportError::none) {
    r.failure = classify_transport(res.error, res.request_sent, is_write);
    std::string detail = clean(res.error_text);
    switch (r.failure) {
      case Failure::stopped: r.message = what + ": stopped (shutdown) before a response"; break;
      case Failure::unknown:
        r.message = what + ": no complete response after the request was sent (" + detail +
                    "); it may have been applied";
        if (res.error == http::TransportError::aborted)
          r.message = what + ": stopped (shutdown) after the request was sent; it may have been applied";
        break;
      case Failure::retryable:
        r.message = what + (res.request_sent ? ": no complete response (" : ": not sent (") + detail + ")";
        break;
      case Failure::config: r.message = what + ": " + tls_failure_message(detail); break;
      default: r.message = what + ": " + detail;
    }
    return r;
  }

  if (!res.retry_after.empty())
    r.retry_after = http::parse_retry_after(res.retry_after, static_cast<long long>(std::time(nullptr)));

  rapidjson::Document doc;
  const json::ParseResult parse = json::parse(res.body, &doc);
  const bool parsed = parse.ok() && doc.IsObject();

  r.failure = classify_status(res.status, is_write);
  if (res.status == 401 && parsed && has_debug_code(doc, kExpiredOAuthToken)) *token_expired = true;
  if (r.failure != Failure::none) {
    std::string reason = parsed ? pb_json::error_reason(doc) : std::string();
    if (res.status >= 300 && res.status < 400) reason = "unexpected redirect";
    r.message = what + ": HTTP " + std::to_string(res.status) +
                (reason.empty() ? std::string() : ": " + clean(reason));
    if (r.failure == Failure::unknown) r.message += " (the request may have been applied)";
    return r;
  }

  std::string problem;
  if (!parsed)
    problem = !parse.ok() ? "response " + parse.problem() : "response is not a JSON object";
  else if (!pb_json::envelope_success(doc))
    problem = "response envelope status is not \"success\"" + [&] {
      const std::string reason = pb_json::error_reason(doc);
      return reason.empty() ? std::string() : " (" + clean(reason) + ")";
    }();
  else if (call.interpret)
    problem = call.interpret(doc);
  if (!problem.empty()) {
    r.failure = classify_malformed_success(is_write);
    r.message = what + ": HTTP " + std::to_string(res.status) + ": " + clean(problem) +
                (is_write ? " (the request may have been applied)" : "");
  }
  return r;
}

Result PhoneBurnerClient::Impl::run(const Call& call) {
  Result state;
  bool refreshed = false;  // an expired access token is refreshed once per call
  for (int retry = 0;; ++retry) {
    if (stopping()) {
      Result r = state;
      r.failure = Failure::stopped;
      r.message = call.method + " " + call.path + ": stopped (shutdown) before sending" +
                  (state.message.empty() ? std::string() : "; last failure: " + state.message);
      return r;
    }
    const auto slot = limiter.reserve(http::RateLimiter::clock::now());
    if (!http::sleep_unless_stopped(slot - http::RateLimiter::clock::now(), options.should_stop))
      continue;  // the stop check at the top reports it

    Result r;
    TokenResult token = tokens->token();
    if (!token.ok()) {
      // No token to send: refused for good (auth), or the refresh could not
      // reach PhoneBurner (retryable, backed off below like any request).
      r = state;
      r.failure = token.failure;
      r.http_status = 0;
      r.message = call.method + " " + call.path + ": not sent: " + token.message;
    } else {
      bool expired = false;
      r = attempt(call, &state, retry > 0, token.token, &expired);
      // An expired OAuth access token: one refresh, one more try. PhoneBurner
      // refused the request before acting on it, so sending it again is safe
      // even for a write.
      if (expired && !refreshed && tokens->can_refresh()) {
        refreshed = true;
        TokenResult fresh = tokens->refresh(token.token);
        if (!fresh.ok()) {
          r.failure = fresh.failure;
          r.message += "; " + fresh.message;
        } else {
          // Paced like any request: every client of the account shares the refresh.
          const auto again = limiter.reserve(http::RateLimiter::clock::now());
          if (!http::sleep_unless_stopped(again - http::RateLimiter::clock::now(), options.should_stop))
            continue;  // the stop check at the top reports it
          Result first = r;
          r = attempt(call, &first, true, fresh.token, &expired);
        }
      }
    }
    if (r.failure != Failure::retryable || !call.retry || retry >= options.max_retries) return r;

    // A server asking for a longer pause than our cap is better served by
    // the caller rescheduling the job than by a thread asleep for minutes.
    if (r.retry_after && *r.retry_after > options.backoff_cap) {
      r.message += "; Retry-After " + std::to_string(r.retry_after->count()) +
                   " s exceeds the backoff cap, not retried here";
      return r;
    }
    const milliseconds delay = http::backoff_delay(retry, options.backoff_base, options.backoff_cap,
                                                   http::jitter_unit(), r.retry_after);
    state = r;
    if (!http::sleep_unless_stopped(delay, options.should_stop)) continue;
  }
}

PhoneBurnerClient::PhoneBurnerClient(ClientOptions options) : impl_(nullptr) {
  http::global_init();
  if (options.token.find_first_of("\r\n") != std::string::npos)
    throw std::invalid_argument("PhoneBurner token contains a line break");
  if (options.requests_per_second < 0)
    throw std::invalid_argument("requests_per_second must not be negative");
  if (options.max_retries < 0) throw std::invalid_argument("max_retries must not be negative");
  if (options.connect_timeout.count() <= 0 || options.request_timeout.count() <= 0 ||
      options.dialsession_timeout.count() <= 0)
    throw std::invalid_argument("timeouts must be positive");
  impl_ = new Impl(std::move(options));
}

PhoneBurnerClient::~PhoneBurnerClient() { delete impl_; }

Result PhoneBurnerClient::check_token(std::string* member_id) {
  std::string id;
  Call call{"GET", "/members/me"};
  call.timeout = impl_->options.request_timeout;
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string error;
    return pb_json::extract_member_id(doc, &id, &error) ? std::string() : error;
  };
  Result r = impl_->run(call);
  if (r.ok() && member_id) *member_id = id;
  return r;
}

Result PhoneBurnerClient::list_folders(std::vector<Folder>* folders) {
  std::vector<Folder> found;
  Call call{"GET", "/folders"};
  call.timeout = impl_->options.request_timeout;
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string error;
    return pb_json::extract_folders(doc, &found, &error) ? std::string() : error;
  };
  Result r = impl_->run(call);
  if (r.ok() && folders) *folders = std::move(found);
  return r;
}

Result PhoneBurnerClient::create_folder(const std::string& name, const std::string& description,
                                        Folder* created) {
  if (name.empty()) return rejected_before_sending("create_folder: the folder name is empty");
  Folder folder;
  Call call{"POST", "/folders"};
  call.timeout = impl_->options.request_timeout;
  call.content_type_header = kFormType;
  // Both spellings: the one client that creates folders is unverified.
  call.body = http::form_encode({{"name", name}, {"folder_name", name}, {"description", description}});
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string error;
    return pb_json::extract_created_folder(doc, &folder, &error) ? std::string() : error;
  };
  Result r = impl_->run(call);
  if (r.ok()) {
    if (folder.name.empty()) folder.name = name;
    if (created) *created = folder;
  }
  return r;
}

Result PhoneBurnerClient::create_contact(const std::string& payload_json, const std::string& lead_id,
                                         const std::string& folder_id, std::string* contact_id) {
  MappedContact mapped;
  std::string error;
  if (!map_payload(payload_json, &mapped, &error)) return rejected_before_sending("create_contact: " + error);
  add_field(&mapped, "lead_id", lead_id);
  add_field(&mapped, "category_id", folder_id);

  RemoteContact created;
  Call call{"POST", "/contacts"};
  call.timeout = impl_->options.request_timeout;
  call.content_type_header = kFormType;
  call.body = http::form_encode(to_form_pairs(mapped));
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string e;
    return pb_json::extract_contact(doc, &created, &e) ? std::string() : e;
  };
  Result r = impl_->run(call);
  if (r.ok() && contact_id) *contact_id = created.id;
  return r;
}

Result PhoneBurnerClient::update_contact(const std::string& contact_id, const std::string& payload_json,
                                         const std::string& lead_id, const std::string& folder_id) {
  if (contact_id.empty()) return rejected_before_sending("update_contact: the contact id is empty");
  MappedContact mapped;
  std::string error;
  if (!map_payload(payload_json, &mapped, &error)) return rejected_before_sending("update_contact: " + error);
  add_field(&mapped, "lead_id", lead_id);
  add_field(&mapped, "category_id", folder_id);

  Call call{"PUT", "/contacts/" + path_segment(contact_id)};
  call.timeout = impl_->options.request_timeout;
  call.content_type_header = kFormType;
  call.body = http::form_encode(to_form_pairs(mapped));
  return impl_->run(call);
}

Result PhoneBurnerClient::get_contact(const std::string& contact_id, RemoteContact* contact) {
  if (contact_id.empty()) return rejected_before_sending("get_contact: the contact id is empty");
  RemoteContact found;
  Call call{"GET", "/contacts/" + path_segment(contact_id)};
  call.timeout = impl_->options.request_timeout;
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string e;
    return pb_json::extract_contact(doc, &found, &e) ? std::string() : e;
  };
  Result r = impl_->run(call);
  if (r.ok() && contact) *contact = std::move(found);
  return r;
}

Result PhoneBurnerClient::list_folder_contacts(const std::string& folder_id,
                                               std::vector<RemoteContact>* contacts) {
  if (folder_id.empty()) return rejected_before_sending("list_folder_contacts: the folder id is empty");
  std::vector<RemoteContact> all;
  std::set<std::string> seen;
  Result total;
  for (int page = 1; page <= kMaxPages; ++page) {
    std::vector<RemoteContact> batch;
    pb_json::PageInfo info;
    Call call{"GET", "/contacts"};
    call.timeout = impl_->options.request_timeout;
    // Ascending by id: contacts created while we page land on the last page
    // instead of shifting every later page by one (the default is DESC).
    call.query = http::form_encode({{"category_id", folder_id},
                                    {"page", std::to_string(page)},
                                    {"page_size", std::to_string(kPageSize)},
                                    {"sort_order", "ASC"}});
    call.interpret = [&](const rapidjson::Document& doc) {
      std::string e;
      return pb_json::extract_contact_page(doc, &batch, &info, &e) ? std::string() : e;
    };
    Result r = impl_->run(call);
    r.attempts += total.attempts;
    if (!r.ok()) return r;
    total = r;
    size_t fresh = 0;
    for (auto& c : batch)
      if (seen.insert(c.id).second) {
        all.push_back(std::move(c));
        ++fresh;
      }
    // Stop on the last page by the server's count, on an empty page, on a
    // page short of the page size the server reports, or on a page with
    // nothing new (a server that ignores `page`). A short page without a
    // reported size proves nothing (the server may cap pages silently), and
    // missing a contact here would mean creating it twice.
    if (batch.empty() || fresh == 0) break;
    if (info.total_pages && page >= *info.total_pages) break;
    if (info.page_size &&
        static_cast<long long>(batch.size()) < std::min<long long>(*info.page_size, kPageSize))
      break;
  }
  if (contacts) *contacts = std::move(all);
  return total;
}

Result PhoneBurnerClient::create_dial_session(
    const std::string& name, const std::vector<std::string>& payload_jsons,
    const std::vector<std::string>& lead_ids, const std::string& custom_data_json,
    const std::vector<std::pair<std::string, std::string>>& callbacks, DialSession* session) {
  if (payload_jsons.empty()) return rejected_before_sending("create_dial_session: no contacts");
  if (!lead_ids.empty() && lead_ids.size() != payload_jsons.size())
    return rejected_before_sending("create_dial_session: " + std::to_string(lead_ids.size()) +
                                   " lead ids for " + std::to_string(payload_jsons.size()) + " contacts");
  rapidjson::Document custom_data;
  if (!custom_data_json.empty()) {
    if (!json::parse(custom_data_json, &custom_data).ok() || !custom_data.IsObject())
      return rejected_before_sending("create_dial_session: custom_data is not a JSON object");
  }

  // Never more than PhoneBurner keeps: the rest is reported as skipped here,
  // where we know exactly which contacts they are (the tail of the list).
  const size_t sent = std::min(payload_jsons.size(), kMaxDialSessionContacts);
  const int skipped_locally = static_cast<int>(payload_jsons.size() - sent);

  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("name");
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  w.Key("contacts");
  w.StartArray();
  for (size_t i = 0; i < sent; ++i) {
    MappedContact mapped;
    std::string error;
    if (!map_payload(payload_jsons[i], &mapped, &error))
      return rejected_before_sending("create_dial_session: contact " + std::to_string(i) + ": " + error);
    if (!lead_ids.empty()) add_field(&mapped, "lead_id", lead_ids[i]);
    write_contact_json(w, mapped);
  }
  w.EndArray();
  w.Key("preset_id");
  w.Null();
  if (!custom_data_json.empty()) {
    w.Key("custom_data");
    custom_data.Accept(w);
  }
  if (!callbacks.empty()) {
    w.Key("callbacks");
    w.StartArray();
    for (const auto& [type, url] : callbacks) {
      w.StartObject();
      w.Key("callback_type");
      w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
      w.Key("callback");
      w.String(url.data(), static_cast<rapidjson::SizeType>(url.size()));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();

  DialSession created;
  Call call{"POST", "/dialsession"};
  call.timeout = impl_->options.dialsession_timeout;
  call.content_type_header = kJsonType;
  call.body.assign(buf.GetString(), buf.GetSize());
  // Never re-sent automatically: a session with the same contacts would be
  // created twice, and PhoneBurner has no idempotency key to prevent it.
  call.retry = false;
  call.interpret = [&](const rapidjson::Document& doc) {
    std::string e;
    return pb_json::extract_dial_session(doc, &created, &e) ? std::string() : e;
  };
  Result r = impl_->run(call);
  if (r.ok() && session) {
    created.skipped_contact_count += skipped_locally;
    *session = std::move(created);
  }
  return r;
}

void init_http() { http::global_init(); }

}  // namespace pgdialer::sync
