#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the demo, the tests or the benchmarks.
#
#   scripts/pg-cluster.sh start  NAME   initdb if needed, start, wait until ready
#   scripts/pg-cluster.sh stop   NAME   stop it if running (always succeeds)
#   scripts/pg-cluster.sh env    NAME   print PGHOST/PGPORT/PGUSER/PGDATABASE exports
#   scripts/pg-cluster.sh wipe   NAME   stop it and delete its data
#
# NAME is demo, test or bench; each has its own port and directory. PostgreSQL
# refuses to run as root, so as root the cluster belongs to the `postgres`
# user. It lives in .NAME/ in the checkout (git-ignored) when that user can
# reach it, else in a fixed folder under /tmp derived from the checkout path,
# so that `stop` finds what `start` made.
set -euo pipefail

cmd=${1:?usage: pg-cluster.sh start|stop|env|wipe NAME}
name=${2:?usage: pg-cluster.sh start|stop|env|wipe NAME}
repo=$(cd "$(dirname "$0")/.." && pwd)
bindir=$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || pg_config --bindir)

case "$name" in
  demo) port=${PGDIALER_DEMO_PORT:-54329} ;;
  test) port=${PGDIALER_TEST_PORT:-54339} ;;
  bench) port=${PGDIALER_BENCH_PORT:-54349} ;;
  *) echo "pg-cluster.sh: unknown cluster name '$name' (demo, test or bench)" >&2; exit 2 ;;
esac

if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  # From /, so the postgres user need not be able to enter the current folder.
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

# Where the cluster lives: inside the checkout when the owner can enter it.
base="$repo/.$name"
mkdir -p "$base" 2>/dev/null || true
if ! as_owner test -x "$base" 2>/dev/null; then
  base="/tmp/pgdialer-$(printf '%s' "$repo" | md5sum | cut -c1-8)-$name"
  mkdir -p "$base"
  chmod 755 "$base"
fi
data="$base/cluster"
socket="$base/socket"
log="$base/postgres.log"

pg_ctl() { as_owner "$bindir/pg_ctl" -D "$data" "$@"; }
running() { [[ -f "$data/postmaster.pid" ]] && pg_ctl status >/dev/null 2>&1; }

print_env() {
  echo "export PGHOST='$socket' PGPORT='$port' PGUSER='postgres' PGDATABASE='${PGDIALER_DB:-pgdialer}'"
}

start() {
  if running; then return 0; fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data" "$socket"
    [[ $owner == postgres ]] && chown postgres: "$data" "$socket"
    chmod 700 "$data"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; exit 1; }
    cat >>"$data/postgresql.conf" <<CONF
# pgdialer private cluster ($name)
port = $port
listen_addresses = ''
unix_socket_directories = '$socket'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
work_mem = 64MB
max_wal_size = 4GB
log_min_messages = warning
CONF
  fi
  mkdir -p "$socket"
  [[ $owner == postgres ]] && chown postgres: "$socket" && touch "$log" && chown postgres: "$log"
  # The server outlives this script: it must not inherit our open files
  # beyond stdin/out/err, such as the lock of `flock FILE cmd` (it would hold
  # the lock for as long as the cluster runs).
  local fd
  for fd in $(ls /proc/$$/fd); do
    [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
  done
  if ! pg_ctl -l "$log" -w -t 60 start >/dev/null; then
    echo "pg-cluster.sh: $name cluster did not start; last log lines:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  as_owner "$bindir/psql" -h "$socket" -p "$port" -U postgres -d postgres -qAtc \
    "SELECT 1 FROM pg_database WHERE datname = '${PGDIALER_DB:-pgdialer}'" | grep -q 1 ||
    as_owner "$bindir/createdb" -h "$socket" -p "$port" -U postgres "${PGDIALER_DB:-pgdialer}"
}

stop() {
  if running; then pg_ctl -m fast -w -t 60 stop >/dev/null; fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  wipe) stop; rm -rf "$base" ;;
  *) echo "pg-cluster.sh: unknown command '$cmd'" >&2; exit 2 ;;
esac
