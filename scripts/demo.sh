#!/usr/bin/env bash
# `make demo`: builds and installs pgdialer, loads a SourceCo CRM with 12,000
# contacts into the private demo cluster, prints the PhoneBurner push preview
# for two calling lists, then pushes lists for real: it starts a fake
# PhoneBurner and the pgdialer-sync daemon, pushes one list into a new session
# and two more into that same session, with live progress and the success
# summary of each. Stops everything it started when done, also on failure or
# Ctrl-C. Safe to run again: the database and the fake start fresh each time.
#
# PGDIALER_SKIP_BUILD=1 uses the binaries and extension as already built.
# `scripts/demo.sh stop` (make demo-stop) stops what a killed run left behind.
# Logs (daemon, fake, the fake's state dump) go next to the demo cluster:
# .demo/ in the checkout, or the /tmp fallback of scripts/pg-cluster.sh.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m' red=$'\e[31m'
tty=0
if [[ -t 1 ]]; then tty=1; else bold='' dim='' off='' red=''; fi
rule() { printf '%s\n' "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━"; }
step() { printf '%s==>%s %s\n' "$bold" "$off" "$*"; }
section() { echo; rule; printf ' %s%s%s\n' "$bold" "$1" "$off"; shift; for l in "$@"; do printf '   %s%s%s\n' "$dim" "$l" "$off"; done; rule; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Where the demo's files live: the folder that holds the cluster's socket.
demo_dir=$(dirname "$(scripts/pg-cluster.sh env demo | sed -n "s/.*PGHOST='\([^']*\)'.*/\1/p")")
mkdir -p "$demo_dir"
fake_bin=$repo/build/fake-phoneburner
sync_bin=$repo/build/pgdialer-sync
fake_log=$demo_dir/fake-phoneburner.log
sync_log=$demo_dir/pgdialer-sync.log
state_file=$demo_dir/fake-phoneburner-state.json

# ---------------------------------------------------------------------------
# Processes: the fake and the daemon are this shell's children; their pids are
# also written to $demo_dir so that a run killed with SIGKILL (no trap) is
# cleaned up by the next one.
# ---------------------------------------------------------------------------
fake_pid='' sync_pid='' secret_dir=''

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $s != Z* ]]; }

# stop_child PID NAME: SIGTERM, up to 15 s to exit, then SIGKILL; returns its status.
stop_child() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    printf '    %s did not stop within 15 s; killing it\n' "$2" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  local rc=0
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}

# stop_stale PIDFILE BIN MARKER: a process left by an earlier run that could
# not clean up (SIGKILL), ended by its pid, and only when that pid still runs
# our binary with MARKER in its command line or environment.
stop_stale() {
  local pidfile=$1 bin=$2 marker=$3 pid exe i
  [[ -f $pidfile ]] || return 0
  pid=$(<"$pidfile")
  rm -f "$pidfile"
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 0
  [[ $exe == "$bin" || $exe == "$bin (deleted)" ]] || return 0
  grep -qaF -- "$marker" "/proc/$pid/cmdline" "/proc/$pid/environ" 2>/dev/null || return 0
  echo "    stopping $(basename "$bin") (pid $pid) left by an earlier run"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do [[ -e /proc/$pid ]] || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? sync_rc=0
  set +e
  trap '' INT TERM
  [[ $tty == 1 ]] && printf '\e[?25h'   # the cursor, should the progress line have hidden it
  if [[ -n $sync_pid || -n $fake_pid ]]; then echo; step "Stopping what the demo started"; fi
  if [[ -n $sync_pid ]]; then
    stop_child "$sync_pid" pgdialer-sync
    sync_rc=$?
    if [[ $sync_rc == 0 ]]; then
      echo "    pgdialer-sync stopped (SIGTERM, exit status 0)"
    else
      echo "    ${red}pgdialer-sync exited with status $sync_rc${off} (log: $sync_log)"
      [[ $rc == 0 ]] && tail -n 15 "$sync_log" | sed 's/^/      /'
    fi
    rm -f "$demo_dir/pgdialer-sync.pid"
  fi
  if [[ -n $fake_pid ]]; then
    stop_child "$fake_pid" fake-phoneburner && echo "    fake PhoneBurner stopped" ||
      echo "    fake PhoneBurner exited with status $?"
    rm -f "$demo_dir/fake-phoneburner.pid"
  fi
  [[ -n $secret_dir ]] && rm -rf "$secret_dir" "$demo_dir/secret-dir"
  scripts/pg-cluster.sh stop demo && echo "    demo cluster stopped"
  if [[ $rc == 0 && $sync_rc != 0 ]]; then rc=1; fi
  if [[ $rc == 130 ]]; then echo "demo interrupted; logs in $demo_dir" >&2
  elif [[ $rc != 0 ]]; then echo "${red}make demo failed (exit status $rc)${off}; logs in $demo_dir" >&2; fi
  exit "$rc"
}
# What a run killed with SIGKILL leaves behind: daemon, fake, token folder.
stop_stale_run() {
  stop_stale "$demo_dir/pgdialer-sync.pid" "$sync_bin" "PGDIALER_WORKER_ID=pgdialer-demo/"
  stop_stale "$demo_dir/fake-phoneburner.pid" "$fake_bin" "$state_file"
  if [[ -f $demo_dir/secret-dir ]]; then
    local stale; stale=$(<"$demo_dir/secret-dir")
    if [[ $stale == */pgdialer-demo-secret.* && -d $stale ]]; then rm -rf "$stale"; fi
    rm -f "$demo_dir/secret-dir"
  fi
}

# `scripts/demo.sh stop` (make demo-stop): stop whatever a demo left running.
if [[ ${1:-} == stop ]]; then
  stop_stale_run
  scripts/pg-cluster.sh stop demo
  exit 0
elif [[ $# -gt 0 ]]; then
  echo "usage: scripts/demo.sh [stop]" >&2
  exit 64
fi

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
stop_stale_run

if [[ ${PGDIALER_SKIP_BUILD:-} != 1 ]]; then
  step "Building and installing pgdialer (scripts/build.sh, log in build.log)"
  scripts/build.sh
fi

step "Starting the demo cluster"
scripts/pg-cluster.sh start demo
eval "$(scripts/pg-cluster.sh env demo)"
run_psql() { psql -X -q -P pager=off -v ON_ERROR_STOP=1 "$@"; }

step "Loading the SourceCo CRM (schema sourceco, 12,000 contacts)"
started=$(now_ms)
run_psql <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS sourceco CASCADE;
DROP EXTENSION IF EXISTS pgdialer CASCADE;
CREATE EXTENSION pgdialer;
\i demo/sourceco_schema.sql
\i demo/sourceco_sample_data.sql
SQL
elapsed=$(( $(now_ms) - started ))
run_psql -Atc "
  SELECT format('    %s contacts (%s buyers, %s sellers, %s prospects) loaded in %s s',
                to_char(count(*), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'buyer'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'seller'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'prospect'), 'FM999,999'),
                round($elapsed / 1000.0, 1))
  FROM sourceco.contacts"

# ---------------------------------------------------------------------------
# Part 1: the push modal (preview only, nothing is sent)
# ---------------------------------------------------------------------------

# show_list TITLE WHERE OPTIONS: one list's push modal.
show_list() {
  local title=$1 where=$2 options=$3
  section "$title" \
    "SELECT dialer.preview(array_agg(c), '$options')" \
    "FROM sourceco.contacts c WHERE $where"
  run_psql -v title="$title" -v where="$where" -v options="$options" -f demo/show_preview.sql
}

northeast="state IN ('CT','MA','ME','NH','NJ','NY','PA','RI','VT')"
list1_where="contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND $northeast AND 'Business Services' = ANY (target_industries)"
list1_options='{"filters": {"industry": "Business Services", "region": "Northeast"}}'

show_list "List 1 · PE buyers in the Northeast looking at Business Services" \
  "$list1_where" "$list1_options"

show_list "List 2 · Collision repair sellers, 14-day rule" \
  "contact_type = 'seller' AND industry = 'Collision Repair'" \
  '{"min_days": 14, "filters": {"industry": "Collision Repair"}}'

section "Phone numbers as typed, and what the dialer gets"
run_psql <<'SQL'
-- One contact per way of writing a number (digits masked), valid ones first.
WITH shaped AS (
    SELECT DISTINCT ON (shape) id, phone, phone_e164, city, shape
    FROM (SELECT id, phone, phone_e164, city,
                 regexp_replace(phone, '\d', '9', 'g') AS shape
          FROM sourceco.contacts
          WHERE phone ~ '\d' AND id <= 3000) t
    ORDER BY shape, id
)
SELECT phone AS "as typed", city, coalesce(phone_e164, '(not a valid number)') AS "E.164 (phone_e164)"
FROM (SELECT *, row_number() OVER (PARTITION BY phone_e164 IS NULL ORDER BY length(shape), shape) AS k
      FROM shaped) t
WHERE k <= CASE WHEN phone_e164 IS NULL THEN 5 ELSE 12 END
ORDER BY phone_e164 IS NULL, k;
SQL

# ---------------------------------------------------------------------------
# Part 2: pushing for real, to a fake PhoneBurner, through pgdialer-sync
# ---------------------------------------------------------------------------

section "Pushing to PhoneBurner: a fake PhoneBurner and the pgdialer-sync daemon"

# A fresh token for every run, handed to the daemon the recommended way: a
# file only its owner can read (PHONEBURNER_TOKEN_FILE), never the environment.
secret_dir=$(mktemp -d "${TMPDIR:-/tmp}/pgdialer-demo-secret.XXXXXX")
chmod 700 "$secret_dir"
echo "$secret_dir" >"$demo_dir/secret-dir"
token=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
(umask 077 && printf '%s\n' "$token" >"$secret_dir/phoneburner-token")

step "Starting the fake PhoneBurner (30 ms per request, log in $fake_log)"
# The token reaches the fake through its environment, not its command line (ps).
# Both servers run in their own session (setsid), so a Ctrl-C at the terminal
# reaches only this script, whose trap then stops them in order.
FAKE_PHONEBURNER_TOKEN=$token setsid "$fake_bin" --listen 127.0.0.1:0 --latency-ms 30 \
  --state-file "$state_file" >"$fake_log" 2>&1 </dev/null &
fake_pid=$!
echo "$fake_pid" >"$demo_dir/fake-phoneburner.pid"
fake_url=''
for ((i = 0; i < 100; i++)); do
  fake_url=$(sed -n '1s|^listening on \(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$fake_log")
  [[ -n $fake_url ]] && break
  alive "$fake_pid" || break
  sleep 0.1
done
if [[ -z $fake_url ]]; then
  echo "fake-phoneburner did not start; its log:" >&2
  cat "$fake_log" >&2
  exit 1
fi
echo "    listening on $fake_url (API: $fake_url/rest/1)"

step "Starting pgdialer-sync (log in $sync_log)"
# PGDIALER_REQUESTS_PER_SECOND keeps each push a few seconds long, so that
# its progress can be watched; PhoneBurner's real limit is lower still.
: >"$sync_log"
env -u PHONEBURNER_TOKEN -u CREDENTIALS_DIRECTORY \
  DATABASE_URL="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE" \
  PHONEBURNER_BASE_URL="$fake_url/rest/1" \
  PHONEBURNER_TOKEN_FILE="$secret_dir/phoneburner-token" \
  PGDIALER_CONCURRENCY=4 \
  PGDIALER_REQUESTS_PER_SECOND=60 \
  PGDIALER_POLL_SECONDS=2 \
  PGDIALER_WORKER_ID="pgdialer-demo/$$" \
  setsid "$sync_bin" >>"$sync_log" 2>&1 </dev/null &
sync_pid=$!
echo "$sync_pid" >"$demo_dir/pgdialer-sync.pid"
for ((i = 0; i < 150; i++)); do
  grep -q 'ready worker=' "$sync_log" && break
  alive "$sync_pid" || break
  sleep 0.1
done
if ! grep -q 'ready worker=' "$sync_log"; then
  echo "pgdialer-sync did not become ready; its log:" >&2
  cat "$sync_log" >&2
  exit 1
fi
sed -n 's/^<[0-9]>/    /p' "$sync_log" | grep -E 'starting|token accepted|ready' | sed 's/ phoneburner=.* token from / token from /'

# push TITLE ACTOR WHERE SESSION_ID OPTIONS: enqueues one list, follows its
# progress until it is final, prints the summary. Sets $job and $session.
push() {
  local title=$1 actor=$2 where=$3 session_id=$4 options=$5
  section "$title" \
    "BEGIN; SET LOCAL dialer.acting_user = '$actor';" \
    "SELECT dialer.push(array_agg(c), NULL, $session_id, '$options')" \
    "FROM sourceco.contacts c WHERE $where; COMMIT;"
  local t0; t0=$(now_ms)
  job=$(run_psql -At -v actor="$actor" -v where="$where" -v session_id="$session_id" \
          -v options="$options" -f demo/push.sql)
  echo "  job #$job queued; pgdialer-sync picks it up on the NOTIFY"
  follow "$job" "$t0"
  local seconds; seconds=$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')
  echo
  run_psql -v job="$job" -v seconds="$seconds" -f demo/push_summary.sql
  session=$(run_psql -Atc "SELECT dialer.push_status($job) ->> 'session_id'")
}

# follow JOB T0: the progress modal, polled every half second. On a terminal
# one line redraws itself; otherwise a line is printed per step or per 20%.
follow() {
  local job=$1 t0=$2 row status percent ndone total step created updated skipped failed
  local last_step='' last_bucket=-1 line bar n cols
  # One screen line, so that \r redraws it instead of wrapping.
  cols=$({ stty size </dev/tty; } 2>/dev/null | cut -d' ' -f2) || true
  [[ $cols =~ ^[0-9]+$ && $cols -ge 40 ]] || cols=80
  [[ $tty == 1 ]] && printf '\e[?25l'
  while :; do
    row=$(run_psql -AtF $'\t' -c "
      SELECT j ->> 'status', j ->> 'percent', j ->> 'done', j ->> 'total', coalesce(j ->> 'step', ''),
             j -> 'counts' ->> 'created', j -> 'counts' ->> 'updated',
             j -> 'counts' ->> 'skipped', j -> 'counts' ->> 'failed'
      FROM dialer.push_status($job) AS j")
    IFS=$'\t' read -r status percent ndone total step created updated skipped failed <<<"$row"
    n=$(( percent * 30 / 100 ))
    printf -v bar '%*s' "$n" ''
    bar=${bar// /█}
    printf -v bar '%s%*s' "$bar" $(( 30 - n )) ''
    bar=${bar// /░}
    printf -v line '  %s %3s%%  %4s/%-4s  created %-4s updated %-4s skipped %-4s failed %-3s %s' \
      "$bar" "$percent" "$ndone" "$total" "$created" "$updated" "$skipped" "$failed" "$step"
    if [[ $tty == 1 ]]; then
      printf '\r%s\e[K' "${line:0:cols-1}"
    elif [[ $step != "$last_step" || $(( percent / 20 )) != "$last_bucket" ]]; then
      printf '%s\n' "$line"
    fi
    last_step=$step last_bucket=$(( percent / 20 ))
    [[ $status == queued || $status == running ]] || break
    if (( $(now_ms) - t0 > 60000 )); then
      echo
      echo "${red}job $job still $status after 60 s${off}; last lines of $sync_log:" >&2
      tail -n 15 "$sync_log" | sed 's/^/      /' >&2
      exit 1
    fi
    if ! alive "$sync_pid"; then
      echo
      echo "${red}pgdialer-sync has stopped${off}; last lines of $sync_log:" >&2
      tail -n 15 "$sync_log" | sed 's/^/      /' >&2
      exit 1
    fi
    sleep 0.5
  done
  [[ $tty == 1 ]] && printf '\n\e[?25h'
  return 0
}

show_sessions() {
  echo
  echo "  ${bold}Sessions${off} ${dim}(SELECT ... FROM dialer.sessions_overview: the \"Add to Existing Session\" dropdown)${off}"
  run_psql -f demo/show_sessions.sql | sed "/^$/d; s/^/  /"
}

started=$(now_ms)

push "Push 1 · List 1 into a new session (Sarah)" \
  "sarah@sourceco.example" "$list1_where" NULL "$list1_options"
first_session=$session
show_sessions

list2_where="contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND $northeast AND 'Software' = ANY (target_industries)"
push "Push 2 · Northeast PE buyers looking at Software, added to session #$first_session" \
  "sarah@sourceco.example" "$list2_where" "$first_session" \
  '{"filters": {"industry": "Software", "region": "Northeast"}}'
echo "     ${dim}(many of these buyers also look at Business Services: those already in the session"
echo "      were updated in place, not created twice)${off}"
show_sessions

list3_where="contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND $northeast AND 'Education' = ANY (target_industries)"
push "Push 3 · Northeast PE buyers looking at Education, add-only (Mike), to session #$first_session" \
  "mike@sourceco.example" "$list3_where" "$first_session" \
  '{"filters": {"industry": "Education", "region": "Northeast"}, "update_existing": false}'
echo "     ${dim}(update_existing false: contacts already in the session are left as they are)${off}"
show_sessions

push_seconds=$(awk -v ms=$(( $(now_ms) - started )) 'BEGIN { printf "%.1f", ms / 1000 }')

# What PhoneBurner now holds, from the fake's own state dump: every contact
# of the session once, in the session's folder.
section "What PhoneBurner holds (the fake's GET /_control/state)"
live_state=$demo_dir/fake-phoneburner-live-state.json
if command -v curl >/dev/null; then
  curl -fsS "$fake_url/_control/state" >"$live_state"
else
  # No curl: plain HTTP/1.0 over bash's /dev/tcp.
  hostport=${fake_url#http://}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
  printf 'GET /_control/state HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$hostport" >&3
  sed '1,/^\r\{0,1\}$/d' <&3 >"$live_state"
  exec 3<&-
fi
# One line of JSON, read verbatim (CSV with quote and delimiter it never holds).
run_psql -c "CREATE TEMP TABLE fake_state (doc text)" \
  -c "COPY fake_state FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" \
  -c "\\i demo/fake_state.sql" <"$live_state"
run_psql -Atc "
  SELECT format('  Session #%s holds %s contacts in pgdialer (dialer.contact_links) and folder %s in PhoneBurner.',
                s.id, s.contact_count, s.phoneburner_folder_id)
  FROM dialer.sessions s WHERE s.id = $first_session"

cat <<EOF

${bold}What you just saw:${off} the push modal for lists built with plain SQL:
dialer.preview() applied the spec's pre-push rules (do not call / suppressed,
invalid or duplicate phone, recently called, missing names), estimated the dial
time and named the session; dialer.is_dialable() gave the "Dialable Only" count.
Then three dialer.push() calls, each in the rep's own transaction: pgdialer-sync
woke up on the NOTIFY, made the session's PhoneBurner folder once, wrote the
contacts (created, updated in place, or skipped with update_existing false),
and recorded every outcome back; dialer.push_status() drove the progress bar.
The three pushes took $push_seconds s.

${bold}Poke around:${off}
  scripts/pg-cluster.sh start demo && eval "\$(scripts/pg-cluster.sh env demo)" && psql
    SELECT (dialer.exclusion(c)).* , first_name, last_name FROM sourceco.contacts c LIMIT 20;
    SELECT jsonb_pretty(dialer.payload(c)) FROM sourceco.contacts c WHERE id = 10;
    SELECT dialer.push_status(1);  SELECT * FROM dialer.push_items WHERE job_id = 2 LIMIT 5;
  scripts/pg-cluster.sh stop demo      (or: make demo-stop, which also stops a stray daemon or fake)
  Logs: $sync_log
        $fake_log ($(basename "$state_file") is its state at exit)
EOF
