// Module entry: PG_MODULE_MAGIC, settings and the core's stop hook.
#include "stop_check.hpp"

#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "fmgr.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

void _PG_init(void) {
  pgdialer::glue::define_settings();
  // Long loops in the core ask this whether to stop (see cpp_boundary.hpp).
  pgdialer::set_stop_hook(&pgdialer::glue::stop_requested);
}
