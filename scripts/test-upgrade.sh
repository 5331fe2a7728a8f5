#!/usr/bin/env bash
# The upgrade and dump tests of docs/upgrades.md, against the running cluster
# of PGHOST/PGPORT (a superuser in PGUSER) where the extension is installed
# (make install): every released version's install script, the newest, and
# the upgrade scripts.
#
#   1. released scripts    each released install script is as released (its
#                          sha256 in extension/released.sha256)
#   2. upgrade             for each released version FROM: CREATE EXTENSION
#                          pgdialer VERSION 'FROM', fill every table through the
#                          API (tests/upgrade/fill.sql), ALTER EXTENSION pgdialer
#                          UPDATE; then the catalog equals a fresh install's
#                          (tests/upgrade/catalog.sql), every row of FROM is
#                          still there unchanged (its columns of FROM), and the
#                          shipped rows equal a fresh install's
#   3. dump and restore    pg_dump -Fc of the upgraded database, pg_restore into
#                          a new database: every row of every table came back,
#                          the shipped rows are there once, and the catalog
#                          equals the dumped database's; and a dump of FROM
#                          (taken before the update) restored where the newest
#                          version is installed: FROM's rows came back
#   4. pg_upgrade          no table of the schema dialer has a column of a reg*
#                          type pg_upgrade refuses; with PGDIALER_TEST_PG_UPGRADE=1
#                          also a real pg_upgrade (scripts/test-pg-upgrade.sh)
# Prints "ok NAME" or "FAILED NAME" (with the differences) per test; exits 1
# on any failure. Leaves no database behind (PGDIALER_UPGRADE_KEEP=1 keeps
# them for a look). Used by scripts/run-tests.sh ("upgrade and dump").
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

bindir=$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || pg_config --bindir)
psql() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
work=$(mktemp -d)
prefix=pgdialer_upgrade
newest=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" extension/pgdialer.control)
released=$(sed 's/.*pgdialer--\(.*\)\.sql$/\1/' extension/released.sha256)

# The databases and logins of this test (of an earlier run too).
drop_all() {
  for db in $(psql -d postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}\\_%'"); do
    psql -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
  done
  psql -d postgres -c "DROP ROLE IF EXISTS ${prefix}_admin, ${prefix}_app, ${prefix}_sync" >/dev/null 2>&1
}
cleanup() {
  if [[ -z ${PGDIALER_UPGRADE_KEEP:-} ]]; then
    drop_all
  else
    echo "kept the databases ${prefix}_* and the snapshots in $work"
  fi
  [[ -z ${PGDIALER_UPGRADE_KEEP:-} ]] && rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "ok $1"; }
failed() {
  echo "FAILED $1"
  failures=$((failures + 1))
}

# A fresh database; $2: the SQL that installs the extension into it.
new_db() {
  psql -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null &&
    psql -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null &&
    { [[ -z ${2:-} ]] || psql -d "$1" -c "$2" >/dev/null; }
}
catalog() { psql -d "$1" -At -f tests/upgrade/catalog.sql >"$2"; }
data() { psql -d "$1" -At "${@:3}" -f tests/upgrade/data.sql >"$2"; }
compare() { /usr/bin/python3 tests/upgrade/compare.py "$@"; }

# 1. The released install scripts, byte for byte.
if (cd extension && sha256sum --quiet -c released.sha256); then
  ok "released install scripts unchanged (extension/released.sha256)"
else
  echo "  a released install script was edited: restore it from git; the change goes into extension/sql/"
  echo "  and an upgrade step (docs/upgrades.md)"
  failed "released install scripts unchanged (extension/released.sha256)"
fi

# The logins fill.sql acts as (cluster-wide, dropped again at the end).
drop_all
psql -d postgres >/dev/null <<SQL || { echo "FAILED cannot create the test logins"; exit 1; }
CREATE ROLE ${prefix}_admin LOGIN;
CREATE ROLE ${prefix}_app LOGIN;
CREATE ROLE ${prefix}_sync LOGIN;
SQL

# The reference: a fresh install of the newest version.
fresh=${prefix}_fresh
if new_db "$fresh" "CREATE EXTENSION pgdialer" && catalog "$fresh" "$work/fresh.catalog" &&
  data "$fresh" "$work/fresh.data"; then
  # The roles exist now (CREATE EXTENSION makes them).
  psql -d postgres -c "GRANT dialer_admin TO ${prefix}_admin; GRANT dialer_app TO ${prefix}_app;
                       GRANT dialer_sync TO ${prefix}_sync" >/dev/null
else
  echo "FAILED a fresh install of pgdialer $newest"
  exit 1
fi

for from in $released; do
  [[ $from == "$newest" ]] && continue
  db=${prefix}_from_${from//./_}
  name="upgrade $from -> $newest"
  # 2. Install FROM, fill it, upgrade.
  if ! new_db "$db" "CREATE EXTENSION pgdialer VERSION '$from'"; then
    failed "$name: CREATE EXTENSION pgdialer VERSION '$from' with the installed library"
    continue
  fi
  if ! psql -d "$db" -f tests/upgrade/fill.sql >"$work/fill.log" 2>&1; then
    tail -n 5 "$work/fill.log" | sed 's/^/  /'
    failed "$name: fill every table of $from (tests/upgrade/fill.sql)"
    continue
  fi
  data "$db" "$work/before.data"
  compare columns "$work/before.data" >"$work/before.columns"
  # A dump of FROM, for 3b below.
  "$bindir/pg_dump" -Fc -d "$db" -f "$work/dump-old" 2>"$work/dump-old.log" || sed 's/^/  /' "$work/dump-old.log"
  if ! psql -d "$db" -c "ALTER EXTENSION pgdialer UPDATE" >"$work/update.log" 2>&1; then
    sed 's/^/  /' "$work/update.log"
    failed "$name: ALTER EXTENSION pgdialer UPDATE"
    continue
  fi
  version=$(psql -d "$db" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'pgdialer'")
  if [[ $version == "$newest" ]]; then ok "$name: ALTER EXTENSION pgdialer UPDATE reaches $newest"; else
    echo "  the installed version is $version"
    failed "$name: ALTER EXTENSION pgdialer UPDATE reaches $newest"
  fi
  catalog "$db" "$work/upgraded.catalog"
  if compare catalog "fresh $newest" "$work/fresh.catalog" "upgraded from $from" "$work/upgraded.catalog"; then
    ok "$name: the catalog equals a fresh install's"
  else
    failed "$name: the catalog equals a fresh install's"
  fi
  data "$db" "$work/after.data" -v columns="$(cat "$work/before.columns")"
  if compare rows "$from" "$work/before.data" "upgraded" "$work/after.data" --filled; then
    ok "$name: every row of every table of $from is there unchanged"
  else
    failed "$name: every row of every table of $from is there unchanged"
  fi
  data "$db" "$work/upgraded.data"
  if compare shipped "fresh $newest" "$work/fresh.data" "upgraded from $from" "$work/upgraded.data"; then
    ok "$name: the shipped rows equal a fresh install's"
  else
    failed "$name: the shipped rows equal a fresh install's"
  fi

  # 3. pg_dump / pg_restore of the upgraded database into a new one.
  name="dump and restore of $from upgraded to $newest"
  restored=${prefix}_restored
  if ! "$bindir/pg_dump" -Fc -d "$db" -f "$work/dump" 2>"$work/dump.log"; then
    sed 's/^/  /' "$work/dump.log"
    failed "$name: pg_dump -Fc"
    continue
  fi
  new_db "$restored" &&
    "$bindir/pg_restore" --exit-on-error -d "$restored" "$work/dump" >"$work/restore.log" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then ok "$name: pg_restore without an error"; else
    sed 's/^/  /' "$work/restore.log" | head -n 20
    failed "$name: pg_restore without an error"
    continue
  fi
  data "$restored" "$work/restored.data"
  if compare rows "upgraded" "$work/upgraded.data" "restored" "$work/restored.data" &&
    compare rows "restored" "$work/restored.data" "upgraded" "$work/upgraded.data"; then
    ok "$name: every row of every table came back"
  else
    failed "$name: every row of every table came back"
  fi
  if compare shipped "upgraded" "$work/upgraded.data" "restored" "$work/restored.data"; then
    ok "$name: the shipped rows are there once"
  else
    failed "$name: the shipped rows are there once"
  fi
  catalog "$restored" "$work/restored.catalog"
  if compare catalog "upgraded" "$work/upgraded.catalog" "restored" "$work/restored.catalog"; then
    ok "$name: the catalog equals the dumped database's"
  else
    failed "$name: the catalog equals the dumped database's"
  fi
  # Per table, as the restore brought it: the rows pg_dump keeps and the md5
  # of them in order, and the shipped rows CREATE EXTENSION wrote.
  /usr/bin/python3 -c '
import json, sys
for t, v in sorted(json.load(open(sys.argv[1])).items()):
    if v["columns"]:
        print("  %-34s %5d rows  md5 %s  %5d shipped" % (t, v["count"], v["md5"], len(v["shipped"])))' "$work/restored.data"

  # 3b. A dump of FROM restored where the newest version is installed
  # (pg_restore's CREATE EXTENSION makes the newest): FROM's rows come back
  # into the newest tables.
  name="restore of a $from dump with $newest installed"
  restored=${prefix}_restored_from_${from//./_}
  if [[ ! -s $work/dump-old ]]; then
    failed "$name: pg_dump -Fc of $from"
    continue
  fi
  new_db "$restored" &&
    "$bindir/pg_restore" --exit-on-error -d "$restored" "$work/dump-old" >"$work/restore-old.log" 2>&1
  status=$?
  if [[ $status -eq 0 ]]; then ok "$name: pg_restore without an error"; else
    sed 's/^/  /' "$work/restore-old.log" | head -n 20
    failed "$name: pg_restore without an error"
    continue
  fi
  data "$restored" "$work/restored-old.data" -v columns="$(cat "$work/before.columns")"
  if compare rows "$from" "$work/before.data" "restored" "$work/restored-old.data"; then
    ok "$name: every row of every table of $from came back"
  else
    failed "$name: every row of every table of $from came back"
  fi
  catalog "$restored" "$work/restored-old.catalog"
  if compare catalog "fresh $newest" "$work/fresh.catalog" "restored" "$work/restored-old.catalog"; then
    ok "$name: the catalog equals a fresh install's"
  else
    failed "$name: the catalog equals a fresh install's"
  fi
done

# 4. pg_upgrade refuses a cluster with a column of these types anywhere in a
# table (also inside an array, a domain or a composite type); regclass,
# regtype and regrole are kept.
name="pg_upgrade: no table of dialer has a column of a reg* type pg_upgrade refuses"
bad=$(psql -d "$fresh" -At <<'SQL'
WITH RECURSIVE
-- A type and a type it is made of: an array's element, a domain's base, a
-- composite type's attribute.
part_of(whole, part) AS (
    SELECT t.oid, t.typelem FROM pg_type t WHERE t.typelem <> 0
    UNION ALL
    SELECT t.oid, t.typbasetype FROM pg_type t WHERE t.typbasetype <> 0
    UNION ALL
    SELECT c.reltype, a.atttypid FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped
),
refused(oid) AS (
    SELECT t.oid FROM pg_type t
    WHERE t.typnamespace = 'pg_catalog'::regnamespace
      AND t.typname IN ('regproc', 'regprocedure', 'regoper', 'regoperator', 'regconfig', 'regdictionary',
                        'regnamespace', 'regcollation')
    UNION
    SELECT p.whole FROM part_of p JOIN refused r ON p.part = r.oid
)
SELECT a.attrelid::regclass || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'm', 'p') AND a.attnum > 0
  AND NOT a.attisdropped AND a.atttypid IN (SELECT oid FROM refused)
ORDER BY 1;
SQL
)
status=$?
if [[ $status -eq 0 && -z $bad ]]; then ok "$name"; else
  [[ -n $bad ]] && echo "$bad" | sed 's/^/  /'
  failed "$name"
fi

# A real pg_upgrade between two private clusters: about a minute, so only
# when asked (make test-pg-upgrade sets it).
if [[ ${PGDIALER_TEST_PG_UPGRADE:-} == 1 ]]; then
  scripts/test-pg-upgrade.sh || failures=$((failures + 1))
fi

[[ $failures -eq 0 ]]
