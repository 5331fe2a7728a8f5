#include "queue/push_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/job_statuses.hpp"
#include "common/log.hpp"
#include "queue/lease_keeper.hpp"

namespace pgdialer::sync {

namespace {

constexpr int kMaxPasses = 5;  // rounds of "write, then reconcile the unknowns"
// Items are read this many at a time, and the next page is read once fewer
// than half a page waits to be sent: memory stays flat however long the
// list, and the workers never wait on the database.
constexpr int kPageSize = 500;

// Why a job stops before all its items are final.
enum class Stop { none, shutdown, lease_lost, cancelled, retry_later, auth };

struct Action {
  enum class Kind { create, update } kind;
  PushItem item;
};

struct Outcome {
  Action action;
  Result result;
  std::string contact_id;  // PhoneBurner id on success
};

std::string tag_of(long long session_id) { return "[pgdialer session " + std::to_string(session_id) + "]"; }

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string describe(const Result& r) {
  std::string text = r.message.empty() ? "request failed" : r.message;
  if (r.http_status) text = std::to_string(r.http_status) + ": " + text;
  return text;
}

Stop stop_for(const Result& r) {
  switch (r.failure) {
    case Failure::auth: return Stop::auth;
    case Failure::stopped: return Stop::shutdown;
    case Failure::retryable: return Stop::retry_later;
    // A certificate that does not verify: this attempt fails with the
    // message; the job backoff gives the operator time to fix it.
    case Failure::config: return Stop::retry_later;
    default: return Stop::none;
  }
}

// Runs actions `concurrency` at a time as the job thread adds them;
// outcomes come back in a queue the job thread drains, so only the job
// thread touches the database.
class ActionPool {
 public:
  ActionPool(PhoneBurnerClient& client, const std::string& folder_id, int concurrency)
      : client_(client), folder_id_(folder_id) {
    for (int i = 0; i < std::max(1, concurrency); ++i) threads_.emplace_back([this] { work(); });
  }
  ~ActionPool() {
    stop_taking();
    for (auto& t : threads_) t.join();
  }

  void add(Action action) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      waiting_.push_back(std::move(action));
    }
    work_ready_.notify_one();
  }
  std::size_t waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_.size();
  }
  // No more actions will be added.
  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    work_ready_.notify_all();
    outcome_ready_.notify_all();
  }
  // Drop what has not started and add nothing more (in-flight actions
  // finish, or abort on shutdown).
  void stop_taking() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiting_.clear();
    }
    close();
  }

  // Next outcome, waiting up to `wait`; nullopt when none arrived. `done`
  // becomes true once the pool is closed and every started action reported.
  std::optional<Outcome> next(std::chrono::milliseconds wait, bool* done) {
    std::unique_lock<std::mutex> lock(mutex_);
    outcome_ready_.wait_for(lock, wait, [this] { return !outcomes_.empty() || finished(); });
    *done = outcomes_.empty() && finished();
    if (outcomes_.empty()) return std::nullopt;
    Outcome o = std::move(outcomes_.front());
    outcomes_.pop_front();
    return o;
  }

 private:
  bool finished() const { return closed_ && waiting_.empty() && running_ == 0; }

  void work() {
    while (true) {
      Action action;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_ready_.wait(lock, [this] { return closed_ || !waiting_.empty(); });
        if (waiting_.empty()) return;  // closed and drained
        action = std::move(waiting_.front());
        waiting_.pop_front();
        ++running_;
      }
      Outcome outcome{std::move(action), {}, {}};
      const PushItem& item = outcome.action.item;
      if (outcome.action.kind == Action::Kind::create) {
        outcome.result =
            client_.create_contact(item.payload, item.contact_id, folder_id_, &outcome.contact_id);
      } else {
        outcome.contact_id = *item.phoneburner_contact_id;
        outcome.result =
            client_.update_contact(outcome.contact_id, item.payload, item.contact_id, folder_id_);
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        outcomes_.push_back(std::move(outcome));
        --running_;
      }
      outcome_ready_.notify_all();
    }
  }

  PhoneBurnerClient& client_;
  std::string folder_id_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable outcome_ready_;
  std::deque<Action> waiting_;
  std::deque<Outcome> outcomes_;
  bool closed_ = false;
  int running_ = 0;
};

}  // namespace

std::string folder_description(const JobSession& session) {
  if (session.description && !session.description->empty()) return *session.description;
  return "SourceCo dial session " + std::to_string(session.id);
}

std::string folder_name(long long session_id, const std::string& session_name) {
  return session_name + " " + tag_of(session_id);
}

void PushRunner::run(const ClaimedJob& job) {
  const std::string tag = job_tag(job.id);
  const Config& config = context_.config;
  PushQueue& queue = context_.queue;
  PhoneBurnerClient& client = context_.client;
  LeaseKeeper lease(config.database_url, config.worker_id, job.id, config.lease, config.lease_renewal);
  log::info("claimed" + tag + " session=" + std::to_string(job.session_id) +
            " items=" + std::to_string(job.total) + " attempt=" + std::to_string(job.attempts));

  Stop stop = Stop::none;
  std::optional<std::string> job_error;
  bool custom_fields_lost = false;  // the push cannot work until an admin fixes PhoneBurner
  auto check_stop = [&]() {
    if (stop != Stop::none) return true;
    if (lease.lost())
      stop = Stop::lease_lost;
    else if (lease.cancel_requested())
      stop = Stop::cancelled;
    else if (context_.stopping)
      stop = Stop::shutdown;
    return stop != Stop::none;
  };

  std::optional<JobSession> session = queue.session(job.id);
  if (!session) {
    log::warning("lease lost before start" + tag);
    return;
  }

  // 1. The session's folder, committed before the first contact write.
  std::string folder_id;
  if (session->folder_id) {
    folder_id = *session->folder_id;
  } else {
    queue.set_step(job.id, "Preparing session \"" + session->name + "\" in PhoneBurner...");
    Result r;
    // A create whose answer was lost is looked for again before creating
    // anew: the folder name carries the session id, so it is found.
    for (int tries = 0; tries < 3 && folder_id.empty(); ++tries) {
      std::vector<Folder> folders;
      r = client.list_folders(&folders);
      if (!r.ok()) break;
      for (const Folder& f : folders)
        if (ends_with(f.name, tag_of(session->id))) folder_id = f.id;  // made before a crash
      if (!folder_id.empty()) break;
      Folder created;
      r = client.create_folder(folder_name(session->id, session->name), folder_description(*session),
                               &created);
      if (r.ok()) folder_id = created.id;
      if (r.failure != Failure::unknown) break;
    }
    if (r.failure == Failure::unknown) r.failure = Failure::retryable;
    if (!r.ok()) {
      job_error = "cannot prepare the PhoneBurner folder: " + describe(r);
      if (r.failure != Failure::rejected) stop = stop_for(r) == Stop::none ? Stop::retry_later : stop_for(r);
    } else if (!queue.set_folder(job.id, folder_id)) {
      stop = Stop::lease_lost;
    }
  }

  // 2. Items, in passes: write what is pending; reconcile what is unknown.
  if (!job_error) queue.set_step(job.id, "Uploading to session \"" + session->name + "\"...");
  for (int pass = 0; pass < kMaxPasses && !job_error && !check_stop(); ++pass) {
    std::vector<PushItem> page = queue.items(job.id, 0, kPageSize);
    if (page.empty()) break;

    // Read the folder back when an earlier write may have landed unrecorded
    // (an unknown item, or a previous attempt of this job that died).
    std::map<std::string, std::string> in_folder;  // lead_id -> PhoneBurner id
    if (job.attempts > 1 || pass > 0 || session->unknown_items > 0) {
      queue.set_step(job.id, "Checking what PhoneBurner already holds...");
      std::vector<RemoteContact> remote;
      Result r = client.list_folder_contacts(folder_id, &remote);
      if (!r.ok()) {
        stop = stop_for(r) == Stop::none ? Stop::retry_later : stop_for(r);
        job_error = "cannot read the PhoneBurner folder back: " + describe(r);
        break;
      }
      for (const RemoteContact& c : remote)
        if (!c.lead_id.empty()) in_folder.emplace(c.lead_id, c.id);
    }

    // Records one write's outcome; false when no further write should start.
    auto settle = [&](const Outcome& o) {
      const PushItem& item = o.action.item;
      const bool created = o.action.kind == Action::Kind::create;
      bool go_on = true;
      bool still_ours = true;
      switch (o.result.failure) {
        case Failure::none:
          still_ours =
              queue.record(job.id, item.list_position, created ? item_status::created : item_status::updated,
                           o.contact_id, std::nullopt);
          break;
        case Failure::rejected:
          still_ours =
              queue.record(job.id, item.list_position, item_status::failed, std::nullopt, describe(o.result));
          break;
        case Failure::unknown:
          still_ours = queue.record(job.id, item.list_position, item_status::unknown, std::nullopt,
                                    describe(o.result));
          break;
        default:  // retryable after retries, auth, stopped: stays pending
          if (stop == Stop::none) {
            stop = stop_for(o.result);
            job_error = describe(o.result);
          }
          go_on = false;
          break;
      }
      if (!still_ours) {
        stop = Stop::lease_lost;
        return false;
      }
      // Once per folder: did PhoneBurner keep our custom fields?
      if (o.result.ok() && created && !verified_folders_.count(folder_id)) {
        RemoteContact back;
        Result r = client.get_contact(o.contact_id, &back);
        if (r.ok()) {
          auto it = back.custom_fields.find("sourceco_contact_id");
          if (it == back.custom_fields.end() || it->second != item.contact_id) {
            job_error =
                "PhoneBurner did not keep the custom fields (sourceco_contact_id is missing on "
                "contact " +
                o.contact_id +
                "); create the custom fields in PhoneBurner's "
                "settings before pushing";
            custom_fields_lost = true;
            go_on = false;
          } else {
            verified_folders_.insert(folder_id);
          }
        }
      }
      return go_on;
    };

    // The first contact created in a folder is read back before any other
    // is written: if PhoneBurner drops the custom fields, one contact has
    // them missing, not the whole list.
    bool full_page = page.size() == static_cast<std::size_t>(kPageSize);
    int last_position = page.back().list_position;  // before the probe takes an item out
    if (!verified_folders_.count(folder_id)) {
      auto first = std::find_if(page.begin(), page.end(), [&](const PushItem& i) {
        return !i.phoneburner_contact_id && !in_folder.count(i.contact_id);
      });
      if (first != page.end()) {
        Outcome probe{{Action::Kind::create, std::move(*first)}, {}, {}};
        page.erase(first);
        queue.set_step(job.id, "Creating contacts in PhoneBurner...");
        probe.result = client.create_contact(probe.action.item.payload, probe.action.item.contact_id,
                                             folder_id, &probe.contact_id);
        if (!settle(probe) || check_stop()) continue;
      }
    }

    ActionPool pool(client, folder_id, config.concurrency);
    bool all_read = false;
    // Records what needs no request and hands the rest to the pool; says
    // which kinds of write the page holds, for the step text.
    auto take_page = [&](std::vector<PushItem>& items, bool full) {
      all_read = !full;
      if (!items.empty()) last_position = items.back().list_position;
      bool creates = false, updates = false;
      for (PushItem& item : items) {
        if (stop == Stop::lease_lost) break;
        auto found = in_folder.find(item.contact_id);
        if (!item.phoneburner_contact_id && found != in_folder.end()) {
          // Created by an earlier attempt whose answer was lost.
          if (!queue.record(job.id, item.list_position, item_status::created, found->second, std::nullopt))
            stop = Stop::lease_lost;
        } else if (item.phoneburner_contact_id && !session->update_existing) {
          if (!queue.record(job.id, item.list_position, item_status::skipped, item.phoneburner_contact_id,
                            std::string("already in the session")))
            stop = Stop::lease_lost;
        } else {
          bool update = item.phoneburner_contact_id.has_value();
          (update ? updates : creates) = true;
          pool.add({update ? Action::Kind::update : Action::Kind::create, std::move(item)});
        }
      }
      items.clear();
      if (creates || updates)
        queue.set_step(job.id, !updates   ? "Creating contacts in PhoneBurner..."
                               : !creates ? "Updating contacts in PhoneBurner..."
                                          : "Creating and updating contacts in PhoneBurner...");
      if (all_read || stop == Stop::lease_lost) pool.close();
    };
    take_page(page, full_page);

    bool done = false;
    while (!done) {
      if (check_stop()) pool.stop_taking();
      if (!all_read && stop == Stop::none && !job_error && pool.waiting() < kPageSize / 2) {
        page = queue.items(job.id, last_position, kPageSize);
        take_page(page, page.size() == static_cast<std::size_t>(kPageSize));
      }
      std::optional<Outcome> o = pool.next(std::chrono::milliseconds(200), &done);
      if (!o) continue;
      if (stop == Stop::lease_lost) continue;  // another daemon owns the job: write nothing
      if (!settle(*o)) pool.stop_taking();
    }
  }

  // 3. The outcome.
  check_stop();
  switch (stop) {
    case Stop::lease_lost: log::warning("stopped writing: lease lost" + tag); return;
    case Stop::shutdown:
      queue.release(job.id, std::nullopt, std::nullopt);
      log::info("released for another run (shutting down)" + tag);
      return;
    case Stop::auth:
      // Not the job's failure: it waits for the credential to be fixed,
      // however many attempts it has had. Other accounts' jobs go on.
      queue.release(job.id, rejected_credential(context_.credential) + ": " + job_error.value_or(""),
                    std::chrono::seconds(300));
      log::error(rejected_credential(context_.credential) + "; retrying in 5 minutes" + tag);
      return;
    case Stop::retry_later: {
      // PhoneBurner stayed unreachable past the client's own retries: a
      // failed attempt, retried later or, out of attempts, closed with the error.
      std::optional<std::string> answer =
          queue.fail_attempt(job.id, job_error, std::nullopt, custom_fields_lost);
      if (!answer)
        log::warning("lease lost before finishing" + tag);
      else if (*answer == job_status::retrying)
        log::warning("will retry after the job backoff: " + job_error.value_or("") + tag);
      else
        log::info("finished" + tag + " status=" + *answer + (job_error ? " error=" + *job_error : ""));
      return;
    }
    default: break;
  }
  std::optional<std::string> outcome = queue.finish(job.id, job_error, custom_fields_lost);
  if (outcome)
    log::info("finished" + tag + " status=" + *outcome + (job_error ? " error=" + *job_error : ""));
  else
    log::warning("lease lost before finishing" + tag);
}

}  // namespace pgdialer::sync
