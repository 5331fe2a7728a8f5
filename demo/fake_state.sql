-- What the fake PhoneBurner holds, from its state dump (GET /_control/state),
-- read into the temporary table fake_state(doc text) by the caller.

\pset footer off
WITH st AS (SELECT string_agg(doc, E'\n')::jsonb AS j FROM fake_state),
folders AS (
    SELECT f ->> 'folder_id' AS id, f ->> 'folder_name' AS name
    FROM st, jsonb_array_elements(st.j -> 'folders') AS f
),
contacts AS (
    SELECT c ->> 'category_id' AS folder, c ->> 'lead_id' AS lead
    FROM st, jsonb_array_elements(st.j -> 'contacts') AS c
)
SELECT f.id AS "folder", f.name,
       count(c.folder) AS contacts,
       count(DISTINCT c.lead) AS "distinct SourceCo ids",
       count(c.lead) - count(DISTINCT c.lead) AS duplicates
FROM folders f LEFT JOIN contacts c ON c.folder = f.id
GROUP BY f.id, f.name
ORDER BY f.id::bigint;

-- The API calls it served, by route.
SELECT r.key AS "request", h.key AS "HTTP status", h.value::int AS count
FROM (SELECT string_agg(doc, E'\n')::jsonb AS j FROM fake_state) AS st,
     jsonb_each(st.j -> 'counters' -> 'by_route') AS r,
     jsonb_each_text(r.value) AS h
ORDER BY h.value::int DESC, r.key, h.key;
\pset footer on
