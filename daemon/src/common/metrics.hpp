// A small thread-safe metrics registry rendered in the Prometheus text
// exposition format (version 0.0.4) for GET /metrics.
//
// Families are declared once with their type and help text; series are
// addressed by label sets. Collectors run at render time for values that are
// cheaper to read than to track (the journal's depth). No global instance:
// whoever records something is handed the registry.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace pgdialer::sync {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  enum class Type { counter, gauge, histogram };

  // Declares a family (again: no-op). Histograms need ascending bucket bounds.
  void declare(const std::string& name, Type type, const std::string& help, std::vector<double> buckets = {});
  // Counters only go up; gauges are set; histograms observe. Using an
  // undeclared name, or one of another type, throws std::logic_error.
  void add(const std::string& name, const Labels& labels = {}, double amount = 1);
  void set(const std::string& name, const Labels& labels, double value);
  void observe(const std::string& name, const Labels& labels, double value);
  // Runs before every render, outside the registry's lock (it may call set()).
  void on_render(std::function<void(MetricsRegistry&)> collector);

  // The value of a counter or gauge series (0 if absent), for tests and logs.
  double value(const std::string& name, const Labels& labels = {}) const;
  std::string render();

 private:
  struct Series {
    double value = 0;                   // counter/gauge; histogram sum
    std::vector<double> bucket_counts;  // histogram, cumulative at render
    double count = 0;                   // histogram
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, Series> series;  // by rendered label set "{a=\"b\"}"
  };
  Family& family(const std::string& name, Type expected);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::vector<std::function<void(MetricsRegistry&)>> collectors_;
};

// "{a="x",b="y"}" with Prometheus escaping; "" for no labels.
std::string render_labels(const Labels& labels);

// The daemon's metric families, declared in one place so names stay stable.
void declare_daemon_metrics(MetricsRegistry& registry);

}  // namespace pgdialer::sync
