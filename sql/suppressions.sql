-- dialer.suppressions: a listed number is do_not_call for every contact that
-- has it, never overridable, and a change counts from the very next statement.
CREATE SCHEMA test_suppressions;
SET search_path TO test_suppressions;
\set SHOW_CONTEXT never
CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, company text, phone text,
    phone_e164 text, do_not_call boolean, do_not_call_reason text, do_not_call_source text,
    phone_number_invalid boolean, last_call_attempt_at timestamptz
);
INSERT INTO contacts VALUES
 -- the same switchboard, written three ways, stored once
 (1, 'John',  'Smith',   'Heritage Capital', '(919) 555-0101', NULL,           false, NULL, NULL, false, NULL),
 (2, 'Sarah', 'Johnson', 'Heritage Capital', NULL,             '+19195550101', false, NULL, NULL, false, NULL),
 (3, 'Mike',  'Chen',    'Heritage Capital', '919.555.0101',   NULL,           false, NULL, NULL, true,  '2026-02-19 09:00+00'),
 -- the row's own legal do-not-call keeps its reason; an internal one gives way
 (4, 'Emily', 'Davis',   'Heritage Capital', '+1 919 555 0101', NULL,          true, 'Email only', 'internal', false, NULL),
 (9, 'Lou',   'Reed',    'Heritage Capital', '919 555 0101',   NULL,           true, 'State registry', 'registry', false, NULL),
 -- a stored phone_e164 is the number looked up, whatever phone says
 (5, 'Alex',  'Martinez','KKR',              '(919) 555-0101', '+19195550105', false, NULL, NULL, false, NULL),
 (6, 'Tom',   'Wilson',  'Bain Capital',     '+44 20 7946 0958', NULL,         false, NULL, NULL, false, '2026-02-19 09:00+00'),
 (7, 'Nina',  'Park',    'Apollo',           '(919) 555-0107', NULL,           false, NULL, NULL, false, NULL),
 (8, 'Pia',   'Stone',   'Apollo',           '555-CALL-NOW',   NULL,           false, NULL, NULL, false, NULL);

CREATE VIEW verdicts AS
SELECT c.id, (dialer.exclusion(c, 7, '2026-02-20 12:00+00')).*, dialer.is_dialable(c) AS dialable
FROM contacts c;

-- Nothing listed: the rules as before.
SELECT count(*) AS listed FROM dialer.suppressions;
SELECT * FROM verdicts ORDER BY id;

-- A number goes on the list; the very next statement excludes every contact
-- that has it: parsed from phone (1, 3) or stored (2), even one flagged
-- invalid (3), and 4, whose own do-not-call was internal (overridable). 9
-- keeps its own legal do-not-call reason; 5's stored number differs.
INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by, call_id)
VALUES ('+19195550101', 'requested', 'Asked not to be called again', 'sarah@sourceco.example', 'call-881');
SELECT * FROM verdicts ORDER BY id;

-- The planner's column form and an anonymous record read the same list.
EXPLAIN (COSTS OFF, VERBOSE) SELECT dialer.exclusion(c) FROM contacts c WHERE id = 1;
SELECT r.id, (dialer.exclusion(r)).reason, dialer.is_dialable(r)
FROM (SELECT 19 AS id, 'Ann' AS first_name, 'Lee' AS last_name, '919 555 0101' AS phone) r;
SELECT r.id, (dialer.exclusion(r)).reason, dialer.is_dialable(r)
FROM (SELECT 20 AS id, 'Ann' AS first_name, 'Lee' AS last_name, '+19195550101' AS phone_e164
      OFFSET 0) r;  -- not pulled up: the whole-row form

-- Another source, for a number outside North America.
INSERT INTO dialer.suppressions (phone_e164, source, added_by)
VALUES ('+442079460958', 'registry', 'import');
SELECT id, category, reason, overridable, dialable FROM verdicts WHERE id IN (6, 7) ORDER BY id;

-- The List Summary counts them as do_not_call and never offers an override.
SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2026-02-20 12:00+00"}'))
FROM contacts c;
SELECT p -> 'ready' AS ready, p -> 'excluded_by_category' AS by_category
FROM (SELECT dialer.preview_agg(c, '{"as_of": "2026-02-20 12:00+00"}' ORDER BY id) AS p
      FROM contacts c) x;
SELECT list_position, contact_id, category, reason, overridable
FROM dialer.classify_list(ARRAY(SELECT c FROM contacts c ORDER BY id));

-- dialer.push refuses to force-include a listed number, like any legal DNC.
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c ORDER BY id), 'Suppressed',
                   options => '{"include": ["1"], "override_reason": "VIP"}')
FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c ORDER BY id), 'Suppressed',
                   options => '{"include": ["2"], "override_reason": "VIP"}')
FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- 4's own do-not-call is internal, which alone could be overridden: not once listed.
SELECT dialer.push(array_agg(c ORDER BY id), 'Suppressed',
                   options => '{"include": ["4"], "override_reason": "VIP"}')
FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Without includes the listed contacts are held back (rolled back: other
-- tests count the queue).
BEGIN;
SELECT dialer.push(array_agg(c ORDER BY id), 'Suppressed') AS job_id FROM contacts c \gset
SELECT excluded FROM dialer.push_jobs WHERE id = :job_id;
SELECT contact_id FROM dialer.push_items WHERE job_id = :job_id ORDER BY list_position;
ROLLBACK;

-- Off the list: the very next statement dials it again.
DELETE FROM dialer.suppressions WHERE phone_e164 = '+19195550101';
SELECT id, category, reason, dialable FROM verdicts WHERE id <= 3 ORDER BY id;

-- One REPEATABLE READ transaction keeps one snapshot, yet its own writes count
-- from its next statement.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT dialable FROM verdicts WHERE id = 7;
INSERT INTO dialer.suppressions (phone_e164, source, added_by) VALUES ('+19195550107', 'internal', 'qa');
SELECT dialable, reason FROM verdicts WHERE id = 7;
-- A rolled-back savepoint takes its listing with it.
SAVEPOINT s;
DELETE FROM dialer.suppressions WHERE phone_e164 = '+19195550107';
SELECT dialable FROM verdicts WHERE id = 7;
ROLLBACK TO SAVEPOINT s;
SELECT dialable FROM verdicts WHERE id = 7;
ROLLBACK;
SELECT dialable FROM verdicts WHERE id = 7;

-- PL/pgSQL keeps a simple expression's state for the whole transaction; the
-- list is still re-read once the table changed.
DO $$
DECLARE
    c contacts;
BEGIN
    SELECT * INTO c FROM contacts WHERE id = 7;
    RAISE NOTICE 'before: dialable %', dialer.is_dialable(c);
    INSERT INTO dialer.suppressions (phone_e164, source, added_by) VALUES ('+19195550107', 'internal', 'qa');
    RAISE NOTICE 'listed: dialable %, %', dialer.is_dialable(c), (dialer.exclusion(c)).reason;
    DELETE FROM dialer.suppressions WHERE phone_e164 = '+19195550107';
    RAISE NOTICE 'removed: dialable %', dialer.is_dialable(c);
END
$$;

-- Within one statement the list is the statement's snapshot: a row inserted
-- by the same statement counts from the next one.
WITH listed AS (
    INSERT INTO dialer.suppressions (phone_e164, source, added_by)
    VALUES ('+19195550107', 'internal', 'qa') RETURNING phone_e164
)
SELECT (SELECT count(*) FROM listed) AS inserted, dialable FROM verdicts WHERE id = 7;
SELECT dialable FROM verdicts WHERE id = 7;

-- A parallel worker reads the list for itself, under the leader's snapshot.
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM contacts c WHERE dialer.is_dialable(c);
SELECT count(*) FILTER (WHERE NOT dialer.is_dialable(c)) AS not_dialable,
       string_agg(c.id::text, ',' ORDER BY c.id) FILTER (WHERE (dialer.exclusion(c)).reason LIKE 'On the%') AS listed
FROM contacts c;
RESET force_parallel_mode;
RESET parallel_setup_cost;

-- pg_dump keeps the list.
SELECT c.relname, e.extname
FROM pg_extension e, unnest(e.extconfig) AS t(oid) JOIN pg_class c ON c.oid = t.oid
WHERE e.extname = 'pgdialer' AND c.relname = 'suppressions';

DELETE FROM dialer.suppressions;
RESET dialer.acting_user;
DROP SCHEMA test_suppressions CASCADE;
