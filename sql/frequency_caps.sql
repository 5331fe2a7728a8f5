-- Rolling frequency caps (31_frequency_caps.sql): at most max_calls calls to
-- a number in any cap_hours hours, across reps and sessions, counted from
-- dialer.call_activity; Florida ships with 3 in 24 hours. In the preview (the
-- frequency_capped section) and at launch (capped contacts stay out of the
-- dial session).
CREATE SCHEMA test_caps;
SET search_path TO test_caps;
\set VERBOSITY terse
\i sql/include/reset.sql
TRUNCATE dialer.launch_refusals;
-- Launches also check calling windows; at a fixed instant inside every
-- window (Wednesday 13:00 in New York), so only the caps hold contacts back.
SET dialer.calling_window_clock = '2026-03-04 18:00+00';
DELETE FROM dialer.calling_rules WHERE NOT builtin;  -- only the shipped rules
SELECT state, max_calls, cap_hours FROM dialer.calling_rules_in_force WHERE max_calls IS NOT NULL;
SELECT dialer.frequency_caps_in_force();

-- A call's number is kept in E.164, however PhoneBurner wrote it.
INSERT INTO dialer.call_activity (call_id, phone, started_at) VALUES
    -- Miami (FL area code): 3 calls within 23 hours.
    ('fl-1', '(305) 555-0101', '2025-06-01 10:00Z'), ('fl-2', '3055550101', '2025-06-01 20:00Z'),
    ('fl-3', '+1 305 555 0101', '2025-06-02 09:00Z'),
    -- Tampa: 3 calls within 25 hours.
    ('tb-1', '+18135550102', '2025-06-01 08:00Z'), ('tb-2', '+18135550102', '2025-06-01 20:00Z'),
    ('tb-3', '+18135550102', '2025-06-02 09:00Z'),
    -- Manhattan (NY area code): 3 calls within 2 hours.
    ('ny-1', '+12125550103', '2025-06-02 07:00Z'), ('ny-2', '+12125550103', '2025-06-02 08:00Z'),
    ('ny-3', '+12125550103', '2025-06-02 09:00Z'),
    ('bad', 'not a number', '2025-06-02 09:00Z');
-- Without a start time the call counts from when it was recorded.
INSERT INTO dialer.call_activity (call_id, phone, created_at) VALUES ('chi-1', '+13125550104', '2025-06-02 08:00Z');
SELECT call_id, phone_e164 FROM dialer.call_activity ORDER BY call_id;

-- 3 calls in 23 hours: capped until 24 hours after the first; 3 in 25 hours
-- is not; area code NY (no cap) is not.
SELECT * FROM dialer.frequency_capped(ARRAY['+13055550101', '+18135550102', '+12125550103'], at => '2025-06-02 09:30Z');
-- The window rolls: the first call leaves it at 10:00 the next day.
SELECT phone_e164, calls FROM dialer.frequency_capped(ARRAY['+13055550101'], at => '2025-06-02 09:59:59Z');
SELECT count(*) AS capped FROM dialer.frequency_capped(ARRAY['+13055550101'], at => '2025-06-02 10:00Z');
-- Calls after `at` do not count.
SELECT count(*) AS capped FROM dialer.frequency_capped(ARRAY['+13055550101'], at => '2025-06-02 08:59Z');

-- The contact's address counts as much as the area code: a NY number of a
-- contact living in Florida is capped (the state as written: trimmed, any case).
SELECT phone_e164, state, calls, frees_at
FROM dialer.frequency_capped(ARRAY['+12125550103', '+12125550103'], ARRAY[NULL, ' fl'], '2025-06-02 09:30Z');
SELECT count(*) AS capped FROM dialer.frequency_capped(ARRAY['+12125550103'], ARRAY['NY'], '2025-06-02 09:30Z');

-- An admin's cap on another state: New York, 2 calls in 48 hours. The
-- smallest cap that applies wins: a Florida resident with a New York number
-- is held by New York's.
SELECT (dialer.set_calling_rule('NY', '08:00', '21:00', max_calls => 2, cap_hours => 48)).state;
SELECT * FROM dialer.frequency_capped(ARRAY['+12125550103', '+13125550104'], ARRAY['FL', 'NY'], '2025-06-02 09:30Z');
-- A cap on 'default' applies to every number: Chicago's one call.
SELECT (dialer.set_calling_rule('default', '08:00', '21:00', max_calls => 1, cap_hours => 1)).state;
SELECT phone_e164, state, calls, frees_at FROM dialer.frequency_capped(ARRAY['+13125550104'], at => '2025-06-02 08:30Z');
SELECT dialer.remove_calling_rule('default'), dialer.remove_calling_rule('NY');

-- An admin lifts Florida's cap: nothing is capped, and nothing is in force.
SELECT (dialer.set_calling_rule('FL', '08:00', '20:00')).max_calls;
SELECT dialer.frequency_caps_in_force();
SELECT count(*) AS capped FROM dialer.frequency_capped(ARRAY['+13055550101'], at => '2025-06-02 09:30Z');
SELECT dialer.remove_calling_rule('FL');

-- The preview: a frequency_capped section listing the capped ready contacts,
-- soonest free first; contacts held back for another reason are not listed.
CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, phone text, state text,
    do_not_call boolean DEFAULT false, do_not_call_source text
);
INSERT INTO contacts (id, first_name, last_name, phone, state) VALUES
    (1, 'Ana', 'Miami', '(305) 555-0101', NULL),       -- FL area code, 3 calls
    (2, 'Ben', 'Tampa', '(813) 555-0102', NULL),       -- 3 calls in 25 hours
    (3, 'Cal', 'Manhattan', '(212) 555-0103', 'FL'),   -- lives in Florida
    (4, 'Dee', 'Manhattan', '(212) 555-0199', 'FL'),   -- never called
    (5, 'Eve', 'Nyc', '(212) 555-0103', 'NY');         -- 3's number: a duplicate
INSERT INTO contacts (id, first_name, last_name, phone, do_not_call, do_not_call_source)
VALUES (6, 'Fay', 'Miami', '(305) 555-0101', true, 'requested');
SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2025-06-02 09:30:00+00"}') -> 'frequency_capped')
FROM contacts c;
-- The counts of the four categories are what they were.
SELECT p -> 'ready' AS ready, p -> 'excluded_by_category' AS excluded
FROM (SELECT dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2025-06-02 09:30:00+00"}') AS p FROM contacts c) s;
-- The aggregate says the same.
SELECT dialer.preview_agg(c, '{"as_of": "2025-06-02 09:30:00+00"}' ORDER BY id) -> 'frequency_capped' -> 'contacts'
FROM contacts c;
-- No section when nothing is capped.
SELECT dialer.preview(array_agg(c), '{"as_of": "2025-06-04 00:00:00+00"}') ? 'frequency_capped' AS section
FROM contacts c;
-- A role that may not read the call history gets no section.
CREATE ROLE caps_nobody;
GRANT USAGE ON SCHEMA test_caps TO caps_nobody;
GRANT SELECT ON contacts TO caps_nobody;
SET ROLE caps_nobody;
SELECT dialer.preview(array_agg(c), '{"as_of": "2025-06-02 09:30:00+00"}') ? 'frequency_capped' AS section
FROM contacts c;
SELECT * FROM dialer.frequency_capped(ARRAY['+13055550101']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;

-- The launch: capped contacts stay in the folder but not in the dial
-- session; the daemon's re-check counts calls made after dialer.launch.
SELECT dialer.configure('contacts');
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c ORDER BY id), 'Caps') AS push_job FROM contacts c WHERE id <= 4 \gset
SELECT session_id AS session FROM dialer.push_jobs WHERE id = :push_job \gset
SELECT id = :push_job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:push_job, 'worker-1', list_position, 'created', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :push_job) r;
SELECT dialer.finish_push_job(:push_job, 'worker-1');
-- Today's calls: Ana's number 3 times in the last 23 hours, Ben's 3 times
-- over 25 hours, Cal's (a Florida resident) twice.
INSERT INTO dialer.call_activity (call_id, phone, started_at) VALUES
    ('now-a1', '+13055550101', now() - interval '23 hours'), ('now-a2', '+13055550101', now() - interval '2 hours'),
    ('now-b1', '+18135550102', now() - interval '25 hours'), ('now-b2', '+18135550102', now() - interval '2 hours'),
    ('now-b3', '+18135550102', now() - interval '1 hour'),
    ('now-c1', '+12125550103', now() - interval '3 hours'), ('now-c2', '+12125550103', now() - interval '2 hours');
SELECT dialer.launch(:session) AS launch_job \gset
-- Between the launch and the daemon's run, Ana and Cal are called again.
INSERT INTO dialer.call_activity (call_id, phone, started_at) VALUES
    ('now-a3', '+13055550101', now()), ('now-c3', '+12125550103', now());
SELECT id = :launch_job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.prepare_launch(:launch_job, 'worker-1') AS contacts_to_launch;
SELECT excluded FROM dialer.push_jobs WHERE id = :launch_job;
SELECT contact_id FROM dialer.launch_batch_contacts(:launch_job, 'worker-1', 1);
SELECT contact_id, reason, facts, until = (SELECT min(started_at) + interval '24 hours' FROM dialer.call_activity
                                            WHERE phone_e164 = r.facts ->> 'phone' AND started_at > now() - interval '24 hours')
                              AS frees_24_hours_after_the_oldest
FROM dialer.launch_refusals(:launch_job) r;
-- Another rep may not read them (the app acting for Mike).
CREATE ROLE caps_app IN ROLE dialer_app;
SET SESSION AUTHORIZATION caps_app;
SET dialer.acting_user = 'mike@sourceco.example';
SELECT * FROM dialer.launch_refusals(:launch_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT contact_id, detail LIKE 'Frequency cap: 3 calls in 24 hours (FL allows 3); free at %' AS detail
FROM dialer.launch_refusals(:launch_job);
RESET SESSION AUTHORIZATION;
RESET dialer.acting_user;
DROP ROLE caps_app;

REVOKE ALL ON SCHEMA test_caps FROM caps_nobody;
REVOKE ALL ON ALL TABLES IN SCHEMA test_caps FROM caps_nobody;
DROP ROLE caps_nobody;
RESET search_path;
