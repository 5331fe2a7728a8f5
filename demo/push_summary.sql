-- The success screen of one push: outcome per contact, what the rules held
-- back, and the session it went to.
--
--   psql -v job=1 -v seconds=3.2 -f demo/push_summary.sql

\pset format unaligned
\pset tuples_only on
\pset footer off

WITH s AS (SELECT dialer.push_status(:job) AS j),
outcome(ord, key, label) AS (VALUES
    (1, 'created', 'created in PhoneBurner'),
    (2, 'updated', 'updated (already in the session)'),
    (3, 'skipped', 'skipped (already in the session)'),
    (4, 'failed',  'failed'),
    (5, 'unknown', 'unknown (not confirmed)'),
    (6, 'pending', 'still pending')),
category(ord, key, label) AS (VALUES
    (1, 'do_not_call',             '🚫 do not call / suppressed'),
    (2, 'invalid_phone',           '📞 invalid or duplicate phone'),
    (3, 'recently_contacted',      '🕒 recently contacted'),
    (4, 'missing_required_fields', '👤 missing required fields')),
excluded AS (
    SELECT sum(v::int) AS n FROM s, jsonb_each_text(s.j -> 'excluded') AS e(k, v)
),
lines(section, ord, line) AS (
    SELECT 0, 0, format('  %s %s: %s contacts in %s s, session #%s "%s"',
                        CASE WHEN j ->> 'status' = 'succeeded' THEN '✅' ELSE '⚠️ ' END,
                        upper(j ->> 'status'), j ->> 'total', :'seconds',
                        j ->> 'session_id', j ->> 'session_name')
    FROM s
    UNION ALL SELECT 0, 1, '     error: ' || (j ->> 'error') FROM s WHERE j ->> 'error' IS NOT NULL
    UNION ALL SELECT 1, 0, '' FROM s
    UNION ALL SELECT 1, o.ord, format('     %6s  %s', j -> 'counts' ->> o.key, o.label)
              FROM s, outcome o
              WHERE o.ord <= 3 OR (j -> 'counts' ->> o.key)::int > 0
    UNION ALL SELECT 2, 0, '' FROM s
    UNION ALL SELECT 2, 1, format('     %6s  excluded by the rules before the push:', e.n) FROM excluded e
    UNION ALL SELECT 2, 1 + c.ord, format('     %6s    %s', j -> 'excluded' ->> c.key, c.label)
              FROM s, category c
)
SELECT line FROM lines ORDER BY section, ord;

\pset format aligned
\pset tuples_only off
\pset footer on
