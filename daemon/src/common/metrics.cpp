#include "common/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace pgdialer::sync {
namespace {

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
  else
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

const char* type_name(MetricsRegistry::Type t) {
  switch (t) {
    case MetricsRegistry::Type::counter: return "counter";
    case MetricsRegistry::Type::gauge: return "gauge";
    default: return "histogram";
  }
}

// `labels` is "{...}" or ""; appends one more label inside the braces.
std::string with_label(const std::string& labels, const std::string& name, const std::string& value) {
  std::string extra = name + "=\"" + value + "\"";
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
  }
  return out + "}";
}

void MetricsRegistry::declare(const std::string& name, Type type, const std::string& help,
                              std::vector<double> buckets) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (families_.count(name)) return;
  families_[name] = Family{type, help, std::move(buckets), {}};
}

MetricsRegistry::Family& MetricsRegistry::family(const std::string& name, Type expected) {
  auto it = families_.find(name);
  if (it == families_.end() || it->second.type != expected)
    throw std::logic_error("metric " + name + " is not declared as a " + type_name(expected));
  return it->second;
}

void MetricsRegistry::add(const std::string& name, const Labels& labels, double amount) {
  if (amount < 0) throw std::logic_error("counter " + name + " cannot go down");
  std::lock_guard<std::mutex> lock(mutex_);
  family(name, Type::counter).series[render_labels(labels)].value += amount;
}

void MetricsRegistry::set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  family(name, Type::gauge).series[render_labels(labels)].value = value;
}

void MetricsRegistry::observe(const std::string& name, const Labels& labels, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Family& f = family(name, Type::histogram);
  Series& s = f.series[render_labels(labels)];
  if (s.bucket_counts.size() != f.buckets.size()) s.bucket_counts.assign(f.buckets.size(), 0);
  for (size_t i = 0; i < f.buckets.size(); ++i)
    if (value <= f.buckets[i]) {
      ++s.bucket_counts[i];  // per-bucket here; cumulative when rendered
      break;
    }
  s.value += value;
  ++s.count;
}

void MetricsRegistry::on_render(std::function<void(MetricsRegistry&)> collector) {
  std::lock_guard<std::mutex> lock(mutex_);
  collectors_.push_back(std::move(collector));
}

double MetricsRegistry::value(const std::string& name, const Labels& labels) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto s = f->second.series.find(render_labels(labels));
  if (s == f->second.series.end()) return 0;
  return f->second.type == Type::histogram ? s->second.count : s->second.value;
}

std::string MetricsRegistry::render() {
  std::vector<std::function<void(MetricsRegistry&)>> collectors;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    collectors = collectors_;
  }
  for (auto& c : collectors) c(*this);

  std::lock_guard<std::mutex> lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " + type_name(f.type) + "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.type != Type::histogram) {
        out += name + labels + " " + number(s.value) + "\n";
        continue;
      }
      double cumulative = 0;
      for (size_t i = 0; i < f.buckets.size(); ++i) {
        cumulative += i < s.bucket_counts.size() ? s.bucket_counts[i] : 0;
        out += name + "_bucket" + with_label(labels, "le", number(f.buckets[i])) + " " + number(cumulative) +
               "\n";
      }
      out += name + "_bucket" + with_label(labels, "le", "+Inf") + " " + number(s.count) + "\n";
      out += name + "_sum" + labels + " " + number(s.value) + "\n";
      out += name + "_count" + labels + " " + number(s.count) + "\n";
    }
  }
  return out;
}

void declare_daemon_metrics(MetricsRegistry& r) {
  using T = MetricsRegistry::Type;
  r.declare("pgdialer_webhooks_accepted_total", T::counter,
            "Webhook deliveries acknowledged with 200, by source and event.");
  r.declare("pgdialer_webhooks_rejected_total", T::counter,
            "Webhook deliveries refused, by reason (unauthorized, too_large, malformed, "
            "method_not_allowed, not_found, database_rejected, unavailable, journal_full; and the "
            "listener's own: too_many_connections, overloaded, timeout, headers_too_large).");
  r.declare("pgdialer_webhooks_previous_secret_total", T::counter,
            "Webhook deliveries accepted with a token of the previous secret during a rotation's overlap "
            "(PGDIALER_WEBHOOK_PREVIOUS_SECRET_UNTIL); zero for a while means the old URLs are gone.");
  r.declare("pgdialer_webhook_connections", T::gauge,
            "Connections open to the HTTP listener (reading a request or waiting for its answer).");
  r.declare("pgdialer_webhook_events_set_aside_total", T::counter,
            "Journaled webhook events set aside (poison: they failed again and again while the events "
            "behind them were stored), waiting for pgdialer-sync --replay-held.");
  r.declare("pgdialer_webhook_events_stored_total", T::counter,
            "Webhook events written to PostgreSQL, by how the database took them (recorded, "
            "duplicate, unmatched) and path (direct, replay).");
  r.declare("pgdialer_webhook_journal_appends_total", T::counter,
            "Webhook events written to the local journal because PostgreSQL could not take them.");
  r.declare("pgdialer_webhook_journal_depth", T::gauge,
            "Webhook events in the local journal waiting to be replayed into PostgreSQL.");
  r.declare(
      "pgdialer_queue_jobs", T::gauge,
      "Jobs in the whole queue (dialer.push_jobs, every daemon's) by kind and status, read at each scrape.");
  r.declare("pgdialer_jobs_finished_total", T::counter,
            "Push queue jobs (pushes and launches) this daemon ended, by final status, or released "
            "(given back for a later run).");
  r.declare("pgdialer_push_items_total", T::counter,
            "Contacts pushed to PhoneBurner, by outcome (created, updated, skipped, failed, unknown).");
  r.declare("pgdialer_phoneburner_request_duration_seconds", T::histogram,
            "PhoneBurner API requests, by endpoint and HTTP status (0 = no response).",
            {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60});
  r.declare("pgdialer_phoneburner_retries_total", T::counter,
            "PhoneBurner API requests sent again after a retryable failure, by endpoint.");
}

}  // namespace pgdialer::sync
