-- The "Add to Existing Session" dropdown: dialer.sessions_overview, as the
-- app shows it to rep :actor (is_mine: the sessions they may add to).
--
--   psql -U pgdialer_demo_app -v actor='sarah@sourceco.example' -f demo/show_sessions.sql
\pset footer off
BEGIN;
SET LOCAL dialer.acting_user = :'actor';
SELECT id, name, status, contact_count AS contacts, owner_name AS "assigned to",
       CASE WHEN is_mine THEN 'yes' ELSE 'no' END AS "can add",
       to_char(last_activity_at, 'HH24:MI:SS') AS "last activity",
       last_activity_by AS "by", phoneburner_folder_id AS "PhoneBurner folder"
FROM dialer.sessions_overview;
COMMIT;
\pset footer on
