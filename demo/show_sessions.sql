-- The "Add to Existing Session" dropdown: dialer.sessions_overview.
\pset footer off
SELECT id, name, status, contact_count AS contacts,
       to_char(last_activity_at, 'HH24:MI:SS') AS "last activity",
       last_activity_by AS "by", phoneburner_folder_id AS "PhoneBurner folder"
FROM dialer.sessions_overview;
\pset footer on
