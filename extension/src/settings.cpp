// dialer.default_region, dialer.min_days_between_calls, dialer.minutes_per_contact,
// dialer.acting_user, dialer.preview_memory_limit.
// All but the memory limit are PGC_USERSET, so they can be set per session,
// role or database (ALTER ROLE ... SET / ALTER DATABASE ... SET), and are
// validated here with clear messages rather than when a function first uses
// them. The memory limit guards the server, not one session's preference, so
// only a superuser (or a role granted SET on it) may change it.
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include "phone.hpp"

#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace pgdialer::glue {

namespace {

char* region_setting = nullptr;
char* acting_user_setting = nullptr;
int min_days_setting = 7;
double minutes_setting = 2.5;
int preview_memory_limit_kb = 256 * 1024;

// Check hooks must not throw or longjmp out of C++: ask the core inside a
// try block and report through GUC_check_errdetail afterwards.
bool check_region(char** newval, void** extra, GucSource source) {
  if (*newval == nullptr) return true;
  bool known = false;
  char canonical[8] = {0};
  try {
    known = pgdialer::is_known_region(*newval);
    if (known) {
      std::string c = pgdialer::canonical_region(*newval);
      snprintf(canonical, sizeof canonical, "%s", c.c_str());
    }
  } catch (...) {
    known = false;
  }
  if (!known) {
    GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
    GUC_check_errdetail("\"%s\" is not a region code libphonenumber knows.", *newval);
    GUC_check_errhint("Use an ISO 3166-1 alpha-2 code such as \"US\", \"CA\" or \"GB\".");
    return false;
  }
  // Store the canonical (upper-case) spelling. PostgreSQL 15 frees string
  // settings with free(), so the replacement must come from malloc().
  char* copy = static_cast<char*>(malloc(strlen(canonical) + 1));
  if (copy == nullptr) return false;
  strcpy(copy, canonical);
  free(*newval);
  *newval = copy;
  return true;
}

bool check_minutes(double* newval, void** extra, GucSource source) {
  if (*newval > 0) return true;
  GUC_check_errdetail("dialer.minutes_per_contact must be greater than zero.");
  return false;
}

}  // namespace

void define_settings() {
  DefineCustomStringVariable("dialer.default_region",
                             "Region for phone numbers written without a country code (ISO 3166-1 alpha-2).",
                             "Used by dialer.e164, dialer.exclusion, dialer.preview and the other functions "
                             "when no region argument is given.",
                             &region_setting, "US", PGC_USERSET, 0, check_region, nullptr, nullptr);
  DefineCustomIntVariable(
      "dialer.min_days_between_calls",
      "Contacts called fewer whole days ago than this are excluded as recently contacted.",
      "0 disables the recency check.", &min_days_setting, 7, 0, 365, PGC_USERSET, 0, nullptr, nullptr,
      nullptr);
  DefineCustomRealVariable("dialer.minutes_per_contact",
                           "Average minutes a contact takes to dial (ring, talk and disposition).",
                           "Used for the estimated dial time.", &minutes_setting, 2.5, 0.0, 1440.0,
                           PGC_USERSET, 0, check_minutes, nullptr, nullptr);
  DefineCustomStringVariable(
      "dialer.acting_user",
      "The person the application acts for (set with SET LOCAL); recorded on every push.",
      "Empty means session_user. The application usually connects as one role, so this is "
      "how pushes, overrides and sessions are attributed to a rep.",
      &acting_user_setting, "", PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dialer.preview_memory_limit",
      "Most memory one dialer.preview, dialer.preview_agg or dialer.classify_list call may hold.",
      "The working state (distinct contact ids and phone numbers, excluded rows) lives in a "
      "PostgreSQL memory context; past this size the call fails with SQLSTATE 54000 instead of "
      "growing the backend.",
      &preview_memory_limit_kb, 256 * 1024, 1024, MAX_KILOBYTES, PGC_SUSET, GUC_UNIT_KB, nullptr, nullptr,
      nullptr);
  define_calling_window_settings();
  MarkGUCPrefixReserved("dialer");
}

const char* default_region() { return region_setting ? region_setting : "US"; }
int min_days_between_calls() { return min_days_setting; }
double minutes_per_contact() { return minutes_setting; }
std::size_t preview_memory_limit_bytes() { return static_cast<std::size_t>(preview_memory_limit_kb) * 1024; }

}  // namespace pgdialer::glue
