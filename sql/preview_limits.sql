-- dialer.preview, preview_agg and classify_list on lists too big or too slow:
-- a statement timeout (or a cancel) stops them with 57014 part-way through the
-- list, dialer.preview_memory_limit stops them with 54000, their state is
-- freed either way, and the backend lives on.
CREATE SCHEMA test_preview_limits;
SET search_path TO test_preview_limits;
SELECT pg_backend_pid() AS backend \gset
CREATE TABLE contacts AS
SELECT i AS id, 'buyer' AS contact_type, 'First' || i AS first_name, 'Last' AS last_name,
       '+1919' || (2000000 + i) AS phone, (i % 3 = 0) AS do_not_call
FROM generate_series(1, 200000) i;
-- The whole list as one stored array, so that the time goes into the
-- preview's own loop over it, not into building the array.
CREATE TABLE list AS SELECT array_agg(c ORDER BY id) AS contacts FROM contacts c;
SELECT count(*) AS state_contexts_before FROM pg_backend_memory_contexts WHERE name = 'dialer.preview state';

-- Within the limit: the summary. Its duration calibrates the timeout test.
SELECT clock_timestamp() AS started \gset
SELECT p -> 'total' AS total, p -> 'ready' AS ready, p -> 'excluded' AS excluded
FROM (SELECT dialer.preview(contacts) AS p FROM list) x;
SELECT extract(epoch FROM clock_timestamp() - :'started') AS full_run \gset

-- statement_timeout: 57014, well before the whole list would have been read
-- (the loop over the list checks for interrupts between contacts), not
-- after it. Where the cancel lands (in that loop, or in the query that reads
-- dialer.suppressions first) depends on the machine's speed (the ASan build
-- of make test-sanitize is slower), so no CONTEXT line is shown.
\set SHOW_CONTEXT never
SET statement_timeout = '50ms';
SELECT clock_timestamp() AS started \gset
SELECT dialer.preview(contacts) -> 'total' FROM list;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT extract(epoch FROM clock_timestamp() - :'started') < :full_run / 2 AS stopped_part_way;
SET statement_timeout = '50ms';
SELECT count(*) FROM list, dialer.classify_list(contacts);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview_agg(c, '{}') -> 'total' FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
\set SHOW_CONTEXT errors

-- dialer.preview_memory_limit: 54000 with a message that names the setting.
SET dialer.preview_memory_limit = '1MB';
SELECT dialer.preview(contacts) -> 'total' FROM list;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview_agg(c, '{}') -> 'total' FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM list, dialer.classify_list(contacts);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A small list still fits.
SELECT dialer.preview_agg(c, '{}') -> 'total' AS small_list FROM contacts c WHERE id <= 1000;
RESET dialer.preview_memory_limit;
SHOW dialer.preview_memory_limit;

-- Only a superuser (or a role granted SET on it) may move the limit: it
-- protects the server, not one session.
CREATE ROLE regress_preview_limits_user;
SET ROLE regress_preview_limits_user;
SET dialer.preview_memory_limit = '64GB';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE regress_preview_limits_user;

-- The session name keeps two distinct types at most: 100,000 distinct buyer
-- types answer at once (they used to be compared with each other).
SELECT dialer.session_name(array_agg('buyer'::text), array_agg('type ' || i), '{}', '2026-02-20')
FROM generate_series(1, 100000) i;

-- Every state context was freed (on success, error and cancel alike), and
-- this is still the same backend.
SELECT count(*) AS state_contexts_after FROM pg_backend_memory_contexts WHERE name = 'dialer.preview state';
SELECT pg_backend_pid() = :backend AS same_backend;
RESET search_path;
DROP SCHEMA test_preview_limits CASCADE;
