#!/usr/bin/env bash
# `make demo`: builds and installs pgdialer, loads a SourceCo CRM with 12,000
# contacts and a team of two reps (Sarah and Mike, each with their own
# PhoneBurner account) into the private demo cluster, and prints the
# PhoneBurner push preview for two calling lists. Then it pushes lists for
# real, the way a team does: a fake PhoneBurner serves both reps' accounts,
# pgdialer-sync runs as a login with only dialer_sync and one credential file
# per account, and the app's login pushes for each rep (dialer.acting_user).
# Sarah pushes a list into a new session and adds a second; Mike is refused
# when he tries to add to hers, pushes into a session of his own, and pushes
# a fourth list that is launched into dial sessions in his account at once.
# The fake's state shows what each account holds. Finally the fake simulates
# a calling hour: its webhooks come back through the daemon, and the sessions
# dashboard and one session's detail page are printed as the spec draws them.
# Stops everything it started when done, also on failure or Ctrl-C. Safe to
# run again: the database and the fake start fresh each time.
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
# A loopback port nothing listens on, for the daemon's webhook listener.
free_port() {
  local p
  for ((p = 18700 + RANDOM % 800; p < 19600; p++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}
# http METHOD URL [JSON]: the response body; fails on a non-2xx answer.
# curl when it is there, else plain HTTP/1.0 over bash's /dev/tcp. The body
# goes to curl on its stdin, never its command line: it may hold a token.
http() {
  local method=$1 url=$2 body=${3:-}
  if command -v curl >/dev/null; then
    if [[ -n $body ]]; then
      printf '%s' "$body" | curl -fsS -X "$method" -H 'Content-Type: application/json' --data-binary @- "$url"
    else
      curl -fsS -X "$method" "$url"
    fi
    return
  fi
  local hostport=${url#http://} path reply
  path=/${hostport#*/}
  hostport=${hostport%%/*}
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
  printf '%s %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
    "$method" "$path" "$hostport" "${#body}" "$body" >&3
  reply=$(cat <&3)
  exec 3<&-
  [[ $reply =~ ^HTTP/1\.[01]\ 2 ]] || { echo "${reply%%$'\r'*}" >&2; return 1; }
  printf '%s\n' "${reply#*$'\r\n\r\n'}"
}

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
run_psql -f demo/sourceco_load.sql
elapsed=$(( $(now_ms) - started ))
# Launches keep out contacts outside their local calling window; the demo
# launches at a fixed weekday noon in New York so it shows dial sessions at
# any hour it is run (docs/sql-reference.md, dialer.calling_window_clock).
run_psql -c "ALTER DATABASE \"$PGDATABASE\" SET dialer.calling_window_clock = '2026-03-04 17:00+00'" >/dev/null
run_psql -Atc "
  SELECT format('    %s contacts (%s buyers, %s sellers, %s prospects) loaded in %s s',
                to_char(count(*), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'buyer'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'seller'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'prospect'), 'FM999,999'),
                round($elapsed / 1000.0, 1))
  FROM sourceco.contacts"
run_psql -Atc "
  SELECT format('    reps: %s', string_agg(format('%s (%s, PhoneBurner credential %s)', display_name, name,
                                                    phoneburner_credential), ', ' ORDER BY name DESC))
  FROM dialer.reps"

step "Logins: pgdialer_demo_app (dialer_app) and pgdialer_demo_sync (dialer_sync), demo/logins.sql"
run_psql -f demo/logins.sql
# The app's login: it pushes for the rep it names in dialer.acting_user.
run_app_psql() { run_psql -U pgdialer_demo_app "$@"; }

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

# Fresh tokens for every run: one PhoneBurner account per rep, named like the
# rep's credential (dialer.reps). The daemon gets them the recommended way for
# a team: PGDIALER_CREDENTIALS_DIR, one file per credential name that only its
# owner can read (mode 600), never the environment.
secret_dir=$(mktemp -d "${TMPDIR:-/tmp}/pgdialer-demo-secret.XXXXXX")
chmod 700 "$secret_dir"
echo "$secret_dir" >"$demo_dir/secret-dir"
random_hex() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
credentials_dir=$secret_dir/credentials
accounts=(sarah mike)
(umask 077 && mkdir "$credentials_dir" && for a in "${accounts[@]}"; do random_hex >"$credentials_dir/$a"; done)
# The webhook secret: every callback URL carries an HMAC of it (PhoneBurner
# does not sign its webhooks), so only PhoneBurner knows the URLs.
(umask 077 && random_hex >"$secret_dir/webhook-secret")
webhook_port=$(free_port) || { echo "no free loopback port for the webhook listener" >&2; exit 1; }
webhook_base=http://127.0.0.1:$webhook_port
journal_dir=$demo_dir/webhook-journal

step "Starting the fake PhoneBurner with accounts ${accounts[*]} (30 ms per request, log in $fake_log)"
# Tokens stay off command lines (ps): the fake's account "default", which no
# rep uses, takes its token from the environment; --account has no
# environment form, so each rep's account starts with a throwaway token that
# is replaced by the real one through /_control/config before anything runs.
# Both servers run in their own session (setsid), so a Ctrl-C at the terminal
# reaches only this script, whose trap then stops them in order.
account_args=()
for a in "${accounts[@]}"; do account_args+=(--account "$a=throwaway-$a-$(random_hex)"); done
default_token=$(random_hex)
# The log exists before the fake starts: the loop below reads it at once.
: >"$fake_log"
FAKE_PHONEBURNER_TOKEN=$default_token setsid "$fake_bin" --listen 127.0.0.1:0 --latency-ms 30 \
  "${account_args[@]}" --state-file "$state_file" >"$fake_log" 2>&1 </dev/null &
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
for a in "${accounts[@]}"; do
  http POST "$fake_url/_control/config" "{\"account\": \"$a\", \"token\": \"$(<"$credentials_dir/$a")\"}" >/dev/null
done
echo "    listening on $fake_url (API: $fake_url/rest/1), one PhoneBurner account per rep"

step "Starting pgdialer-sync as pgdialer_demo_sync (log in $sync_log)"
# PGDIALER_REQUESTS_PER_SECOND keeps each push a few seconds long, so that
# its progress can be watched; PhoneBurner's real limit is lower still.
# PGDIALER_TEMPLATE_SECONDS=2 (default 30): the template made due below runs
# within seconds.
: >"$sync_log"
env -u PHONEBURNER_TOKEN -u PHONEBURNER_TOKEN_FILE -u CREDENTIALS_DIRECTORY \
  DATABASE_URL="host=$PGHOST port=$PGPORT user=pgdialer_demo_sync dbname=$PGDATABASE" \
  PHONEBURNER_BASE_URL="$fake_url/rest/1" \
  PGDIALER_CREDENTIALS_DIR="$credentials_dir" \
  PGDIALER_CONCURRENCY=4 \
  PGDIALER_REQUESTS_PER_SECOND=60 \
  PGDIALER_POLL_SECONDS=2 \
  PGDIALER_TEMPLATE_SECONDS=2 \
  PGDIALER_WORKER_ID="pgdialer-demo/$$" \
  PGDIALER_LISTEN="127.0.0.1:$webhook_port" \
  PGDIALER_WEBHOOK_BASE_URL="$webhook_base" \
  PGDIALER_WEBHOOK_SECRET_FILE="$secret_dir/webhook-secret" \
  PGDIALER_JOURNAL_DIR="$journal_dir" \
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
sed -n 's/^<[0-9]>/    /p' "$sync_log" | grep -E 'starting|credential|ready|webhooks: listening' |
  sed 's/ phoneburner=[^ ]*//; s/ journal=.* time_zone=/ time_zone=/'
run_psql -Atc "
  SELECT format('    pgdialer_demo_sync is a member of %s only',
                string_agg(g.rolname, ', ' ORDER BY g.rolname))
  FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
  WHERE u.rolname = 'pgdialer_demo_sync'"

# push TITLE ACTOR WHERE SESSION_ID OPTIONS: the app enqueues one list for
# rep ACTOR, follows its progress until it is final, prints the summary. Sets
# $job and $session.
push() {
  local title=$1 actor=$2 where=$3 session_id=$4 options=$5
  section "$title" \
    "-- as the app's login, pgdialer_demo_app (demo/push.sql):" \
    "BEGIN; SET LOCAL dialer.acting_user = '$actor';" \
    "SELECT dialer.push(array_agg(c), NULL, $session_id, '$options')" \
    "FROM sourceco.contacts c WHERE $where; COMMIT;"
  local t0; t0=$(now_ms)
  job=$(run_app_psql -At -v actor="$actor" -v where="$where" -v session_id="$session_id" \
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

# show_sessions ACTOR: the "Add to Existing Session" dropdown as the app shows it to ACTOR.
show_sessions() {
  echo
  echo "  ${bold}Sessions, as $1 sees them${off} ${dim}(dialer.sessions_overview: the \"Add to Existing Session\" dropdown)${off}"
  run_app_psql -v actor="$1" -f demo/show_sessions.sql | sed "/^$/d; s/^/  /"
}

started=$(now_ms)

sarah=sarah@sourceco.example mike=mike@sourceco.example
push "Push 1 · List 1 into a new session (Sarah)" \
  "$sarah" "$list1_where" NULL "$list1_options"
first_session=$session
show_sessions "$sarah"

list2_where="contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND $northeast AND 'Software' = ANY (target_industries)"
push "Push 2 · Northeast PE buyers looking at Software, added to session #$first_session (Sarah)" \
  "$sarah" "$list2_where" "$first_session" \
  '{"filters": {"industry": "Software", "region": "Northeast"}}'
echo "     ${dim}(many of these buyers also look at Business Services: those already in the session"
echo "      were updated in place, not created twice)${off}"
show_sessions "$sarah"

list3_where="contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND $northeast AND 'Education' = ANY (target_industries)"
list3_options='{"filters": {"industry": "Education", "region": "Northeast"}}'
section "Mike tries to add Northeast PE buyers looking at Education to Sarah's session #$first_session" \
  "BEGIN; SET LOCAL dialer.acting_user = '$mike';" \
  "SELECT dialer.push(array_agg(c), NULL, $first_session, '$list3_options') FROM ...; -- refused"
# push.sql stops at the error (exit status 3); its first line says why.
if refusal=$(run_app_psql -At -v VERBOSITY=verbose -v SHOW_CONTEXT=never -v actor="$mike" \
               -v where="$list3_where" -v session_id="$first_session" -v options="$list3_options" \
               -f demo/push.sql 2>&1); then
  echo "${red}Mike's push into Sarah's session #$first_session was accepted (job $refusal)${off}" >&2
  exit 1
fi
refusal=$(grep -m1 'ERROR:' <<<"$refusal" | sed 's/^psql:[^ ]* //') || true
if [[ $refusal != *42501* ]]; then
  echo "${red}Mike's push into Sarah's session failed, but not with 42501:${off} $refusal" >&2
  exit 1
fi
echo "  $refusal"
echo "     ${dim}(only a session's owner, or an admin, pushes into it, launches it or reads its links;"
echo "      nothing was queued: the app shows Mike the sessions he may add to, is_mine)${off}"

push "Push 3 · The same Education list, into a new session of Mike's own" \
  "$mike" "$list3_where" NULL "$list3_options"
mike_session=$session
echo "     ${dim}(some of these buyers are in Sarah's session too: Mike's PhoneBurner account gets"
echo "      its own copies, in his own folder; Sarah's account is not touched)${off}"
show_sessions "$mike"

push_seconds=$(awk -v ms=$(( $(now_ms) - started )) 'BEGIN { printf "%.1f", ms / 1000 }')

# ---------------------------------------------------------------------------
# Part 3: a calling hour. Reps dial in PhoneBurner; its webhooks come back
# through pgdialer-sync into dialer.call_activity and the contacts.
# ---------------------------------------------------------------------------

section "Calls come back: the write-back hook and PhoneBurner's webhooks" \
  "SELECT dialer.configure('sourceco.contacts');" \
  "SELECT dialer.configure_writeback('sourceco.dialer_writeback(text, jsonb)');  -- demo/writeback_hook.sql"
run_psql -f demo/writeback_hook.sql >/dev/null
echo "    call outcomes now update sourceco.contacts (last call, outcome, wrong number, do not call),"
echo "    with pgdialer-sync's rights: UPDATE on those columns only (demo/logins.sql)"
# The account-level webhook an admin pastes into each PhoneBurner account's
# settings once: its URL names the credential, so the call lands in that account's sessions.
for a in "${accounts[@]}"; do
  account_url=$(env -u PHONEBURNER_TOKEN -u CREDENTIALS_DIRECTORY DATABASE_URL=unused PHONEBURNER_TOKEN=unused \
    PGDIALER_WEBHOOK_BASE_URL="$webhook_base" PGDIALER_WEBHOOK_SECRET_FILE="$secret_dir/webhook-secret" \
    "$sync_bin" --print-webhook-url "account:$a")
  http POST "$fake_url/_control/config" "{\"account\": \"$a\", \"account_webhook_url\": \"$account_url\"}" >/dev/null
  echo "    $a's PhoneBurner account webhook (api_calldone, pgdialer-sync --print-webhook-url account:$a):"
  echo "      ${account_url%%\?*}?s=<HMAC token>"
done

push "Push 4 · Collision repair sellers into a new session, started at once (Mike, auto_launch)" \
  "$mike" "contact_type = 'seller' AND industry = 'Collision Repair'" NULL \
  '{"min_days": 14, "filters": {"industry": "Collision Repair"}, "auto_launch": true}'
second_session=$session
launch_job=$(run_psql -Atc "SELECT dialer.push_status($job) ->> 'launch_job_id'")
echo "  launch job #$launch_job: re-checking the session's contacts and creating PhoneBurner dial sessions..."
for ((i = 0; i < 240; i++)); do
  launch_status=$(run_psql -Atc "SELECT dialer.push_status($launch_job) ->> 'status'")
  [[ $launch_status == queued || $launch_status == running ]] || break
  sleep 0.5
done
run_psql -Atc "
  SELECT format('  %s: dial session %s with %s contacts in PhoneBurner account %s, callbacks to our webhook',
                d.status, coalesce(d.phoneburner_dial_session_id, '?'), d.contact_count, j.phoneburner_credential)
  FROM dialer.dial_sessions d JOIN dialer.push_jobs j ON j.id = d.job_id
  WHERE d.job_id = $launch_job ORDER BY d.batch"
# The app reads the one-time login link for Mike, acting for him: the
# session's owner (anyone else gets 42501).
link=$(run_app_psql -At -v job="$launch_job" -v actor="$mike" <<'SQL'
BEGIN;
SET LOCAL dialer.acting_user = :'actor';
SELECT dialer.launch_link(:job);
COMMIT;
SQL
)
echo "  one-time login link, read by the app acting for Mike (dialer.launch_link, handed out once):"
echo "    ${link:0:60}..."
dial_session=$(run_psql -Atc "SELECT phoneburner_dial_session_id FROM dialer.dial_sessions WHERE job_id = $launch_job AND status = 'created' ORDER BY batch LIMIT 1")
folder=$(run_psql -Atc "SELECT phoneburner_folder_id FROM dialer.sessions WHERE id = $first_session")
mike_folder=$(run_psql -Atc "SELECT phoneburner_folder_id FROM dialer.sessions WHERE id = $mike_session")

# What PhoneBurner now holds, account by account, from the fake's own state
# dump: every contact of a session once, in the session's folder, in its
# owner's account only.
section "What PhoneBurner holds, per account (the fake's GET /_control/state)"
live_state=$demo_dir/fake-phoneburner-live-state.json
http GET "$fake_url/_control/state" >"$live_state"
# One line of JSON, read verbatim (CSV with quote and delimiter it never holds).
run_psql -c "CREATE TEMP TABLE fake_state (doc text)" \
  -c "COPY fake_state FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" \
  -c "\\i demo/fake_state.sql" <"$live_state"
run_psql -Atc "
  SELECT format('  Session #%s (%s) holds %s contacts in pgdialer (dialer.contact_links), folder %s in account %s.',
                s.id, r.display_name, s.contact_count, s.phoneburner_folder_id, s.phoneburner_credential)
  FROM dialer.sessions s JOIN dialer.reps r ON r.name = s.owner ORDER BY s.id"

section "A calling hour, simulated by the fake PhoneBurner (POST /_control/simulate_calls)" \
  "Sarah dials session #$first_session's folder in her account (her account webhook);" \
  "Mike dials session #$mike_session's folder in his (his account webhook)," \
  "then works the dial session of session #$second_session (its own callbacks)." \
  "Some deliveries arrive twice, some out of order, as PhoneBurner's do."
# simulate NAME JSON: one simulated run; prints what PhoneBurner sent.
simulate() {
  local reply=$demo_dir/simulation-${1//[^A-Za-z0-9]/-}.json
  http POST "$fake_url/_control/simulate_calls" "$2" >"$reply"
  # The answer holds every body sent: read it through COPY, not the command line.
  run_psql -At \
    -c "CREATE TEMP TABLE reply (line text)" \
    -c "COPY reply FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')" \
    -c "SELECT format('  %-12s %s calls (%s connected), %s webhooks sent, %s of them duplicates; answers: %s',
                      '$1', s ->> 'calls', s ->> 'connected', s ->> 'deliveries', s ->> 'duplicates',
                      (SELECT string_agg(format('%s x HTTP %s', value, key), ', ')
                       FROM jsonb_each_text(s -> 'by_status')))
        FROM (SELECT string_agg(line, E'\\n')::jsonb -> 'summary' AS s FROM reply) t" <"$reply"
}
simulate "Sarah" "{\"folder_id\": \"$folder\", \"calls\": 30, \"seed\": 11, \"duplicates\": 3, \"out_of_order\": true,
  \"agent\": {\"user_id\": \"501\", \"first_name\": \"Sarah\", \"last_name\": \"Johnson\"},
  \"dispositions\": {\"No Answer\": 9, \"Left Message\": 7, \"Interested\": 4, \"Qualified\": 3,
                     \"Appointment\": 2, \"Not Interested\": 4, \"Wrong Number\": 1}}"
simulate "Mike, folder" "{\"folder_id\": \"$mike_folder\", \"calls\": 12, \"seed\": 13, \"duplicates\": 2,
  \"out_of_order\": true, \"agent\": {\"user_id\": \"502\", \"first_name\": \"Mike\", \"last_name\": \"Chen\"},
  \"dispositions\": {\"No Answer\": 4, \"Left Message\": 3, \"Interested\": 2, \"Qualified\": 1,
                     \"Not Interested\": 2}}"
if [[ -n $dial_session ]]; then
  simulate "Mike, launch" "{\"dial_session_id\": \"$dial_session\", \"calls\": 20, \"seed\": 12, \"duplicates\": 2,
    \"out_of_order\": true, \"agent\": {\"user_id\": \"502\", \"name\": \"Mike Chen\"},
    \"dispositions\": {\"No Answer\": 6, \"Left Message\": 4, \"Interested\": 3, \"Call Back\": 2,
                       \"Meeting Set\": 1, \"Not Interested\": 3, \"Do Not Call\": 1}}"
fi
run_psql -At <<'SQL'
SELECT format('  pgdialer holds %s calls (dialer.call_activity) from %s distinct webhook events; %s unmatched',
              (SELECT count(*) FROM dialer.call_activity),
              (SELECT count(*) FROM dialer.webhook_events),
              (SELECT count(*) FROM dialer.webhook_events WHERE result = 'unmatched'));
SELECT format('  calls per session: %s',
              string_agg(format('#%s (%s) %s', s.id, r.display_name,
                                (SELECT count(*) FROM dialer.call_activity a WHERE a.session_id = s.id)), ', '
                         ORDER BY s.id))
FROM dialer.sessions s JOIN dialer.reps r ON r.name = s.owner;
SQL

section "Sessions dashboard (dialer.session_stats)"
run_psql -f demo/show_dashboard.sql

section "Session detail: session #$first_session (dialer.session_stats, session_contacts, session_activity)"
run_psql -v session="$first_session" -f demo/show_session_detail.sql

section "What the calls changed for the next list (the write-back hook, dialer.suppressions)"
run_psql <<'SQL'
SELECT c.id, c.first_name || ' ' || c.last_name AS name, c.phone_e164,
       c.last_contact_outcome AS outcome,
       coalesce(CASE WHEN c.do_not_call THEN 'do not call (' || c.do_not_call_source || ')' END,
                CASE WHEN c.phone_number_invalid THEN 'phone invalid: ' || c.phone_invalid_reason END) AS flagged,
       (dialer.exclusion(c)).reason AS "next preview excludes it as"
FROM sourceco.contacts c
WHERE c.phone_e164 IN (SELECT phone_e164 FROM dialer.suppressions)
   OR c.phone_e164 IN (SELECT dialer.e164(a.phone) FROM dialer.call_activity a WHERE a.outcome = 'wrong_number')
ORDER BY c.phone_e164, c.id;
SELECT phone_e164, source, reason, added_by FROM dialer.suppressions ORDER BY added_at;
SQL

section "Smart lists: the five built-in segments, live counts in one call (dialer.suggested_lists)" \
  "-- as the app's login, for Sarah, whose \"today\" is America/New_York (dialer.set_rep_time_zone):" \
  "SELECT * FROM dialer.suggested_lists(); SELECT dialer.push_segment(3, 'Callbacks due today');"
run_psql -qc "SELECT dialer.set_rep_time_zone('sarah@sourceco.example', 'America/New_York');" >/dev/null
run_app_psql <<'SQL'
BEGIN;
SET LOCAL dialer.acting_user = 'sarah@sourceco.example';
SELECT segment_id AS id, name, contacts, dialable, description FROM dialer.suggested_lists();
SELECT dialer.push_segment(3, 'Callbacks due today') AS "Callback Due Today pushed: job (list_source smart_list)";
COMMIT;
SQL
sleep 2  # pgdialer-sync pushes it while the metrics are read

section "A list template on a schedule (dialer.create_template, preview_template, run_template_now)" \
  "-- Sarah: High Engagement on the first Monday of each month at 08:00 New York time; run once now" \
  "SELECT dialer.create_template('Monthly high engagement', 'High Engagement - {Month} {Year}', '{...}', segment_id => 2);"
run_app_psql <<'SQL'
BEGIN;
SET LOCAL dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.create_template('Monthly high engagement', 'High Engagement - {Month} {Year}',
    '{"every": "month", "weekday": "monday", "week": "first", "at": "08:00", "time_zone": "America/New_York"}',
    segment_id => 2, push_options => '{"min_days": 7}') AS template_id \gset
SELECT :template_id AS "template id", p ->> 'next_run' AS "next run", p ->> 'session_name' AS "its session",
       p -> 'preview' -> 'ready' AS ready
FROM dialer.preview_template(:template_id) p;
SELECT r ->> 'result' AS "run now", r ->> 'job_id' AS job, r ->> 'session_name' AS session
FROM dialer.run_template_now(:template_id) r;
COMMIT;
SQL

section "The same on its schedule: pgdialer-sync runs a template when it is due" \
  "-- Sarah: Inactive Buyers every Monday at 09:00 New York time; its due time brought to now for the demo" \
  "UPDATE dialer.list_templates SET next_run = now() WHERE id = ...;  -- then pgdialer-sync (every PGDIALER_TEMPLATE_SECONDS)"
run_app_psql <<'SQL'
BEGIN;
SET LOCAL dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.create_template('Weekly inactive buyers', 'Inactive Buyers - {Date}',
    '{"every": "week", "weekday": "monday", "at": "09:00", "time_zone": "America/New_York"}',
    segment_id => 1, push_options => '{"min_days": 7}') AS "scheduled template id";
COMMIT;
SQL
run_psql -qc "UPDATE dialer.list_templates SET next_run = now() WHERE name = 'Weekly inactive buyers';"
# The daemon looks for due templates every 2 s here; wait for its run (at most
# 15 s), not for its push, which goes on while the metrics are read.
for _ in $(seq 1 30); do
  [[ $(run_psql -Atc "SELECT count(*) FROM dialer.template_runs r WHERE r.due_at IS NOT NULL") -gt 0 ]] && break
  sleep 0.5
done
run_psql <<'SQL'
SELECT h.template_name, h.due_at IS NOT NULL AS "on schedule", h.run_by, h.rep, h.session_name, h.result,
       j.status AS job_status, j.total AS contacts, j.list_source
FROM dialer.template_run_history h LEFT JOIN dialer.push_jobs j ON j.id = h.job_id ORDER BY h.id;
SELECT name, assigned_to, next_run, last_result FROM dialer.templates_overview ORDER BY id;
SQL

section "Success metrics (dialer.metrics_rep_weeks, metrics_push_quality, metrics_connection_rate)"
run_psql <<'SQL'
SELECT rep, week, lists_pushed, target_lists, met_target, contacts, avg_seconds_to_phoneburner
FROM dialer.metrics_rep_weeks;
SELECT push_id, requested_by, list_source, contacts, pushed, valid_phone_pct, recently_contacted_pct,
       recently_contacted_band
FROM dialer.metrics_push_quality;
SELECT dimension, key, calls, connected, connection_rate FROM dialer.metrics_connection_rate ORDER BY dimension, key;
SQL

cat <<EOF

${bold}What you just saw:${off} the push modal for lists built with plain SQL:
dialer.preview() applied the spec's pre-push rules (do not call / suppressed,
invalid or duplicate phone, recently called, missing names), estimated the dial
time and named the session; dialer.is_dialable() gave the "Dialable Only" count.
Then a team of two reps, each with their own PhoneBurner account: the app's
login (pgdialer_demo_app, dialer_app) made three dialer.push() calls, each in
its own transaction acting for the rep (SET LOCAL dialer.acting_user), and
was refused (42501) when Mike tried to add to Sarah's session: only a
session's owner, or an admin, pushes into it. pgdialer-sync, a login with only
dialer_sync, woke up on the NOTIFY, took each job's credential from its own
mode-600 file (PGDIALER_CREDENTIALS_DIR), made the session's PhoneBurner folder
once in its owner's account, wrote the contacts (created, or updated in place
when already in the session), and recorded every outcome back;
dialer.push_status() drove the progress bar. The three pushes took $push_seconds s.
Each account holds only its own rep's contacts. A fourth push started Mike's
session at once (auto_launch): PhoneBurner dial sessions of at most 500
contacts in his account, with callbacks; the app read his login link as Mike.
Then a calling hour: PhoneBurner's webhooks (each account's own account-level
URL, and per dial session; some twice, some out of order) reached
pgdialer-sync's listener, which checked each URL's token and recorded every
call once through dialer.record_call_event(); the dashboard and detail views
are plain SQL over dialer.call_activity, and the write-back hook, run with the
daemon's rights, put each outcome on the contact, so the next preview knows.
The five smart lists are segments installed with the extension;
dialer.suggested_lists() counts them all in one scan, "today" in the rep's time
zone, and a push of one is counted as list_source smart_list. A template (a
segment, a name pattern, a schedule in the rep's time zone) ran once by hand as
Sarah, and another ran on its schedule: pgdialer-sync found it due and ran it
as Sarah, once for that due time, and moved its next run to the next Monday.
The spec's success metrics (lists per rep per week, valid phones, recently
contacted, connection rate) are views over the same tables.

${bold}Poke around:${off}
  scripts/pg-cluster.sh start demo && eval "\$(scripts/pg-cluster.sh env demo)" && psql
    SELECT * FROM dialer.reps;  SELECT id, name, owner, phoneburner_credential FROM dialer.sessions;
    SELECT (dialer.exclusion(c)).* , first_name, last_name FROM sourceco.contacts c LIMIT 20;
    SELECT jsonb_pretty(dialer.payload(c)) FROM sourceco.contacts c WHERE id = 10;
    SELECT dialer.push_status(1);  SELECT * FROM dialer.push_items WHERE job_id = 2 LIMIT 5;
    SELECT * FROM dialer.session_stats;  SELECT * FROM dialer.session_activity LIMIT 10;
    COPY (SELECT * FROM dialer.session_export(1)) TO STDOUT (FORMAT csv, HEADER);
  scripts/pg-cluster.sh stop demo      (or: make demo-stop, which also stops a stray daemon or fake)
  Logs: $sync_log
        $fake_log ($(basename "$state_file") is its state at exit)
EOF
