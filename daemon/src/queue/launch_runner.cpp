#include "queue/launch_runner.hpp"

#include "common/job_statuses.hpp"
#include "common/log.hpp"
#include "queue/lease_keeper.hpp"
#include "webhook/token.hpp"

namespace pgdialer::sync {

namespace {

std::string contact_range(const LaunchBatch& b) {
  return "contacts " + std::to_string(b.first_position) + "-" + std::to_string(b.last_position);
}

std::string dial_session_name(const LaunchBatch& b) {
  if (b.batch_count <= 1) return b.session_name;
  return b.session_name + " (" + std::to_string(b.batch) + " of " + std::to_string(b.batch_count) + ")";
}

std::string custom_data(const ClaimedJob& job, const LaunchBatch& b) {
  return "{\"pgdialer_session_id\":" + std::to_string(b.session_id) +
         ",\"pgdialer_job_id\":" + std::to_string(job.id) + ",\"pgdialer_batch\":" + std::to_string(b.batch) +
         "}";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> dial_session_callbacks(const std::string& base,
                                                                        const std::string& secret,
                                                                        long long session_id) {
  if (base.empty() || secret.empty()) return {};
  // One URL per callback type, naming it: the bodies do not say which
  // event they are, and guessing from their shape is a last resort.
  const std::string url = session_webhook_url(base, secret, session_id);
  std::vector<std::pair<std::string, std::string>> callbacks;
  for (const char* type : {"api_contact_displayed", "api_callbegin", "api_calldone"})
    callbacks.emplace_back(type, url + "&event=" + type);
  return callbacks;
}

void LaunchRunner::run(const ClaimedJob& job) {
  const std::string tag = job_tag(job.id);
  const Config& config = context_.config;
  PushQueue& queue = context_.queue;
  PhoneBurnerClient& client = context_.client;
  LeaseKeeper lease(config.database_url, config.worker_id, job.id, config.lease, config.lease_renewal);
  log::info("claimed launch" + tag + " session=" + std::to_string(job.session_id) +
            " attempt=" + std::to_string(job.attempts));

  queue.set_step(job.id, "Re-checking the session's contacts...");
  std::optional<int> contacts;
  try {
    contacts = queue.prepare_launch(job.id);
  } catch (const DbError& e) {
    if (e.connection_lost()) throw;
    // A configuration problem (no contact relation, a column of the wrong
    // type): retrying cannot help, the job fails with PostgreSQL's words.
    queue.finish(job.id, std::string("cannot re-check the session's contacts: ") + e.what());
    log::error("launch failed" + tag + ": " + e.what());
    return;
  }
  if (!contacts) {
    log::warning("lease lost before start" + tag);
    return;
  }
  if (*contacts == 0) {
    queue.finish(job.id, std::string("no contact of the session passes the rules and is inside its calling "
                                     "window now (dialer.launch_window_holds)"));
    log::info("finished launch" + tag + " status=failed (no contact passes the rules now)");
    return;
  }

  std::optional<std::string> job_error;
  auto add_error = [&](const std::string& text) { job_error = job_error ? *job_error + "; " + text : text; };
  // How the job ends when the loop stops early: given back as it was
  // (shutdown), or a failed attempt that may run again (`retry_in`: the
  // extension's backoff unless set).
  enum class Then { finish, give_back, retry } then = Then::finish;
  std::optional<std::chrono::seconds> retry_in;

  for (const LaunchBatch& b : queue.launch_batches(job.id)) {
    if (b.status == batch_status::sending) {
      // The request of an earlier attempt may have reached PhoneBurner.
      const std::string why = "the dial session for " + contact_range(b) +
                              " was being created when the daemon stopped; it may exist in PhoneBurner "
                              "(check before launching again)";
      if (!queue.record_dial_session(job.id, b.batch, {batch_status::unknown, {}, {}, {}, why})) return;
      add_error(why);
      continue;
    }
    if (b.status != batch_status::pending) continue;
    if (lease.lost()) return;
    if (lease.cancel_requested()) break;
    if (context_.stopping) {
      then = Then::give_back;
      break;
    }

    std::vector<LaunchContact> batch_contacts = queue.launch_batch_contacts(job.id, b.batch);
    std::vector<std::string> payloads, lead_ids;
    for (auto& c : batch_contacts) {
      payloads.push_back(std::move(c.payload));
      lead_ids.push_back(std::move(c.contact_id));
    }
    queue.set_step(job.id, "Creating dial session " + std::to_string(b.batch) + " of " +
                               std::to_string(b.batch_count) + " in PhoneBurner...");
    if (!queue.record_dial_session(job.id, b.batch, {batch_status::sending, {}, {}, {}, {}})) return;

    DialSession created;
    Result r = client.create_dial_session(
        dial_session_name(b), payloads, lead_ids, custom_data(job, b),
        dial_session_callbacks(config.webhook_base_url, config.webhook_secret, b.session_id), &created);
    DialSessionOutcome outcome;
    switch (r.failure) {
      case Failure::none:
        outcome = {batch_status::created,
                   created.id.empty() ? std::nullopt : std::optional<std::string>(created.id),
                   created.skipped_contact_count, created.redirect_url, std::nullopt};
        if (created.redirect_url.empty()) outcome.login_link.reset();
        log::info("dial session created" + tag + " batch=" + std::to_string(b.batch) +
                  " contacts=" + std::to_string(b.contact_count));
        break;
      case Failure::unknown:
        outcome = {
            batch_status::unknown, {}, {}, {}, r.message + " (check PhoneBurner before launching again)"};
        add_error("dial session for " + contact_range(b) + ": " + r.message);
        break;
      case Failure::rejected:
        outcome = {batch_status::failed, {}, {}, {}, r.message};
        add_error("dial session for " + contact_range(b) + ": " + r.message);
        break;
      default:  // never sent, or refused before PhoneBurner acted: safe to try again later
        outcome = {batch_status::pending, {}, {}, {}, r.message};
        // A shutdown gives the job back as it was; a refused token waits
        // 5 minutes; anything else backs off like a push.
        if (r.failure == Failure::stopped) {
          then = Then::give_back;
        } else {
          then = Then::retry;
          if (r.failure == Failure::auth) retry_in = std::chrono::seconds(300);
        }
        add_error(r.failure == Failure::auth ? rejected_credential(context_.credential) + ": " + r.message
                                             : r.message);
        break;
    }
    if (!queue.record_dial_session(job.id, b.batch, outcome)) return;
    if (then != Then::finish) break;
  }

  if (lease.lost()) return;
  if (then == Then::give_back) {
    queue.release(job.id, job_error, std::nullopt);
    log::info("launch released for another run" + tag);
    return;
  }
  if (then == Then::retry) {
    std::optional<std::string> answer = queue.fail_attempt(job.id, job_error, retry_in);
    if (answer && *answer == job_status::retrying)
      log::info("launch released for another run" + tag);
    else if (answer)
      log::info("finished launch" + tag + " status=" + *answer + (job_error ? " error=" + *job_error : ""));
    return;
  }
  std::optional<std::string> status = queue.finish(job.id, job_error);
  if (status)
    log::info("finished launch" + tag + " status=" + *status + (job_error ? " error=" + *job_error : ""));
}

}  // namespace pgdialer::sync
