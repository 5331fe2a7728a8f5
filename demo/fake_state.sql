-- What the fake PhoneBurner holds, account by account, from its state dump
-- (GET /_control/state), read into the temporary table fake_state(doc text)
-- by the caller. Each rep's credential names one PhoneBurner account; a
-- contact there is linked (dialer.contact_links) to a session of its owner,
-- or is one a launch's POST /dialsession made (PhoneBurner saves a dial
-- session's contacts anew, in the account's default folder).

\pset footer off
CREATE TEMP VIEW fake_account AS
SELECT a.key AS account, a.value AS j, r.display_name AS rep
FROM (SELECT string_agg(doc, E'\n')::jsonb AS j FROM fake_state) st,
     jsonb_each(st.j -> 'accounts') AS a
     JOIN dialer.reps r ON r.phoneburner_credential = a.key;

-- Folders and their contacts, with the sessions (and owners) pgdialer links them to.
WITH folders AS (
    SELECT account, rep, f ->> 'folder_id' AS id, f ->> 'folder_name' AS name
    FROM fake_account, jsonb_array_elements(j -> 'folders') AS f
),
contacts AS (
    SELECT account, c ->> 'category_id' AS folder, c ->> 'lead_id' AS lead, c ->> 'contact_user_id' AS pb_id
    FROM fake_account, jsonb_array_elements(j -> 'contacts') AS c
),
-- Which pgdialer session each PhoneBurner contact is there for.
held_for AS (
    SELECT l.phoneburner_contact_id AS pb_id, l.session_id, '' AS how
    FROM dialer.contact_links l
    UNION
    SELECT id.value, (d -> 'custom_data' ->> 'pgdialer_session_id')::bigint, 'dial sessions of '
    FROM fake_account, jsonb_array_elements(j -> 'dial_sessions') AS d,
         jsonb_array_elements_text(d -> 'contact_ids') AS id(value)
),
held AS (
    SELECT f.account, f.rep, f.id, f.name,
           count(c.folder) AS contacts,
           count(DISTINCT c.lead) AS leads,
           count(c.lead) - count(DISTINCT c.lead) AS duplicates,
           (SELECT string_agg(DISTINCT format('%s#%s %s', h.how, s.id, r.display_name), ', ')
            FROM contacts c2
            JOIN held_for h ON h.pb_id = c2.pb_id
            JOIN dialer.sessions s ON s.id = h.session_id
            JOIN dialer.reps r ON r.name = s.owner
            WHERE c2.account = f.account AND c2.folder = f.id) AS linked
    FROM folders f LEFT JOIN contacts c ON c.account = f.account AND c.folder = f.id
    GROUP BY f.account, f.rep, f.id, f.name
)
SELECT format('%s (%s)', account, rep) AS "PhoneBurner account", id AS folder, name,
       contacts, leads AS "distinct SourceCo ids", duplicates,
       coalesce(linked, '-') AS "pgdialer session, owner"
FROM held
WHERE contacts > 0
ORDER BY account DESC, id::bigint;

-- Dial sessions (dialer.launch: at most 500 contacts each).
SELECT format('%s (%s)', account, rep) AS "PhoneBurner account", d ->> 'id' AS "dial session",
       d ->> 'contact_count' AS contacts, d -> 'custom_data' ->> 'pgdialer_session_id' AS "pgdialer session"
FROM fake_account, jsonb_array_elements(j -> 'dial_sessions') AS d
ORDER BY account DESC, (d ->> 'id')::bigint;

-- The API calls each account served, by route.
SELECT format('%s (%s)', account, rep) AS "PhoneBurner account", r.key AS "request",
       string_agg(format('%s x %s', h.value, h.key), ', ' ORDER BY h.key) AS "HTTP status"
FROM fake_account, jsonb_each(j -> 'counters' -> 'by_route') AS r, jsonb_each_text(r.value) AS h
GROUP BY account, rep, r.key
ORDER BY account DESC, max(h.value::int) DESC, r.key;
\pset footer on
