-- Segments against the same filters written by hand: the filter language
-- compiles to a parameterised query that must run as fast as hand-written SQL
-- (within 1.2x, with the same plan and the same indexes). Run by
-- scripts/bench.sh (`make bench`) after bench/rules_bench.sql and
-- bench/messy_bench.sql, in the same database: it reuses rules_bench.sql's
-- 1M-row bench.contacts and its timing harness (bench.time_query,
-- bench.results). Prints timings and ratios, never fails on them; a count
-- that differs is marked DIFFERENT.
--
--   psql -X -f bench/segments_bench.sql

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\pset format unaligned
\pset tuples_only on
\pset footer off

\echo
\echo '== Segments: the compiled filter against the same filter written by hand'

-- The indexes a CRM would have for these filters.
CREATE INDEX IF NOT EXISTS contacts_type_state_idx ON bench.contacts (contact_type, state);
CREATE INDEX IF NOT EXISTS contacts_engagement_idx ON bench.contacts (engagement_score);
CREATE INDEX IF NOT EXISTS contacts_last_call_idx ON bench.contacts (last_call_attempt_at);
ANALYZE bench.contacts;

DELETE FROM dialer.segments WHERE NOT builtin;
DELETE FROM bench.results WHERE key LIKE 'seg%';  -- a second run in the same database
SELECT dialer.configure('bench.contacts');
INSERT INTO dialer.reps (name, display_name) VALUES (session_user, 'Bench') ON CONFLICT DO NOTHING;

-- The filters: (key, what, segment filter, the same WHERE by hand).
CREATE TEMP TABLE cases (key text, name text, filter jsonb, hand text);
INSERT INTO cases VALUES
('ne_pe', 'PE buyers in 3 states, engagement > 75 (index)',
 '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
           {"field": "state", "op": "in", "value": ["NY", "CT", "MA"]},
           {"field": "engagement_score", "op": "gt", "value": 75}]}',
 $h$c.contact_type = 'buyer' AND c.state IN ('NY', 'CT', 'MA') AND c.engagement_score > 75$h$),
('inactive', 'Inactive buyers: > 90 days, engagement > 50, not DNC (scan)',
 '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
           {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 90}},
           {"field": "engagement_score", "op": "gt", "value": 50},
           {"field": "do_not_call", "op": "eq", "value": false}]}',
 $h$c.contact_type = 'buyer' AND c.last_call_attempt_at < now() - interval '90 days'
    AND c.engagement_score > 50 AND c.do_not_call = false$h$),
('recent', 'Called within 3 days, dialable (index + rules)',
 '{"and": [{"called_within_days": 3}, {"is_dialable": true}]}',
 $h$c.last_call_attempt_at >= now() - interval '3 days' AND dialer.is_dialable(c)$h$),
('sectors', 'Sellers in 2 industries or tagged HVAC, never called (scan)',
 '{"and": [{"field": "contact_type", "op": "eq", "value": "seller"},
           {"or": [{"field": "industry", "op": "in", "value": ["Collision Repair", "HVAC Services"]},
                   {"field": "target_industries", "op": "has_any", "value": ["HVAC"]}]},
           {"never_contacted": true}]}',
 $h$c.contact_type = 'seller' AND (c.industry IN ('Collision Repair', 'HVAC Services')
    OR c.target_industries && ARRAY['HVAC']) AND c.last_call_attempt_at IS NULL$h$);
SELECT count(dialer.create_segment(c.key, c.filter)) AS segments FROM cases c \gset

-- The plan of a compiled filter, planned the way the extension runs it
-- (EXECUTE ... USING: a one-shot plan with the values known), and of the hand
-- query; compared by their nodes (types, relations, indexes), not conditions.
CREATE OR REPLACE FUNCTION bench.plan_shape(query text, params text[] DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    line text;
    shape text[] := '{}';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query USING params LOOP
        IF position(':' IN line) = 0 THEN  -- a node, not a condition
            shape := shape || btrim(regexp_replace(line, '^\s*(->\s*)?', ''));
        END IF;
    END LOOP;
    RETURN array_to_string(shape, ' > ');
END
$$;

BEGIN;  -- one now() for every query below
SELECT bench.time_query('seg_' || c.key || '_hand', 'hand: ' || c.name,
           format('SELECT format(''%%s dialable of %%s total'', count(*) FILTER (WHERE dialer.is_dialable(c)), count(*))
                   FROM bench.contacts c WHERE %s', c.hand))
       || E'\n' ||
       bench.time_query('seg_' || c.key, 'segment: ' || c.name,
           format('SELECT (dialer.dialable_count(segment_id => %s)).summary', s.id))
FROM cases c JOIN dialer.segments s ON s.name = c.key ORDER BY s.id;

SELECT bench.time_query('segids_' || c.key || '_hand', 'hand ids: ' || c.name,
           format('SELECT count(*) FROM (SELECT c.id::text FROM bench.contacts c WHERE %s ORDER BY c.id) x', c.hand))
       || E'\n' ||
       bench.time_query('segids_' || c.key, 'segment_contacts: ' || c.name,
           format('SELECT count(*) FROM dialer.segment_contacts(%s)', s.id))
FROM cases c JOIN dialer.segments s ON s.name = c.key ORDER BY s.id;

CREATE TEMP TABLE plans AS
SELECT c.key, bench.plan_shape(format('SELECT count(*) FROM bench.contacts c WHERE %s', c.hand)) AS hand,
       bench.plan_shape(format('SELECT count(*) FROM bench.contacts AS c WHERE %s', f.where_clause), f.params) AS compiled
FROM cases c, dialer.filter_sql(c.filter) f;
COMMIT;

\echo
\echo '== Segment results (same counts, same plans, within 1.2x of the hand-written query)'
SELECT format('%-62s %-10s %s', c.name || ':', CASE WHEN h.result = s.result THEN 'same' ELSE 'DIFFERENT' END,
              s.result)
FROM cases c JOIN bench.results h ON h.key = 'seg_' || c.key || '_hand' JOIN bench.results s ON s.key = 'seg_' || c.key
UNION ALL
SELECT format('%-62s %-10s %s ids', c.name || ' (ids):', CASE WHEN h.result = s.result THEN 'same' ELSE 'DIFFERENT' END,
              s.result)
FROM cases c JOIN bench.results h ON h.key = 'segids_' || c.key || '_hand' JOIN bench.results s ON s.key = 'segids_' || c.key;
SELECT format('   plan %-9s %s: %s', p.key, CASE WHEN p.hand = p.compiled THEN 'same' ELSE 'DIFFERENT' END, p.compiled)
       || CASE WHEN p.hand = p.compiled THEN '' ELSE E'\n      by hand: ' || p.hand END
FROM plans p ORDER BY p.key;

\pset tuples_only off
\pset format aligned
\echo
\echo 'Targets'
SELECT c.name AS "segment (count of dialable and total)",
       to_char(h.ms, 'FM99990.0') AS "by hand ms", to_char(s.ms, 'FM99990.0') AS "segment ms",
       to_char(s.ms / h.ms, 'FM990.00') || 'x' AS ratio,
       CASE WHEN s.ms / h.ms <= 1.2 AND p.hand = p.compiled THEN 'yes' ELSE 'NO' END AS "within 1.2x, same plan"
FROM cases c JOIN bench.results h ON h.key = 'seg_' || c.key || '_hand' JOIN bench.results s ON s.key = 'seg_' || c.key
JOIN plans p ON p.key = c.key
UNION ALL
SELECT c.name || ' (ids)', to_char(h.ms, 'FM99990.0'), to_char(s.ms, 'FM99990.0'), to_char(s.ms / h.ms, 'FM990.00') || 'x',
       CASE WHEN s.ms / h.ms <= 1.2 AND p.hand = p.compiled THEN 'yes' ELSE 'NO' END
FROM cases c JOIN bench.results h ON h.key = 'segids_' || c.key || '_hand' JOIN bench.results s ON s.key = 'segids_' || c.key
JOIN plans p ON p.key = c.key;

-- The five smart lists (extension/sql/26_smart_lists.sql): their counts in
-- one call, which counts them all in one scan, against the same counts taken
-- one segment at a time (five scans) and against the same one scan written
-- by hand (the five filters with now() - interval '90 days' and the like).
\pset tuples_only on
\pset format unaligned
\echo
\echo '== Smart lists: dialer.suggested_lists() (one scan) against five dialable_count calls and by hand'
DELETE FROM bench.results WHERE key LIKE 'smart%';
-- The columns only the smart lists read, as demo/sourceco_sample_data.sql
-- fills them (bench/rules_bench.sql leaves them NULL, so its rows stay as
-- small as its preview of the whole table needs): "Not a Fit" and callbacks.
UPDATE bench.contacts SET last_disposition = 'Not a Fit'
WHERE id % 9 = 0 AND last_call_attempt_at IS NOT NULL AND last_contact_method = 'call';
UPDATE bench.contacts SET next_action_type = 'call', next_action_date = current_date + (id % 11)::int - 2
WHERE id % 37 = 4 AND NOT do_not_call;
VACUUM ANALYZE bench.contacts;
BEGIN;
SELECT bench.time_query('smart_suggested', 'suggested_lists(): 5 smart lists, both counts',
           $q$SELECT string_agg(format('%s: %s/%s', segment_id, dialable, contacts), ', ' ORDER BY segment_id)
              FROM dialer.suggested_lists()$q$)
       || E'\n' ||
       bench.time_query('smart_one_by_one', 'dialable_count of each smart list in turn',
           $q$SELECT string_agg(format('%s: %s/%s', s.id, d.dialable, d.total), ', ' ORDER BY s.id)
              FROM dialer.segments s, dialer.dialable_count(segment_id => s.id) d WHERE s.builtin$q$)
       || E'\n' ||
       bench.time_query('smart_hand', 'the five counts by hand, one scan',
           $q$SELECT string_agg(format('%s: %s/%s', s.id, d.dialable, d.contacts), ', ' ORDER BY s.id)
              FROM (SELECT row_number() OVER (ORDER BY s.id) AS k, s.id FROM dialer.segments s WHERE s.builtin) s
              JOIN (SELECT k, contacts, dialable
                    FROM (SELECT ARRAY[count(*) FILTER (WHERE m1), count(*) FILTER (WHERE m2), count(*) FILTER (WHERE m3),
                                       count(*) FILTER (WHERE m4), count(*) FILTER (WHERE m5)] AS cs,
                                 ARRAY[count(*) FILTER (WHERE m1 AND d), count(*) FILTER (WHERE m2 AND d),
                                       count(*) FILTER (WHERE m3 AND d), count(*) FILTER (WHERE m4 AND d),
                                       count(*) FILTER (WHERE m5 AND d)] AS ds
                          FROM (SELECT m1, m2, m3, m4, m5, CASE WHEN m1 OR m2 OR m3 OR m4 OR m5 THEN dialer.is_dialable(c) END AS d
                                FROM (SELECT c,
                                             c.contact_type = 'buyer' AND c.engagement_score > 50 AND c.do_not_call IS DISTINCT FROM true
                                             AND (c.last_call_attempt_at < now() - interval '90 days'
                                                  OR c.last_call_attempt_at IS NULL AND c.created_at < now() - interval '90 days') AS m1,
                                             c.engagement_score > 75 AND c.last_call_attempt_at >= now() - interval '30 days' AS m2,
                                             c.next_action_type = 'call' AND c.next_action_date = current_date AS m3,
                                             c.created_at >= now() - interval '30 days' AS m4,
                                             c.last_disposition = 'Not a Fit' AND c.last_call_attempt_at < now() - interval '180 days' AS m5
                                      FROM bench.contacts c) x
                                WHERE m1 OR m2 OR m3 OR m4 OR m5) m) t,
                         unnest(t.cs, t.ds) WITH ORDINALITY AS u(contacts, dialable, k)) d ON d.k = s.k$q$);
COMMIT;
SELECT format('   suggested_lists %s the per-list counts; %s ms, %sx the time of five dialable_count calls',
              CASE WHEN a.result = b.result THEN 'gives' ELSE 'DIFFERENT from' END,
              to_char(a.ms, 'FM99990.0'), to_char(a.ms / b.ms, 'FM990.00'))
FROM bench.results a JOIN bench.results b ON b.key = 'smart_one_by_one' WHERE a.key = 'smart_suggested';
SELECT format('   suggested_lists %s the five counts by hand; %s ms by hand: suggested_lists takes %sx that',
              CASE WHEN a.result = h.result THEN 'gives' ELSE 'DIFFERENT from' END,
              to_char(h.ms, 'FM99990.0'), to_char(a.ms / h.ms, 'FM990.00'))
FROM bench.results a JOIN bench.results h ON h.key = 'smart_hand' WHERE a.key = 'smart_suggested';
