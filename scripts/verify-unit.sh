#!/usr/bin/env bash
# Checks daemon/systemd/pgdialer-sync.service with `systemd-analyze verify`.
# The unit names the installed binary; the check points it at the one just
# built. systemd-analyze exits 0 on unknown keys and other mistakes it only
# warns about, so any output at all counts as a failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$repo/build/pgdialer-sync}
[[ -x $binary ]] || { echo "verify-unit.sh: $binary is not built" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/local/bin/pgdialer-sync|$binary|" "$repo/daemon/systemd/pgdialer-sync.service" \
  >"$dir/pgdialer-sync.service"
if ! out=$(systemd-analyze verify "$dir/pgdialer-sync.service" 2>&1) || [[ -n $out ]]; then
  echo "systemd-analyze verify pgdialer-sync.service:" >&2
  echo "${out:-(failed without output)}" >&2
  exit 1
fi
echo "ok: systemd-analyze verify pgdialer-sync.service"
