-- pgdialer rule benchmarks on a messy CRM export: almost half the numbers do
-- not normalize. Run by scripts/bench.sh (`make bench`) right after
-- bench/rules_bench.sql, in the same database: it reuses that file's timing
-- harness (bench.time_query, bench.results) and PL/pgSQL baseline. Prints
-- timings and ratios against baselines measured in the same run, never fails
-- on them.
--
--   psql -X -v rows=1000000 -f bench/messy_bench.sql
--
-- Three shapes of the same 10-column table:
--   bench.messy      phone_e164 maintained by the dialer.maintain_phone_e164
--                    trigger: a NULL means "does not normalize" and is trusted
--   bench.messy_kept the same rows with phone_e164 kept by hand (no trigger):
--                    a NULL sends the rules back to parsing phone, as before
--   bench.messy_raw  no phone_e164 column at all: every number is parsed

\set ON_ERROR_STOP on
\set QUIET on
\if :{?rows}
\else
  \set rows 1000000
\endif
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
\pset format unaligned
\pset tuples_only on
\pset footer off

\echo
\echo '== A messy CRM export: 10 columns, phones typed as (NPA) NXX-XXXX, ~half of them invalid'
SELECT clock_timestamp() AS t0 \gset

-- Area codes and exchanges drawn from all of 200..999: many area codes are
-- not assigned, so roughly half of the numbers fail libphonenumber's
-- validity check, nearly every one a distinct string.
DROP TABLE IF EXISTS bench.messy, bench.messy_kept, bench.messy_raw CASCADE;
DELETE FROM bench.results WHERE key LIKE 'm\_%';
CREATE TABLE bench.messy (
    id bigint PRIMARY KEY,
    first_name text,
    last_name text,
    company text,
    phone text,
    phone_e164 text,
    do_not_call boolean,
    suppressed boolean,
    phone_number_invalid boolean,
    last_call_attempt_at timestamptz
);
CREATE TRIGGER messy_phone_e164 BEFORE INSERT OR UPDATE OF phone ON bench.messy
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();
SET dialer.default_region = 'US';
INSERT INTO bench.messy
SELECT g,
       (ARRAY['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', NULL])[1 + g % 6],
       (ARRAY['Martinez', 'Chen', 'Patel', 'Smith', 'Okafor', 'Lee', ''])[1 + g % 7],
       'Company ' || (g % 5000),
       format('(%s) %s-%s', 200 + abs(hashint8(g)::bigint) % 800, 200 + abs(hashint8(-g)::bigint) % 800,
              lpad((g % 10000)::text, 4, '0')),
       NULL,  -- the trigger fills it
       g % 50 = 0,
       g % 97 = 0,
       g % 113 = 0,
       CASE WHEN g % 3 = 0 THEN now() - (g % 30) * interval '1 day' END
FROM generate_series(1, :rows) g;
RESET dialer.default_region;
CREATE TABLE bench.messy_kept (LIKE bench.messy INCLUDING ALL);
INSERT INTO bench.messy_kept SELECT * FROM bench.messy ORDER BY id;
CREATE TABLE bench.messy_raw (LIKE bench.messy INCLUDING ALL);
ALTER TABLE bench.messy_raw DROP COLUMN phone_e164;
INSERT INTO bench.messy_raw SELECT id, first_name, last_name, company, phone, do_not_call, suppressed,
                                   phone_number_invalid, last_call_attempt_at
FROM bench.messy ORDER BY id;
VACUUM ANALYZE bench.messy;
VACUUM ANALYZE bench.messy_kept;
VACUUM ANALYZE bench.messy_raw;

SELECT format('   %s contacts in %s s: %s%% of the numbers do not normalize (%s distinct invalid strings)',
              to_char(count(*), 'FM9,999,999'),
              round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1),
              round(100.0 * count(*) FILTER (WHERE phone_e164 IS NULL) / count(*), 1),
              to_char(count(DISTINCT phone) FILTER (WHERE phone_e164 IS NULL), 'FM9,999,999'))
FROM bench.messy;

-- The same PL/pgSQL baseline as bench/rules_bench.sql, over this row type.
SELECT replace(pg_get_functiondef('bench.validate_contact_for_push(bench.contacts, integer)'::regprocedure),
               'contact bench.contacts', 'contact bench.messy') \gexec

-- One transaction: every query sees the same now().
BEGIN;
SELECT bench.time_query('m_count', 'count(*) (reference: scan only)',
    $q$SELECT count(*) FROM bench.messy$q$);
SELECT bench.time_query('m_floor', 'SQL floor: hand-written WHERE, phone_e164 IS NOT NULL', $q$
    SELECT count(*) FROM bench.messy c
    WHERE c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> ''
      AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$);
SELECT bench.time_query('m_exclusion', 'dialer.exclusion(c) IS NULL, maintained phone_e164',
    $q$SELECT count(*) FROM bench.messy c WHERE dialer.exclusion(c) IS NULL$q$);
SELECT bench.time_query('m_dialable', 'dialer.is_dialable(c), maintained phone_e164',
    $q$SELECT count(*) FROM bench.messy c WHERE dialer.is_dialable(c)$q$);
SELECT bench.time_query('m_exclusion_kept', 'dialer.exclusion(c) IS NULL, phone_e164 by hand',
    $q$SELECT count(*) FROM bench.messy_kept c WHERE dialer.exclusion(c) IS NULL$q$);
SELECT bench.time_query('m_plpgsql', 'PL/pgSQL validate_contact_for_push(c) IS NULL',
    $q$SELECT count(*) FROM bench.messy c WHERE bench.validate_contact_for_push(c) IS NULL$q$, 3, false);

-- Without a phone_e164 column: what parsing every number costs over the
-- floor (the floor reads the stored column of bench.messy; the raw table
-- has one column fewer, so its own scan is the fairer reference).
SELECT bench.time_query('m_raw_count', 'count(*) of the table without phone_e164',
    $q$SELECT count(*) FROM bench.messy_raw$q$);
SELECT bench.time_query('m_raw_exclusion', 'dialer.exclusion(c) IS NULL, no phone_e164 (parses)',
    $q$SELECT count(*) FROM bench.messy_raw c WHERE dialer.exclusion(c) IS NULL$q$);
SELECT bench.time_query('m_raw_dialable', 'dialer.is_dialable(c), no phone_e164 (parses)',
    $q$SELECT count(*) FROM bench.messy_raw c WHERE dialer.is_dialable(c)$q$);

-- On a shared machine a best-of-3 of the floor and one of a function may
-- come from moments of different load. So the targets are also measured in
-- pairs: the floor and the function back to back, 7 times, and the median of
-- the 7 ratios (or of the 7 differences per contact) is reported beside them.
CREATE TEMP TABLE paired (key text PRIMARY KEY, name text, median_ratio double precision,
                          median_us_over double precision);
CREATE FUNCTION pg_temp.time_pair(key text, name text, floor_query text, query text, runs integer DEFAULT 7)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    started timestamptz;
    floor_ms double precision;
    ms double precision;
    result text;
    ratios double precision[] := '{}';
    us_over double precision[] := '{}';
    n double precision;
BEGIN
    SELECT r.result::double precision INTO n FROM bench.results r WHERE r.key = 'm_count';
    EXECUTE query INTO result;  -- warm-up
    FOR i IN 1 .. runs LOOP
        started := clock_timestamp();
        EXECUTE floor_query INTO result;
        floor_ms := 1000 * extract(epoch FROM clock_timestamp() - started)::double precision;
        started := clock_timestamp();
        EXECUTE query INTO result;
        ms := 1000 * extract(epoch FROM clock_timestamp() - started)::double precision;
        ratios := ratios || ms / floor_ms;
        us_over := us_over || 1000 * (ms - floor_ms) / n;
    END LOOP;
    INSERT INTO paired VALUES (key, name,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ratios) x),
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(us_over) x));
END
$$;
SELECT pg_temp.time_pair('m_exclusion', 'dialer.exclusion(c) IS NULL, maintained phone_e164', floor_sql,
                         $q$SELECT count(*) FROM bench.messy c WHERE dialer.exclusion(c) IS NULL$q$),
       pg_temp.time_pair('m_dialable', 'dialer.is_dialable(c), maintained phone_e164', floor_sql,
                         $q$SELECT count(*) FROM bench.messy c WHERE dialer.is_dialable(c)$q$),
       pg_temp.time_pair('m_raw_exclusion', 'dialer.exclusion(c) IS NULL, no phone_e164 (parses)', floor_sql,
                         $q$SELECT count(*) FROM bench.messy_raw c WHERE dialer.exclusion(c) IS NULL$q$),
       pg_temp.time_pair('m_raw_dialable', 'dialer.is_dialable(c), no phone_e164 (parses)', floor_sql,
                         $q$SELECT count(*) FROM bench.messy_raw c WHERE dialer.is_dialable(c)$q$)
FROM (VALUES ($q$
    SELECT count(*) FROM bench.messy c
    WHERE c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> ''
      AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$)) AS f(floor_sql) \gset pair_

\echo
\echo '   Do the answers agree?'
SELECT format('   %-56s %s', r.name || ' vs SQL floor',
              CASE WHEN r.result = f.result THEN 'same count (' || r.result || ')'
                   ELSE 'DIFFERENT: ' || r.result || ' vs ' || f.result END)
FROM bench.results r, bench.results f
WHERE r.key IN ('m_exclusion', 'm_exclusion_kept', 'm_raw_exclusion') AND f.key = 'm_floor'
ORDER BY r.key;
COMMIT;

-- The push modal on this table: 10,000 contacts, with and without the column.
SELECT greatest(:rows / 3, 1) AS lo, greatest(:rows / 3, 1) + 9999 AS hi \gset
SELECT bench.time_query('m_floor10k', 'SQL floor over the same 10,000 (reference)', format($q$
    SELECT count(*) FROM bench.messy c
    WHERE c.id BETWEEN %s AND %s AND c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> '' AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$, :lo, :hi));
SELECT bench.time_query('m_preview10k', 'dialer.preview(array_agg(c)) of 10,000, maintained', format($q$
    SELECT dialer.preview(array_agg(c)) ->> 'ready' || ' ready'
    FROM bench.messy c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));
SELECT bench.time_query('m_preview10k_raw', 'dialer.preview(array_agg(c)) of 10,000, no phone_e164', format($q$
    SELECT dialer.preview(array_agg(c)) ->> 'ready' || ' ready'
    FROM bench.messy_raw c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));

-- preview_agg should cost the same per contact at any size.
SELECT bench.time_query('m_agg_tenth', format('dialer.preview_agg over %s contacts', to_char(:rows / 10, 'FM9,999,999')),
    format($q$SELECT dialer.preview_agg(c, '{}') ->> 'ready' || ' ready' FROM bench.messy c WHERE c.id <= %s$q$,
           :rows / 10), 1, true);
SELECT bench.time_query('m_agg_all', format('dialer.preview_agg over all %s contacts', to_char(:rows, 'FM9,999,999')),
    $q$SELECT dialer.preview_agg(c, '{}') ->> 'ready' || ' ready' FROM bench.messy c$q$, 1, false);

\echo
\echo '== Summary: the messy table (best-of-3 wall time, one core)'
\echo
\pset format aligned
\pset tuples_only off

SELECT r.name AS "classifying all messy contacts",
       to_char(r.ms, 'FM9999990.0') AS ms,
       to_char(r.ms / f.ms, 'FM9990.00') || 'x' AS "ratio vs SQL floor"
FROM bench.results r CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'm_floor') f
WHERE r.key IN ('m_count', 'm_floor', 'm_exclusion', 'm_dialable', 'm_exclusion_kept', 'm_plpgsql')
ORDER BY r.ms;

SELECT r.name AS "without a phone_e164 column (every number parsed)",
       to_char(r.ms, 'FM9999990.0') AS ms,
       to_char(1000 * (r.ms - f.ms) / n.n, 'FM990.000') AS "us/contact over the floor"
FROM bench.results r
CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'm_floor') f
CROSS JOIN (SELECT result::double precision AS n FROM bench.results WHERE key = 'm_count') n
WHERE r.key IN ('m_raw_exclusion', 'm_raw_dialable')
ORDER BY r.ms;

SELECT p.name AS "in pairs with the floor, back to back (median of 7)",
       to_char(p.median_ratio, 'FM990.00') || 'x' AS "ratio vs SQL floor",
       to_char(p.median_us_over, 'FM990.000') AS "us/contact over the floor"
FROM paired p ORDER BY p.key;

SELECT r.name AS "push preview on the messy table", to_char(r.ms, 'FM9999990.0') AS ms,
       CASE WHEN r.key LIKE 'm_agg%' THEN to_char(1000 * r.ms / n.n, 'FM990.00') || ' us/contact'
            ELSE to_char(r.ms / f.ms, 'FM9990.00') || 'x the floor over the same 10,000' END AS "per contact / ratio"
FROM bench.results r
CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'm_floor10k') f,
     LATERAL (SELECT CASE r.key WHEN 'm_agg_tenth' THEN greatest(:rows / 10, 1) ELSE :rows END::double precision AS n) n
WHERE r.key IN ('m_floor10k', 'm_preview10k', 'm_preview10k_raw', 'm_agg_tenth', 'm_agg_all')
ORDER BY r.key;

WITH m AS (SELECT key, ms FROM bench.results),
v AS (
    SELECT (SELECT ms FROM m WHERE key = 'm_exclusion') / (SELECT ms FROM m WHERE key = 'm_floor') AS excl,
           (SELECT ms FROM m WHERE key = 'm_dialable') / (SELECT ms FROM m WHERE key = 'm_floor') AS dial,
           (SELECT ms FROM m WHERE key = 'm_preview10k') AS preview,
           (SELECT ms FROM m WHERE key = 'm_preview10k_raw') AS preview_raw,
           1000 * ((SELECT ms FROM m WHERE key = 'm_raw_exclusion') - (SELECT ms FROM m WHERE key = 'm_floor'))
             / :rows AS raw_us,
           (SELECT median_ratio FROM paired WHERE key = 'm_exclusion') AS excl_pair,
           (SELECT median_ratio FROM paired WHERE key = 'm_dialable') AS dial_pair,
           (SELECT median_us_over FROM paired WHERE key = 'm_raw_exclusion') AS raw_us_pair
)
SELECT t.target AS "target (messy table)", t.measured, CASE WHEN t.ok THEN 'yes' ELSE 'NO' END AS met
FROM v, LATERAL (VALUES
    ('dialer.exclusion (maintained phone_e164) within 1.0x of the floor', to_char(v.excl, 'FM990.00') || 'x', v.excl <= 1.0),
    ('  the same, in pairs (median of 7)', to_char(v.excl_pair, 'FM990.00') || 'x', v.excl_pair <= 1.0),
    ('dialer.is_dialable (maintained phone_e164) within 1.0x of the floor', to_char(v.dial, 'FM990.00') || 'x', v.dial <= 1.0),
    ('  the same, in pairs (median of 7)', to_char(v.dial_pair, 'FM990.00') || 'x', v.dial_pair <= 1.0),
    ('dialer.preview of 10,000 (maintained) < 50 ms', to_char(v.preview, 'FM99990.0') || ' ms', v.preview < 50),
    ('dialer.preview of 10,000 (no phone_e164) < 100 ms', to_char(v.preview_raw, 'FM99990.0') || ' ms', v.preview_raw < 100),
    ('no phone_e164: <= 0.5 us per contact over the floor', to_char(v.raw_us, 'FM990.000') || ' us', v.raw_us <= 0.5),
    ('  the same, in pairs (median of 7)', to_char(v.raw_us_pair, 'FM990.000') || ' us', v.raw_us_pair <= 0.5)
) AS t(target, measured, ok);
