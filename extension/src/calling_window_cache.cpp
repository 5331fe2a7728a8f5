// Loads what the calling windows need from PostgreSQL. See
// calling_window_cache.hpp; the per-statement key is suppression_cache.cpp's.
#include <memory>
#include <string>
#include <vector>

#include "calling_window.hpp"

#include "calling_window_cache.hpp"
#include "cpp_boundary.hpp"
#include "settings.hpp"
#include "statement_snapshot.hpp"

extern "C" {
#include "access/xact.h"
#include "executor/spi.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
}

namespace pgdialer::glue {

namespace {

StatementCache<std::shared_ptr<const CallingRules>> cache;

// Loads the rules under the active snapshot into `*into`: built in a memory
// context that owns them until the load is complete (an error mid-load frees
// it), then assigned.
void load_rules(std::shared_ptr<const CallingRules>* into) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dialer: SPI_connect failed");
  int rc = SPI_execute(
      "SELECT kind, state, a, b, sunday_calls, holiday_calls, note FROM dialer._calling_window_data()", true,
      0);
  if (rc != SPI_OK_SELECT)
    elog(ERROR, "dialer: reading the calling rules failed: %s", SPI_result_code_string(rc));
  auto* rules = cpp_call([&] { return context_owned<CallingRules>(CurrentMemoryContext); });
  for (uint64 i = 0; i < SPI_processed; ++i) {
    HeapTuple t = SPI_tuptable->vals[i];
    TupleDesc d = SPI_tuptable->tupdesc;
    char* kind = SPI_getvalue(t, d, 1);
    char* state = SPI_getvalue(t, d, 2);
    char* note = SPI_getvalue(t, d, 7);
    bool null_a, null_b, null_sunday, null_holiday;
    int a = DatumGetInt32(SPI_getbinval(t, d, 3, &null_a));
    int b = DatumGetInt32(SPI_getbinval(t, d, 4, &null_b));
    bool sunday = DatumGetBool(SPI_getbinval(t, d, 5, &null_sunday));
    bool holiday = DatumGetBool(SPI_getbinval(t, d, 6, &null_holiday));
    if (kind == nullptr || state == nullptr || null_a) continue;
    cpp_call([&] {
      std::string_view k = kind;
      if (k == "rule") {
        CallingRule rule;
        rule.state = state;
        rule.opens = a;
        rule.closes = null_b ? a : b;
        rule.sunday_calls = null_sunday || sunday;
        rule.holiday_calls = null_holiday || holiday;
        rule.source = note ? note : "";
        rules->add_rule(std::move(rule));
      } else if (k == "holiday") {
        rules->add_holiday(state, a, note ? note : "");
      } else if (k == "area_code") {
        rules->add_area_code(a, state);
      }
    });
  }
  cpp_call([&] { *into = std::make_shared<const CallingRules>(std::move(*rules)); });
  SPI_finish();
}

class PostgresZoneClock final : public ZoneClock {
 public:
  std::vector<const pg_tz*> zones;
  std::optional<int> utc_offset(int zone, std::int64_t unix_seconds) const noexcept override {
    if (zone < 0 || static_cast<std::size_t>(zone) >= zones.size() || zones[zone] == nullptr)
      return std::nullopt;
    pg_time_t t = static_cast<pg_time_t>(unix_seconds);
    struct pg_tm* tm = pg_localtime(&t, zones[zone]);
    if (tm == nullptr) return std::nullopt;
    return static_cast<int>(tm->tm_gmtoff);
  }
};

PostgresZoneClock* clock_instance = nullptr;

}  // namespace

const CallingRules* statement_calling_rules() {
  return cache.get([](std::shared_ptr<const CallingRules>* into) {
    MemoryContext load_context =
        AllocSetContextCreate(CurrentMemoryContext, "dialer calling rules load", ALLOCSET_SMALL_SIZES);
    MemoryContext old = MemoryContextSwitchTo(load_context);
    auto* building =
        cpp_call([&] { return context_owned<std::shared_ptr<const CallingRules>>(load_context); });
    load_rules(building);
    MemoryContextSwitchTo(old);
    *into = *building;
    MemoryContextDelete(load_context);
  });
}

std::shared_ptr<const CallingRules> current_calling_rules_shared() noexcept { return cache.value(); }

const ZoneClock& postgres_zone_clock() {
  if (clock_instance != nullptr) return *clock_instance;
  int count = cpp_call([] { return zone_count(); });
  auto* clock = cpp_call([&] {
    auto* c = new PostgresZoneClock();
    c->zones.resize(count, nullptr);
    return c;
  });
  for (int i = 0; i < count; ++i) {
    std::string_view name = cpp_call([&] { return zone_name(i); });
    char buf[TZ_STRLEN_MAX + 1];
    if (name.size() > TZ_STRLEN_MAX) continue;
    memcpy(buf, name.data(), name.size());
    buf[name.size()] = '\0';
    clock->zones[i] = pg_tzset(buf);
  }
  clock_instance = clock;  // kept for the backend's life
  return *clock_instance;
}

namespace {
char* calling_window_clock_setting = nullptr;
}  // namespace

void define_calling_window_settings() {
  DefineCustomStringVariable(
      "dialer.calling_window_clock",
      "The instant launches check calling windows at, instead of now (a timestamptz; empty: now).",
      "For tests and rehearsals: a launch keeps out the contacts outside their calling window at this "
      "instant. Superuser-only, so no rep can move a launch's clock.",
      &calling_window_clock_setting, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

void prepare_calling_windows() {
  statement_calling_rules();
  postgres_zone_clock();
}

std::shared_ptr<PreviewCallingWindows> make_preview_calling_windows(long long as_of) {
  return std::make_shared<PreviewCallingWindows>(current_calling_rules_shared(), *clock_instance,
                                                 unix_seconds_of(as_of));
}

std::int64_t unix_seconds_of(long long ts) {
  long long micros =
      ts + (static_cast<long long>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC);
  long long s = micros / USECS_PER_SEC;
  if (micros % USECS_PER_SEC < 0) --s;
  return s;
}

long long timestamptz_of(std::int64_t unix_seconds) {
  return (unix_seconds - static_cast<long long>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) *
         USECS_PER_SEC;
}

}  // namespace pgdialer::glue
