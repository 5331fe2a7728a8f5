#!/usr/bin/env bash
# Checks that every C++ file git tracks follows .clang-format; run by
# `make test`. `make format` rewrites them in place.
#
#   scripts/check-format.sh         list the files that differ, exit 1 if any
#   scripts/check-format.sh --fix   format them in place
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
command -v clang-format >/dev/null || { echo "check-format.sh: clang-format is not installed (make deps)" >&2; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
# One clang-format for all files; each difference is reported as
# "FILE:LINE:COL: error: code should be clang-formatted".
mapfile -t bad < <(clang-format --dry-run -Werror "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if [[ ${#bad[@]} -ne 0 ]]; then
  printf 'not formatted: %s (make format)\n' "${bad[@]}"
  echo "${#bad[@]} of ${#files[@]} C++ files differ from .clang-format"
  exit 1
fi
echo "ok: ${#files[@]} C++ files follow .clang-format"
