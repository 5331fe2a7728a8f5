#!/usr/bin/env bash
# `make test`: build, run the GoogleTest suites, then pg_regress, the
# integration tests, the SQL examples of the docs and the upgrade and dump
# tests (scripts/test-upgrade.sh) against a temporary
# private cluster that is stopped again whatever happens, then the libFuzzer
# targets for a few seconds each (scripts/fuzz.sh), the systemd
# unit check, the docs' systemd install recipe run in a scratch root, the
# check of file references in comments and docs, the C++ formatting
# check (.clang-format), and last the Debian packages, built, installed,
# used and purged (scripts/test-deb.sh). Prints the time of each suite.
# Exits non-zero on any failure and ends with one "N passed, N failed" line
# that counts individual tests of every suite.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

passed=0
failed=0
suite_failed=0
log=$(mktemp)
trap 'scripts/pg-cluster.sh stop test >/dev/null 2>&1; rm -f "$log"' EXIT

# Each suite's wall time, printed at the end with the total.
timings=()
suite_name=""
suite_start=0
end_suite() {
  [[ -n $suite_name ]] && timings+=("$(printf '%6ds  %s' $((SECONDS - suite_start)) "$suite_name")")
  suite_name=""
}
suite() {
  end_suite
  suite_name=$1
  suite_start=$SECONDS
  echo "== $1"
}
print_timings() {
  end_suite
  echo "== time per suite"
  printf '%s\n' "${timings[@]}"
  printf '%6ds  total\n' "$SECONDS"
}

suite "build"
# The test build treats every compiler warning as an error.
PGDIALER_WERROR=ON scripts/build.sh || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

suite "unit tests (GoogleTest)"
(cd build && ctest --output-on-failure -j"$(nproc)") | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
# "100% tests passed, 0 tests failed out of 57"
if read -r unit_failed unit_total < <(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$log"); then
  failed=$((failed + unit_failed)); passed=$((passed + unit_total - unit_failed))
fi

suite "regression tests (pg_regress)"
regression() {
  scripts/pg-cluster.sh wipe test >/dev/null 2>&1 || true
  scripts/pg-cluster.sh start test || return 1
  eval "$(scripts/pg-cluster.sh env test)"
  local status=0
  make -s installcheck PGUSER=postgres || status=$?
  [[ $status -ne 0 && -f regression.diffs ]] && head -n 300 regression.diffs
  # A backend that crashed shows in the server log even if the output matched.
  if grep -E "terminated by signal|was terminated by" "$(dirname "$PGHOST")/postgres.log"; then
    echo "a backend crashed during the regression tests" >&2
    status=1
  fi
  return $status
}
regression | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^(ok|test) .*\.\.\. +ok' "$log")
bad=$(grep -cE '\.\.\. +FAILED' "$log")
passed=$((passed + ok)); failed=$((failed + bad))

suite "integration tests (PostgreSQL + pgdialer-sync + fake PhoneBurner)"
integration() {
  scripts/pg-cluster.sh start test || return 1
  eval "$(scripts/pg-cluster.sh env test)"
  local logs="$repo/build/integration-logs"
  rm -rf "$logs" && mkdir -p "$logs"
  PGDIALER_TEST_DATABASE_URL="host=$PGHOST port=$PGPORT user=postgres dbname=postgres" \
    PGDIALER_TEST_LOG_DIR="$logs" PGDIALER_PG_CLUSTER_SCRIPT="$repo/scripts/pg-cluster.sh" \
    PGDIALER_PG_CLUSTER_NAME=test \
    build/integration_tests ${PGDIALER_INTEGRATION_FILTER:+--gtest_filter=$PGDIALER_INTEGRATION_FILTER}
  local status=$?
  [[ $status -ne 0 ]] && echo "daemon and fake logs: $logs"
  return $status
}
integration 2>&1 | grep -v '^NOTICE:' | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^\[ +OK \]' "$log")
bad=$(grep -cE '^\[ +FAILED +\] .*\([0-9]+ ms\)$' "$log")
passed=$((passed + ok)); failed=$((failed + bad))

suite "SQL examples of README.md and docs/ (one test per block)"
doc_sql() {
  scripts/pg-cluster.sh start test || return 1
  eval "$(scripts/pg-cluster.sh env test)"
  scripts/check-doc-sql.sh
}
doc_sql 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^ok [^ ]+:[0-9]+$' "$log")
bad=$(grep -cE '^FAILED [^ ]+:[0-9]+$' "$log")
passed=$((passed + ok)); failed=$((failed + bad))

suite "upgrade and dump (1.0 -> newest, pg_dump / pg_restore, pg_upgrade's reg* check)"
upgrade() {
  scripts/pg-cluster.sh start test || return 1
  eval "$(scripts/pg-cluster.sh env test)"
  scripts/test-upgrade.sh
}
upgrade 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^ok ' "$log")
bad=$(grep -cE '^FAILED ' "$log")
passed=$((passed + ok)); failed=$((failed + bad))
scripts/pg-cluster.sh stop test

suite "fuzz targets (seed corpus + ${PGDIALER_TEST_FUZZ_SECONDS:-4} s each, clang, build-fuzz)"
# One test per target: its seed corpus (the regression inputs) must pass and
# a short bounded fuzzing run must find nothing. `make fuzz` runs them longer.
FUZZ_SECONDS=${PGDIALER_TEST_FUZZ_SECONDS:-4} scripts/fuzz.sh 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^ok [a-z_0-9]+ ' "$log")
bad=$(grep -cE '^FAILED ' "$log")
passed=$((passed + ok)); failed=$((failed + bad))

suite "systemd unit"
if scripts/verify-unit.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); suite_failed=1; fi

suite "systemd recipe of docs/daemon.md (scratch root)"
if scripts/check-systemd-recipe.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); suite_failed=1; fi

suite "file references in comments and docs"
if scripts/check-file-refs.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); suite_failed=1; fi

suite "C++ formatting (.clang-format)"
if scripts/check-format.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); suite_failed=1; fi

suite "tables generated from libphonenumber's metadata"
if /usr/bin/python3 extension/gen/number_states.py --check; then passed=$((passed + 1)); else
  failed=$((failed + 1)); suite_failed=1
fi

# Last: installing the packages replaces the extension's installed files;
# the script puts the tree's build back (make -s install) when it is done.
suite "Debian packages (make deb, install, extension and daemon from them, purge)"
if scripts/test-deb.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); suite_failed=1; fi

# A suite that failed without naming a failing test (a crash, a build or
# cluster error) still counts as one failure.
if [[ $suite_failed -ne 0 && $failed -eq 0 ]]; then failed=1; fi
print_timings
echo "$passed passed, $failed failed"
[[ $suite_failed -eq 0 && $failed -eq 0 ]]
