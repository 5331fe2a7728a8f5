#!/usr/bin/env bash
# Builds everything: the pure C++ core, unit tests and benchmarks (CMake, in
# build/) and the extension (PGXS), and installs the extension into the
# system PostgreSQL 15 (as root; otherwise it says what to run).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
jobs=$(nproc)

# PGDIALER_WERROR=ON (set by scripts/run-tests.sh) makes every warning an error,
# in the CMake build and in the extension's PGXS build alike.
werror=()
[[ -n ${PGDIALER_WERROR:-} ]] && werror=(-DPGDIALER_WERROR="$PGDIALER_WERROR")
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${werror[@]}" >build.cmake.log 2>&1 ||
  { cat build.cmake.log >&2; exit 1; }
cmake --build build -j"$jobs" >build.log 2>&1 || { tail -n 60 build.log >&2; exit 1; }
make -s -j"$jobs" >>build.log 2>&1 || { tail -n 60 build.log >&2; exit 1; }
if [[ $(id -u) -eq 0 ]]; then
  make -s install >>build.log 2>&1 || { tail -n 30 build.log >&2; exit 1; }
else
  sudo -n make -s install >>build.log 2>&1 ||
    { echo "build.sh: run 'sudo make install' to install the extension" >&2; exit 1; }
fi
rm -f build.cmake.log
