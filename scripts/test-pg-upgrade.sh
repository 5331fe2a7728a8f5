#!/usr/bin/env bash
# pg_upgrade of a cluster holding pgdialer (docs/upgrades.md): two private
# PostgreSQL 15 clusters in a scratch folder; the old one gets pgdialer 1.0,
# every table filled (tests/upgrade/fill.sql) and ALTER EXTENSION pgdialer
# UPDATE; pg_upgrade --check, then pg_upgrade (copy mode) into the new one;
# then the new cluster's catalog and rows equal the old one's
# (tests/upgrade/catalog.sql, data.sql, compare.py).
# Uses the installed extension (make install) and PostgreSQL's binaries of
# pg_config (PGDIALER_PG_BINDIR to choose others). Sockets live in the
# scratch folder; PGDIALER_PG_UPGRADE_PORTS="OLD NEW" (default "5661 5662").
# Prints "ok NAME" / "FAILED NAME" lines; exits 1 on a failure. Run by
# scripts/test-upgrade.sh when PGDIALER_TEST_PG_UPGRADE=1, or on its own.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bindir=${PGDIALER_PG_BINDIR:-$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || pg_config --bindir)}
read -r old_port new_port <<<"${PGDIALER_PG_UPGRADE_PORTS:-5661 5662}"
prefix=pgdialer_upgrade

if [[ $(id -u) -eq 0 ]]; then
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
  owner=postgres
else
  as_owner() { "$@"; }
  owner=$(id -un)
fi
scratch=$(mktemp -d /tmp/pgdialer-pg-upgrade.XXXXXX)
chmod 755 "$scratch"
chown "$owner": "$scratch"
stop_all() {
  for d in old new; do
    [[ -f $scratch/$d/postmaster.pid ]] && as_owner "$bindir/pg_ctl" -D "$scratch/$d" -m fast -w stop >/dev/null 2>&1
  done
  rm -rf "$scratch"
}
trap stop_all EXIT

failures=0
ok() { echo "ok $1"; }
failed() {
  echo "FAILED $1"
  failures=$((failures + 1))
}
# psql CLUSTER DB ARGS...
psql_on() {
  local port=$old_port
  [[ $1 == new ]] && port=$new_port
  PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$scratch/socket" -p "$port" \
    -U postgres -d "$2" "${@:3}"
}
cluster() {  # initdb NAME PORT
  as_owner "$bindir/initdb" -D "$scratch/$1" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$scratch/initdb-$1.log" 2>&1 || { cat "$scratch/initdb-$1.log"; return 1; }
  printf "port = %s\nlisten_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\n" \
    "$2" "$scratch/socket" >>"$scratch/$1/postgresql.conf"
}
start() { as_owner "$bindir/pg_ctl" -D "$scratch/$1" -l "$scratch/$1.log" -w start >/dev/null; }
stop() { as_owner "$bindir/pg_ctl" -D "$scratch/$1" -m fast -w stop >/dev/null; }

name="pg_upgrade of a cluster with pgdialer 1.0 upgraded to the newest"
as_owner mkdir -p "$scratch/socket"
db=${prefix}_cluster
if ! { cluster old "$old_port" && start old; }; then failed "$name: the old cluster starts"; exit 1; fi
if ! psql_on old postgres >/dev/null <<SQL; then
CREATE ROLE ${prefix}_admin LOGIN;
CREATE ROLE ${prefix}_app LOGIN;
CREATE ROLE ${prefix}_sync LOGIN;
CREATE DATABASE $db;
\c $db
CREATE EXTENSION pgdialer VERSION '1.0';
GRANT dialer_admin TO ${prefix}_admin;
GRANT dialer_app TO ${prefix}_app;
GRANT dialer_sync TO ${prefix}_sync;
SQL
  failed "$name: CREATE EXTENSION pgdialer VERSION '1.0' in the old cluster"; exit 1
fi
if ! psql_on old "$db" -f tests/upgrade/fill.sql >"$scratch/fill.log" 2>&1 ||
  ! psql_on old "$db" -c "ALTER EXTENSION pgdialer UPDATE"; then
  tail -n 5 "$scratch/fill.log"
  failed "$name: fill and update in the old cluster"; exit 1
fi
psql_on old "$db" -At -f tests/upgrade/catalog.sql >"$scratch/old.catalog"
psql_on old "$db" -At -f tests/upgrade/data.sql >"$scratch/old.data"
stop old
cluster new "$new_port" || { failed "$name: initdb of the new cluster"; exit 1; }

# pg_upgrade writes its logs into the current folder.
as_owner_in() {
  if [[ $owner == postgres && $(id -u) -eq 0 ]]; then
    (cd "$scratch" && runuser -u postgres -- "$@")
  else
    (cd "$scratch" && "$@")
  fi
}
args=(-b "$bindir" -B "$bindir" -d "$scratch/old" -D "$scratch/new" -p "$old_port" -P "$new_port"
      -s "$scratch/socket" -U postgres)
if as_owner_in "$bindir/pg_upgrade" --check "${args[@]}" >"$scratch/check.log" 2>&1; then
  ok "$name: pg_upgrade --check passes"
else
  tail -n 20 "$scratch/check.log" | sed 's/^/  /'
  failed "$name: pg_upgrade --check passes"; exit 1
fi
if as_owner_in "$bindir/pg_upgrade" "${args[@]}" >"$scratch/upgrade.log" 2>&1; then
  ok "$name: pg_upgrade"
else
  tail -n 20 "$scratch/upgrade.log" | sed 's/^/  /'
  failed "$name: pg_upgrade"; exit 1
fi
start new || { failed "$name: the new cluster starts"; exit 1; }
psql_on new "$db" -At -f tests/upgrade/catalog.sql >"$scratch/new.catalog"
psql_on new "$db" -At -f tests/upgrade/data.sql >"$scratch/new.data"
if /usr/bin/python3 tests/upgrade/compare.py catalog "before pg_upgrade" "$scratch/old.catalog" \
  "after pg_upgrade" "$scratch/new.catalog" --view-cast-names; then
  ok "$name: the catalog is the same"
else
  failed "$name: the catalog is the same"
fi
if /usr/bin/python3 tests/upgrade/compare.py rows "before pg_upgrade" "$scratch/old.data" \
  "after pg_upgrade" "$scratch/new.data" &&
  /usr/bin/python3 tests/upgrade/compare.py shipped "before pg_upgrade" "$scratch/old.data" \
    "after pg_upgrade" "$scratch/new.data"; then
  ok "$name: every row of every table is there"
else
  failed "$name: every row of every table is there"
fi
stop new
[[ $failures -eq 0 ]]
