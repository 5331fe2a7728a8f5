#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang in their own build
# dir (build-fuzz; the main gcc build in build/ is not touched), then runs
# each over its seed corpus (tests/fuzz/corpus/<target>/) and fuzzes it for
# FUZZ_SECONDS seconds (default 60: `make fuzz`; `make test` runs it with a few
# seconds). Inputs libFuzzer finds go to build-fuzz/corpus/<target>/, crashes
# to build-fuzz/artifacts/<target>/ (never into the repo: a crash is turned
# into a regression test by copying it into the seed corpus with the fix).
#
#   scripts/fuzz.sh [TARGET...]      TARGET: webhook_event, phone_e164, ... (default: all)
#
# Prints "ok TARGET" or "FAILED TARGET" per target; exits non-zero on any failure.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
seconds=${FUZZ_SECONDS:-60}
build=build-fuzz

all_targets=(webhook_event phoneburner_json config_file credential journal_record phone_e164 preview_options)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")

command -v clang++ >/dev/null || { echo "clang++ not found: run 'make deps' (clang, libclang-rt-14-dev)" >&2; exit 1; }

# Everything in this build is instrumented for libFuzzer's coverage and for
# ASan and UBSan. UBSan stays recoverable so that tests/fuzz/ubsan.supp can
# silence a report inside a system library; halt_on_error below still makes
# every other report stop the run like a crash.
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
# (Re)configured every time: cheap, and a changed flag here reaches the cache.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPGDIALER_FUZZ=ON \
  -DCMAKE_CXX_FLAGS="$sanitize" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null \
  || { echo "FAILED configure"; exit 1; }
cmake --build "$build" -j2 --target fuzz_targets || { echo "FAILED build"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$repo/tests/fuzz/ubsan.supp}
status=0
for t in "${targets[@]}"; do
  binary=$build/tests/fuzz/${t}_fuzz
  seeds=tests/fuzz/corpus/$t
  [[ -x $binary && -d $seeds ]] || { echo "FAILED $t (no such target or no seed corpus)"; status=1; continue; }
  work=$build/corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$work" "$artifacts"
  log=$build/fuzz-$t.log
  # The seeds run first (one crashing fails here), then fuzzing for $seconds s.
  # -timeout: one input taking longer than 10 s is a finding (a hang).
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$work" "$seeds" >"$log" 2>&1; then
    echo "ok $t ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs)"
  else
    echo "FAILED $t (log: $log)"
    grep -E 'ERROR|SUMMARY|mismatch|Test unit written' "$log" | head -n 20
    status=1
  fi
done
exit $status
