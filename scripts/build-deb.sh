#!/usr/bin/env bash
# `make deb`: the Debian packages postgresql-15-pgdialer and pgdialer-sync,
# built by dpkg-buildpackage (debian/rules: pg_buildext for the extension, the
# project's CMake build for the daemon) on a copy of the tree in
# build-deb/src, so the checkout stays clean. The .deb files (and the
# .changes and .buildinfo) land in build-deb/; the log in build-deb/build.log.
# Compilers go through ccache when it is installed (/usr/lib/ccache): a
# rebuild compiles only what changed.
# Usage: scripts/build-deb.sh [OUT_DIR]   (default: build-deb)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
out=$(realpath -m "${1:-build-deb}")
src=$out/src

for tool in dpkg-buildpackage dh pg_buildext; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is missing: run 'make deps'" >&2; exit 1; }
done

# The tree as checked out (tracked and new, unignored files, as they are on
# disk), without build output.
mkdir -p "$out"
rm -rf "$src" "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo
mkdir "$src"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -xf - -C "$src"

if [[ -d /usr/lib/ccache ]] && command -v ccache >/dev/null; then
  export PATH=/usr/lib/ccache:$PATH
  # debhelper runs the build with HOME set to a scratch folder: keep ccache's
  # own cache and settings (base_dir) rather than a new empty cache each time.
  export CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
  config=${XDG_CONFIG_HOME:-$HOME/.config}/ccache/ccache.conf
  [[ -z ${CCACHE_CONFIGPATH:-} && -f $config ]] && export CCACHE_CONFIGPATH=$config
  export CCACHE_STATSLOG=$out/ccache-stats.log
  rm -f "$CCACHE_STATSLOG"
fi
jobs=$(nproc)
export DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck} parallel=$jobs"
started=$SECONDS
if ! (cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
  tail -n 60 "$out/build.log" >&2
  echo "build-deb.sh: dpkg-buildpackage failed; log: $out/build.log" >&2
  exit 1
fi
rm -rf "$src"
hits=''
if [[ -f ${CCACHE_STATSLOG:-} ]]; then
  hits=$(ccache --show-log-stats 2>/dev/null | sed -n 's/^ *Hits: *\([0-9]* \/ *[0-9]*\).*/\1/p' | head -n1 | tr -s ' ')
  [[ -n $hits ]] && hits=", ccache hits $hits compilations"
fi
echo "built in $((SECONDS - started)) s$hits (log: ${out#"$repo"/}/build.log):"
for deb in "$out"/*.deb; do echo "  ${deb#"$repo"/}"; done
