-- Frequency caps (31_frequency_caps.sql) in the preview: what the
-- frequency_capped section costs over a preview without any cap in force,
-- on a 10,000-contact list (a third with a Florida area code, one in seven
-- living in Florida) against a call history of 300,000 calls over three days
-- (100,000 a day, far more than a team makes). Run by scripts/bench.sh
-- (`make bench`) after bench/rules_bench.sql, in the same database: it
-- reuses its timing harness (bench.time_query, bench.results). Prints
-- timings and ratios, never fails on them; answers that differ are marked
-- DIFFERENT.
--
--   psql -X -f bench/frequency_caps_bench.sql

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\pset format unaligned
\pset tuples_only on
\pset footer off

\echo
\echo '== Frequency caps: the preview''s frequency_capped section'

DROP TABLE IF EXISTS bench.cap_contacts;
CREATE TABLE bench.cap_contacts (id bigint PRIMARY KEY, first_name text, last_name text, company text,
                                 phone text, state text);
INSERT INTO bench.cap_contacts
SELECT g, 'First' || g, 'Last' || g, 'Company ' || g % 50,
       CASE WHEN g % 3 = 0 THEN '(305) 555-' ELSE '(919) 555-' END || lpad((g % 10000)::text, 4, '0'),
       CASE WHEN g % 7 = 0 THEN 'FL' END
FROM generate_series(1, 10000) g;
-- The calls: kept apart from any other history by their call ids, removed at the end.
DELETE FROM dialer.call_activity WHERE call_id LIKE 'capbench-%';
INSERT INTO dialer.call_activity (call_id, phone, started_at)
SELECT 'capbench-' || g, CASE WHEN g % 2 = 0 THEN '+1305555' ELSE '+1919555' END || lpad((g % 10000)::text, 4, '0'),
       now() - (g % 72) * interval '1 hour'
FROM generate_series(1, 300000) g;
VACUUM ANALYZE dialer.call_activity;
ANALYZE bench.cap_contacts;
DELETE FROM dialer.calling_rules WHERE NOT builtin;  -- the shipped rules: Florida, 3 in 24 hours
DELETE FROM bench.results WHERE key LIKE 'caps%';

SELECT bench.time_query('caps_preview', 'preview 10k, Florida''s cap in force (capped contacts)',
    $q$SELECT dialer.preview(array_agg(c ORDER BY id)) -> 'frequency_capped' ->> 'contacts' FROM bench.cap_contacts c$q$);
SELECT bench.time_query('caps_function', 'dialer.frequency_capped of the same 10k numbers',
    $q$SELECT count(*)::text FROM dialer.frequency_capped(
           ARRAY(SELECT dialer.e164(phone) FROM bench.cap_contacts ORDER BY id),
           ARRAY(SELECT state FROM bench.cap_contacts ORDER BY id))$q$);
SELECT bench.time_query('caps_uncapped', 'preview 10k (919) numbers, cap in force, none capped',
    $q$SELECT coalesce(dialer.preview(array_agg(c ORDER BY id)) ->> 'frequency_capped', 'no section')
       FROM (SELECT c.id + 20000 AS id, c.first_name, c.last_name, c.company,
                    '(919) 556-' || lpad((c.id % 10000)::text, 4, '0') AS phone, NULL::text AS state
             FROM bench.cap_contacts c) c$q$);
-- Florida without a cap: no cap is in force, the section is never computed.
SELECT (dialer.set_calling_rule('FL', '08:00', '20:00')).state \g /dev/null
SELECT bench.time_query('caps_none', 'preview 10k, no cap in force (baseline)',
    $q$SELECT coalesce(dialer.preview(array_agg(c ORDER BY id)) ->> 'frequency_capped', 'no section')
       FROM bench.cap_contacts c$q$);
DELETE FROM dialer.calling_rules WHERE NOT builtin;

SELECT format('   %-56s %10s', 'capped: the preview''s section vs dialer.frequency_capped',
              CASE WHEN p.result = f.result THEN 'same (' || p.result || ')'
                   ELSE 'DIFFERENT (' || p.result || ' vs ' || f.result || ')' END)
FROM bench.results p, bench.results f WHERE p.key = 'caps_preview' AND f.key = 'caps_function';
SELECT format('   %-56s %10s', 'section cost: capped list / no cap in force',
              to_char(c.ms / nullif(n.ms, 0), 'FM9990.00') || 'x'),
       format('   %-56s %10s', 'cap in force, none capped / no cap in force',
              to_char(u.ms / nullif(n.ms, 0), 'FM9990.00') || 'x')
FROM bench.results c, bench.results n, bench.results u
WHERE c.key = 'caps_preview' AND n.key = 'caps_none' AND u.key = 'caps_uncapped';

DELETE FROM dialer.call_activity WHERE call_id LIKE 'capbench-%';
DROP TABLE bench.cap_contacts;
