#!/usr/bin/env bash
# scripts/pg-cluster.sh for the sanitizer run (scripts/test-sanitize.sh): the
# same commands, but a server it starts has the AddressSanitizer runtime
# preloaded, so that the pgdialer.so built with -fsanitize (Debian's
# postgres binary is not instrumented: the runtime must be in the process
# before the module is loaded) is checked inside every backend. The
# integration tests restart the test cluster through this script too
# (PGDIALER_PG_CLUSTER_SCRIPT), so a restarted server is checked the same way.
#
# ASan's options for the server: leak detection off (PostgreSQL frees its
# memory contexts wholesale at exit, never each allocation, so every backend
# would "leak"); a report ends the backend (halt_on_error) with exit code 86,
# not ASan's default 1, which the postmaster takes for a normal FATAL exit:
# 86 is a crash it logs and recovers from, failing the running tests, and
# scripts/test-sanitize.sh finds the report in the server log. The daemon's and the tests' own ASAN_OPTIONS are not the server's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
libasan=$(readlink -f "$(gcc -print-file-name=libasan.so)")
[[ -f $libasan ]] || { echo "pg-cluster-asan.sh: gcc's libasan not found (apt-get install gcc)" >&2; exit 1; }
if [[ ${1:-} != start ]]; then exec "$repo/scripts/pg-cluster.sh" "$@"; fi
name=${2:?usage: pg-cluster-asan.sh start|stop|env|wipe NAME}

# Only the server runs with the sanitizer runtime: the cluster is made and
# started as usual (initdb, createdb, psql and pg_ctl stay uninstrumented:
# see below why they must), then restarted by pg_ctl with a postgres that is
# a small script setting the runtime's environment and starting the real
# binary, which the postmaster's backends inherit.
"$repo/scripts/pg-cluster.sh" start "$name"
eval "$("$repo/scripts/pg-cluster.sh" env "$name")"
base=$(dirname "$PGHOST")  # the cluster's folder, which its owner can enter
bindir=$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || pg_config --bindir)

# With libasan alone preloaded, Debian's postgres (and psql, pg_ctl) hang
# before main: after the constructors of libgnutls and libgcrypt (which
# postgres pulls in through libldap and libsystemd) have run with the runtime
# loaded, glibc's gettext lock (_nl_state_lock) has a negative reader count
# and bindtextdomain, called by set_pglocale_pgservice, waits forever.
# Loading those two libraries before libasan avoids it for postgres (not for
# psql and pg_ctl, which therefore run without it). libasan is then not
# first in the list, which ASan refuses by default (verify_asan_link_order=0):
# neither library defines malloc or any other libc function, so every such
# call still resolves to libasan's interceptors. libubsan is not preloaded:
# the sanitized pgdialer.so needs it and loads it.
early=$(ldd "$bindir/postgres" | awk '$1 ~ /^lib(gnutls|gcrypt)\.so/ { printf "%s ", $3 }')
wrapper="$base/postgres-asan"
cat >"$wrapper" <<WRAPPER
#!/bin/sh
# Written by scripts/pg-cluster-asan.sh: postgres with the ASan runtime.
export LD_PRELOAD='$early$libasan'
export ASAN_OPTIONS='detect_leaks=0:halt_on_error=1:exitcode=86:print_summary=1:verify_asan_link_order=0'
export UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:exitcode=86'
exec '$bindir/postgres' "\$@"
WRAPPER
chmod 755 "$wrapper"
restart=("$bindir/pg_ctl" -D "$base/cluster" -l "$base/postgres.log" -p "$wrapper" -w -t 60 -m fast restart)
if [[ $(id -u) -eq 0 ]]; then
  (cd / && runuser -u postgres -- "${restart[@]}" >/dev/null)
else
  "${restart[@]}" >/dev/null
fi
