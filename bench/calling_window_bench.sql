-- Calling windows: what the window check costs on top of the plain
-- classification, over rules_bench.sql's 1M-row bench.contacts (each row has
-- a stored phone_e164, and a state and ZIP code), and a 10,000-contact
-- preview with the calling_window section. Run by scripts/bench.sh
-- (`make bench`) after bench/rules_bench.sql, in the same database: it reuses
-- its table and timing harness (bench.time_query, bench.results). Prints
-- timings, never fails on them; answers that differ are marked DIFFERENT.
--
--   psql -X -f bench/calling_window_bench.sql
--
-- Targets (issue 14): at most 150 ns per contact over the plain
-- classification; a 10,000-contact preview with windows under 100 ms.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\pset format unaligned
\pset tuples_only on
\pset footer off

DELETE FROM bench.results WHERE key LIKE 'cw\_%';  -- a second run in the same database
SELECT count(*) AS rows FROM bench.contacts \gset

BEGIN;  -- one now() for every query
\echo
\echo '== Calling windows over the whole table (a fixed instant: Wednesday 2026-03-04 18:00 UTC)'

-- In the classification pipeline (the preview's builder): the same 1M
-- contacts with and without options.calling_window; then per row in SQL,
-- dialer.calling_window(c) beside dialer.exclusion(c). Each pair runs
-- interleaved, three rounds, best of each, so a busy machine's drift does
-- not land on one side.
SELECT bench.time_query('cw_agg_plain_' || r, 'dialer.preview_agg(c, ''{}'') over all contacts',
           $q$SELECT dialer.preview_agg(c, '{"as_of": "2026-03-04 18:00+00"}') ->> 'ready' || ' ready'
              FROM bench.contacts c$q$, 1, r = 1)
       || E'\n' ||
       bench.time_query('cw_agg_windows_' || r, 'the same with "calling_window": true',
           $q$SELECT (p ->> 'ready') || ' ready, ' || (p -> 'calling_window' ->> 'callable') || ' callable'
              FROM (SELECT dialer.preview_agg(c, '{"as_of": "2026-03-04 18:00+00", "calling_window": true}') AS p
                    FROM bench.contacts c) x$q$, 1, r = 1)
FROM generate_series(1, 3) r;
SELECT bench.time_query('cw_sql_plain_' || r, 'dialer.exclusion(c) IS NULL',
           $q$SELECT count(*) FROM bench.contacts c WHERE dialer.exclusion(c) IS NULL$q$, 1, r = 1)
       || E'\n' ||
       bench.time_query('cw_sql_both_' || r, '... AND (dialer.calling_window(c, at)).status = ''callable''',
           $q$SELECT count(*) FROM bench.contacts c
              WHERE dialer.exclusion(c) IS NULL
                AND (dialer.calling_window(c, '2026-03-04 18:00+00')).status = 'callable'$q$, 1, r = 1)
FROM generate_series(1, 3) r;

\echo
SELECT format('   %-56s %10s ns/contact (target: at most 150; best of 3: %s vs %s ms)',
              'window check in the preview pipeline',
              to_char((min(w.ms) - min(p.ms)) * 1e6 / :rows, 'FM9999990'),
              to_char(min(w.ms), 'FM9999990'), to_char(min(p.ms), 'FM9999990'))
FROM (SELECT ms FROM bench.results WHERE key LIKE 'cw\_agg\_windows\_%') w,
     (SELECT ms FROM bench.results WHERE key LIKE 'cw\_agg\_plain\_%') p;
SELECT format('   %-56s %10s ns/contact (best of 3: %s vs %s ms)',
              'dialer.calling_window(c) per row in SQL (reference)',
              to_char((min(w.ms) - min(p.ms)) * 1e6 / :rows, 'FM9999990'),
              to_char(min(w.ms), 'FM9999990'), to_char(min(p.ms), 'FM9999990'))
FROM (SELECT ms FROM bench.results WHERE key LIKE 'cw\_sql\_both\_%') w,
     (SELECT ms FROM bench.results WHERE key LIKE 'cw\_sql\_plain\_%') p;
COMMIT;

-- The push modal with windows: a 10,000-contact list.
SELECT greatest(:rows * 4 / 10, 12) + 1 AS lo, greatest(:rows * 4 / 10, 12) + 10000 AS hi \gset
\echo
SELECT format('== dialer.preview(array_agg(c)) of a 10,000-contact list with calling windows (ids %s..%s)',
              :lo, :hi);
SELECT bench.time_query('cw_preview10k_plain', 'dialer.preview(array_agg(c)) (reference)', format($q$
    SELECT dialer.preview(array_agg(c), '{"as_of": "2026-03-04 18:00+00"}') ->> 'ready' || ' ready'
    FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));
SELECT bench.time_query('cw_preview10k', 'the same with "calling_window": true', format($q$
    SELECT dialer.preview(array_agg(c), '{"as_of": "2026-03-04 18:00+00", "calling_window": true}')
           -> 'calling_window' ->> 'all_callable_at'
    FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));
-- The two forms agree: the preview's callable count is the number of
-- contacts classify_list keeps (it drops duplicate numbers, as the preview
-- does) that dialer.calling_window calls callable.
SELECT format('   %-56s %s', 'preview callable vs calling_window(c) callable',
              CASE WHEN p.n = s.n THEN 'same count (' || p.n || ')' ELSE 'DIFFERENT: ' || p.n || ' vs ' || s.n END)
FROM (SELECT dialer.preview(array_agg(c), '{"as_of": "2026-03-04 13:30+00", "calling_window": true}')
             -> 'calling_window' ->> 'callable' AS n
      FROM bench.contacts c WHERE c.id BETWEEN :lo AND :hi) p,
     (SELECT count(*)::text AS n
      FROM (SELECT dialer.classify_list(array_agg(c), '{"as_of": "2026-03-04 13:30+00"}') AS v
            FROM bench.contacts c WHERE c.id BETWEEN :lo AND :hi) l
      JOIN bench.contacts c ON c.id = (l.v).contact_id::bigint AND c.id BETWEEN :lo AND :hi
      WHERE (l.v).category IS NULL AND (dialer.calling_window(c, '2026-03-04 13:30+00')).status = 'callable') s;
SELECT format('   %-56s %10s ms (target: under 100)', '10,000-contact preview with windows',
              to_char(ms, 'FM9999990.0'))
FROM bench.results WHERE key = 'cw_preview10k';
