-- Registry scrub dates: when the do-not-call registry data was last
-- refreshed, the 31-day safe-harbor warning on a push, and the date on the job.
CREATE SCHEMA test_registry_scrubs;
SET search_path TO test_registry_scrubs;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql
DELETE FROM dialer.registry_scrubs;

CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, last_name text, phone text);
INSERT INTO contacts VALUES (1, 'Ann', 'Ames', '(919) 555-0101'), (2, 'Ben', 'Burr', '(919) 555-0102');
SELECT dialer.configure('contacts');
SET dialer.acting_user = 'sarah@sourceco.example';
CREATE VIEW jobs AS
SELECT id, registry_scrubbed_at IS NOT NULL AS dated,
       regexp_replace(registry_warning, '\d{4}-\d\d-\d\d', 'YYYY-MM-DD') AS warning
FROM dialer.push_jobs ORDER BY id;

-- 1. No registry data in use: no warning, no date.
SELECT dialer.registry_max_age();
SELECT * FROM dialer.registry_scrub_status;
SELECT dialer.registry_data_date() IS NULL AS no_date, dialer.registry_warning() IS NULL AS no_warning;
SELECT dialer.push(array_agg(c ORDER BY id), 'No registry') IS NOT NULL AS pushed FROM contacts c;

-- 2. Registry listings without any recorded scrub: their age is unknown.
SELECT dialer.add_suppression('(919) 555-0199', 'registry', 'National DNC registry');
SELECT dialer.push(array_agg(c ORDER BY id), 'Undated registry') IS NOT NULL AS pushed FROM contacts c;

-- 3. A scrub 40 days old is stale: the push warns and records the date.
SELECT dialer.record_registry_scrub(now() - interval '40 days', numbers => 1, note => 'monthly download') AS scrub1 \gset
SELECT scrubbed_at AS date1 FROM dialer.registry_scrubs WHERE id = :scrub1 \gset
SELECT registry, applies_to, numbers, recorded_by, extract(day FROM age) AS days, stale
FROM dialer.registry_scrub_status;
SELECT phone_e164, source, registry_scrubbed_at = :'date1' AS stamped FROM dialer.suppressions;
SET client_min_messages = error;  -- the warning's text has the date in it: read from the job below
SELECT dialer.push(array_agg(c ORDER BY id), 'Stale registry') AS job FROM contacts c \gset
RESET client_min_messages;
SELECT registry_scrubbed_at = :'date1' AS job_has_the_date FROM dialer.push_jobs WHERE id = :job;

-- 4. A fresh scrub (2 days): no warning, the job has the fresh date.
SELECT dialer.record_registry_scrub(now() - interval '2 days', 'suppressions', 'national') AS scrub2 \gset
SELECT scrubbed_at AS date2 FROM dialer.registry_scrubs WHERE id = :scrub2 \gset
SELECT dialer.push(array_agg(c ORDER BY id), 'Fresh registry') AS job FROM contacts c \gset
SELECT registry_scrubbed_at = :'date2' AS fresh_date, registry_warning FROM dialer.push_jobs WHERE id = :job;
SELECT registry_scrubbed_at = :'date2' AS listing_restamped FROM dialer.suppressions;

-- 5. The contacts' DNC flags are registry data too: the stalest source counts.
SELECT dialer.record_registry_scrub(now() - interval '35 days', 'contact_flags', 'national') AS scrub3 \gset
SELECT scrubbed_at AS date3 FROM dialer.registry_scrubs WHERE id = :scrub3 \gset
SELECT registry, applies_to, stale FROM dialer.registry_scrub_status ORDER BY applies_to;
SELECT dialer.registry_data_date() = :'date3' AS stalest_counts;
SET client_min_messages = error;
SELECT dialer.push(array_agg(c ORDER BY id), 'Stale flags') AS job FROM contacts c \gset
RESET client_min_messages;
SELECT dialer.record_registry_scrub(now() - interval '1 day', 'contact_flags') > 0 AS recorded;
SELECT dialer.push(array_agg(c ORDER BY id), 'All fresh') AS job FROM contacts c \gset
SELECT * FROM jobs;
-- The app reads the warning with the job's progress (only when there is one).
SELECT dialer.push_status(id) ->> 'registry_warning' IS NOT NULL AS warned,
       dialer.push_status(id) ? 'registry_scrubbed_at' AS dated
FROM dialer.push_jobs WHERE id IN (4, 5) ORDER BY id;
-- The launch of a session is a job too: it records the date. (The daemon
-- simulated: the push reaches PhoneBurner; the earlier jobs are set aside.)
UPDATE dialer.push_jobs SET status = 'cancelled', finished_at = now() WHERE id < :job;
SELECT id = :job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.set_session_folder(:job, 'worker-1', 'folder-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:job, 'worker-1', list_position, 'created', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :job) r;
SELECT dialer.finish_push_job(:job, 'worker-1');
SELECT dialer.launch(s.id) AS launch_job FROM dialer.sessions s WHERE s.name = 'All fresh' \gset
SELECT kind, registry_scrubbed_at = :'date2' AS dated, registry_warning
FROM dialer.push_jobs WHERE id = :launch_job;

-- 6. The 31-day edge (the stored date against the time asked about).
BEGIN;
DELETE FROM dialer.registry_scrubs;
SELECT dialer.record_registry_scrub('2026-01-01 00:00+00', 'suppressions') > 0 AS recorded;
SELECT dialer.registry_warning('2026-02-01 00:00:00+00') AS at_31_days,
       dialer.registry_warning('2026-02-01 00:00:01+00') AS past_31_days;
ROLLBACK;

-- 7. What is refused: a date in the future or none, another kind, a non-admin.
SELECT dialer.record_registry_scrub(now() + interval '1 hour');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_registry_scrub(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_registry_scrub(now(), 'contacts');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_registry_scrub(now(), registry => ' ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE ROLE registry_scrubs_rep LOGIN IN ROLE dialer_rep;
SET ROLE registry_scrubs_rep;
SELECT dialer.record_registry_scrub(now());
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) >= 0 AS rep_may_not_read_the_history FROM dialer.registry_scrubs;
SELECT count(*) AS status_rows FROM dialer.registry_scrub_status;
RESET ROLE;
DROP ROLE registry_scrubs_rep;

-- 8. Every recording is audited.
SELECT action, object_type, reason, details ->> 'applies_to' AS applies_to, details -> 'suppressions_stamped' AS stamped
FROM dialer.audit_log WHERE action = 'registry_scrub_recorded' ORDER BY id;

RESET dialer.acting_user;
RESET search_path;
