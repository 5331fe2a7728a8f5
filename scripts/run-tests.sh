#!/usr/bin/env bash
# `make test`: build, run the GoogleTest suite, then pg_regress against a
# temporary private cluster that is stopped again whatever happens.
# Exits non-zero on any failure and ends with one "N passed, N failed" line.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

passed=0
failed=0
step() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); echo "-- $name: ok"
  else failed=$((failed + 1)); echo "-- $name: FAILED"; fi
}

scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }

unit_tests() { (cd build && ctest --output-on-failure -j"$(nproc)"); }

regression() {
  scripts/pg-cluster.sh wipe test >/dev/null 2>&1 || true
  scripts/pg-cluster.sh start test || return 1
  eval "$(scripts/pg-cluster.sh env test)"
  local status=0
  make -s installcheck PGUSER=postgres || status=$?
  if [[ $status -ne 0 && -f regression.diffs ]]; then head -n 200 regression.diffs; fi
  # A backend that crashed would show in the server log even if output matched.
  if grep -E "terminated by signal|server process .* was terminated" "$(dirname "$PGHOST")/postgres.log"; then
    echo "a backend crashed during the regression tests" >&2
    status=1
  fi
  return $status
}

trap 'scripts/pg-cluster.sh stop test >/dev/null 2>&1' EXIT
step "unit tests (GoogleTest)" unit_tests
step "regression tests (pg_regress)" regression
scripts/pg-cluster.sh stop test

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
