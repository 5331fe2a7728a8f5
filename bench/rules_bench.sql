-- pgdialer rule benchmarks: the cost of classifying contacts in SQL, against
-- baselines measured in the same run. Run by scripts/bench.sh (`make bench`)
-- on the private bench cluster; prints timings and ratios, never fails on them.
--
--   psql -X -v rows=1000000 [-v e164_file=/path/e164.tsv -v plain_us=... -v fast_us=...]
--        -f bench/rules_bench.sql
--
-- rows          contacts to generate (default 1,000,000)
-- e164_file     optional: the numbers `build/bench_e164 --dump FILE` wrote
--               (raw<TAB>region<TAB>expected E.164 or \N), readable by the server
-- plain_us, fast_us  optional: bench_e164's own us/number for the plain
--               libphonenumber loop and for pgdialer's C++ to_e164
--
-- Every timing is the best of 3 runs after a warm-up run (a single run where
-- noted), one backend, no parallel workers and no JIT, so the ratios compare
-- per-row cost on one core.

\set ON_ERROR_STOP on
\set QUIET on
\if :{?rows}
\else
  \set rows 1000000
\endif
\if :{?e164_file}
\else
  \set e164_file ''
\endif
\if :{?plain_us}
\else
  \set plain_us ''
\endif
\if :{?fast_us}
\else
  \set fast_us ''
\endif

SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;

\pset format unaligned
\pset tuples_only on
\pset footer off

-- ---------------------------------------------------------------------------
-- Data: the demo's SourceCo contacts, at scale
-- ---------------------------------------------------------------------------

DROP SCHEMA IF EXISTS bench CASCADE;
DROP SCHEMA IF EXISTS sourceco CASCADE;
DROP EXTENSION IF EXISTS pgdialer CASCADE;
CREATE EXTENSION pgdialer;

\echo '== Data'
SELECT clock_timestamp() AS t0 \gset
\i demo/sourceco_schema.sql
-- The phone_e164 trigger would parse 1M numbers one trigger call at a time;
-- load without it and compute the column in bulk below.
SET session_replication_role = replica;
\set contacts :rows
\set QUIET on
\i demo/sourceco_sample_data.sql
RESET session_replication_role;

CREATE SCHEMA bench;

-- contacts: same shape as sourceco.contacts, phone_e164 stored.
CREATE TABLE bench.contacts (LIKE sourceco.contacts INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO bench.contacts (id, contact_type, first_name, last_name, company, title, email, phone,
    phone_e164, address_line1, city, state, zip, do_not_call, do_not_call_reason,
    do_not_call_source, suppressed, phone_number_invalid, phone_invalid_reason,
    last_call_attempt_at, last_contact_method, last_contact_outcome, buyer_type, aum, fund_size,
    target_ebitda_range, target_industries, target_geographies, engagement_score,
    relationship_strength, active_deals_count, last_deal_presented, last_deal_outcome,
    call_talking_points, preferred_contact_time, assistant_name, assistant_phone, contact_owner,
    contact_source, industry, created_at)
SELECT id, contact_type, first_name, last_name, company, title, email, phone,
       dialer.e164(phone), address_line1, city, state, zip, do_not_call, do_not_call_reason,
       do_not_call_source, suppressed, phone_number_invalid, phone_invalid_reason,
       last_call_attempt_at, last_contact_method, last_contact_outcome, buyer_type, aum, fund_size,
       target_ebitda_range, target_industries, target_geographies, engagement_score,
       relationship_strength, active_deals_count, last_deal_presented, last_deal_outcome,
       call_talking_points, preferred_contact_time, assistant_name, assistant_phone,
       contact_owner, contact_source, industry, created_at
FROM sourceco.contacts ORDER BY id;
ALTER TABLE bench.contacts ADD PRIMARY KEY (id);

-- contacts_raw: the same rows without a phone_e164 column, so every rule
-- evaluation parses the number as typed.
CREATE TABLE bench.contacts_raw AS SELECT * FROM bench.contacts ORDER BY id;
ALTER TABLE bench.contacts_raw DROP COLUMN phone_e164;
VACUUM FULL bench.contacts_raw;
ALTER TABLE bench.contacts_raw ADD PRIMARY KEY (id);

DROP SCHEMA sourceco CASCADE;
VACUUM ANALYZE bench.contacts;
VACUUM ANALYZE bench.contacts_raw;

SELECT format('   %s contacts generated, phone_e164 computed, both tables vacuumed in %s s',
              to_char(count(*), 'FM9,999,999'),
              round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1))
FROM bench.contacts;
SELECT format('   mix: %s%% do not call, %s%% suppressed only, %s%% no/blank phone, %s%% flagged invalid, '
              '%s%% unparseable, %s%% called < 7 days ago, %s%% missing a name',
              round(100.0 * count(*) FILTER (WHERE do_not_call) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE suppressed AND NOT do_not_call) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE coalesce(btrim(phone), '') = '') / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE phone_number_invalid) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE btrim(phone) <> '' AND phone_e164 IS NULL) / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE last_call_attempt_at > now() - interval '7 days') / count(*), 1),
              round(100.0 * count(*) FILTER (WHERE coalesce(btrim(first_name), '') = ''
                                                OR coalesce(btrim(last_name), '') = '') / count(*), 1))
FROM bench.contacts;

-- ---------------------------------------------------------------------------
-- The baseline a team would otherwise write: the spec's
-- validateContactsForPush as a PL/pgSQL function over the row, with a
-- regular-expression phone check instead of libphonenumber.
-- ---------------------------------------------------------------------------

CREATE FUNCTION bench.validate_contact_for_push(contact bench.contacts,
                                                min_days_between_calls integer DEFAULT 7)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    digits text;
    days_since_last_call integer;
BEGIN
    -- Check 1: Do Not Call
    IF contact.do_not_call OR contact.suppressed THEN
        RETURN 'do_not_call';
    END IF;

    -- Check 2: Invalid Phone
    IF contact.phone_number_invalid OR contact.phone IS NULL OR btrim(contact.phone) = '' THEN
        RETURN 'invalid_phone';
    END IF;
    digits := regexp_replace(contact.phone, '\s*(x|ext\.?)\s*\d+$', '', 'i');  -- extension
    digits := regexp_replace(digits, '[^0-9+]', '', 'g');
    IF NOT (digits ~ '^(\+?1)?[2-9][0-9]{2}[2-9][0-9]{6}$'       -- NANP
            OR digits ~ '^\+[2-9][0-9]{7,14}$') THEN               -- other countries
        RETURN 'invalid_phone';
    END IF;

    -- Check 3: Recently Contacted
    IF contact.last_call_attempt_at IS NOT NULL THEN
        days_since_last_call := floor(extract(epoch FROM now() - contact.last_call_attempt_at) / 86400);
        IF days_since_last_call < min_days_between_calls THEN
            RETURN 'recently_contacted';
        END IF;
    END IF;

    -- Check 4: Required Fields
    IF coalesce(btrim(contact.first_name), '') = '' OR coalesce(btrim(contact.last_name), '') = '' THEN
        RETURN 'missing_required_fields';
    END IF;

    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------
-- Timing harness
-- ---------------------------------------------------------------------------

CREATE TABLE bench.results (
    key    text PRIMARY KEY,
    name   text,
    ms     double precision,
    runs   integer,
    result text
);

-- Best of `runs` executions of `query` (after one warm-up run unless
-- warmup is false); records it under `key` and returns a progress line.
CREATE FUNCTION bench.time_query(key text, name text, query text, runs integer DEFAULT 3,
                                 warmup boolean DEFAULT true)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    started timestamptz;
    best double precision := 'Infinity';
    result text;
BEGIN
    IF warmup THEN
        EXECUTE query INTO result;
    END IF;
    FOR i IN 1 .. runs LOOP
        started := clock_timestamp();
        EXECUTE query INTO result;
        best := least(best, 1000 * extract(epoch FROM clock_timestamp() - started)::double precision);
    END LOOP;
    INSERT INTO bench.results VALUES (key, name, best, runs, result);
    RETURN format('   %-56s %10s ms   -> %s', name, to_char(best, 'FM9999990.0'), result);
END
$$;

-- The same, but each run in a transaction of its own (a procedure that
-- commits): for costs paid once per transaction or statement.
CREATE PROCEDURE bench.time_statements(key text, name text, query text, runs integer)
LANGUAGE plpgsql
AS $$
DECLARE
    started timestamptz;
    best double precision := 'Infinity';
    result text;
BEGIN
    FOR i IN 0 .. runs LOOP  -- run 0 warms up
        started := clock_timestamp();
        EXECUTE query INTO result;
        IF i > 0 THEN
            best := least(best, 1000 * extract(epoch FROM clock_timestamp() - started)::double precision);
        END IF;
        COMMIT;
    END LOOP;
    INSERT INTO bench.results VALUES (key, name, best, runs, result);
END
$$;

CREATE FUNCTION bench.explain(query text)
RETURNS SETOF text
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN QUERY EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || query;
END
$$;

-- ---------------------------------------------------------------------------
-- 1. Classifying 1M contacts: count(*) of the contacts ready to push
-- ---------------------------------------------------------------------------

-- One transaction, so every query below sees the same now(): the sample's
-- last calls are "N days ago", and a contact crossing the 7-day line between
-- two timed queries once made their counts differ by one.
BEGIN;
\echo
\echo '== Classification over the whole table (count of contacts ready to push, 7-day rule)'

SELECT bench.time_query('count', 'count(*) (reference: scan only)',
    $q$SELECT count(*) FROM bench.contacts$q$);

SELECT bench.time_query('floor', 'SQL floor: hand-written WHERE, stored phone_e164', $q$
    SELECT count(*) FROM bench.contacts c
    WHERE c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> ''
      AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$);

SELECT bench.time_query('exclusion', 'dialer.exclusion(c) IS NULL, stored phone_e164',
    $q$SELECT count(*) FROM bench.contacts c WHERE dialer.exclusion(c) IS NULL$q$);

SELECT bench.time_query('exclusion_raw', 'dialer.exclusion(c) IS NULL, no phone_e164 (parses)',
    $q$SELECT count(*) FROM bench.contacts_raw c WHERE dialer.exclusion(c) IS NULL$q$);

SELECT bench.time_query('dialable', 'dialer.is_dialable(c), stored phone_e164',
    $q$SELECT count(*) FROM bench.contacts c WHERE dialer.is_dialable(c)$q$);

SELECT bench.time_query('dialable_raw', 'dialer.is_dialable(c), no phone_e164 (parses)',
    $q$SELECT count(*) FROM bench.contacts_raw c WHERE dialer.is_dialable(c)$q$);

-- The PL/pgSQL baseline costs seconds per run: best of 3, no warm-up (the
-- table is already cached by the runs above).
SELECT bench.time_query('plpgsql', 'PL/pgSQL validate_contact_for_push(c) IS NULL',
    $q$SELECT count(*) FROM bench.contacts c WHERE bench.validate_contact_for_push(c) IS NULL$q$,
    3, false);

\echo
\echo '   Why dialer.exclusion(c) is cheap: the planner support function rewrites the call'
\echo '   to pass only the columns the rules read (EXPLAIN VERBOSE):'
SELECT '   ' || btrim(line)
FROM bench.explain($q$SELECT count(*) FROM bench.contacts c WHERE dialer.exclusion(c) IS NULL$q$) AS line
WHERE line ~ '_exclusion_columns';
SELECT '   !! no dialer._exclusion_columns(...) in the plan: the rewrite did not happen'
WHERE NOT EXISTS (
    SELECT FROM bench.explain($q$SELECT count(*) FROM bench.contacts c WHERE dialer.exclusion(c) IS NULL$q$) AS line
    WHERE line ~ '_exclusion_columns');

\echo
\echo '   Do the answers agree?'
SELECT format('   %-56s %s', 'exclusion(c) IS NULL vs SQL floor (stored e164)',
              CASE WHEN e.result = f.result THEN 'same count (' || e.result || ')'
                   ELSE 'DIFFERENT: ' || e.result || ' vs ' || f.result END)
FROM bench.results e, bench.results f WHERE e.key = 'exclusion' AND f.key = 'floor';
SELECT format('   %-56s %s', 'exclusion(c) IS NULL, stored e164 vs parsing',
              CASE WHEN e.result = r.result THEN 'same count (' || e.result || ')'
                   ELSE 'DIFFERENT: ' || e.result || ' vs ' || r.result END)
FROM bench.results e, bench.results r WHERE e.key = 'exclusion' AND r.key = 'exclusion_raw';
SELECT format('   %-56s %s rows classified differently (%s)',
              'PL/pgSQL regexp check vs dialer.exclusion',
              to_char(coalesce(sum(d.n), 0), 'FM9,999,999'),
              coalesce(string_agg(format('%s -> %s: %s', d.ext, d.plp, d.n), ', '
                                  ORDER BY d.n DESC), 'none'))
FROM (SELECT ext, plp, count(*) AS n
      FROM (SELECT coalesce((dialer.exclusion(c)).category, 'ready') AS ext,
                   coalesce(bench.validate_contact_for_push(c), 'ready') AS plp
            FROM bench.contacts c) both_answers
      WHERE ext <> plp
      GROUP BY ext, plp) d;
COMMIT;

-- Where the time goes: a NULL phone_e164 next to a non-blank phone (the
-- number did not normalize) sends the rules back to parsing the phone on
-- every call, and numbers libphonenumber rejects are its slowest inputs.
\echo
\echo '   Where the time goes: rows whose phone did not normalize (phone_e164 NULL, phone not blank)'
CREATE TABLE bench.unnormalized AS
    SELECT * FROM bench.contacts WHERE phone_e164 IS NULL AND btrim(phone) <> '';
ANALYZE bench.unnormalized;
SELECT bench.time_query('unnormalized', 'dialer.exclusion(c) on just those rows',
    $q$SELECT count(*) FROM bench.unnormalized c WHERE dialer.exclusion(c) IS NULL$q$);
SELECT format('   -> %s rows (%s%% of the table) take %s ms, %s%% of the %s ms above: %s us per row',
              to_char(n.cnt, 'FM9,999,999'),
              round(100.0 * n.cnt / t.cnt, 1),
              round(u.ms::numeric, 1),
              round((100 * u.ms / e.ms)::numeric),
              round(e.ms::numeric, 1),
              round((1000 * u.ms / greatest(n.cnt, 1))::numeric, 1))
FROM bench.results u, bench.results e,
     (SELECT count(*) AS cnt FROM bench.unnormalized) n,
     (SELECT count(*) AS cnt FROM bench.contacts) t
WHERE u.key = 'unnormalized' AND e.key = 'exclusion';

-- ---------------------------------------------------------------------------
-- 2. The push modal: dialer.preview of a 10,000-contact list
-- ---------------------------------------------------------------------------

SELECT greatest(:rows * 4 / 10, 12) + 1 AS lo, greatest(:rows * 4 / 10, 12) + 10000 AS hi \gset
\echo
SELECT format('== dialer.preview(array_agg(c)) of a 10,000-contact list (ids %s..%s)', :lo, :hi);

SELECT bench.time_query('agg10k', 'array_agg(c) alone (reference)', format($q$
    SELECT cardinality(array_agg(c)) FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));

SELECT bench.time_query('floor10k', 'SQL floor over the same 10,000 (reference)', format($q$
    SELECT count(*) FROM bench.contacts c
    WHERE c.id BETWEEN %s AND %s AND c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> '' AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$, :lo, :hi));

SELECT bench.time_query('preview10k', 'dialer.preview(array_agg(c)), stored phone_e164', format($q$
    SELECT dialer.preview(array_agg(c)) ->> 'ready' || ' ready'
    FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));

SELECT bench.time_query('preview10k_raw', 'dialer.preview(array_agg(c)), no phone_e164 (parses)', format($q$
    SELECT dialer.preview(array_agg(c)) ->> 'ready' || ' ready'
    FROM bench.contacts_raw c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));

-- The aggregate form, for lists too large for one array (when installed).
SELECT to_regproc('dialer.preview_agg') IS NOT NULL AS have_preview_agg \gset
\if :have_preview_agg
  SELECT bench.time_query('preview_agg10k', 'dialer.preview_agg(c, ''{}''), same 10,000', format($q$
      SELECT dialer.preview_agg(c, '{}') ->> 'ready' || ' ready'
      FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
  $q$, :lo, :hi));
  SELECT bench.time_query('preview_agg_all', 'dialer.preview_agg(c, ''{}'') over all contacts',
      $q$SELECT dialer.preview_agg(c, '{}') ->> 'ready' || ' ready' FROM bench.contacts c$q$, 1, false);
\endif

-- ---------------------------------------------------------------------------
-- 2b. The same with a suppression list: 50,000 numbers on dialer.suppressions
-- ---------------------------------------------------------------------------

-- Everything above ran with dialer.suppressions empty (the rules still ask
-- for it once per statement). Now a realistic list: half of it numbers our
-- contacts have (a DNC list of people we know), half numbers we have never
-- seen; mostly registry listings, some requests, a few internal ones. The
-- list is loaded once per statement, so each timed run pays for that too.
\echo
\echo '== With 50,000 numbers on dialer.suppressions'
SELECT setseed(0.4) AS seed \gset
INSERT INTO dialer.suppressions (phone_e164, source, added_by)
SELECT n, CASE WHEN r < 0.70 THEN 'registry' WHEN r < 0.95 THEN 'requested' ELSE 'internal' END, 'bench'
FROM (SELECT n, random() AS r
      FROM (SELECT DISTINCT phone_e164 AS n FROM bench.contacts WHERE phone_e164 IS NOT NULL) d
      ORDER BY random() LIMIT least(25000, :rows / 40)) known
ON CONFLICT DO NOTHING;
INSERT INTO dialer.suppressions (phone_e164, source, added_by)
SELECT '+1' || (2025550000 + 7 * g)::text, CASE WHEN g % 10 < 7 THEN 'registry' ELSE 'requested' END, 'bench'
FROM generate_series(1, 25000) g
WHERE NOT EXISTS (SELECT FROM bench.contacts c WHERE c.phone_e164 = '+1' || (2025550000 + 7 * g)::text)
ON CONFLICT DO NOTHING;
ANALYZE dialer.suppressions;
SELECT format('   %s numbers listed; %s contacts (%s%%) have one of them',
              to_char((SELECT count(*) FROM dialer.suppressions), 'FM9,999,999'),
              to_char(count(*), 'FM9,999,999'),
              round(100.0 * count(*) / (SELECT count(*) FROM bench.contacts), 1))
FROM bench.contacts c WHERE EXISTS (SELECT FROM dialer.suppressions s WHERE s.phone_e164 = c.phone_e164);

BEGIN;
-- The hand-written floor gets the list as an anti-join on the stored number,
-- the cheapest way to write "not on the list" in SQL.
SELECT bench.time_query('floor_supp', 'SQL floor + NOT EXISTS on the list', $q$
    SELECT count(*) FROM bench.contacts c
    WHERE c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> ''
      AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
      AND NOT EXISTS (SELECT FROM dialer.suppressions s WHERE s.phone_e164 = c.phone_e164)
$q$);
SELECT bench.time_query('exclusion_supp', 'dialer.exclusion(c) IS NULL, 50,000 listed',
    $q$SELECT count(*) FROM bench.contacts c WHERE dialer.exclusion(c) IS NULL$q$);
SELECT bench.time_query('dialable_supp', 'dialer.is_dialable(c), 50,000 listed',
    $q$SELECT count(*) FROM bench.contacts c WHERE dialer.is_dialable(c)$q$);
\echo
\echo '   Do the answers agree?'
SELECT format('   %-56s %s', 'exclusion(c) IS NULL vs SQL floor + NOT EXISTS',
              CASE WHEN e.result = f.result THEN 'same count (' || e.result || ')'
                   ELSE 'DIFFERENT: ' || e.result || ' vs ' || f.result END)
FROM bench.results e, bench.results f WHERE e.key = 'exclusion_supp' AND f.key = 'floor_supp';
COMMIT;

SELECT bench.time_query('preview10k_supp', 'dialer.preview(array_agg(c)), 10,000, 50,000 listed', format($q$
    SELECT dialer.preview(array_agg(c)) ->> 'ready' || ' ready'
    FROM bench.contacts c WHERE c.id BETWEEN %s AND %s
$q$, :lo, :hi));

-- The timings above load the list in their warm-up run: later runs are in
-- the same transaction and nothing changed, so they find it cached. What a
-- statement pays to load it shows on a one-contact statement run in a
-- transaction of its own each time (best of 10), with and without the list.
CALL bench.time_statements('one_supp', 'one contact: dialer.exclusion, 50,000 listed',
    $q$SELECT count(*) FROM bench.contacts c WHERE c.id = 1 AND dialer.exclusion(c) IS NULL$q$, 10);
TRUNCATE dialer.suppressions;
CALL bench.time_statements('one_empty', 'one contact: dialer.exclusion, empty list',
    $q$SELECT count(*) FROM bench.contacts c WHERE c.id = 1 AND dialer.exclusion(c) IS NULL$q$, 10);
CALL bench.time_statements('one_none', 'one contact: hand-written WHERE (reference)', $q$
    SELECT count(*) FROM bench.contacts c
    WHERE c.id = 1 AND c.do_not_call IS NOT TRUE AND c.suppressed IS NOT TRUE
      AND btrim(c.phone_e164) <> '' AND c.phone_number_invalid IS NOT TRUE
      AND (c.last_call_attempt_at IS NULL OR c.last_call_attempt_at <= now() - interval '7 days')
      AND btrim(c.first_name) <> '' AND btrim(c.last_name) <> ''
$q$, 10);
SELECT format('   %-56s %10s ms', name, to_char(ms, 'FM9999990.00'))
FROM bench.results WHERE key IN ('one_supp', 'one_empty', 'one_none') ORDER BY ms DESC;

-- ---------------------------------------------------------------------------
-- 3. dialer.e164: normalizing numbers
-- ---------------------------------------------------------------------------

\echo
\echo '== dialer.e164'

SELECT bench.time_query('phones_scan', 'count(phone) over all contacts (reference)',
    $q$SELECT count(phone) FROM bench.contacts_raw$q$);
SELECT bench.time_query('phones_e164', 'count(dialer.e164(phone)) over all contacts, as typed',
    $q$SELECT count(dialer.e164(phone)) FROM bench.contacts_raw$q$);

-- Numbers with an extension ("(919) 555-0123 x204"), as typed in the contacts
CREATE TABLE bench.extension_numbers AS
    SELECT phone AS n FROM bench.contacts_raw WHERE phone ~* '[0-9][ .]*(x|ext|#)';
CREATE TABLE bench.plain_numbers AS
    SELECT phone AS n FROM bench.contacts_raw
    WHERE phone ~ '^[0-9+() .-]+$' AND phone ~ '[0-9]{4}$' LIMIT 100000;
ANALYZE bench.extension_numbers;
ANALYZE bench.plain_numbers;
SELECT bench.time_query('ext_scan', 'count(n), numbers with an extension (reference)',
    $q$SELECT count(n) FROM bench.extension_numbers$q$);
SELECT bench.time_query('ext_e164', 'count(dialer.e164(n)), numbers with an extension',
    $q$SELECT count(dialer.e164(n)) FROM bench.extension_numbers$q$);
SELECT bench.time_query('plain_scan', 'count(n), numbers without one (reference)',
    $q$SELECT count(n) FROM bench.plain_numbers$q$);
SELECT bench.time_query('plain_e164', 'count(dialer.e164(n)), numbers without one',
    $q$SELECT count(dialer.e164(n)) FROM bench.plain_numbers$q$);

SELECT :'e164_file' <> '' AS have_dump \gset
\if :have_dump
  CREATE TABLE bench.e164_inputs (n text, region text, expected text);
  COPY bench.e164_inputs FROM :'e164_file' WITH (FORMAT text);
  VACUUM ANALYZE bench.e164_inputs;
  SELECT format('   loaded %s numbers from bench_e164 --dump (%s%% valid, %s distinct)',
                to_char(count(*), 'FM9,999,999'),
                round(100.0 * count(expected) / count(*), 1),
                to_char(count(DISTINCT (n, region)), 'FM9,999,999'))
  FROM bench.e164_inputs;
  SELECT bench.time_query('dump_scan', 'count(n) over bench_e164''s numbers (reference)',
      $q$SELECT count(n) FROM bench.e164_inputs$q$);
  SELECT bench.time_query('dump_e164', 'count(dialer.e164(n, region)) over bench_e164''s numbers',
      $q$SELECT count(dialer.e164(n, region)) FROM bench.e164_inputs$q$);
  WITH d AS MATERIALIZED (
      SELECT n, region, expected, dialer.e164(n, region) AS got FROM bench.e164_inputs
  )
  SELECT format('   %-56s %s', 'dialer.e164 vs bench_e164''s expected output',
                CASE WHEN count(*) FILTER (WHERE got IS DISTINCT FROM expected) = 0
                     THEN 'identical on all ' || to_char(count(*), 'FM9,999,999') || ' rows'
                     ELSE 'DIFFERENT on ' || count(*) FILTER (WHERE got IS DISTINCT FROM expected)
                          || ' rows, e.g. '
                          || (SELECT string_agg(format('%L in %s: %s, expected %s', n, region,
                                                       coalesce(got, 'NULL'), coalesce(expected, 'NULL')), '; ')
                              FROM (SELECT * FROM d WHERE got IS DISTINCT FROM expected LIMIT 5) x)
                END)
  FROM d;
\else
  \echo '   (no bench_e164 dump: dialer.e164 against the plain libphonenumber loop is skipped)'
\endif

-- ---------------------------------------------------------------------------
-- 4. The do-not-call / wrong-number fan-out (dialer._contacts_with_number)
-- ---------------------------------------------------------------------------
-- It runs inside pgdialer-sync's 1 s statement_timeout. Without a phone_e164
-- column the old form parsed every row; the function now parses only rows in
-- which the number's last four digits appear in order (and rows holding
-- non-ASCII characters or three letters or more).

\echo
\echo '== Do-not-call fan-out over all contacts (dialer._contacts_with_number)'

SELECT coalesce(max(contact_relation::text), '') AS saved_relation FROM dialer.configuration \gset
SELECT dialer.e164(phone) AS fanout_number FROM bench.contacts_raw
WHERE dialer.e164(phone) IS NOT NULL ORDER BY id LIMIT 1 \gset
SELECT dialer.configure('bench.contacts_raw') \gset
SELECT bench.time_query('fanout_every_row', 'without phone_e164: parsing every row (the old form)',
    format($q$SELECT count(*)::text FROM bench.contacts_raw c WHERE dialer.e164(c.phone::text) = %L$q$,
           :'fanout_number'));
SELECT bench.time_query('fanout_raw', 'without phone_e164: dialer._contacts_with_number',
    format($q$SELECT count(*)::text FROM dialer._contacts_with_number(%L, NULL)$q$, :'fanout_number'));
SELECT format('   %-56s %s', 'same contacts as parsing every row (100 numbers)',
              CASE WHEN count(*) FILTER (WHERE NOT same) = 0 THEN 'identical'
                   ELSE 'DIFFERENT for ' || count(*) FILTER (WHERE NOT same) || ' numbers' END)
FROM (SELECT array(SELECT id::text FROM bench.contacts_raw c WHERE dialer.e164(c.phone) = n ORDER BY 1)
             = array(SELECT dialer._contacts_with_number(n, NULL)) AS same
      FROM (SELECT DISTINCT dialer.e164(phone) AS n FROM bench.contacts_raw
            WHERE id % 10007 = 0 AND dialer.e164(phone) IS NOT NULL LIMIT 100) numbers) s;
SELECT dialer.configure('bench.contacts') \gset
SELECT bench.time_query('fanout_e164', 'with phone_e164 (not indexed)',
    format($q$SELECT count(*)::text FROM dialer._contacts_with_number(%L, NULL)$q$, :'fanout_number'));
SELECT :'saved_relation' <> '' AS had_relation \gset
\if :had_relation
  SELECT dialer.configure(:'saved_relation') \gset
\endif
\if :have_dump
  -- The rule itself, over bench_e164's numbers of every country: in ASCII
  -- text with fewer than three letters, the last four digits appear in order.
  WITH r AS MATERIALIZED (
      SELECT n LIKE '%' || array_to_string(regexp_split_to_array(right(expected, 4), ''), '%') || '%' AS held
      FROM bench.e164_inputs
      WHERE expected IS NOT NULL AND octet_length(n) = length(n) AND n !~ '[A-Za-z].*[A-Za-z].*[A-Za-z]'
  )
  SELECT format('   %-56s %s', 'last four digits found in order (the fan-out''s rule)',
                CASE WHEN count(*) FILTER (WHERE NOT held) = 0
                     THEN 'on all ' || to_char(count(*), 'FM9,999,999') || ' numbers it covers'
                     ELSE 'DIFFERENT on ' || count(*) FILTER (WHERE NOT held) || ' numbers' END)
  FROM r;
\endif

-- ---------------------------------------------------------------------------
-- Summary
-- ---------------------------------------------------------------------------

\echo
\echo '== Summary (best-of-3 wall time, one core)'
\echo
\pset format aligned
\pset tuples_only off

SELECT r.name AS "classifying all contacts",
       to_char(r.ms, 'FM9999990.0') AS ms,
       to_char(r.ms / f.ms, 'FM9990.00') || 'x' AS "ratio vs SQL floor",
       to_char(1e6 * (r.ms - c.ms) / c.n, 'FM9999990') AS "ns/row over the scan"
FROM bench.results r
CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'floor') f
CROSS JOIN (SELECT ms, result::double precision AS n FROM bench.results WHERE key = 'count') c
WHERE r.key IN ('count', 'floor', 'exclusion', 'exclusion_raw', 'dialable', 'plpgsql',
                'floor_supp', 'exclusion_supp', 'dialable_supp')
ORDER BY r.ms;

SELECT r.name AS "without a phone_e164 column (every number parsed)",
       to_char(r.ms, 'FM9999990.0') AS ms,
       to_char(1000 * (r.ms - f.ms) / c.n, 'FM990.000') AS "us/contact over the floor"
FROM bench.results r
CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'floor') f
CROSS JOIN (SELECT result::double precision AS n FROM bench.results WHERE key = 'count') c
WHERE r.key IN ('exclusion_raw', 'dialable_raw')
ORDER BY r.ms;

SELECT r.name AS "push preview of a 10,000-contact list", to_char(r.ms, 'FM9999990.0') AS ms,
       to_char(r.ms / f.ms, 'FM9990.00') || 'x' AS "ratio vs SQL floor over the same 10,000"
FROM bench.results r CROSS JOIN (SELECT ms FROM bench.results WHERE key = 'floor10k') f
WHERE r.key IN ('floor10k', 'agg10k', 'preview10k', 'preview10k_raw', 'preview_agg10k', 'preview10k_supp')
ORDER BY r.ms;

SELECT r.name AS "one-contact statement (the list is loaded per statement)",
       to_char(r.ms, 'FM9999990.00') AS ms
FROM bench.results r WHERE r.key IN ('one_none', 'one_empty', 'one_supp') ORDER BY r.ms;

-- ns per number: the dialer.e164 query minus the scan, over the row count
SELECT x.what AS "dialer.e164", x.numbers, to_char(x.ns, 'FM9999990.0') AS "ns/number"
FROM (
    SELECT 'contacts.phone as typed (per contact)' AS what, to_char(n.cnt, 'FM9,999,999') AS numbers,
           1e6 * (e.ms - s.ms) / n.cnt AS ns
    FROM bench.results e, bench.results s, (SELECT count(*) AS cnt FROM bench.contacts_raw) n
    WHERE e.key = 'phones_e164' AND s.key = 'phones_scan'
    UNION ALL
    SELECT '  of which: numbers with an extension', to_char(n.cnt, 'FM9,999,999'),
           1e6 * (e.ms - s.ms) / n.cnt
    FROM bench.results e, bench.results s, (SELECT count(*) AS cnt FROM bench.extension_numbers) n
    WHERE e.key = 'ext_e164' AND s.key = 'ext_scan'
    UNION ALL
    SELECT '  of which: plain digits and punctuation', to_char(n.cnt, 'FM9,999,999'),
           1e6 * (e.ms - s.ms) / n.cnt
    FROM bench.results e, bench.results s, (SELECT count(*) AS cnt FROM bench.plain_numbers) n
    WHERE e.key = 'plain_e164' AND s.key = 'plain_scan'
    UNION ALL
    SELECT 'dialer.e164 over bench_e164''s numbers', to_char(n.cnt, 'FM9,999,999'),
           1e6 * (e.ms - s.ms) / n.cnt
    FROM bench.results e, bench.results s,
         (SELECT (SELECT result FROM bench.results WHERE key = 'dump_scan')::bigint AS cnt) n
    WHERE e.key = 'dump_e164' AND s.key = 'dump_scan'
    UNION ALL
    SELECT 'bench_e164: plain libphonenumber loop (C++, same numbers)', NULL,
           1000 * nullif(:'plain_us', '')::numeric
    WHERE :'plain_us' <> ''
    UNION ALL
    SELECT 'bench_e164: pgdialer to_e164 (C++, same numbers)', NULL,
           1000 * nullif(:'fast_us', '')::numeric
    WHERE :'fast_us' <> ''
) x;

-- Targets
WITH m AS (SELECT key, ms FROM bench.results),
v AS (
    SELECT (SELECT ms FROM m WHERE key = 'exclusion') / (SELECT ms FROM m WHERE key = 'floor') AS vs_floor,
           (SELECT ms FROM m WHERE key = 'plpgsql') / (SELECT ms FROM m WHERE key = 'exclusion') AS vs_plpgsql,
           (SELECT ms FROM m WHERE key = 'preview10k') AS preview_ms,
           (SELECT ms FROM m WHERE key = 'exclusion_supp') / (SELECT ms FROM m WHERE key = 'floor_supp') AS supp_vs_floor,
           (SELECT ms FROM m WHERE key = 'exclusion_supp') / (SELECT ms FROM m WHERE key = 'floor') AS supp_vs_plain_floor,
           (SELECT ms FROM m WHERE key = 'plpgsql') / (SELECT ms FROM m WHERE key = 'exclusion_supp') AS supp_vs_plpgsql,
           (SELECT ms FROM m WHERE key = 'preview10k_supp') AS preview_supp_ms,
           1000 * nullif(:'plain_us', '')::double precision
             / (1e6 * ((SELECT ms FROM m WHERE key = 'dump_e164') - (SELECT ms FROM m WHERE key = 'dump_scan'))
                / nullif((SELECT result FROM bench.results WHERE key = 'dump_scan')::double precision, 0))
             AS vs_plain
)
SELECT t.target AS target, t.measured, CASE WHEN t.ok IS NULL THEN 'n/a' WHEN t.ok THEN 'yes' ELSE 'NO' END AS met
FROM v, LATERAL (VALUES
    ('dialer.exclusion (stored phone_e164) within 1.25x of the SQL floor',
     to_char(v.vs_floor, 'FM990.00') || 'x', v.vs_floor <= 1.25),
    ('dialer.exclusion (stored phone_e164) >= 20x faster than PL/pgSQL',
     to_char(v.vs_plpgsql, 'FM99990.0') || 'x faster', v.vs_plpgsql >= 20),
    ('dialer.preview of 10,000 contacts < 100 ms',
     to_char(v.preview_ms, 'FM99990.0') || ' ms', v.preview_ms < 100),
    ('with 50,000 listed: dialer.exclusion within 1.25x of the floor + NOT EXISTS',
     to_char(v.supp_vs_floor, 'FM990.00') || 'x (' || to_char(v.supp_vs_plain_floor, 'FM990.00')
       || 'x the floor without the list)', v.supp_vs_floor <= 1.25),
    ('with 50,000 listed: dialer.exclusion >= 20x faster than PL/pgSQL',
     to_char(v.supp_vs_plpgsql, 'FM99990.0') || 'x faster', v.supp_vs_plpgsql >= 20),
    ('with 50,000 listed: dialer.preview of 10,000 contacts < 100 ms',
     to_char(v.preview_supp_ms, 'FM99990.0') || ' ms', v.preview_supp_ms < 100),
    ('dialer.e164 >= 2x faster per number than the plain libphonenumber loop',
     coalesce(to_char(v.vs_plain, 'FM990.0') || 'x faster', 'not measured (no bench_e164 timings)'),
     v.vs_plain >= 2)
) AS t(target, measured, ok);
