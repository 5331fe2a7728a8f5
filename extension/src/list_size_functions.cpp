// fmgr glue for dialer.priority_tier: the priority tier bands of the core
// (priority_tier.hpp), so the push's split by tier and the preview's proposed
// split can never disagree.
#include "priority_tier.hpp"

#include "cpp_boundary.hpp"

extern "C" {
#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(pgdialer_priority_tier);
}

using namespace pgdialer;

// dialer.priority_tier(engagement_score text) RETURNS integer (IMMUTABLE)
extern "C" Datum pgdialer_priority_tier(PG_FUNCTION_ARGS) {
  Text score;
  if (!PG_ARGISNULL(0)) {
    text* t = PG_GETARG_TEXT_PP(0);
    score = std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
  }
  int tier = glue::cpp_call([&] { return priority_tier(score); });
  PG_RETURN_INT32(tier);
}
