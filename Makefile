# pgdialer — PGXS build of the extension, plus the project's convenience targets.
#
#   make                 build the extension (PGXS), including its install script,
#                        generated from extension/sql/*.sql
#   make install         install it into the PostgreSQL found by pg_config
#   make installcheck    pg_regress against a running server (PGHOST/PGPORT/PGUSER)
#   make check-regress-list  check that REGRESS names exactly the tests in sql/
#   make check-released  check that the released install scripts are unchanged
#                        (extension/released.sha256; part of every make)
#
#   make demo            install what is missing, build, run the demo on a private cluster
#   make test            install what is missing, build, run GoogleTest, pg_regress, the
#                        integration tests (daemon + fake PhoneBurner), the docs' SQL
#                        examples, the fuzz targets (a few seconds each), the systemd
#                        unit check, the docs' systemd recipe (in a scratch root), the
#                        docs' file references,
#                        the C++ formatting and, last, the Debian packages (built,
#                        installed, used, purged); prints the time of each suite
#   make test-pg-upgrade the upgrade and dump tests (scripts/test-upgrade.sh) and a
#                        real pg_upgrade of a cluster holding pgdialer between two
#                        private clusters (about a minute; not in make test)
#   make test-faults     make test with 20 SIGKILL cycles of the daemon mid-push (not 3)
#                        and the full fault and load run (PGDIALER_FAULT_LOAD=full): 50
#                        reps pushing, 3 daemons, fake PhoneBurner faults, 2 PostgreSQL
#                        restarts, daemon SIGKILLs, webhooks (hostile too) for a few
#                        minutes; fails unless lost = 0 and duplicated = 0. make test
#                        runs it bounded (about 25 s)
#   make test-sanitize   ASan + UBSan build (gcc, build-sanitize/) of the core, the daemon,
#                        the fake and their tests: the GoogleTest suites, then pg_regress and
#                        the integration tests with the extension under ASan inside the
#                        test cluster (libasan preloaded); any report fails (not in make test:
#                        docs/sanitizers.md)
#   make fuzz            the libFuzzer targets of tests/fuzz/, 60 s each (FUZZ_SECONDS=N),
#                        clang build in build-fuzz/
#   make bench           benchmarks (prints ratios; never fails on timings)
#   make deps            install the Debian packages the project needs
#   make deb             the Debian packages postgresql-15-pgdialer and pgdialer-sync
#                        (dpkg-buildpackage on a copy of the tree, into build-deb/;
#                        docs/install.md)
#   make unit            build and run the GoogleTest suite only
#   make demo-stop       stop the demo cluster, daemon and fake if any is left running
#   make format          apply .clang-format to every C++ file (make test checks it)

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

MODULE_big = pgdialer
CORE_SRCS = $(sort $(wildcard extension/core/*.cpp))
GLUE_SRCS = $(sort $(wildcard extension/src/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(GLUE_SRCS:.cpp=.o)
# The time zones of number prefixes (calling windows), generated from
# python3-phonenumbers; the script fails the build unless its release is the
# linked libphonenumber's.
OBJS += extension/gen/number_zones_data.o
EXTRA_CLEAN = extension/gen/number_zones_data.cpp

MODULEDIR = extension
# Versions (docs/upgrades.md). The newest version's install script is
# generated (not committed): the concept files of extension/sql/, in the order
# of their numeric prefixes, concatenated. A released version's install script
# is committed as it was released and never edited (extension/pgdialer--1.0.sql).
# Each upgrade script is generated from its steps, extension/upgrades/FROM--TO/*.sql,
# one file per concept that changed, in the order of their numeric prefixes.
EXTVERSION = 1.1
EXTENSION_SQL = $(sort $(wildcard extension/sql/*.sql))
UPGRADE_1_0_SQL = $(sort $(wildcard extension/upgrades/1.0--1.1/*.sql))
DATA = extension/pgdialer.control extension/pgdialer--1.0.sql
DATA_built = extension/pgdialer--$(EXTVERSION).sql extension/pgdialer--1.0--1.1.sql

# One pg_regress file per feature, in sql/ with expected output in expected/.
REGRESS = e164 phone_info settings exclusion is_dialable contact_rows planner_support maintained_phone \
          session_name dial_time payload talking_points preview preview_jsonb preview_limits push_queue launch call_events \
          session_manage session_stats no_crash suppressions roles \
          list_size deals writeback_fields metrics filters lists segments entry_points smart_lists templates \
          daemon_versions calling_rules number_states frequency_caps shared_numbers registry_scrubs retention \
          calling_window
REGRESS_OPTS = --load-extension=pgdialer
# installcheck first checks that REGRESS names exactly the files in sql/.
REGRESS_PREP = check-regress-list
# dialer.exclusion's per-call-site result cache (issue 12)
REGRESS += exclusion_results

PG_CPPFLAGS = -Iextension/core -Iextension/src
PG_CXXFLAGS = -std=c++17 -fvisibility-inlines-hidden -Wno-missing-field-initializers \
              -Wno-unused-parameter -Wno-register
# The libraries are listed once, in extension/link_libraries.txt (CMake reads it too).
EXTENSION_LIBS := $(shell grep -v '^\#' extension/link_libraries.txt)
# scripts/run-tests.sh builds with PGDIALER_WERROR=ON: warnings fail the test build.
ifeq ($(PGDIALER_WERROR),ON)
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK = $(addprefix -l,$(EXTENSION_LIBS)) -lstdc++
# scripts/test-sanitize.sh builds a copy of the extension (in build-sanitize/)
# with AddressSanitizer and UBSan, for a server started with libasan
# preloaded (scripts/pg-cluster-asan.sh).
ifeq ($(PGDIALER_SANITIZE),ON)
PG_CXXFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SHLIB_LINK += -fsanitize=address,undefined
endif

# PGXS would also build LLVM bitcode with clang, which does not get our -std.
# The extension gains nothing from JIT inlining of these calls.
override with_llvm = no
# Rebuild objects when a header they include changes (PGXS tracks .deps/*.Po).
override autodepend = yes

ifneq ($(PGXS),)
include $(PGXS)
# A released install script is never edited (docs/upgrades.md): every build
# checks it against the checksum recorded at its release.
all: check-released
# PGXS passes CFLAGS to C++ too; a few of its C-only warnings are noise there.
override CXXFLAGS := $(filter-out -Wmissing-prototypes -Wdeclaration-after-statement,$(CXXFLAGS))
else
all install installcheck:
	@echo "pg_config not found: run 'make deps' first (installs postgresql-server-dev-15)." >&2; exit 1
endif

# extension/released.sha256: the sha256 of each released install script, added
# when the version is released (scripts/test-upgrade.sh checks it too).
.PHONY: check-released
check-released:
	@cd extension && sha256sum --quiet --strict -c released.sha256 >/dev/null 2>&1 || { \
	  echo "Makefile: a released install script was edited; it must stay as released:" >&2; \
	  sha256sum --strict -c released.sha256 2>&1 | grep -E ': FAILED' | sed 's|^|  extension/|' >&2; \
	  echo "  restore it (git checkout -- extension/pgdialer--VERSION.sql) and put the change into" >&2; \
	  echo "  extension/sql/ and a step of extension/upgrades/ (docs/upgrades.md)" >&2; exit 1; }

# The install script: a header naming its sources, the guard against running
# it with psql, then each concept file under a line naming it.
extension/pgdialer--$(EXTVERSION).sql: $(EXTENSION_SQL) Makefile
	@{ printf '%s\n' '-- pgdialer $(EXTVERSION): calling-list rules for PhoneBurner pushes.' '--' \
	     '-- GENERATED by make from these files, in this order; edit them, not this file:'; \
	   for f in $(EXTENSION_SQL); do printf -- '--   %s\n' "$$f"; done; \
	   printf '\n%s\n' '\echo Use "CREATE EXTENSION pgdialer" to load this file. \quit'; \
	   for f in $(EXTENSION_SQL); do \
	     printf '\n-- %s\n-- %s\n-- %s\n\n' '==========================================================================' \
	       "$$f" '=========================================================================='; \
	     cat "$$f"; \
	   done; } >$@.tmp
	@mv $@.tmp $@

# An upgrade script: the same framing over its steps. ALTER EXTENSION pgdialer
# UPDATE runs it in one transaction, as the extension's owner.
extension/pgdialer--1.0--1.1.sql: $(UPGRADE_1_0_SQL) Makefile
	@{ printf '%s\n' '-- pgdialer 1.0 -> 1.1: ALTER EXTENSION pgdialer UPDATE TO '"'"'1.1'"'"'.' '--' \
	     '-- GENERATED by make from these files, in this order; edit them, not this file:'; \
	   for f in $(UPGRADE_1_0_SQL); do printf -- '--   %s\n' "$$f"; done; \
	   printf '\n%s\n' '\echo Use "ALTER EXTENSION pgdialer UPDATE" to load this file. \quit'; \
	   for f in $(UPGRADE_1_0_SQL); do \
	     printf '\n-- %s\n-- %s\n-- %s\n\n' '==========================================================================' \
	       "$$f" '=========================================================================='; \
	     cat "$$f"; \
	   done; } >$@.tmp
	@mv $@.tmp $@

extension/gen/number_zones_data.cpp: extension/gen/number_zones.py
	/usr/bin/python3 extension/gen/number_zones.py $@

# REGRESS is an explicit list because the order matters; this keeps it equal
# to the set of files in sql/ (a test left out, or listed without its file,
# fails here instead of being skipped).
.PHONY: check-regress-list
check-regress-list:
	@status=0; \
	for t in $(REGRESS); do \
	  [ -f sql/$$t.sql ] || { echo "Makefile: REGRESS lists $$t but sql/$$t.sql does not exist" >&2; status=1; }; \
	  [ -f expected/$$t.out ] || { echo "Makefile: REGRESS lists $$t but expected/$$t.out does not exist" >&2; status=1; }; \
	done; \
	for f in sql/*.sql; do \
	  t=$${f#sql/}; t=$${t%.sql}; \
	  case " $(strip $(REGRESS)) " in *" $$t "*) ;; \
	    *) echo "Makefile: $$f is not in REGRESS: add it there, in the order it should run" >&2; status=1;; esac; \
	done; \
	if [ $(words $(REGRESS)) -ne $(words $(sort $(REGRESS))) ]; then \
	  echo "Makefile: REGRESS lists a test twice" >&2; status=1; fi; \
	exit $$status

.PHONY: deps demo demo-stop test test-faults test-sanitize unit bench build-core format fuzz test-pg-upgrade
deps:
	@scripts/install-deps.sh

build-core: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$$(nproc)

unit: build-core
	@cd build && ctest --output-on-failure -j$$(nproc)

test: deps check-regress-list
	@scripts/run-tests.sh

test-faults: deps check-regress-list
	@PGDIALER_KILL_CYCLES=20 PGDIALER_FAULT_LOAD=full scripts/run-tests.sh

# Against the installed extension (make install first) and a private cluster.
test-pg-upgrade: all
	@scripts/pg-cluster.sh start test && eval "$$(scripts/pg-cluster.sh env test)" && \
	  PGDIALER_TEST_PG_UPGRADE=1 scripts/test-upgrade.sh

# Takes the PostgreSQL lock itself for the phase that installs and starts a cluster.
test-sanitize: deps check-regress-list
	@scripts/test-sanitize.sh

# FUZZ_SECONDS per target (default 60); `make fuzz FUZZ_SECONDS=600`.
fuzz: deps
	@scripts/fuzz.sh

.PHONY: deb
deb: deps
	@scripts/build-deb.sh

demo: deps
	@scripts/demo.sh

demo-stop:
	@scripts/demo.sh stop

bench: deps
	@scripts/bench.sh

format:
	@scripts/check-format.sh --fix
