#!/usr/bin/env bash
# `make demo`: builds and installs pgdialer, loads a SourceCo CRM with 12,000
# contacts into the private demo cluster, and prints the PhoneBurner push
# preview for two calling lists. Stops the cluster when done, also on failure.
# Safe to run again: the database content is recreated every time.
# PGDIALER_SKIP_BUILD=1 uses the extension as already installed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

cleanup() { scripts/pg-cluster.sh stop demo || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

bold=$'\e[1m' dim=$'\e[2m' off=$'\e[0m'
if [[ ! -t 1 ]]; then bold='' dim='' off=''; fi
rule() { printf '%s\n' "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━"; }
step() { printf '%s==>%s %s\n' "$bold" "$off" "$*"; }

if [[ ${PGDIALER_SKIP_BUILD:-} != 1 ]]; then
  step "Building and installing pgdialer (scripts/build.sh, log in build.log)"
  scripts/build.sh
fi

step "Starting the demo cluster"
scripts/pg-cluster.sh start demo
eval "$(scripts/pg-cluster.sh env demo)"
run_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

step "Loading the SourceCo CRM (schema sourceco, 12,000 contacts)"
started=$(date +%s%N)
run_psql <<'SQL'
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS sourceco CASCADE;
DROP EXTENSION IF EXISTS pgdialer CASCADE;
CREATE EXTENSION pgdialer;
\i demo/sourceco_schema.sql
\i demo/sourceco_sample_data.sql
SQL
elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
run_psql -Atc "
  SELECT format('    %s contacts (%s buyers, %s sellers, %s prospects) loaded in %s s',
                to_char(count(*), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'buyer'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'seller'), 'FM999,999'),
                to_char(count(*) FILTER (WHERE contact_type = 'prospect'), 'FM999,999'),
                round($elapsed / 1000.0, 1))
  FROM sourceco.contacts"

# show_list TITLE WHERE OPTIONS: one list's push modal.
show_list() {
  local title=$1 where=$2 options=$3
  echo
  rule
  printf ' %s%s%s\n' "$bold" "$title" "$off"
  printf '   %sSELECT dialer.preview(array_agg(c), %s)%s\n' "$dim" "'$options'" "$off"
  printf '   %sFROM sourceco.contacts c WHERE %s%s\n' "$dim" "$where" "$off"
  rule
  run_psql -v title="$title" -v where="$where" -v options="$options" -f demo/show_preview.sql
}

show_list "List 1 · PE buyers in the Northeast looking at Business Services" \
  "contact_type = 'buyer' AND buyer_type LIKE 'PE Firm%' AND state IN ('CT','MA','ME','NH','NJ','NY','PA','RI','VT') AND 'Business Services' = ANY (target_industries)" \
  '{"filters": {"industry": "Business Services", "region": "Northeast"}}'

show_list "List 2 · Collision repair sellers, 14-day rule" \
  "contact_type = 'seller' AND industry = 'Collision Repair'" \
  '{"min_days": 14, "filters": {"industry": "Collision Repair"}}'

echo
rule
printf ' %sPhone numbers as typed, and what the dialer gets%s\n' "$bold" "$off"
rule
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

cat <<EOF
${bold}What you just saw:${off} the push modal for two lists built with plain SQL:
dialer.preview() applied the spec's pre-push rules (do not call / suppressed,
invalid or duplicate phone, recently called, missing names), estimated the dial
time and named the session; dialer.is_dialable() gave the "Dialable Only" count.

${bold}Poke around:${off}
  scripts/pg-cluster.sh start demo && eval "\$(scripts/pg-cluster.sh env demo)" && psql
    SELECT (dialer.exclusion(c)).* , first_name, last_name FROM sourceco.contacts c LIMIT 20;
    SELECT jsonb_pretty(dialer.payload(c)) FROM sourceco.contacts c WHERE id = 10;
  scripts/pg-cluster.sh stop demo      (or: make demo-stop)
EOF
