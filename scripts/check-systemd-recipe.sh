#!/usr/bin/env bash
# Runs the systemd install recipe of docs/daemon.md (its ```sh systemd-recipe
# blocks, in order, as written) so that it cannot drift from what the daemon
# and the unit need. Needs root (it creates a user and files owned by it), but
# changes nothing outside a scratch directory: everything runs in a private
# mount namespace where /etc is a copy of the real one and /usr/local/bin an
# empty directory. There:
#   1. the recipe's blocks run (systemctl only says what it would do; an
#      empty file the recipe says to fill gets a made-up token, as the admin
#      would put a real one);
#   2. the unit's LoadCredential= files are handed over as systemd does
#      (private copies, readable only by the unit's user; a missing source
#      fails, as it stops systemd from starting the unit);
#   3. the unit's ExecStart= runs with --check-config as the unit's User=,
#      with $CREDENTIALS_DIRECTORY and $STATE_DIRECTORY set: it must exit 0
#      (the recipe as once written exited 78: pgdialer could not read
#      /etc/pgdialer/sync.conf);
#   4. systemd-analyze verify checks the unit as installed.
# Usage: scripts/check-systemd-recipe.sh [BUILD_DIR]   (default: build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
doc=$repo/docs/daemon.md

if [[ $(id -u) -ne 0 ]]; then
  echo "check-systemd-recipe.sh: needs root (a user and file owners are part of the recipe)" >&2
  exit 1
fi
[[ -x $repo/$build/pgdialer-sync ]] || { echo "check-systemd-recipe.sh: $build/pgdialer-sync is not built" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pgdialer-recipe.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
chmod 755 "$scratch"

# The recipe: every line of the ```sh systemd-recipe blocks.
awk '/^```sh systemd-recipe[ \t]*$/ { inside = 1; next } inside && /^```/ { inside = 0; next } inside' \
  "$doc" >"$scratch/recipe.sh"
if [[ ! -s $scratch/recipe.sh ]]; then
  echo "check-systemd-recipe.sh: no \`\`\`sh systemd-recipe block in docs/daemon.md" >&2
  exit 1
fi

cp -a /etc "$scratch/etc"
mkdir -m 755 "$scratch/usr-local-bin" "$scratch/run"

# Runs inside the namespace; the real /etc and /usr/local/bin are never written.
cat >"$scratch/inside.sh" <<'INSIDE'
set -euo pipefail
repo=$1 scratch=$2
mount --bind "$scratch/etc" /etc
mount --bind "$scratch/usr-local-bin" /usr/local/bin
# A host that already has the user: the copy forgets it, so the recipe's
# useradd runs as on a fresh machine.
if getent passwd pgdialer >/dev/null; then userdel pgdialer >/dev/null; fi
if getent group pgdialer >/dev/null; then groupdel pgdialer >/dev/null; fi
for v in $(compgen -e | grep -E '^(PGDIALER_|PHONEBURNER_|DATABASE_URL$|CREDENTIALS_DIRECTORY$|STATE_DIRECTORY$)'); do
  unset "$v"
done

echo "-- the recipe of docs/daemon.md"
systemctl() { echo "   (systemctl $* : not run here)"; }
export -f systemctl
(cd "$repo" && bash -euo pipefail -x "$scratch/recipe.sh")

# The admin fills the files the recipe leaves empty ("then put the token in it").
while IFS= read -r -d '' f; do
  [[ -s $f ]] || printf 'pat-recipe-test-%s\n' "$(basename "$f")" >"$f"
done < <(find /etc/pgdialer -type f -print0)

unit=/etc/systemd/system/pgdialer-sync.service
value() { sed -n "s/^$1=//p" "$unit"; }
user=$(value User)
group=$(value Group)
[[ -n $user ]] || { echo "the unit has no User=" >&2; exit 1; }

echo "-- LoadCredential= as systemd does it, for $user"
creds=$scratch/run/credentials
state=$scratch/run/state
install -d -m 500 -o "$user" -g "$group" "$creds"
install -d -m 700 -o "$user" -g "$group" "$state"
while IFS= read -r line; do
  id=${line%%:*} source=${line#*:}
  if [[ ! -f $source ]]; then
    echo "LoadCredential=$line: $source does not exist: systemd would refuse to start the unit" >&2
    exit 1
  fi
  install -m 400 -o "$user" -g "$group" "$source" "$creds/$id"
  echo "   $id <- $source"
done < <(value LoadCredential)

read -r -a exec_start <<<"$(value ExecStart)"
echo "-- ${exec_start[*]} --check-config, as $user"
setpriv --reuid="$user" --regid="$group" --init-groups \
  env -i PATH=/usr/local/bin:/usr/bin:/bin CREDENTIALS_DIRECTORY="$creds" STATE_DIRECTORY="$state" \
  "${exec_start[@]}" --check-config

echo "-- systemd-analyze verify $unit"
out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out" >&2; exit 1; }
if [[ -n $out ]]; then
  echo "$out" >&2
  exit 1
fi
INSIDE

# The recipe's `install -m 755 build/pgdialer-sync` names build/: point it at BUILD_DIR.
sed -i "s|build/pgdialer-sync|$build/pgdialer-sync|" "$scratch/recipe.sh"

if unshare --mount --propagation private bash "$scratch/inside.sh" "$repo" "$scratch" >"$scratch/log" 2>&1; then
  cat "$scratch/log"
  echo "ok: the systemd recipe of docs/daemon.md"
else
  cat "$scratch/log" >&2
  echo "FAILED: the systemd recipe of docs/daemon.md" >&2
  exit 1
fi
