-- The five smart lists: installed as built-in segments (no owner, shared,
-- admins change them, audited, never deleted), dialer.suggested_lists() with
-- live counts (0 before a contact relation is registered), "today" in the
-- rep's time zone (on_date), and the list_source every entry point gives its
-- push, as metrics_connection_rate groups it.
CREATE SCHEMA test_smart_lists;
SET search_path TO test_smart_lists;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql
SELECT dialer._install_smart_lists();
CREATE ROLE smart_rep LOGIN IN ROLE dialer_rep;
CREATE ROLE smart_admin LOGIN IN ROLE dialer_admin;
CREATE ROLE smart_analyst LOGIN IN ROLE dialer_analyst;
CREATE ROLE smart_nobody LOGIN;
SELECT dialer.add_rep('smart_rep', 'Sam Rep');
SELECT dialer.add_rep('smart_admin', 'Ada Admin');

-- Installed with the extension, in the spec's order, shared, no owner.
SELECT id, name, owner, shared, builtin, created_by, description FROM dialer.segments ORDER BY id;
-- Before dialer.configure: every list, 0 contacts, no error.
SET SESSION AUTHORIZATION smart_analyst;
SELECT * FROM dialer.suggested_lists();
RESET SESSION AUTHORIZATION;

CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, phone text,
    engagement_score integer, do_not_call boolean NOT NULL DEFAULT false, last_call_attempt_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now() - interval '400 days',
    next_action_type text, next_action_date date, last_disposition text
);
GRANT USAGE ON SCHEMA test_smart_lists TO PUBLIC;
GRANT SELECT ON contacts TO PUBLIC;
INSERT INTO contacts (id, contact_type, first_name, last_name, phone, engagement_score, do_not_call,
                      last_call_attempt_at, created_at, next_action_type, next_action_date, last_disposition) VALUES
    -- Inactive Buyers: 1 (called 120 days ago), 2 (never called, created long ago; no phone: not dialable)
    (1, 'buyer', 'Ann', 'A', '(919) 555-0101', 60, false, now() - interval '120 days', DEFAULT, NULL, NULL, NULL),
    (2, 'buyer', 'Bo', 'B', NULL, 55, false, NULL, DEFAULT, NULL, NULL, NULL),
    -- not: DNC (3), engagement 50 (4), called 89 days ago (5), a seller (6), never called but new (7)
    (3, 'buyer', 'Cy', 'C', '(919) 555-0103', 90, true, now() - interval '200 days', DEFAULT, NULL, NULL, NULL),
    (4, 'buyer', 'Di', 'D', '(919) 555-0104', 50, false, now() - interval '200 days', DEFAULT, NULL, NULL, NULL),
    (5, 'buyer', 'Ed', 'E', '(919) 555-0105', 70, false, now() - interval '89 days', DEFAULT, NULL, NULL, NULL),
    (6, 'seller', 'Fa', 'F', '(919) 555-0106', 70, false, now() - interval '200 days', DEFAULT, NULL, NULL, NULL),
    -- New This Month: 7 (created 3 days ago), 8 (29 days); High Engagement: 8 (80, called 10 days ago)
    (7, 'buyer', 'Gil', 'G', '(919) 555-0107', 70, false, NULL, now() - interval '3 days', NULL, NULL, NULL),
    (8, 'seller', 'Hu', 'H', '(919) 555-0108', 80, false, now() - interval '10 days', now() - interval '29 days',
     NULL, NULL, NULL),
    -- High Engagement: not 75 (9), not called 31 days ago (10); 11 (76, called yesterday)
    (9, 'seller', 'Ivy', 'I', '(919) 555-0109', 75, false, now() - interval '10 days', DEFAULT, NULL, NULL, NULL),
    (10, 'seller', 'Jo', 'J', '(919) 555-0110', 95, false, now() - interval '31 days', DEFAULT, NULL, NULL, NULL),
    (11, 'seller', 'Kai', 'K', '(919) 555-0111', 76, false, now() - interval '1 day', DEFAULT, NULL, NULL, NULL),
    -- Callback Due Today (session time zone UTC): 12 today, not 13 (tomorrow), not 14 (an email)
    (12, 'prospect', 'Lu', 'L', '(919) 555-0112', 10, false, NULL, DEFAULT, 'call', (now() AT TIME ZONE 'UTC')::date, NULL),
    (13, 'prospect', 'Mo', 'M', '(919) 555-0113', 10, false, NULL, DEFAULT, 'call', (now() AT TIME ZONE 'UTC')::date + 1, NULL),
    (14, 'prospect', 'Ned', 'N', '(919) 555-0114', 10, false, NULL, DEFAULT, 'email', (now() AT TIME ZONE 'UTC')::date, NULL),
    -- Passed on Deals: 15 (Not a Fit 200 days ago); not 16 (170 days), not 17 (another disposition)
    (15, 'seller', 'Oz', 'O', '(919) 555-0115', 10, false, now() - interval '200 days', DEFAULT, NULL, NULL, 'Not a Fit'),
    (16, 'seller', 'Pia', 'P', '(919) 555-0116', 10, false, now() - interval '170 days', DEFAULT, NULL, NULL, 'Not a Fit'),
    (17, 'seller', 'Quin', 'Q', '(919) 555-0117', 10, false, now() - interval '200 days', DEFAULT, NULL, NULL, 'Interested');
SELECT dialer.configure('contacts');

-- Live counts in one call, for any reader; they match each segment's own count.
SET SESSION AUTHORIZATION smart_analyst;
SELECT * FROM dialer.suggested_lists();
SELECT l.name, l.contacts = d.total AND l.dialable = d.dialable AS matches_dialable_count,
       ARRAY(SELECT dialer.segment_contacts(l.segment_id)) AS members
FROM dialer.suggested_lists() l, dialer.dialable_count(segment_id => l.segment_id) d ORDER BY l.segment_id;
SET SESSION AUTHORIZATION smart_nobody;
SELECT * FROM dialer.suggested_lists();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;

-- "Today" is the acting rep's: 18 is due today at UTC+14, 19 today at
-- UTC-11 (25 hours apart: never the same date).
INSERT INTO contacts (id, contact_type, first_name, last_name, phone, engagement_score, next_action_type, next_action_date)
VALUES (18, 'prospect', 'Ria', 'R', '(919) 555-0118', 10, 'call', (now() AT TIME ZONE 'Pacific/Kiritimati')::date),
       (19, 'prospect', 'Sol', 'S', '(919) 555-0119', 10, 'call', (now() AT TIME ZONE 'Pacific/Pago_Pago')::date);
SET SESSION AUTHORIZATION smart_rep;
SELECT dialer.set_rep_time_zone('smart_rep', 'Pacific/Kiritimati');
SELECT dialer.rep_time_zone(), dialer.rep_today() = (now() AT TIME ZONE 'Pacific/Kiritimati')::date AS kiritimati_today;
SELECT x AS due_in_kiritimati FROM dialer.segment_contacts(3) x WHERE x IN ('18', '19');
SELECT dialer.set_rep_time_zone('smart_rep', 'Pacific/Pago_Pago');
SELECT x AS due_in_pago_pago FROM dialer.segment_contacts(3) x WHERE x IN ('18', '19');
SELECT dialer.set_rep_time_zone('smart_rep', 'Mars/Olympus_Mons');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.set_rep_time_zone('smart_admin', 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT dialer.rep_time_zone() AS not_a_rep_session_zone;
SELECT action, acted_by, object_id, details FROM dialer.audit_log WHERE object_type = 'rep' AND action = 'rep_changed'
ORDER BY id;

-- on_date on a timestamp column: from midnight to midnight in the rep's time
-- zone; a date string; bad values are the filter's error.
SET SESSION AUTHORIZATION smart_admin;
SELECT dialer.create_segment('Created today', '{"field": "created_at", "op": "on_date", "value": {"days_ago": 3}}') AS created \gset
SELECT dialer.segment_contacts(:created) AS created_3_days_ago;
SELECT dialer.update_segment(:created, filter => jsonb_build_object('field', 'next_action_date', 'op', 'on_date',
                                                                 'value', to_char((now() AT TIME ZONE 'UTC')::date + 1, 'YYYY-MM-DD')));
SELECT x AS due_tomorrow_utc FROM dialer.segment_contacts(:created) x WHERE x IN ('12', '13', '14');
\set VERBOSITY default
SELECT dialer.validate_filter('{"field": "created_at", "op": "on_date", "value": "someday"}');
SELECT dialer.validate_filter('{"field": "last_disposition", "op": "on_date", "value": "2026-01-01"}');
SELECT dialer.validate_filter('{"field": "created_at", "op": "on_date", "value": {"days_ago": -1}}');
\set VERBOSITY terse
RESET SESSION AUTHORIZATION;

-- Admins change a smart list (audited as smart_list_changed); reps cannot;
-- nobody deletes one or makes it private.
SET SESSION AUTHORIZATION smart_rep;
SELECT dialer.update_segment(5, filter => '{"field": "last_disposition", "op": "eq", "value": "Not a Fit"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_segment(5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION smart_admin;
SELECT dialer.update_segment(5, shared => false);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.update_segment(5, filter => '{"and": [{"field": "last_disposition", "op": "in", "value": ["Not a Fit", "Not Interested"]},
                                                   {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 180}}]}');
SELECT dialer.update_segment(5, filter => '{"field": "salary", "op": "gt", "value": 1}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_segment(5);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT action, acted_by, object_id, details -> 'to' -> 'filter' AS new_filter, details -> 'to' ->> 'owner' AS owner
FROM dialer.audit_log WHERE object_type = 'segment' AND object_id = '5' ORDER BY id;
SELECT id, name, builtin, owner, is_mine FROM dialer.segments_overview WHERE builtin ORDER BY id;

-- A relation without the columns a list reads: NULL counts for that list, the others counted.
CREATE TABLE thin (id bigint PRIMARY KEY, contact_type text, phone text, engagement_score integer,
                   do_not_call boolean, last_call_attempt_at timestamptz, created_at timestamptz);
INSERT INTO thin VALUES (1, 'buyer', '(919) 555-0101', 80, false, now() - interval '5 days', now() - interval '2 days');
SELECT dialer.configure('thin');
SELECT name, contacts, dialable FROM dialer.suggested_lists();
SELECT dialer.configure('contacts');

-- list_source: each entry point names where its list came from.
CREATE TABLE deal_contacts (deal_id text, contact_id bigint);
INSERT INTO deal_contacts VALUES ('D1', 8);
GRANT SELECT ON deal_contacts TO PUBLIC;
SELECT dialer.configure_deal_contacts('deal_contacts');
CREATE FUNCTION work_all() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    job bigint;
BEGIN
    LOOP
        SELECT id INTO job FROM dialer.claim_push_job('worker-1');
        EXIT WHEN job IS NULL;
        PERFORM dialer.set_session_folder(job, 'worker-1', 'folder-' || job);
        PERFORM dialer.record_push_item(job, 'worker-1', i.list_position, 'created', 'pb-' || i.contact_id)
        FROM dialer.push_items i WHERE i.job_id = job;
        PERFORM dialer.finish_push_job(job, 'worker-1');
    END LOOP;
END
$$;
CREATE FUNCTION call(call_id text, session bigint, lead text, connected boolean)
RETURNS text LANGUAGE sql AS $$
    SELECT dialer.record_call_event(jsonb_build_object(
        'event', 'api_calldone', 'source', 'session', 'session_id', session, 'received_at', '2026-02-20T16:00:00Z',
        'time_zone', 'America/Chicago', 'call_id', call_id, 'lead_id', lead,
        'disposition', CASE WHEN connected THEN 'Interested' ELSE 'No Answer' END,
        'connected', connected, 'start_time', '2030-01-01 09:00:00', 'raw', '{}'::jsonb))
$$;
SET SESSION AUTHORIZATION smart_rep;
SELECT dialer.create_list('Picked', true) AS list \gset
SELECT dialer.add_to_list(:list, ARRAY[9, 10]);
SELECT dialer.create_segment('Prospects', '{"field": "contact_type", "op": "eq", "value": "prospect"}') AS seg \gset
SELECT dialer.push_segment(1, 'Smart') AS j_smart \gset
SELECT dialer.push_segment(:seg, 'Segment') AS j_segment \gset
SELECT dialer.push_list(:list, 'List') AS j_list \gset
SELECT dialer.push_contacts(ARRAY[15, 16], 'Ids') AS j_ids \gset
SELECT dialer.push_deal('D1', 'Deal') AS j_deal \gset
SELECT dialer.push(array_agg(c ORDER BY c.id), 'Query') AS j_query FROM contacts c WHERE c.id = 17 \gset
-- The label is only an entry point's name.
SELECT dialer._push_with_source(array_agg(c ORDER BY c.id), 'X', NULL, '{}', 'template') FROM contacts c WHERE c.id = 17;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT j.id = :j_smart AS smart, j.id = :j_segment AS segment, j.id = :j_list AS list, j.id = :j_ids AS ids,
       j.id = :j_deal AS deal, j.id = :j_query AS query, s.name, j.list_source, j.total
FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id ORDER BY j.id;
SELECT work_all();
SELECT count(*) FROM (
    SELECT call('c' || i.contact_id, j.session_id, i.contact_id, i.contact_id::int % 2 = 0)
    FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id ORDER BY j.id, i.list_position) c;
SELECT key, calls, connected, connection_rate FROM dialer.metrics_connection_rate
WHERE dimension = 'list_source' ORDER BY key;

\i sql/include/reset.sql
SELECT dialer._install_smart_lists();
DROP SCHEMA test_smart_lists CASCADE;
DROP ROLE smart_rep, smart_admin, smart_analyst, smart_nobody;
RESET search_path;
