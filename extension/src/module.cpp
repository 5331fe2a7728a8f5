// Module entry: PG_MODULE_MAGIC and settings.
#include "cpp_boundary.hpp"
#include "settings.hpp"

extern "C" {
#include "fmgr.h"

PG_MODULE_MAGIC;

void _PG_init(void);
}

void _PG_init(void) { pgdialer::glue::define_settings(); }
