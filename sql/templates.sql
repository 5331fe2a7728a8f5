-- List templates on a schedule: the next-run arithmetic (daily, weekly,
-- monthly on a day and "first Monday", DST both ways in New York), session
-- name patterns, bad schedules; then templates run as the daemon runs them
-- (exactly once per due time, a missed run once, as the assigned rep), by
-- hand, previewed, and who may do what.
CREATE SCHEMA test_templates;
SET search_path TO test_templates;
SET TIME ZONE 'UTC';
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql

-- The due times following `after`, one after the other.
CREATE FUNCTION runs(schedule jsonb, after timestamptz, n integer)
RETURNS TABLE (due timestamptz, local_time timestamp)
LANGUAGE sql AS $$
    WITH RECURSIVE r(k, due) AS (
        SELECT 1, dialer._next_run(schedule, after)
        UNION ALL
        SELECT k + 1, dialer._next_run(schedule, r.due) FROM r WHERE k < n)
    SELECT due, due AT TIME ZONE (schedule ->> 'time_zone') FROM r ORDER BY k
$$;

-- Daily at 08:00 New York across the spring change (2027-03-14): 13:00 UTC
-- before, 12:00 after; the local time stays 08:00.
SELECT * FROM runs('{"every": "day", "at": "08:00", "time_zone": "America/New_York"}', '2027-03-12 12:00Z', 4);
-- Exactly at a due time is not after it: the next day's.
SELECT dialer._next_run('{"every": "day", "at": "08:00", "time_zone": "America/New_York"}', '2027-03-12 13:00Z');
-- Spring forward: 02:30 does not exist on 2027-03-14; it is read with the
-- offset before the change (EST), which is 03:30 EDT. Once that day.
SELECT * FROM runs('{"every": "day", "at": "02:30", "time_zone": "America/New_York"}', '2027-03-12 12:00Z', 4);
-- Fall back: 01:30 happens twice on 2027-11-07; it runs once, at the second
-- (standard time, 06:30 UTC), and the next day as usual.
SELECT * FROM runs('{"every": "day", "at": "01:30", "time_zone": "America/New_York"}', '2027-11-05 12:00Z', 4);
SELECT count(*) AS runs_on_fall_back_day
FROM runs('{"every": "day", "at": "01:30", "time_zone": "America/New_York"}', '2027-11-06 12:00Z', 3)
WHERE local_time::date = '2027-11-07';
-- Weekly on Friday at 17:00, Los Angeles.
SELECT * FROM runs('{"every": "week", "weekday": "Friday", "at": "17:00", "time_zone": "America/Los_Angeles"}',
                   '2027-03-01 00:00Z', 3);
-- First Monday of the month at 08:00 New York, across months and the DST change.
SELECT * FROM runs('{"every": "month", "weekday": "monday", "week": "first", "at": "08:00",
                     "time_zone": "America/New_York"}', '2027-01-04 14:00Z', 5);
-- Last Friday of the month.
SELECT * FROM runs('{"every": "month", "weekday": "friday", "week": "last", "at": "09:00", "time_zone": "UTC"}',
                   '2027-01-01 00:00Z', 3);
-- Monthly on the 31st: the last day of shorter months.
SELECT * FROM runs('{"every": "month", "day": 31, "at": "06:00", "time_zone": "Europe/London"}', '2027-01-01 00:00Z', 4);
-- The normalised schedule.
SELECT dialer._check_schedule('{"every": "week", "weekday": "Monday", "at": "8:00", "time_zone": "UTC"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._check_schedule('{"every": "week", "weekday": "Monday", "at": "08:00", "time_zone": "UTC"}');

-- Bad schedules: 22023 naming what is wrong.
SELECT dialer._next_run('[]', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "hour", "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "day", "at": "25:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "day", "at": "08:00", "time_zone": "Mars/Olympus"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "day", "at": "08:00"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "week", "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "week", "weekday": "funday", "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "month", "day": 32, "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "month", "weekday": "monday", "week": "fifth", "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "month", "day": 1, "weekday": "monday", "at": "08:00", "time_zone": "UTC"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._next_run('{"every": "day", "at": "08:00", "time_zone": "UTC", "cron": "* * * * *"}', now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Session name patterns, in the schedule's time zone (02:00 UTC on 1 April
-- is still 31 March in New York).
SELECT dialer.template_session_name('Callbacks {Month} {Year} ({Quarter}) {Date}', '2027-04-01 02:00Z', 'America/New_York'),
       dialer.template_session_name('Callbacks {Month} {Year} ({Quarter}) {Date}', '2027-04-01 02:00Z', 'UTC'),
       dialer.template_session_name('No placeholders', now(), 'UTC');
SELECT dialer.template_session_name('Week {Week}', now(), 'UTC');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------
-- Templates, run as the daemon runs them, as real logins.
-- ---------------------------------------------------------------------------
CREATE ROLE tpl_sarah LOGIN IN ROLE dialer_rep;
CREATE ROLE tpl_mike LOGIN IN ROLE dialer_rep;
CREATE ROLE tpl_admin LOGIN IN ROLE dialer_admin;
CREATE ROLE tpl_sync LOGIN IN ROLE dialer_sync;
CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, last_name text, company text, phone text,
                       do_not_call boolean NOT NULL DEFAULT false, last_call_attempt_at timestamptz);
INSERT INTO contacts (id, first_name, last_name, company, phone)
SELECT g, 'First' || g, 'Last' || g, 'Company ' || g, '(919) 555-' || lpad(g::text, 4, '0')
FROM generate_series(1, 5) g;
GRANT USAGE ON SCHEMA test_templates TO PUBLIC;
GRANT SELECT ON contacts TO PUBLIC;
SELECT dialer.add_rep('tpl_sarah', 'Sarah Johnson', phoneburner_credential => 'sarah');
SELECT dialer.add_rep('tpl_mike', 'Mike Chen', phoneburner_credential => 'mike');
SELECT dialer.configure('contacts');

SET SESSION AUTHORIZATION tpl_sarah;
SELECT dialer.create_list('Sarah''s buyers') AS list \gset
SELECT dialer.add_to_list(:list, ARRAY[1, 2, 3]);
SELECT dialer.create_template('Daily buyers', 'Buyers {Date}', '{"every": "day", "at": "08:00", "time_zone": "America/New_York"}',
                              list_id => :list, push_options => '{"update_existing": false, "min_days": 30}') AS daily \gset
SELECT dialer.create_template('Same session', 'Buyers {Month}', '{"every": "week", "weekday": "monday", "at": "08:00", "time_zone": "UTC"}',
                              list_id => :list, same_session => true, push_options => '{"min_days": 0}') AS same \gset
-- Bad input: a bad schedule, pattern or option, no source, both sources.
SELECT dialer.create_template('x', 'x', '{"every": "day"}', list_id => :list);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_template('x', 'x {Day}', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => :list);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => :list,
                              push_options => '{"include": ["1"], "override_reason": "always"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => :list,
                              same_session => true, push_options => '{"split_by_tier": true}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Another rep's template: admins only.
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => :list,
                              assigned_to => 'tpl_mike');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name, assigned_to, enabled, next_run > now() AS next_run_ahead, last_result FROM dialer.templates_overview ORDER BY id;

-- Mike may not see, change, run or preview Sarah's template, nor read her list
-- through one of his own.
SET SESSION AUTHORIZATION tpl_mike;
SELECT count(*) AS mike_sees FROM dialer.templates_overview;
SELECT dialer.update_template(:daily, name => 'Mine');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.run_template_now(:daily);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview_template(:daily);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_template(:daily);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => :list);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The run's steps are only for a run open in this transaction.
SELECT dialer._push_template(array_agg(c), 'Mine', NULL, '{}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._finish_template_run(1, 'queued', NULL, NULL, NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Naming Sarah is the app's privilege, not a rep's.
SET dialer.acting_user = 'tpl_sarah';
SELECT dialer.run_template_now(:daily);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET dialer.acting_user;

-- The preview of the next run: what would be pushed, and into what session.
SET SESSION AUTHORIZATION tpl_sarah;
SELECT p ->> 'session_name' LIKE 'Buyers 20%' AS named, p -> 'preview' -> 'ready' AS ready,
       (p ->> 'next_run')::timestamptz > now() AS ahead
FROM dialer.preview_template(:daily) p;

-- The daemon's role runs only the due-template step.
SET SESSION AUTHORIZATION tpl_sync;
SELECT dialer.create_template('x', 'x', '{"every": "day", "at": "08:00", "time_zone": "UTC"}', list_id => 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.run_due_templates('w1') AS nothing_due;

-- Three due times missed (no daemon ran): one run, for the oldest; next_run
-- moves past now; a second daemon's call finds nothing.
RESET SESSION AUTHORIZATION;
UPDATE dialer.list_templates SET next_run = now() - interval '3 days' WHERE id = :daily;
SELECT next_run AS missed_due FROM dialer.list_templates WHERE id = :daily \gset
SET SESSION AUTHORIZATION tpl_sync;
SELECT dialer.run_due_templates('w1') AS ran;
SELECT dialer.run_due_templates('w2') AS ran_again;
RESET SESSION AUTHORIZATION;
SELECT r.due_at = :'missed_due' AS oldest_due, r.run_by, r.rep, r.result, r.error, r.session_name LIKE 'Buyers 20%' AS named,
       j.list_source, j.requested_by, j.phoneburner_credential, j.total, s.owner
FROM dialer.template_runs r JOIN dialer.push_jobs j ON j.id = r.job_id JOIN dialer.sessions s ON s.id = j.session_id;
SELECT next_run > now() AS next_run_ahead, next_run <= now() + interval '1 day' AS within_a_day,
       last_result, last_job_id IS NOT NULL AS has_job
FROM dialer.list_templates WHERE id = :daily;
-- A due time that ran is never run again, even if next_run were put back.
UPDATE dialer.list_templates SET next_run = :'missed_due' WHERE id = :daily;
SELECT dialer.run_due_templates('w3') AS ran_same_due_time;
SELECT count(*) AS runs FROM dialer.template_runs WHERE template_id = :daily;

-- Same session each run: the first run makes it, the next adds to it.
UPDATE dialer.list_templates SET next_run = now() - interval '1 minute' WHERE id = :same;
SET SESSION AUTHORIZATION tpl_sync;
SELECT dialer.run_due_templates('w1');
SET SESSION AUTHORIZATION tpl_sarah;
SELECT r ->> 'result' AS result, (r ->> 'job_id') IS NOT NULL AS has_job FROM dialer.run_template_now(:same) r;
RESET SESSION AUTHORIZATION;
SELECT count(DISTINCT j.session_id) AS sessions, count(*) AS jobs, min(s.name) LIKE 'Buyers %' AS named
FROM dialer.template_runs r JOIN dialer.push_jobs j ON j.id = r.job_id JOIN dialer.sessions s ON s.id = j.session_id
WHERE r.template_id = :same;
SELECT run_by, due_at IS NULL AS by_hand FROM dialer.template_runs WHERE template_id = :same ORDER BY id;

-- An empty source is recorded as such, not an error.
SET SESSION AUTHORIZATION tpl_sarah;
SELECT dialer.create_list('Empty') AS empty_list \gset
SELECT dialer.update_template(:same, list_id => :empty_list);
SELECT r ->> 'result' AS result, r ->> 'job_id' AS job FROM dialer.run_template_now(:same) r;

-- A template that splits by tier (push option split_by_tier): its run makes
-- one new session per priority tier that has contacts, "<name> - Tier N",
-- highest first, owned by the assigned rep; the run records the first
-- tier's job, which groups the others (split_group).
RESET SESSION AUTHORIZATION;
ALTER TABLE contacts ADD COLUMN engagement_score integer;
UPDATE contacts SET engagement_score = CASE id WHEN 1 THEN 90 WHEN 2 THEN 60 WHEN 3 THEN 80 END;
SET SESSION AUTHORIZATION tpl_sarah;
SELECT dialer.create_template('By tier', 'Tiered {Year}', '{"every": "day", "at": "08:00", "time_zone": "UTC"}',
                              list_id => :list, push_options => '{"split_by_tier": true, "min_days": 0}') AS tiered \gset
RESET SESSION AUTHORIZATION;
UPDATE dialer.list_templates SET next_run = now() - interval '1 minute' WHERE id = :tiered;
SET SESSION AUTHORIZATION tpl_sync;
SELECT dialer.run_due_templates('w1') AS ran_tiered;
RESET SESSION AUTHORIZATION;
SELECT r.result, r.error, r.run_by, r.session_name ~ '^Tiered [0-9]{4}$' AS base_name
FROM dialer.template_runs r WHERE r.template_id = :tiered;
SELECT regexp_replace(s.name, '^Tiered [0-9]{4}', 'Tiered <year>') AS session, s.owner, j.tier, j.total,
       j.id = r.job_id AS the_runs_job, j.list_source
FROM dialer.template_runs r JOIN dialer.push_jobs j ON j.split_group = r.job_id JOIN dialer.sessions s ON s.id = j.session_id
WHERE r.template_id = :tiered ORDER BY j.tier;

-- An inactive rep's template is not run, and the run says so.
SET SESSION AUTHORIZATION tpl_admin;
SELECT dialer.update_rep('tpl_sarah', active => false);
RESET SESSION AUTHORIZATION;
UPDATE dialer.list_templates SET next_run = now() - interval '1 minute' WHERE id = :daily;
SET SESSION AUTHORIZATION tpl_sync;
SELECT dialer.run_due_templates('w1');
RESET SESSION AUTHORIZATION;
SELECT result, error, job_id FROM dialer.template_runs WHERE template_id = :daily ORDER BY id DESC LIMIT 1;

-- Admins manage anyone's: disable, reassign, enable (next run from now), delete.
SET SESSION AUTHORIZATION tpl_admin;
SELECT dialer.disable_template(:daily);
SELECT enabled, next_run FROM dialer.list_templates WHERE id = :daily;
SELECT dialer.update_template(:daily, assigned_to => 'tpl_mike');
SELECT dialer.enable_template(:daily) > now() AS enabled_ahead;
SELECT assigned_to, enabled FROM dialer.templates_overview WHERE id = :daily;
SELECT dialer.delete_template(:same);
RESET SESSION AUTHORIZATION;
SELECT action, acted_by, object_id::bigint = :daily AS daily, details ->> 'result' AS result
FROM dialer.audit_log WHERE object_type = 'template' ORDER BY id;

\i sql/include/reset.sql
DROP SCHEMA test_templates CASCADE;
DROP OWNED BY tpl_sarah, tpl_mike, tpl_admin, tpl_sync;
DROP ROLE tpl_sarah, tpl_mike, tpl_admin, tpl_sync;
RESET search_path;
RESET TIME ZONE;
