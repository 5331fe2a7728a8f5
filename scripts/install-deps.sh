#!/usr/bin/env bash
# Installs every Debian 12 package pgdialer needs to build, test and run.
# Idempotent: does nothing (and does not touch apt) when all are present.
set -euo pipefail

packages=(
  postgresql-15 postgresql-server-dev-15 libpq-dev   # server, PGXS headers, libpq
  g++ make cmake pkg-config                          # toolchain
  libphonenumber-dev libprotobuf-dev libicu-dev      # phone numbers (+ its metadata format)
  libre2-dev                                         # fast NANP validity checks
  rapidjson-dev                                      # JSON in the C++ core and daemon
  libcurl4-openssl-dev                               # PhoneBurner HTTP client
  libssl-dev                                         # HMAC-SHA256 webhook URL tokens (libcrypto)
  libcpp-httplib-dev                                 # the fake PhoneBurner's HTTP server
  libsystemd-dev systemd                             # sd_notify for the daemon; systemd-analyze verify
  libgtest-dev                                       # unit tests
  clang-format                                       # the C++ style check of make test
  clang libclang-rt-14-dev                           # libFuzzer, ASan, UBSan (tests/fuzz)
  util-linux procps                                  # runuser, pkill for the cluster scripts
  locales                                            # a German locale for the lc_time tests
  dpkg-dev debhelper postgresql-server-dev-all       # make deb: dpkg-buildpackage, dh, pg_buildext
)

# The regression tests check that session names stay English under another
# lc_time; generate that locale once (cheap, and needs no network).
ensure_test_locale() {
  locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && return 0
  [[ $(id -u) -eq 0 ]] || return 0
  localedef -i de_DE -f UTF-8 de_DE.UTF-8 2>/dev/null || true
}
trap ensure_test_locale EXIT

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "missing packages: ${missing[*]}" >&2
  echo "run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
# Debian's postgresql-common creates and starts a default cluster on port 5432
# unless told not to; the project runs only its own private clusters.
if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
  mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

