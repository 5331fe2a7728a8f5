// metrics: the registry's Prometheus text, checked line by line.
#include "common/metrics.hpp"

#include "webhook/test_support.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace pgdialer::sync::testing {
namespace {

using T = MetricsRegistry::Type;

bool has_line(const std::string& text, const std::string& line) {
  auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(Metrics, CountersRenderWithHelpTypeAndLabels) {
  MetricsRegistry m;
  m.declare("x_total", T::counter, "Things.");
  m.add("x_total", {{"reason", "unauthorized"}});
  m.add("x_total", {{"reason", "unauthorized"}});
  m.add("x_total", {{"reason", "too_large"}}, 3);
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "# HELP x_total Things.")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE x_total counter")) << text;
  EXPECT_TRUE(has_line(text, "x_total{reason=\"unauthorized\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "x_total{reason=\"too_large\"} 3")) << text;
  EXPECT_EQ(m.value("x_total", {{"reason", "unauthorized"}}), 2);
  EXPECT_EQ(m.value("x_total", {{"reason", "nothing"}}), 0);
}

TEST(Metrics, LabelValuesAreEscaped) {
  MetricsRegistry m;
  m.declare("y_total", T::counter, "Y.");
  m.add("y_total", {{"a", "q\"b\\s\nn"}});
  EXPECT_TRUE(has_line(m.render(), "y_total{a=\"q\\\"b\\\\s\\nn\"} 1")) << m.render();
}

TEST(Metrics, GaugesAreSetAndCollectorsRunAtRender) {
  MetricsRegistry m;
  m.declare("depth", T::gauge, "Depth.");
  int depth = 4;
  m.on_render([&](MetricsRegistry& r) { r.set("depth", {}, depth); });
  EXPECT_TRUE(has_line(m.render(), "depth 4"));
  depth = 0;
  EXPECT_TRUE(has_line(m.render(), "depth 0"));
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  MetricsRegistry m;
  m.declare("lat_seconds", T::histogram, "Latency.", {0.1, 1});
  m.observe("lat_seconds", {{"endpoint", "/contacts"}}, 0.05);
  m.observe("lat_seconds", {{"endpoint", "/contacts"}}, 0.5);
  m.observe("lat_seconds", {{"endpoint", "/contacts"}}, 7);
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "# TYPE lat_seconds histogram")) << text;
  EXPECT_TRUE(has_line(text, "lat_seconds_bucket{endpoint=\"/contacts\",le=\"0.1\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "lat_seconds_bucket{endpoint=\"/contacts\",le=\"1\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "lat_seconds_bucket{endpoint=\"/contacts\",le=\"+Inf\"} 3")) << text;
  EXPECT_TRUE(has_line(text, "lat_seconds_sum{endpoint=\"/contacts\"} 7.55")) << text;
  EXPECT_TRUE(has_line(text, "lat_seconds_count{endpoint=\"/contacts\"} 3")) << text;
}

TEST(Metrics, MisuseIsAProgrammingError) {
  MetricsRegistry m;
  m.declare("c_total", T::counter, "C.");
  EXPECT_THROW(m.add("undeclared_total"), std::logic_error);
  EXPECT_THROW(m.set("c_total", {}, 1), std::logic_error);
  EXPECT_THROW(m.add("c_total", {}, -1), std::logic_error);
}

TEST(Metrics, ConcurrentAddsAreAllCounted) {
  MetricsRegistry m;
  m.declare("n_total", T::counter, "N.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.add("n_total", {{"t", "x"}});
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.value("n_total", {{"t", "x"}}), 4000);
}

TEST(Metrics, TheDaemonFamiliesAreDeclared) {
  MetricsRegistry m;
  declare_daemon_metrics(m);
  const std::string text = m.render();
  for (const char* name :
       {"pgdialer_webhooks_accepted_total", "pgdialer_webhooks_rejected_total",
        "pgdialer_webhook_journal_depth", "pgdialer_jobs_finished_total", "pgdialer_push_items_total",
        "pgdialer_phoneburner_request_duration_seconds", "pgdialer_phoneburner_retries_total"})
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
}

// The shipped Grafana dashboard and Prometheus alerts query only series the
// daemon exports: a renamed or removed metric would leave a panel silently
// empty and an alert silently never firing.
void expect_only_declared_series(const char* path) {
  SCOPED_TRACE(path);
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream dashboard;
  dashboard << in.rdbuf();
  MetricsRegistry m;
  declare_daemon_metrics(m);
  const std::string text = m.render();
  auto type_of = [&](const std::string& family) -> std::string {
    const std::string marker = "# TYPE " + family + " ";
    const auto at = text.find(marker);
    if (at == std::string::npos) return "";
    return text.substr(at + marker.size(), text.find('\n', at) - at - marker.size());
  };
  std::set<std::string> queried;
  const std::string body = dashboard.str();
  const std::regex series("pgdialer_[a-z_]+");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), series); it != std::sregex_iterator(); ++it)
    queried.insert(it->str());
  ASSERT_GE(queried.size(), 8u);
  for (const std::string& name : queried) {
    std::string family = name;
    bool histogram_part = false;
    for (const char* suffix : {"_bucket", "_count", "_sum"}) {
      const std::string s = suffix;
      if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
          type_of(family.substr(0, family.size() - s.size())) == "histogram") {
        family.resize(family.size() - s.size());
        histogram_part = true;
      }
    }
    const std::string type = type_of(family);
    EXPECT_FALSE(type.empty()) << name << " is queried by the dashboard but not declared";
    if (!histogram_part) {
      EXPECT_NE(type, "histogram") << name << ": query its _bucket/_count/_sum series";
    }
  }
}

TEST(Metrics, TheGrafanaDashboardQueriesDeclaredSeries) {
  expect_only_declared_series(PGDIALER_GRAFANA_DASHBOARD);
}

TEST(Metrics, ThePrometheusAlertsQueryDeclaredSeries) {
  expect_only_declared_series(PGDIALER_PROMETHEUS_ALERTS);
}

}  // namespace
}  // namespace pgdialer::sync::testing
