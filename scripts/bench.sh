#!/usr/bin/env bash
# `make bench`: pgdialer's benchmarks on the private bench cluster.
#
#   1. build/bench_e164: the plain libphonenumber loop against pgdialer's C++
#      to_e164 over 1M generated numbers (its own timings), dumping them;
#   2. bench/rules_bench.sql: 1M SourceCo contacts; dialer.exclusion against a
#      hand-written SQL floor and a PL/pgSQL baseline, dialer.preview of a
#      10,000-contact list, dialer.e164 over the dumped numbers; then
#      bench/messy_bench.sql: the same on a 10-column CRM export where about
#      half of the numbers do not normalize, with a maintained phone_e164,
#      with one kept by hand, and without the column; then
#      bench/segments_bench.sql: segments (the filter language compiled to SQL)
#      against the same filters written by hand, counts, plans and timings;
#      bench/frequency_caps_bench.sql: the preview's frequency_capped section
#      on 10,000 contacts against 300,000 calls, with and without a cap;
#      bench/calling_window_bench.sql: the calling-window check on top of
#      the classification, and a 10,000-contact preview with windows;
#   3. build/push_bench: the push queue end to end (a fresh database on the
#      bench cluster, the real pgdialer-sync, the fake PhoneBurner): enqueue ->
#      first contact over 100 small pushes, 1,000 and 10,000 contacts against
#      a 150 ms PhoneBurner, the daemon's peak RSS.
#
# Prints timings and ratios against baselines measured in the same run and
# never fails on them; it exits non-zero only when answers differ (a
# "DIFFERENT" line) or something breaks. Stops the bench cluster when done.
#
#   PGDIALER_BENCH_ROWS=N  contacts to generate (default 1000000)
#   PGDIALER_SKIP_BUILD=1  use the extension and build/ as they are
#   PGDIALER_BENCH_E164=P  the bench_e164 program to run (default build/bench_e164)
#   PGDIALER_BENCH_ONLY=rules|push  run only that part (default: both)
#   PGDIALER_BENCH_PUSH_ARGS="..."  extra push_bench arguments (push_bench --help)
#   PGDIALER_BENCH_LOG_DIR=D        push_bench's daemon/fake logs (default build/bench-logs)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
rows=${PGDIALER_BENCH_ROWS:-1000000}
bench_e164=${PGDIALER_BENCH_E164:-build/bench_e164}
only=${PGDIALER_BENCH_ONLY:-}
case "$only" in ''|rules|push) ;; *) echo "PGDIALER_BENCH_ONLY must be rules or push" >&2; exit 2 ;; esac
push_logs=${PGDIALER_BENCH_LOG_DIR:-$repo/build/bench-logs}

tmp=$(mktemp -d /tmp/pgdialer-bench.XXXXXX)
cleanup() {
  scripts/pg-cluster.sh stop bench || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$tmp"  # the server reads the dumped numbers with COPY

started=$(date +%s)
if [[ ${PGDIALER_SKIP_BUILD:-} != 1 ]]; then
  echo "==> Building and installing pgdialer (scripts/build.sh, log in build.log)"
  scripts/build.sh
fi

plain_us='' fast_us='' dump='' differences=0
if [[ $only != push ]]; then
  if [[ -x $bench_e164 ]]; then
    echo "==> $bench_e164: plain libphonenumber loop vs pgdialer to_e164 (C++, no PostgreSQL)"
    if ! "$bench_e164" --dump "$tmp/e164.tsv" | tee "$tmp/bench_e164.out"; then
      echo "    bench_e164 failed or reported different outputs (see above)"
      differences=1
    fi
    # "  libphonenumber Parse+IsValidNumber+Format   12.34 s   12.34 us/number   1.00x"
    us_per_number() { awk -v label="$1" 'index($0, label) { for (i = 2; i <= NF; i++) if ($i == "us/number") print $(i - 1) }' "$tmp/bench_e164.out" | head -n 1; }
    plain_us=$(us_per_number 'libphonenumber Parse')
    fast_us=$(us_per_number 'pgdialer to_e164')
    if [[ -s $tmp/e164.tsv ]]; then
      chmod 644 "$tmp/e164.tsv"
      dump=$tmp/e164.tsv
    fi
  else
    echo "==> $bench_e164 not built: skipping the C++ baseline and the dumped numbers"
    echo "    (so dialer.e164 is not compared with the plain libphonenumber loop in this run)"
  fi
fi

echo
echo "==> Starting the bench cluster"
scripts/pg-cluster.sh start bench
eval "$(scripts/pg-cluster.sh env bench)"

if [[ $only != push ]]; then
  echo "==> bench/rules_bench.sql ($rows contacts)"
  echo
  if ! psql -X -v rows="$rows" -v e164_file="$dump" -v plain_us="$plain_us" -v fast_us="$fast_us" \
       -f bench/rules_bench.sql 2>&1 | tee "$tmp/rules_bench.out"; then
    echo "bench/rules_bench.sql failed" >&2
    exit 1
  fi
  echo
  echo "==> bench/messy_bench.sql ($rows contacts, about half of the numbers invalid)"
  if ! psql -X -v rows="$rows" -f bench/messy_bench.sql 2>&1 | tee "$tmp/messy_bench.out"; then
    echo "bench/messy_bench.sql failed" >&2
    exit 1
  fi
  echo
  echo "==> bench/segments_bench.sql (segments against the same filters written by hand, $rows contacts)"
  if ! psql -X -f bench/segments_bench.sql 2>&1 | tee "$tmp/segments_bench.out"; then
    echo "bench/segments_bench.sql failed" >&2
    exit 1
  fi
  echo
  echo "==> bench/frequency_caps_bench.sql (the preview's frequency_capped section, 10,000 contacts)"
  if ! psql -X -f bench/frequency_caps_bench.sql 2>&1 | tee "$tmp/frequency_caps_bench.out"; then
    echo "bench/frequency_caps_bench.sql failed" >&2
    exit 1
  fi
  echo
  echo "==> bench/calling_window_bench.sql (the calling-window check over the same $rows contacts)"
  if ! psql -X -f bench/calling_window_bench.sql 2>&1 | tee "$tmp/calling_window_bench.out"; then
    echo "bench/calling_window_bench.sql failed" >&2
    exit 1
  fi
fi

push_failed=0
if [[ $only != rules ]]; then
  echo
  echo "==> build/push_bench: the push queue end to end (logs in $push_logs)"
  mkdir -p "$push_logs"
  # shellcheck disable=SC2086  # PGDIALER_BENCH_PUSH_ARGS is a list of arguments
  if ! PGDIALER_TEST_DATABASE_URL="host=$PGHOST port=$PGPORT user=postgres dbname=postgres" \
       PGDIALER_TEST_LOG_DIR="$push_logs" build/push_bench ${PGDIALER_BENCH_PUSH_ARGS:-} \
       2>&1 | tee "$tmp/push_bench.out"; then
    echo "build/push_bench failed or found wrong results (see above)" >&2
    push_failed=1
  fi
fi

echo
echo "Done in $(( $(date +%s) - started )) s. Timings never fail the bench; ratios are against"
echo "baselines measured in this run on this machine (SQL: one backend, no parallel workers, no JIT;"
echo "push queue: one pgdialer-sync, the fake PhoneBurner on loopback)."
if grep -qs 'DIFFERENT' "$tmp/rules_bench.out" "$tmp/messy_bench.out" "$tmp/segments_bench.out" \
     "$tmp/frequency_caps_bench.out" \
     "$tmp/calling_window_bench.out" \
   || [[ $differences -ne 0 ]]; then
  echo "Some answers differed (lines marked DIFFERENT above)." >&2
  exit 1
fi
if [[ $push_failed -ne 0 ]]; then
  echo "The push benchmark failed or found wrong results (lines marked WRONG above)." >&2
  exit 1
fi
