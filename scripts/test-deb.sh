#!/usr/bin/env bash
# The Debian packages, end to end, on this machine (the last suite of
# `make test`; needs root):
#   1. builds them (scripts/build-deb.sh, into build-deb/; ccache makes a
#      rebuild short);
#   2. installs both with apt-get, checks the pgdialer user, the owners and
#      modes of /etc/pgdialer and /var/lib/pgdialer-sync, that the extension's
#      files on disk are the package's (dpkg --verify), and the installed unit
#      with systemd-analyze verify;
#   3. creates the extension from the package in the private test cluster
#      (and updates a 1.0 install to 1.1 with the packaged upgrade script),
#      queues a push of three contacts, and runs the packaged daemon for one
#      pass (--once) as the user pgdialer, the way the unit does (its
#      ExecStart= arguments, the token as a systemd credential, the packaged
#      state directory; no systemd: it cannot run here) against the fake
#      PhoneBurner; the push must end succeeded with the three contacts in
#      PhoneBurner;
#   4. reinstalls both (the maintainer scripts of an upgrade) and checks an
#      admin's edit of sync.conf, the owners and modes and the state stay;
#   5. removes both (the conffile stays), then purges: the configuration goes
#      and purge says so; files an admin added to /etc/pgdialer and anything
#      in /var/lib/pgdialer-sync (the webhook journal) stay and purge names
#      them; no other file of either package is left.
# Installing replaces the extension's files that `make install` put there,
# so steps 2-5 hold the PostgreSQL lock (unless a parent process holds it
# already) and `make -s install` puts the tree's build back afterwards,
# whatever happened. The test removes what it added (the admin's files, and
# the user pgdialer when the machine had none before).
# Usage: scripts/test-deb.sh   (the test cluster's port: PGDIALER_TEST_PORT)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
lock=/tmp/pgdialer-pg.lock
ext_pkg=postgresql-15-pgdialer
sync_pkg=pgdialer-sync

fail() { echo "FAILED: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

[[ $(id -u) -eq 0 ]] || fail "test-deb.sh needs root (it installs packages)"
[[ -x build/fake-phoneburner ]] || fail "build/fake-phoneburner is not built"
for p in $ext_pkg $sync_pkg; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -qv 'not-installed'; then
    fail "$p is already on this machine ($(dpkg-query -W -f='${Status}' "$p")): the test would replace it"
  fi
done

echo "-- make deb"
started=$SECONDS
scripts/build-deb.sh build-deb
echo "   (packages built in $((SECONDS - started)) s)"
shopt -s nullglob
debs=(build-deb/${ext_pkg}_*.deb build-deb/${sync_pkg}_*.deb)
[[ ${#debs[@]} -eq 2 ]] || fail "expected one .deb per package in build-deb/, found: ${debs[*]:-none}"

# True when an ancestor of this shell holds the PostgreSQL lock (flock(1)
# around make test): taking it again would wait forever.
lock_held_by_parent() {
  [[ -e $lock ]] || return 1
  local inode holders pid
  inode=$(stat -c %i "$lock")
  holders=$(awk -v i="$inode" '$2 == "FLOCK" { n = split($6, a, ":"); if (a[n] == i) print $5 }' /proc/locks)
  [[ -n $holders ]] || return 1
  pid=$$
  while [[ $pid -gt 1 ]]; do
    grep -qxF "$pid" <<<"$holders" && return 0
    # The parent's pid: the second field after the command name "(...)".
    pid=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f2) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
  done
  return 1
}
if ! lock_held_by_parent; then
  exec 9>>"$lock"
  echo "-- waiting for the PostgreSQL lock ($lock)"
  flock 9
fi

user_existed=0
getent passwd pgdialer >/dev/null && user_existed=1
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pgdialer-deb-test.XXXXXX")
fake_pid='' cluster_started=0
apt_opts=(-y -qq -o DPkg::Lock::Timeout=300)
cleanup() {
  local rc=$?
  set +e
  [[ -n $fake_pid ]] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  if dpkg-query -W -f='${Status}' $ext_pkg $sync_pkg 2>/dev/null | grep -qv 'not-installed'; then
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" purge $ext_pkg $sync_pkg >/dev/null 2>&1
  fi
  rm -f /etc/pgdialer/phoneburner-token /var/lib/pgdialer-sync/webhook-journal.test
  rmdir /etc/pgdialer/credentials /etc/pgdialer /var/lib/pgdialer-sync 2>/dev/null
  if [[ $user_existed == 0 ]] && getent passwd pgdialer >/dev/null; then deluser --system pgdialer >/dev/null 2>&1; fi
  if [[ $cluster_started == 1 ]]; then
    for db in pgdialer_deb pgdialer_deb_upgrade; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null; done
    scripts/pg-cluster.sh stop test
  fi
  rm -rf "$scratch"
  # The extension as `make install` had it, for every other suite.
  make -s install >/dev/null || { echo "test-deb.sh: make install failed: the installed extension is the tree's no more" >&2; rc=1; }
  exit $rc
}
trap cleanup EXIT

echo "-- apt-get install ${debs[*]}"
DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install "${debs[@]/#/./}" >"$scratch/install.log" 2>&1 ||
  { cat "$scratch/install.log" >&2; fail "apt-get install"; }
grep -A3 '^pgdialer-sync:' "$scratch/install.log" | sed 's/^/   /' || true
for p in $ext_pkg $sync_pkg; do
  [[ $(dpkg-query -W -f='${Status}' $p) == "install ok installed" ]] || fail "$p is not installed"
  dpkg -L $p | sort >"$scratch/$p.files"
done
dpkg --verify $ext_pkg $sync_pkg || fail "the files on disk are not the packages' (dpkg --verify)"
ok "both packages installed, files as packaged"

# The user and the owners and modes of docs/daemon.md, "Running it under systemd".
uid=$(getent passwd pgdialer | cut -d: -f3)
shell=$(getent passwd pgdialer | cut -d: -f7)
[[ -n $uid && $uid -lt 1000 && $shell == /usr/sbin/nologin ]] || fail "pgdialer is not a system user without a shell: $(getent passwd pgdialer)"
check_stat() { # PATH OWNER:GROUP MODE
  local got
  got=$(stat -c '%U:%G %a' "$1") || fail "$1 is missing"
  [[ $got == "$2 $3" ]] || fail "$1 is $got, expected $2 $3"
}
check_stat /etc/pgdialer root:pgdialer 750
check_stat /etc/pgdialer/sync.conf root:pgdialer 640
check_stat /etc/pgdialer/credentials pgdialer:pgdialer 700
check_stat /var/lib/pgdialer-sync pgdialer:pgdialer 700
[[ $(dpkg-query -W -f='${Conffiles}' $sync_pkg) == *" /etc/pgdialer/sync.conf "* ]] || fail "sync.conf is not a conffile"
ok "user pgdialer (uid $uid), owners and modes, sync.conf a conffile"

unit=$(grep -m1 '/systemd/system/pgdialer-sync\.service$' "$scratch/$sync_pkg.files") || fail "no unit in $sync_pkg"
out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit: $out"
[[ -z $out ]] || fail "systemd-analyze verify $unit: $out"
read -r -a exec_start <<<"$(sed -n 's/^ExecStart=//p' "$unit")"
[[ ${exec_start[0]} == /usr/bin/pgdialer-sync && -x ${exec_start[0]} ]] || fail "ExecStart= names ${exec_start[0]}"
grep -qx 'User=pgdialer' "$unit" || fail "the unit does not run as pgdialer"
ok "systemd-analyze verify $unit (ExecStart=${exec_start[*]})"

echo "-- the extension from the package, in the test cluster"
cluster_started=1
scripts/pg-cluster.sh start test
eval "$(scripts/pg-cluster.sh env test)"
run_psql() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
for db in pgdialer_deb pgdialer_deb_upgrade; do
  run_psql -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done
run_psql -d pgdialer_deb -c "SET client_min_messages = warning" -c "CREATE EXTENSION pgdialer"
got=$(run_psql -d pgdialer_deb -c "SELECT extversion FROM pg_extension WHERE extname = 'pgdialer'")
[[ $got == 1.1 ]] || fail "CREATE EXTENSION pgdialer made version '$got', expected 1.1"
got=$(run_psql -d pgdialer_deb_upgrade -c "SET client_min_messages = warning" \
  -c "CREATE EXTENSION pgdialer VERSION '1.0'" -c "ALTER EXTENSION pgdialer UPDATE" \
  -c "SELECT extversion FROM pg_extension WHERE extname = 'pgdialer'")
[[ $got == 1.1 ]] || fail "ALTER EXTENSION pgdialer UPDATE from 1.0 gave '$got', expected 1.1"
ok "CREATE EXTENSION pgdialer (1.1) and 1.0 -> ALTER EXTENSION UPDATE -> 1.1 from the packaged files"

# A rep's push of three contacts, queued for the daemon (as in tests/integration/harness.cpp).
run_psql -d pgdialer_deb <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text DEFAULT 'buyer', buyer_type text DEFAULT 'PE Firm',
    first_name text, last_name text, company text, title text, email text, phone text,
    do_not_call boolean DEFAULT false, do_not_call_source text, last_call_attempt_at timestamptz,
    call_talking_points text);
INSERT INTO contacts (id, first_name, last_name, company, phone) VALUES
    (1, 'Ada', 'Lovelace', 'Analytical', '(212) 555-0101'),
    (2, 'Alan', 'Turing', 'Bletchley', '415-555-0102'),
    (3, 'Grace', 'Hopper', 'Navy', '+1 617 555 0103');
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgdialer_deb_sync') THEN
    CREATE ROLE pgdialer_deb_sync LOGIN IN ROLE dialer_sync;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgdialer_deb_rep') THEN
    CREATE ROLE pgdialer_deb_rep LOGIN IN ROLE dialer_rep;
  END IF;
END $$;
GRANT SELECT ON contacts TO dialer_rep, pgdialer_deb_sync;
SELECT dialer.add_rep('pgdialer_deb_rep', 'Ada Rep', 'rep@deb.example');
SQL
job=$(run_psql -d pgdialer_deb -U pgdialer_deb_rep -c "SELECT dialer.push(array_agg(c ORDER BY id)) FROM contacts c")
[[ $job =~ ^[0-9]+$ ]] || fail "dialer.push gave '$job'"

token=pat-deb-test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
FAKE_PHONEBURNER_TOKEN=$token build/fake-phoneburner --listen 127.0.0.1:0 >"$scratch/fake.log" 2>&1 </dev/null 9>&- &
fake_pid=$!
fake_url=''
for ((i = 0; i < 100; i++)); do
  fake_url=$(sed -n '1s|^listening on \(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$scratch/fake.log")
  [[ -n $fake_url ]] && break
  sleep 0.1
done
[[ -n $fake_url ]] || { cat "$scratch/fake.log" >&2; fail "the fake PhoneBurner did not start"; }

# LoadCredential= as systemd does it: a private copy of the token, readable
# by the unit's user only. The state directory is the package's.
creds=$scratch/credentials
install -d -m 500 -o pgdialer -g pgdialer "$creds"
(umask 077 && printf '%s\n' "$token" >"$creds/phoneburner-token")
chown pgdialer:pgdialer "$creds/phoneburner-token"
chmod 755 "$scratch"
echo "-- ${exec_start[*]} --once, as pgdialer, against the fake PhoneBurner"
sync_rc=0
setpriv --reuid=pgdialer --regid=pgdialer --init-groups \
  env -i PATH=/usr/bin:/bin CREDENTIALS_DIRECTORY="$creds" STATE_DIRECTORY=/var/lib/pgdialer-sync \
  DATABASE_URL="host=$PGHOST port=$PGPORT dbname=pgdialer_deb user=pgdialer_deb_sync" \
  PHONEBURNER_BASE_URL="$fake_url/rest/1" PGDIALER_REQUESTS_PER_SECOND=0 \
  "${exec_start[@]}" --once >"$scratch/sync.log" 2>&1 </dev/null 9>&- || sync_rc=$?
sed 's/^/   /' "$scratch/sync.log"
[[ $sync_rc -eq 0 ]] || fail "the packaged daemon exited with status $sync_rc"
status=$(run_psql -d pgdialer_deb -c "SELECT dialer.push_status($job) ->> 'status'")
created=$(run_psql -d pgdialer_deb -c "SELECT dialer.push_status($job) -> 'counts' ->> 'created'")
[[ $status == succeeded && $created == 3 ]] || fail "push job $job: status '$status', created '$created' (expected succeeded, 3)"
curl -fsS "$fake_url/_control/state" >"$scratch/state.json" || fail "GET $fake_url/_control/state"
held=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["accounts"]["default"]["contacts"]))' \
  "$scratch/state.json")
[[ $held == 3 ]] || fail "the fake PhoneBurner holds $held contacts, expected 3"
ok "the packaged daemon pushed job $job: succeeded, 3 contacts created, the fake PhoneBurner holds 3"
kill "$fake_pid" && wait "$fake_pid" 2>/dev/null || true
fake_pid=''
for db in pgdialer_deb pgdialer_deb_upgrade; do run_psql -d postgres -c "DROP DATABASE $db WITH (FORCE)"; done

# What the daemon keeps (a stand-in for a journaled event) and an admin adds:
# an upgrade leaves both alone, purge must keep both and say so.
echo '{"stand-in": "a journaled webhook event"}' >/var/lib/pgdialer-sync/webhook-journal.test
install -m 600 /dev/null /etc/pgdialer/phoneburner-token
echo "-- apt-get install --reinstall (an upgrade's maintainer scripts), with an admin's edit in sync.conf"
echo 'PGDIALER_CONCURRENCY = 4   # the admin'"'"'s edit' >>/etc/pgdialer/sync.conf
DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install --reinstall "${debs[@]/#/./}" >"$scratch/reinstall.log" 2>&1 ||
  { cat "$scratch/reinstall.log" >&2; fail "apt-get install --reinstall"; }
grep -q "^PGDIALER_CONCURRENCY = 4" /etc/pgdialer/sync.conf || fail "the reinstall replaced the admin's sync.conf"
check_stat /etc/pgdialer/sync.conf root:pgdialer 640
check_stat /var/lib/pgdialer-sync pgdialer:pgdialer 700
[[ -f /var/lib/pgdialer-sync/webhook-journal.test ]] || fail "the reinstall touched the state directory"
ok "reinstall: the admin's sync.conf, owners, modes and the state directory kept"

echo "-- apt-get remove, then purge"
DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" remove $ext_pkg $sync_pkg >"$scratch/remove.log" 2>&1 ||
  { cat "$scratch/remove.log" >&2; fail "apt-get remove"; }
[[ $(dpkg-query -W -f='${Status}' $sync_pkg) == "deinstall ok config-files" ]] || fail "$sync_pkg after remove: $(dpkg-query -W -f='${Status}' $sync_pkg)"
[[ -f /etc/pgdialer/sync.conf && ! -e /usr/bin/pgdialer-sync && ! -e $unit ]] ||
  fail "remove should keep only the conffile /etc/pgdialer/sync.conf"
[[ ! -e /usr/share/postgresql/15/extension/pgdialer.control ]] || fail "remove left pgdialer.control"
ok "remove: binaries, unit and extension gone, /etc/pgdialer/sync.conf kept"
DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" purge $ext_pkg $sync_pkg >"$scratch/purge.log" 2>&1 ||
  { cat "$scratch/purge.log" >&2; fail "apt-get purge"; }
grep '^ \|^pgdialer-sync:' "$scratch/purge.log" | grep -v '^ *\(Purging\|Removing\)' | sed 's/^/   /'
for p in $ext_pkg $sync_pkg; do
  dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -qv 'not-installed' && fail "$p is still known to dpkg after purge"
done
grep -q 'purged the configuration /etc/pgdialer/sync.conf' "$scratch/purge.log" || fail "purge did not say it removed sync.conf"
grep -q 'kept /etc/pgdialer' "$scratch/purge.log" || fail "purge did not name the admin's files it kept"
grep -q 'kept /var/lib/pgdialer-sync' "$scratch/purge.log" || fail "purge did not name the state it kept"
[[ ! -e /etc/pgdialer/sync.conf && -f /etc/pgdialer/phoneburner-token ]] || fail "purge: sync.conf must go, the admin's token stay"
[[ -f /var/lib/pgdialer-sync/webhook-journal.test ]] || fail "purge deleted the daemon's state"
# Every other path of both packages is gone, but the folders other packages share.
left=()
while IFS= read -r path; do
  [[ $path == /. ]] && continue                 # dpkg -L lists the root as /.
  [[ -e $path || -L $path ]] || continue
  [[ $path == /etc/pgdialer ]] && continue     # kept above, with the admin's file
  [[ -d $path ]] && dpkg -S "$path" >/dev/null 2>&1 && continue
  left+=("$path")
done < <(cat "$scratch/$ext_pkg.files" "$scratch/$sync_pkg.files")
[[ ${#left[@]} -eq 0 ]] || fail "purge left: ${left[*]}"
compgen -G '/var/lib/systemd/deb-systemd-helper-*/*pgdialer-sync*' >/dev/null && fail "purge left systemd helper state"
ok "purge: no file of either package left; sync.conf deleted and said so; the admin's token, the state directory and the user kept and named"
