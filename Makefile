# pgdialer — PGXS build of the extension, plus the project's convenience targets.
#
#   make                 build the extension (PGXS)
#   make install         install it into the PostgreSQL found by pg_config
#   make installcheck    pg_regress against a running server (PGHOST/PGPORT/PGUSER)
#
#   make demo            install what is missing, build, run the demo on a private cluster
#   make test            install what is missing, build, run GoogleTest, pg_regress, the
#                        integration tests (daemon + fake PhoneBurner), the docs' SQL
#                        examples, the systemd unit check and the docs' file references
#   make test-faults     make test with 20 SIGKILL cycles of the daemon mid-push (not 3)
#   make bench           benchmarks (prints ratios; never fails on timings)
#   make deps            install the Debian packages the project needs
#   make unit            build and run the GoogleTest suite only
#   make demo-stop       stop the demo cluster, daemon and fake if any is left running

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

MODULE_big = pgdialer
CORE_SRCS = $(sort $(wildcard extension/core/*.cpp))
GLUE_SRCS = $(sort $(wildcard extension/src/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(GLUE_SRCS:.cpp=.o)

MODULEDIR = extension
DATA = extension/pgdialer.control $(wildcard extension/sql/pgdialer--*.sql)

# One pg_regress file per feature, in sql/ with expected output in expected/.
REGRESS = e164 phone_info settings exclusion is_dialable contact_rows planner_support \
          session_name dial_time payload talking_points preview push_queue launch call_events \
          session_manage session_stats no_crash suppressions
REGRESS_OPTS = --load-extension=pgdialer

PG_CPPFLAGS = -Iextension/core -Iextension/src
PG_CXXFLAGS = -std=c++17 -fvisibility-inlines-hidden -Wno-missing-field-initializers \
              -Wno-unused-parameter -Wno-register
SHLIB_LINK = -lphonenumber -lgeocoding -lre2 -lprotobuf -licuuc -licui18n -lstdc++

# PGXS would also build LLVM bitcode with clang, which does not get our -std.
# The extension gains nothing from JIT inlining of these calls.
override with_llvm = no
# Rebuild objects when a header they include changes (PGXS tracks .deps/*.Po).
override autodepend = yes

ifneq ($(PGXS),)
include $(PGXS)
# PGXS passes CFLAGS to C++ too; a few of its C-only warnings are noise there.
override CXXFLAGS := $(filter-out -Wmissing-prototypes -Wdeclaration-after-statement,$(CXXFLAGS))
else
all install installcheck:
	@echo "pg_config not found: run 'make deps' first (installs postgresql-server-dev-15)." >&2; exit 1
endif

.PHONY: deps demo demo-stop test test-faults unit bench build-core
deps:
	@scripts/install-deps.sh

build-core: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$$(nproc)

unit: build-core
	@cd build && ctest --output-on-failure -j$$(nproc)

test: deps
	@scripts/run-tests.sh

test-faults: deps
	@PGDIALER_KILL_CYCLES=20 scripts/run-tests.sh

demo: deps
	@scripts/demo.sh

demo-stop:
	@scripts/demo.sh stop

bench: deps
	@scripts/bench.sh
