-- The success metrics views, against a truth computed by hand: two pushes by
-- Sarah (one split by tier), one by Mike, calls on their sessions.
CREATE SCHEMA test_metrics;
SET search_path TO test_metrics;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql
CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, phone text, engagement_score int,
    last_call_attempt_at timestamptz
);
-- 10 contacts; 3 and 4 called yesterday (recently contacted), 5 has no phone.
INSERT INTO contacts
SELECT g, 'F' || g, 'L' || g, CASE WHEN g <> 5 THEN '(919) 555-' || lpad(g::text, 4, '0') END,
       CASE WHEN g % 2 = 0 THEN 80 ELSE 40 END,
       CASE WHEN g IN (3, 4) THEN now() - interval '1 day' END
FROM generate_series(1, 10) g;

-- The daemon's part: every item created, the job succeeded.
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
CREATE FUNCTION call(call_id text, session bigint, lead text, disposition text, connected boolean)
RETURNS text LANGUAGE sql AS $$
    SELECT dialer.record_call_event(jsonb_build_object(
        'event', 'api_calldone', 'source', 'session', 'session_id', session, 'received_at', '2026-02-20T16:00:00Z',
        'time_zone', 'America/Chicago', 'call_id', call_id, 'lead_id', lead, 'disposition', disposition,
        'connected', connected, 'start_time', '2030-01-01 09:00:00', 'raw', '{}'::jsonb))
$$;

-- Sarah: all 10 contacts, filters applied 20 s before the push (push 1:
-- 7 pushed, 2 recently contacted = 20%, 1 invalid phone).
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c ORDER BY c.id), 'All',
                   NULL, jsonb_build_object('filter_applied_at', now() - interval '20 seconds')) AS p1
FROM contacts c \gset
-- Sarah again, split by tier, contacts 1, 2, 6 (push 2: 3 pushed, nothing
-- excluded: 0% recently contacted, "low").
SELECT dialer.push(array_agg(c ORDER BY c.id), 'Split', NULL, '{"split_by_tier": true}') AS p2
FROM contacts c WHERE c.id IN (1, 2, 6) \gset
-- Mike: contacts 3, 4, 7 (push 3: 1 pushed, 2 recently contacted = 67%, "high").
SET dialer.acting_user = 'mike@sourceco.example';
SELECT dialer.push(array_agg(c ORDER BY c.id), 'Mike') AS p3 FROM contacts c WHERE c.id IN (3, 4, 7) \gset
-- The other entry points (lists, segments, smart lists, templates) enqueue
-- through dialer._enqueue_push naming their list_source; nothing else is one.
SELECT dialer._enqueue_push(ARRAY(SELECT v FROM dialer.classify_list(
           (SELECT array_agg(c ORDER BY c.id) FROM contacts c WHERE c.id IN (8, 9))) v),
       'From a segment', NULL, '{}', 'segment') AS p4 \gset
SELECT dialer._enqueue_push(ARRAY(SELECT v FROM dialer.classify_list(
           (SELECT array_agg(c ORDER BY c.id) FROM contacts c WHERE c.id = 10)) v),
       'From a CSV', NULL, '{}', 'csv');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET dialer.acting_user;
SELECT work_all();

SELECT job_id = :p1 AS is_p1, push_id, list_source, status, contacts, filter_time_given,
       seconds_to_phoneburner >= 20 AS took_the_20_seconds, target_seconds, met_target,
       prep_seconds BETWEEN 19 AND 21 AS prep_20_seconds
FROM dialer.metrics_push_time ORDER BY job_id;
SELECT rep, week = date_trunc('week', now())::date AS this_week, lists_pushed, target_lists, met_target, jobs, contacts
FROM dialer.metrics_rep_weeks ORDER BY rep;

-- Calls: push 1's session: contacts 1, 2 connected, 6 a wrong number, 7
-- no answer; push 3's session: 7 connected; the segment's session: 8 not.
SELECT session_id AS s1 FROM dialer.push_jobs WHERE id = :p1 \gset
SELECT session_id AS s3 FROM dialer.push_jobs WHERE id = :p3 \gset
SELECT session_id AS s4 FROM dialer.push_jobs WHERE id = :p4 \gset
SELECT call('k1', :s1, '1', 'Interested', true), call('k2', :s1, '2', 'Connected', true),
       call('k3', :s1, '6', 'Wrong Number', true), call('k4', :s1, '7', 'No Answer', false),
       call('k5', :s3, '7', 'Meeting Set', true), call('k6', :s4, '8', 'No Answer', false);

SELECT push_id, requested_by, list_source, contacts, pushed, excluded_invalid_phone, called,
       wrong_number_after_call, valid_phone_pct, valid_phone_target_pct, excluded_recently_contacted,
       recently_contacted_pct, recently_contacted_band
FROM dialer.metrics_push_quality ORDER BY push_id;
SELECT dimension, key = :s1::text AS is_s1, key, calls, connected, connection_rate
FROM dialer.metrics_connection_rate ORDER BY dimension, key;

-- Who reads them: analysts (and so reps, the app, admins); not PUBLIC.
CREATE ROLE metrics_nobody LOGIN;
CREATE ROLE metrics_analyst LOGIN IN ROLE dialer_analyst;
SET SESSION AUTHORIZATION metrics_analyst;
SELECT count(*) > 0 AS reads FROM dialer.metrics_push_time;
SELECT count(*) > 0 AS reads FROM dialer.metrics_rep_weeks;
SELECT count(*) > 0 AS reads FROM dialer.metrics_push_quality;
SELECT count(*) > 0 AS reads FROM dialer.metrics_connection_rate;
SET SESSION AUTHORIZATION metrics_nobody;
SELECT count(*) FROM dialer.metrics_push_quality;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;

\i sql/include/reset.sql
DROP SCHEMA test_metrics CASCADE;
DROP ROLE metrics_nobody, metrics_analyst;
RESET search_path;
