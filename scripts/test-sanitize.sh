#!/usr/bin/env bash
# `make test-sanitize`: the unit and integration suites against an
# AddressSanitizer + UndefinedBehaviorSanitizer build, and the extension
# under ASan inside PostgreSQL. Not part of `make test` (it takes longer).
#
#  1. build-sanitize/: the CMake build with PGDIALER_SANITIZE=ON (gcc; every
#     target compiled and linked with -fsanitize=address,undefined): the rules
#     core, the daemon, the fake PhoneBurner and their GoogleTest suites.
#  2. ctest there: the rules core, the daemon and the fake PhoneBurner suites.
#  3. build-sanitize/pgxs/: a copy of the extension's sources built by PGXS
#     with PGDIALER_SANITIZE=ON (the same flags), and the normal extension in
#     the checkout, so that putting it back is only a copy.
#  4. Holding /tmp/pgdialer-pg.lock (PostgreSQL's lib and share dirs are
#     shared by every checkout on the machine, and so is the lock): install
#     the sanitized pgdialer.so, start the test cluster with the sanitizer
#     runtimes preloaded (scripts/pg-cluster-asan.sh), check that a backend
#     really runs it, run pg_regress and then the integration tests (the
#     sanitized pgdialer-sync and fake-phoneburner as children, the sanitized
#     extension in the server), look for sanitizer reports and crashes in the
#     server log and in every child's log, and always (trap) stop the cluster
#     and install the normal pgdialer.so again.
#
# Any sanitizer report fails the run: UBSan is built non-recoverable and
# ASan/LSan/UBSan run with halt_on_error; a child's report fails its test
# (tests/integration/sanitizer_report.hpp) and the logs are searched again at
# the end. Prints the time of each suite and one "N passed, N failed" line;
# exits non-zero on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
build=build-sanitize
pgxs=$build/pgxs
lock=/tmp/pgdialer-pg.lock
pg_config=$(command -v /usr/lib/postgresql/15/bin/pg_config || command -v pg_config)

# For every binary of the sanitized CMake build (tests, daemon, fake): stop at
# the first report of any kind, leaks included. The server has its own
# options (scripts/pg-cluster-asan.sh). No suppressions: the suites run
# clean without any (docs/sanitizers.md says what one may ever hold).
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:print_summary=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

report_pattern='ERROR: (Address|Leak)Sanitizer|SUMMARY: [A-Za-z]*Sanitizer|: runtime error: '

# ---- the phase under the lock (run by the main part below, through flock) ----
pg_phase() {
  local status=0
  restore() {
    scripts/pg-cluster-asan.sh stop test >/dev/null 2>&1
    # The normal build back where every checkout's tests load it from.
    if make -s install >/dev/null 2>&1 &&
      ! readelf -d "$("$pg_config" --pkglibdir)/pgdialer.so" | grep -q 'libasan'; then
      echo "check ok: the normal pgdialer.so is installed again"
    else
      echo "check FAILED: could not install the normal pgdialer.so again (run 'make install')"
    fi
  }
  trap restore EXIT
  trap 'exit 130' INT TERM

  echo "== install the sanitized extension, start the test cluster with libasan preloaded"
  scripts/pg-cluster.sh wipe test >/dev/null 2>&1
  make -C "$pgxs" -s install PGDIALER_SANITIZE=ON >/dev/null || { echo "check FAILED: install"; return 1; }
  scripts/pg-cluster-asan.sh start test || { echo "check FAILED: cluster start"; return 1; }
  eval "$(scripts/pg-cluster.sh env test)"
  local server_log
  server_log="$(dirname "$PGHOST")/postgres.log"

  # A backend that loaded pgdialer maps libasan and a pgdialer.so that needs
  # it: otherwise nothing below would be checked.
  local maps
  maps=$(psql -X -qAt -U postgres -d postgres -c "LOAD 'pgdialer'" -c "SELECT pg_read_file('/proc/self/maps')")
  if grep -q '/libasan\.so' <<<"$maps" && grep -q '/pgdialer\.so' <<<"$maps" &&
    readelf -d "$("$pg_config" --pkglibdir)/pgdialer.so" | grep -q 'libasan'; then
    echo "check ok: backends run the sanitized pgdialer.so with libasan"
  else
    echo "check FAILED: the backend does not run the sanitized pgdialer.so under libasan"
    return 1
  fi

  echo "== regression tests (pg_regress, sanitized extension)"
  make -C "$pgxs" -s installcheck PGUSER=postgres || {
    status=1
    [[ -f $pgxs/regression.diffs ]] && head -n 300 "$pgxs/regression.diffs"
  }

  echo "== integration tests (sanitized pgdialer-sync, fake PhoneBurner and extension)"
  local logs="$repo/$build/integration-logs"
  rm -rf "$logs" && mkdir -p "$logs"
  PGDIALER_TEST_DATABASE_URL="host=$PGHOST port=$PGPORT user=postgres dbname=postgres" \
    PGDIALER_TEST_LOG_DIR="$logs" PGDIALER_PG_CLUSTER_SCRIPT="$repo/scripts/pg-cluster-asan.sh" \
    PGDIALER_PG_CLUSTER_NAME=test \
    "$build/integration_tests" ${PGDIALER_INTEGRATION_FILTER:+--gtest_filter=$PGDIALER_INTEGRATION_FILTER} 2>&1 |
    grep -v '^NOTICE:'
  if [[ ${PIPESTATUS[0]} -ne 0 ]]; then
    status=1
    echo "daemon and fake logs: $logs"
  fi

  echo "== sanitizer reports in the logs"
  # Every child's log (the tests fail on these already; this also catches a
  # child the harness did not start) and the server's, where a report or a
  # backend that died shows even if every query answered.
  local found
  found=$(grep -rEl "$report_pattern" "$logs" 2>/dev/null | grep -v 'sanitizer-report-' || true)
  if [[ -z $found ]]; then
    echo "check ok: no sanitizer report in the daemon's and the fake's logs"
  else
    echo "check FAILED: sanitizer reports in: $found"
    grep -rhE -m3 "$report_pattern" $found | head -n 20
    status=1
  fi
  # A backend that a sanitizer stopped exits with code 86
  # (scripts/pg-cluster-asan.sh); the logical replication launcher's exit
  # code 1 at every shutdown is normal.
  local crash_pattern="$report_pattern|terminated by signal|server process .* exited with exit code [1-9]"
  if grep -qE "$crash_pattern" "$server_log"; then
    echo "check FAILED: sanitizer report or crashed backend in the server log ($server_log):"
    grep -E -B2 -A30 "$crash_pattern" "$server_log" | head -n 80
    status=1
  else
    echo "check ok: no sanitizer report or crashed backend in the server log"
  fi
  return $status
}

if [[ ${1:-} == --pg-phase ]]; then
  pg_phase
  exit $?
fi

# ---- the main part ----
passed=0
failed=0
suite_failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
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

suite "build (ASan + UBSan, gcc, $build)"
build_all() {
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGDIALER_SANITIZE=ON >/dev/null || return 1
  cmake --build "$build" -j2 --target unit_tests fake_phoneburner_tests daemon_unit_tests integration_tests \
    pgdialer-sync fake-phoneburner >"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; return 1; }
  # The extension's sources, mirrored into a PGXS tree of its own (PGXS puts
  # objects next to the sources; the checkout's own build stays normal).
  # tests/contract is read by pg_regress's call_events test.
  mkdir -p "$pgxs"
  for d in extension sql expected tests/contract; do
    mkdir -p "$pgxs/$d"
    cp -a -u "$d/." "$pgxs/$d/"
    # Sources deleted from the checkout go from the copy too.
    (cd "$pgxs/$d" && find . -type f ! -name '*.o' ! -name '*.so' ! -name '*.bc' ! -path '*/.deps/*' \
      ! -name 'pgdialer--1.1.sql*' ! -name 'pgdialer--1.0--1.1.sql*' -print0 | while IFS= read -r -d '' f; do
        [[ -e $repo/$d/$f ]] || rm -f "$f"
      done)
  done
  cp -a -u Makefile "$pgxs/Makefile"
  make -C "$pgxs" -s -j2 PGDIALER_SANITIZE=ON >>"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; return 1; }
  # The normal extension, put back after the sanitized one (only a copy then).
  make -s -j2 >>"$build/build.log" 2>&1 || { tail -n 60 "$build/build.log"; return 1; }
}
build_all || {
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
}

suite "unit tests (GoogleTest, sanitized)"
(cd "$build" && ctest --output-on-failure -j2) | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
if read -r unit_failed unit_total < <(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1 \2/p' "$log"); then
  failed=$((failed + unit_failed))
  passed=$((passed + unit_total - unit_failed))
fi

suite "extension under ASan in PostgreSQL, pg_regress, integration tests (holding $lock)"
# flock -o: the lock is not inherited by the server the phase starts.
flock -o "$lock" "$0" --pg-phase 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || suite_failed=1
ok=$(grep -cE '^(ok|test) .*\.\.\. +ok|^\[ +OK \]|^check ok: ' "$log")
bad=$(grep -cE '\.\.\. +FAILED|^\[ +FAILED +\] .*\([0-9]+ ms\)$|^check FAILED: ' "$log")
passed=$((passed + ok))
failed=$((failed + bad))

end_suite
echo "== time per suite"
printf '%s\n' "${timings[@]}"
printf '%6ds  total\n' "$SECONDS"
# A suite that failed without naming a failing test still counts as one failure.
if [[ $suite_failed -ne 0 && $failed -eq 0 ]]; then failed=1; fi
echo "$passed passed, $failed failed"
[[ $suite_failed -eq 0 && $failed -eq 0 ]]
