-- Pushes one filtered list the way the app does: in the rep's transaction,
-- acting for the rep. Prints the job id (nothing else with psql -qAt).
--
--   psql -qAt -v actor='sarah@sourceco.example' \
--        -v where="contact_type = 'buyer' AND state = 'NY'" \
--        -v session_id=NULL -v options='{"filters": {"state": "NY"}}' -f demo/push.sql
--
-- actor       the rep (dialer.acting_user)
-- where       the list's filter: a WHERE condition on sourceco.contacts c
-- session_id  NULL: a new session (named by the Smart Default); else the session to add to
-- options     dialer.push options (min_days, update_existing, filters, include, ...)

\set ON_ERROR_STOP on
BEGIN;
SET LOCAL dialer.acting_user = :'actor';
SELECT dialer.push(array_agg(c ORDER BY c.id), NULL, :session_id::bigint, :'options') AS job
FROM sourceco.contacts c
WHERE :where
\gset
COMMIT;   -- NOTIFY dialer_push: pgdialer-sync wakes up now
\echo :job
