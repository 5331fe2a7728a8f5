-- The filter language of segments: every operator and quick filter, relative
-- dates, and/or/not, bad input with its SQLSTATE, and injection attempts
-- through every string position (keys, field names, operators, values,
-- nested values, the relation's name).
CREATE SCHEMA test_filters;
SET search_path TO test_filters;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, company text, state text, phone text,
    do_not_call boolean NOT NULL DEFAULT false, engagement_score integer, last_call_attempt_at timestamptz,
    target_industries text[], next_action_date date, created_at timestamptz
);
INSERT INTO contacts VALUES
    (1, 'Ann', 'Lee', 'Acme 50% Off', 'NY', '(919) 555-0101', false, 80, date_trunc('week', now()),
     '{HVAC,Dental}', current_date, now() - interval '10 days'),
    (2, 'Bob', 'Ray', 'Beta_Co', 'CT', '(919) 555-0102', true, 40, now() - interval '100 days',
     '{Dental}', current_date + 1, now() - interval '40 days'),
    (3, 'Cy', NULL, 'Gamma', 'TX', NULL, false, NULL, NULL, NULL, NULL, now() - interval '400 days'),
    (4, 'Di', 'Fox', 'acme holdings', 'NY', '(919) 555-0104', false, 76, now() - interval '20 days',
     '{Software}', current_date - 3, now()),
    (5, 'Ed', 'O''Neil', 'x''); DROP TABLE contacts; --', 'CA', '(919) 555-0105', false, 75,
     now() - interval '200 days', '{HVAC}', NULL, now() - interval '5 days');
SELECT dialer.configure('contacts');

-- The ids a filter selects, run as the extension runs it: the compiled
-- clause over the relation AS c, with its parameter.
CREATE FUNCTION matching(filter jsonb, relation regclass DEFAULT 'contacts') RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    f record;
    ids text;
BEGIN
    SELECT * INTO f FROM dialer.filter_sql(filter, relation);
    EXECUTE format('SELECT coalesce(string_agg(c.id::text, '','' ORDER BY c.id), ''-'') FROM %s AS c WHERE %s',
                   relation, f.where_clause) INTO ids USING f.params;
    RETURN ids;
END
$$;

-- The fields and what they take.
SELECT kind, count(*), string_agg(field, ', ' ORDER BY field) FILTER (WHERE kind <> 'text') AS fields
FROM dialer.filter_fields() GROUP BY kind ORDER BY kind;

-- Every operator.
SELECT op, v AS value, matching(jsonb_build_object('field', f, 'op', op, 'value', v))
FROM (VALUES ('state', 'eq', '"NY"'::jsonb), ('state', 'ne', '"NY"'), ('engagement_score', 'eq', '75'),
             ('engagement_score', 'ne', '75'), ('engagement_score', 'lt', '76'), ('engagement_score', 'lte', '76'),
             ('engagement_score', 'gt', '75'), ('engagement_score', 'gte', '75'), ('engagement_score', 'gt', '75.5'),
             ('engagement_score', 'in', '[40, 80]'), ('engagement_score', 'not_in', '[40, 80]'),
             ('state', 'in', '["NY", "TX"]'), ('state', 'not_in', '["NY", "TX"]'), ('last_name', 'lt', '"M"'),
             ('company', 'contains', '"ACME"'), ('company', 'contains', '"50%"'), ('company', 'contains', '"a_c"'),
             ('company', 'starts_with', '"acme"'), ('company', 'starts_with', '"Beta_"'),
             ('target_industries', 'has_any', '["HVAC", "Software"]'), ('target_industries', 'has_any', '"Dental"'),
             ('target_industries', 'has_all', '["HVAC", "Dental"]'), ('do_not_call', 'eq', 'true'),
             ('do_not_call', 'ne', 'true'), ('id', 'eq', '3'), ('id', 'in', '["2", 4]'),
             ('created_at', 'gt', '"2000-01-01"'), ('created_at', 'lt', '{"days_ago": 30}'),
             ('created_at', 'gte', '{"days_ago": 30}'), ('next_action_date', 'eq', '{"days_ago": 0}'),
             ('next_action_date', 'eq', '{"days_from_now": 1}'), ('next_action_date', 'lte', '{"days_from_now": 0}'))
     AS t(f, op, v);
SELECT op, matching(jsonb_build_object('field', f, 'op', op))
FROM (VALUES ('last_name', 'is_null'), ('last_name', 'is_not_null'), ('target_industries', 'is_null'),
             ('engagement_score', 'is_not_null'), ('last_call_attempt_at', 'is_null')) AS t(f, op);

-- The quick filters, and/or/not.
SELECT q, matching(q)
FROM (VALUES ('{"is_dialable": true}'::jsonb), ('{"is_dialable": false}'), ('{"never_contacted": true}'),
             ('{"never_contacted": false}'), ('{"called_this_week": true}'), ('{"called_this_week": false}'),
             ('{"called_within_days": 30}'), ('{"called_within_days": 150}'),
             ('{"and": [{"field": "state", "op": "eq", "value": "NY"}, {"field": "engagement_score", "op": "gt", "value": 78}]}'),
             ('{"or": [{"field": "state", "op": "eq", "value": "TX"}, {"field": "do_not_call", "op": "eq", "value": true}]}'),
             ('{"not": {"field": "state", "op": "eq", "value": "NY"}}'),
             ('{"not": {"or": [{"never_contacted": true}, {"and": [{"is_dialable": true}, {"called_within_days": 7}]}]}}'),
             ('{"and": []}'), ('{"or": []}')) AS t(q);

-- What it compiles to: quoted identifiers, the values only as $1's elements.
SELECT * FROM dialer.filter_sql('{"and": [{"field": "state", "op": "in", "value": ["NY", "C\"T"]},
    {"or": [{"field": "company", "op": "contains", "value": "50%_"}, {"is_dialable": true}]},
    {"not": {"field": "engagement_score", "op": "gt", "value": 75.5}}]}');
-- The values are bound when planned: the planner sees constants and uses the index.
CREATE INDEX contacts_state ON contacts (state);
SET enable_seqscan = off;
CREATE FUNCTION plan(filter jsonb) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    f record;
BEGIN
    SELECT * INTO f FROM dialer.filter_sql(filter);
    RETURN QUERY EXECUTE format('EXPLAIN (COSTS OFF) SELECT c.id FROM contacts AS c WHERE %s', f.where_clause)
        USING f.params;
END
$$;
SELECT plan('{"field": "state", "op": "eq", "value": "NY"}');
SELECT plan('{"field": "state", "op": "in", "value": ["NY", "CT"]}');
RESET enable_seqscan;

-- Injection attempts, through every string position. Keys, fields and
-- operators are closed lists (22023); values are parameters, compared as
-- data; the table is still there at the end.
SELECT dialer.validate_filter('{"field": "state\" = state OR true --", "op": "eq", "value": "x"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"field": "state", "op": "= state OR true --", "value": "x"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"field": "state", "op": "eq", "value": "x", "OR true; --": 1}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"and": [{"not": {"field": "c.id); DROP TABLE contacts; --", "op": "is_null"}}]}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"or": [{"called_within_days": "1); DROP TABLE contacts; --"}]}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"field": "created_at", "op": "gt", "value": {"days_ago": "1 day''); DROP TABLE contacts; --"}}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter('{"field": "created_at", "op": "gt", "value": "2026-01-01''; DROP TABLE contacts; --"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT matching('{"field": "state", "op": "eq", "value": "NY'' OR ''1''=''1"}') AS quote_in_value;
SELECT matching('{"field": "state", "op": "in", "value": ["NY\"}'', ''x'') OR true --", "CA"]}') AS quote_in_list;
SELECT matching('{"field": "company", "op": "contains", "value": "%"}') AS percent_is_literal;
SELECT matching('{"not": {"or": [{"field": "company", "op": "eq", "value": "x''); DROP TABLE contacts; --"}]}}') AS nested;
SELECT matching('{"field": "target_industries", "op": "has_any", "value": ["HVAC\"}''::text[]) OR true --"]}') AS in_array;
SELECT matching('{"field": "company", "op": "starts_with", "value": "x''); DROP"}') AS starts_with_quote;
SELECT matching('{"field": "id", "op": "in", "value": ["1) OR (true", 2]}') AS id_as_text;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The relation's name is quoted too.
CREATE VIEW "CRM ""view""; --" AS SELECT id, state, company FROM contacts;
SELECT matching('{"field": "state", "op": "eq", "value": "NY"}', '"CRM ""view""; --"') AS quoted_relation;
SELECT count(*) AS contacts_still_there FROM contacts;

-- Bad filters: 22023 naming the field, operator or value, and where it is.
\set VERBOSITY default
SELECT dialer.validate_filter('{"field": "salary", "op": "gt", "value": 1}');
SELECT dialer.validate_filter('{"and": [{"field": "state", "op": "like", "value": "N%"}]}');
SELECT dialer.validate_filter('{"or": [{"not": {"field": "do_not_call", "op": "contains", "value": "x"}}]}');
\set VERBOSITY terse
CREATE FUNCTION refusal(filter jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dialer.validate_filter(filter);
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT f AS filter, refusal(f)
FROM (VALUES ('[]'::jsonb), ('"state"'), ('{}'), ('{"and": {}}'), ('{"and": [1]}'), ('{"not": []}'),
             ('{"and": [], "or": []}'), ('{"field": "state", "op": "eq"}'), ('{"field": "state", "op": "eq", "value": null}'),
             ('{"field": "state", "value": "NY"}'), ('{"field": 1, "op": "eq", "value": "NY"}'),
             ('{"field": "state", "op": ["eq"], "value": "NY"}'), ('{"field": "state", "op": "eq", "value": 1}'),
             ('{"field": "engagement_score", "op": "gt", "value": "75"}'), ('{"field": "do_not_call", "op": "eq", "value": "true"}'),
             ('{"field": "state", "op": "in", "value": []}'), ('{"field": "state", "op": "in", "value": "NY"}'),
             ('{"field": "state", "op": "in", "value": ["NY", 1]}'), ('{"field": "state", "op": "is_null", "value": true}'),
             ('{"field": "target_industries", "op": "eq", "value": "HVAC"}'), ('{"field": "target_industries", "op": "has_any", "value": [1]}'),
             ('{"field": "created_at", "op": "gt", "value": "yesterday-ish"}'), ('{"field": "created_at", "op": "gt", "value": 5}'),
             ('{"field": "created_at", "op": "gt", "value": {"days_ago": 1.5}}'), ('{"field": "created_at", "op": "gt", "value": {"days_ago": -1}}'),
             ('{"field": "created_at", "op": "gt", "value": {"days_ago": 1, "days_from_now": 1}}'), ('{"field": "created_at", "op": "gt", "value": {"weeks_ago": 1}}'),
             ('{"is_dialable": "yes"}'), ('{"called_within_days": 0}'), ('{"called_within_days": 2.5}'), ('{"never_contacted": true, "is_dialable": true}'))
     AS t(f);
-- Nested more than 32 levels deep.
SELECT dialer.validate_filter((repeat('{"not": ', 40) || '{"is_dialable": true}' || repeat('}', 40))::jsonb);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.validate_filter((repeat('{"not": ', 31) || '{"is_dialable": true}' || repeat('}', 31))::jsonb) IS NOT NULL AS deep_but_fine;

-- A field the relation does not have (42703), a list operator on a text column (42804).
CREATE VIEW thin AS SELECT id, state, array_to_string(target_industries, ', ') AS target_industries FROM contacts;
SELECT matching('{"field": "engagement_score", "op": "gt", "value": 1}', 'thin');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT matching('{"never_contacted": true}', 'thin');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT matching('{"field": "target_industries", "op": "has_any", "value": "HVAC"}', 'thin');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT matching('{"field": "target_industries", "op": "contains", "value": "HVAC"}', 'thin');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The quick filters as functions, over rows of any type.
SELECT id, dialer.never_contacted(c), dialer.called_this_week(c), dialer.is_dialable(c)
FROM contacts c ORDER BY id;
SELECT dialer.never_contacted(r), dialer.called_this_week(r)
FROM (SELECT 1 AS id, now() AS last_call_attempt_at) r;
SELECT dialer.never_contacted(r), dialer.called_this_week(r) FROM (SELECT 1 AS id) r;
-- The week starts on Monday 00:00 in the session time zone, and ends before
-- the next Monday 00:00 (seven calendar days).
CREATE FUNCTION week_edges() RETURNS TABLE (zone text, monday boolean, at_start boolean, just_before boolean,
                                            last_moment boolean, next_monday boolean)
LANGUAGE sql AS $$
    SELECT current_setting('TimeZone'), extract(isodow FROM date_trunc('week', now())) = 1,
           dialer.called_this_week(r1), dialer.called_this_week(r2), dialer.called_this_week(r3),
           dialer.called_this_week(r4)
    FROM (SELECT date_trunc('week', now()) AS last_call_attempt_at) r1,
         (SELECT date_trunc('week', now()) - interval '1 microsecond' AS last_call_attempt_at) r2,
         (SELECT date_trunc('week', now()) + interval '7 days' - interval '1 microsecond' AS last_call_attempt_at) r3,
         (SELECT date_trunc('week', now()) + interval '7 days' AS last_call_attempt_at) r4
$$;
BEGIN;
SET LOCAL TIME ZONE 'America/New_York';
SELECT * FROM week_edges();
SET LOCAL TIME ZONE 'Asia/Kolkata';
SELECT * FROM week_edges();
COMMIT;

-- Dates and times travel as numbers (seconds or days since 1970) under
-- immutable arithmetic, so the planner folds each into one constant: no
-- parameter is left in the plan for the executor to parse on every row.
-- The values still compare exactly, to the microsecond, on a timestamptz, a
-- timestamp and a date column; infinity keeps the plain cast.
CREATE TABLE times (id integer PRIMARY KEY, created_at timestamptz, last_call_attempt_at timestamp,
                    next_action_date date);
INSERT INTO times VALUES
    (1, '2024-03-10 01:59:59.999999-08', '2024-03-10 02:30:00.000001', '2024-02-29'),
    (2, '2024-03-10 03:00:00-07', date_trunc('day', localtimestamp) + interval '1 microsecond', current_date),
    (3, NULL, NULL, NULL);
SELECT f, op, v AS value, matching(jsonb_build_object('field', f, 'op', op, 'value', v), 'times')
FROM (VALUES ('created_at', 'eq', '"2024-03-10 01:59:59.999999-08"'::jsonb),
             ('created_at', 'eq', '"2024-03-10 09:59:59.999999+00"'), ('created_at', 'ne', '"2024-03-10 10:00:00+00"'),
             ('created_at', 'gt', '"2024-03-10 01:59:59.999999-08"'), ('created_at', 'lt', '"infinity"'),
             ('created_at', 'lt', '{"days_ago": 1}'),
             ('last_call_attempt_at', 'eq', '"2024-03-10 02:30:00.000001"'),
             ('last_call_attempt_at', 'lte', '"2024-03-10 02:30:00"'),
             ('last_call_attempt_at', 'gt', '{"days_ago": 1}'), ('last_call_attempt_at', 'on_date', '{"days_ago": 0}'),
             ('next_action_date', 'eq', '"2024-02-29"'), ('next_action_date', 'gt', '"2024-02-29"'),
             ('next_action_date', 'on_date', '{"days_ago": 0}'), ('next_action_date', 'lt', '"infinity"'),
             ('last_call_attempt_at', 'lt', '"-infinity"')) AS t(f, op, v);
SELECT matching('{"called_within_days": 1}', 'times') AS called_within_days,
       matching('{"called_this_week": true}', 'times') AS called_this_week;
CREATE FUNCTION folded(filter jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    f record;
    line text;
    lines text := '';
BEGIN
    SELECT * INTO f FROM dialer.filter_sql(filter, 'times');
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT c.id FROM times AS c WHERE %s', f.where_clause)
        USING f.params LOOP
        lines := lines || line;
    END LOOP;
    RETURN CASE WHEN lines LIKE '%$1%' THEN 'NOT FOLDED: ' || lines ELSE 'constant' END;
END
$$;
SELECT q, folded(q)
FROM (VALUES ('{"field": "created_at", "op": "lt", "value": {"days_ago": 90}}'::jsonb),
             ('{"field": "created_at", "op": "eq", "value": "2024-01-01"}'),
             ('{"field": "last_call_attempt_at", "op": "gte", "value": {"days_from_now": 3}}'),
             ('{"field": "next_action_date", "op": "on_date", "value": {"days_ago": 0}}'),
             ('{"field": "created_at", "op": "on_date", "value": "2024-03-10"}'),
             ('{"called_within_days": 30}'), ('{"called_this_week": true}')) AS t(q);

-- A column whose type has its own operators compares with them, as the
-- column says: citext (and a domain over it) case-insensitively, with the
-- operator named by its schema, since the statement runs under search_path
-- pg_catalog (where a plain = would find text's and compare case-sensitively).
CREATE EXTENSION citext SCHEMA test_filters;
CREATE DOMAIN state_code AS citext;
CREATE TABLE people (id integer PRIMARY KEY, email citext, state state_code, company text);
INSERT INTO people VALUES (1, 'Ann@Acme.example', 'ny', 'Acme'), (2, 'bob@beta.example', 'CT', 'acme'),
                          (3, NULL, NULL, NULL);
SELECT f, op, v AS value, matching(jsonb_build_object('field', f, 'op', op, 'value', v), 'people')
FROM (VALUES ('email', 'eq', '"ann@ACME.example"'::jsonb), ('email', 'ne', '"ANN@acme.EXAMPLE"'),
             ('email', 'in', '["BOB@BETA.EXAMPLE", "x@y.example"]'), ('email', 'not_in', '["BOB@BETA.EXAMPLE"]'),
             ('email', 'lt', '"B"'), ('email', 'gte', '"B"'), ('email', 'contains', '"ACME"'),
             ('state', 'eq', '"NY"'), ('state', 'in', '["ct", "TX"]'), ('state', 'ne', '"Ny"'),
             ('company', 'eq', '"acme"'), ('company', 'ne', '"acme"')) AS t(f, op, v);
-- The same under the search_path the extension's functions run with.
BEGIN;
SET LOCAL search_path = pg_catalog, pg_temp;
SELECT test_filters.matching('{"field": "email", "op": "eq", "value": "BOB@beta.example"}', 'test_filters.people');
COMMIT;
SELECT where_clause FROM dialer.filter_sql('{"and": [{"field": "email", "op": "eq", "value": "A"},
    {"field": "state", "op": "ne", "value": "B"}, {"field": "company", "op": "eq", "value": "C"}]}', 'people');
