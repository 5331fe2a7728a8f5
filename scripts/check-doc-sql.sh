#!/usr/bin/env bash
# `make test` suite: the SQL examples of the docs run.
#
#   scripts/check-doc-sql.sh [MARKDOWN_FILE ...]   (default: README.md docs/*.md)
#
# Runs every fenced ```sql block of the files against the server in
# PGHOST/PGPORT/PGUSER (scripts/run-tests.sh passes the test cluster's), which
# must have pgdialer installed. Each file gets a database of its own, copied
# from a template that holds what `make demo` loads (demo/sourceco_load.sql:
# pgdialer and the SourceCo sample CRM), with search_path sourceco, public so
# that `contacts` is the sample's sourceco.contacts. A file's blocks run in
# the order they appear, each as one psql script that stops at its first
# error, so a block may use what an earlier one of the same file made.
#
# A block that must not run (it shows output, or needs the daemon) says so in
# its info string: ```sql norun. Keep them few.
#
# Prints "ok FILE:LINE" or "FAILED FILE:LINE" (LINE: the block's opening
# fence) for each block, psql's messages for a failed one with the line of
# the doc they come from, and a last "doc SQL: N passed, N failed" line.
# PGDIALER_DOC_SQL_VERBOSE=1 also prints what each block printed (to check
# the results the docs claim). Exits non-zero when a block failed or nothing
# could run.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if [[ $# -gt 0 ]]; then docs=("$@"); else docs=(README.md docs/*.md); fi
template=pgdialer_doc_sql_template
work=$(mktemp -d /tmp/pgdialer-doc-sql.XXXXXX)
chmod 755 "$work"
databases=()
cleanup() {
  local db
  for db in "${databases[@]}" "$template"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT
admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# The blocks: $work/N.sql, and one "file<TAB>line<TAB>N<TAB>run|norun" line each.
awk -v dir="$work" '
  FNR == 1 { inside = 0 }
  !inside && /^[ \t]*```sql([ \t].*)?$/ {
    inside = 1; n++; file = dir "/" n ".sql"; printf "" > file
    mode = ($0 ~ /[ \t]norun([ \t]|$)/) ? "norun" : "run"
    printf "%s\t%d\t%d\t%s\n", FILENAME, FNR, n, mode > (dir "/blocks")
    next
  }
  inside && /^[ \t]*```[ \t]*$/ { inside = 0; close(file); next }
  inside { print > file }
' "${docs[@]}" || { echo "check-doc-sql: cannot read ${docs[*]}"; echo "doc SQL: 0 passed, 1 failed"; exit 1; }
touch "$work/blocks"

echo "preparing $template (demo/sourceco_load.sql)"
if ! { admin -c "DROP DATABASE IF EXISTS $template" && admin -c "CREATE DATABASE $template" &&
       psql -X -q -v ON_ERROR_STOP=1 -d "$template" -f demo/sourceco_load.sql >"$work/template.log" 2>&1; }; then
  cat "$work/template.log"
  echo "check-doc-sql: cannot load the demo's sample CRM"
  echo "doc SQL: 0 passed, 1 failed"
  exit 1
fi

passed=0 failed=0 skipped=0 current='' db=''
while IFS=$'\t' read -r file line n mode; do
  if [[ $mode == norun ]]; then skipped=$((skipped + 1)); continue; fi
  if [[ $file != "$current" ]]; then
    current=$file
    db=pgdialer_doc_sql_${#databases[@]}
    databases+=("$db")
    if ! { admin -c "DROP DATABASE IF EXISTS $db" && admin -c "CREATE DATABASE $db TEMPLATE $template" &&
           admin -c "ALTER DATABASE $db SET search_path = sourceco, public"; } >"$work/db.log" 2>&1; then
      cat "$work/db.log"
      echo "FAILED $file:$line"
      failed=$((failed + 1))
      continue
    fi
  fi
  if psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/$n.sql" >"$work/$n.out" 2>&1; then
    echo "ok $file:$line"
    [[ ${PGDIALER_DOC_SQL_VERBOSE:-} == 1 ]] && sed 's/^/  | /' "$work/$n.out"
    passed=$((passed + 1))
  else
    echo "FAILED $file:$line"
    # psql:/tmp/.../7.sql:3: ERROR:  ...  ->  README.md:45: ERROR:  ...
    sed -E "s|^psql:$work/$n\\.sql:([0-9]+):|\\1\\t|" "$work/$n.out" |
      awk -F'\t' -v file="$file" -v line="$line" 'NF > 1 && $1 ~ /^[0-9]+$/ { print "  " file ":" (line + $1) ":" $2; next } { print "  " $0 }'
    failed=$((failed + 1))
  fi
done <"$work/blocks"

[[ $skipped -gt 0 ]] && echo "($skipped block(s) marked norun not run)"
echo "doc SQL: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
