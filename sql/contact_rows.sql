-- Contact rows of any shape: tables with few columns, views, anonymous
CREATE SCHEMA test_contact_rows;
SET search_path TO test_contact_rows;
-- records, other column types, and clear errors for unusable types.

-- A table with only a few of the columns: the rest read as NULL.
CREATE TABLE slim (first_name text, last_name text, phone text);
INSERT INTO slim VALUES ('Ann', 'Lee', '919-555-0123'), ('Bo', NULL, '919-555-0124'), (NULL, NULL, NULL);
SELECT s, (dialer.exclusion(s)).* FROM slim s ORDER BY first_name;

-- Anonymous records: ROW(...) built in a subquery, and a VALUES list.
SELECT (dialer.exclusion(r)).*
FROM (SELECT 'Cy' AS first_name, 'Young' AS last_name, '(919) 555-0125' AS phone, true AS do_not_call) r;
SELECT t.first_name, (dialer.exclusion(t)).reason
FROM (VALUES ('Di', 'Fox', '919-555-0126', false), ('Ed', 'Gu', 'bad', false)) AS t(first_name, last_name, phone, suppressed)
ORDER BY 1;
SELECT dialer.is_dialable(x) FROM (SELECT '919-555-0127'::text AS phone) x;

-- A composite type, and a row with no columns we know.
CREATE TYPE lead AS (first_name text, last_name text, phone varchar(20), do_not_call boolean);
SELECT (dialer.exclusion(ROW('Fay', 'Hu', '919-555-0128', false)::lead)).* ;
SELECT (dialer.exclusion(ROW('Fay', 'Hu', '919-555-0128', true)::lead)).category;
SELECT (dialer.exclusion(ROW(1, 2))).reason AS unrelated_row;

-- id of any type; other columns through their output functions.
CREATE TABLE typed (
    id uuid, first_name varchar(40), last_name char(10), phone bigint,
    last_call_attempt_at date, target_industries varchar[], target_geographies text,
    engagement_score numeric(5,1), active_deals_count int, aum money
);
INSERT INTO typed VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'Gil', 'Ito', 9195550129,
    '2026-02-10', '{Software,NULL,"Healthcare IT"}', 'Northeast, Mid-Atlantic', 75.5, 3, 500000000);
SELECT (dialer.exclusion(t, 7, '2026-02-20 12:00+00')).reason FROM typed t;
SELECT jsonb_pretty(dialer.payload(t)) FROM typed t;

-- last_call_attempt_at as timestamp without time zone: local time of the session.
CREATE TABLE local_calls (first_name text, last_name text, phone text, last_call_attempt_at timestamp);
INSERT INTO local_calls VALUES ('Hal', 'Jay', '919-555-0130', '2026-02-18 12:00');
SET TimeZone = 'UTC';
SELECT (dialer.exclusion(l, 7, '2026-02-20 12:00+00')).reason FROM local_calls l;
SET TimeZone = 'America/New_York';  -- 12:00 local is 17:00 UTC: not yet 2 days
SELECT (dialer.exclusion(l, 7, '2026-02-20 12:00+00')).reason FROM local_calls l;
RESET TimeZone;

-- Domains over the expected types are fine.
CREATE DOMAIN flag AS boolean;
CREATE TABLE domained (first_name text, last_name text, phone text, do_not_call flag);
INSERT INTO domained VALUES ('Ivy', 'Kim', '919-555-0131', true);
SELECT (dialer.exclusion(d)).category FROM domained d;

-- A column of a type we cannot use: an error naming the column.
-- Errors show their SQLSTATE.
CREATE TABLE wrong_flag (first_name text, last_name text, phone text, do_not_call int);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO wrong_flag VALUES ('Jo', 'Lu', '919-555-0132', 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.exclusion(w) FROM wrong_flag w;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.is_dialable(w) FROM wrong_flag w;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE wrong_time (first_name text, last_name text, phone text, last_call_attempt_at text);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO wrong_time VALUES ('Jo', 'Lu', '919-555-0132', 'yesterday');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.exclusion(w) FROM wrong_time w;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE wrong_list (first_name text, target_industries int[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO wrong_list VALUES ('Jo', '{1,2}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.payload(w) FROM wrong_list w;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Not a row at all.
SELECT dialer.exclusion(42);

-- Mapping an app's own column names with a view.
CREATE TABLE crm_people (pk int, given text, family text, tel text, dnc boolean, last_dial timestamptz);
INSERT INTO crm_people VALUES (7, 'Kai', 'Moe', '919-555-0133', false, NULL), (8, 'Lin', 'Noe', '919-555-0134', true, NULL);
CREATE VIEW crm_contacts AS
    SELECT pk AS id, given AS first_name, family AS last_name, tel AS phone,
           dnc AS do_not_call, last_dial AS last_call_attempt_at
    FROM crm_people;
SELECT id, (dialer.exclusion(c)).category FROM crm_contacts c ORDER BY id;
