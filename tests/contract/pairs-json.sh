#!/bin/sh
# Prints every pair of one contract folder as a single JSON object, the file
# name without .json -> the pair, so a psql script can load them all at once:
#   \set pairs `tests/contract/pairs-json.sh webhook-events`
set -e
cd "$(dirname "$0")/$1"
printf '{'
sep=
for f in *.json; do
  printf '%s"%s": ' "$sep" "${f%.json}"
  cat "$f"
  sep=,
done
printf '}\n'
