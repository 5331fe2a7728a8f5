-- Retention: push, override, call and suppression records are kept at least
-- five years; dialer.purge_records removes older ones (admins, audited), the
-- one exception to the append-only trails.
CREATE SCHEMA test_retention;
SET search_path TO test_retention;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql

CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, last_name text, phone text, do_not_call boolean);
-- 2 shares 1's number: held back as a duplicate, which may be overridden.
INSERT INTO contacts VALUES (1, 'Ann', 'Ames', '(919) 555-0101', false), (2, 'Ben', 'Burr', '919.555.0101', false),
                            (3, 'Cy', 'Cole', '(919) 555-0103', false);
SET dialer.acting_user = 'sarah@sourceco.example';

-- Records of six years ago and of now. Old ones are backdated the way only
-- a test may (replica mode skips the append-only triggers).
SELECT dialer.push(array_agg(c ORDER BY id), 'Old push', options => '{"include": ["2"], "override_reason": "VIP"}')
       AS old_job FROM contacts c WHERE id <= 2 \gset
SELECT dialer.push(array_agg(c ORDER BY id), 'Old queued push') AS old_queued FROM contacts c WHERE id = 1 \gset
SELECT dialer.push(array_agg(c ORDER BY id), 'Old split', options => '{"split_by_tier": true}')
       AS old_split FROM contacts c WHERE id = 3 \gset
SELECT dialer.push(array_agg(c ORDER BY id), 'New push') AS new_job FROM contacts c WHERE id = 1 \gset
SET session_replication_role = replica;
UPDATE dialer.push_jobs SET requested_at = now() - interval '6 years', status = 'succeeded'
WHERE id IN (:old_job, :old_split);
UPDATE dialer.push_jobs SET requested_at = now() - interval '6 years' WHERE id = :old_queued;
UPDATE dialer.overrides SET overridden_at = now() - interval '6 years' WHERE job_id = :old_job;
-- A kept job that points at an old one keeps it (a new tier of the old split).
UPDATE dialer.push_jobs SET split_group = :old_split WHERE id = :new_job;
UPDATE dialer.audit_log SET acted_at = now() - interval '6 years';
UPDATE dialer.session_changes SET acted_at = now() - interval '6 years';
RESET session_replication_role;
INSERT INTO dialer.call_activity (call_id, contact_id, started_at, ended_at) VALUES
    ('old-call', '1', now() - interval '6 years', now() - interval '6 years'),
    ('new-call', '1', now() - interval '1 day', now() - interval '1 day'),
    ('undated-old-call', '3', NULL, NULL);
INSERT INTO dialer.session_changes (session_id, action, acted_by, acted_at) VALUES
    (1, 'renamed', 'a', now() - interval '6 years'), (1, 'paused', 'a', now() - interval '1 day');
UPDATE dialer.call_activity SET created_at = now() - interval '6 years' WHERE call_id = 'undated-old-call';
INSERT INTO dialer.webhook_events (idempotency_key, event, source, received_at, result, payload) VALUES
    ('old', 'api_calldone', 'account', now() - interval '6 years', 'recorded', '{}'),
    ('new', 'api_calldone', 'account', now() - interval '1 day', 'recorded', '{}');
INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by, added_at, registry_scrubbed_at) VALUES
    ('+19195550901', 'requested', 'old opt-out',            'a', now() - interval '6 years', NULL),
    ('+19195550902', 'requested', 'opt-out of 4 years ago', 'a', now() - interval '4 years', NULL),
    ('+19195550903', 'internal',  'old policy',             'a', now() - interval '6 years', NULL),
    ('+19195550904', 'registry',  'old listing, rescrubbed', 'a', now() - interval '6 years', now() - interval '1 day'),
    ('+19195550905', 'registry',  'old listing',            'a', now() - interval '6 years', now() - interval '6 years'),
    ('+19195550906', 'requested', 'new opt-out',            'a', now(), NULL);

-- 1. Less than five years is refused, and so is anyone but an admin.
SELECT dialer.retention_period();
SELECT * FROM dialer.purge_records('4 years 11 months');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.purge_records('1 day', false);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.purge_records(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE ROLE retention_rep LOGIN IN ROLE dialer_rep;
SET ROLE retention_rep;
SELECT * FROM dialer.purge_records();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE retention_rep;

-- 2. A dry run (the default) only counts.
SELECT * FROM dialer.purge_records();
SELECT (SELECT count(*) FROM dialer.push_jobs) AS jobs, (SELECT count(*) FROM dialer.suppressions) AS suppressions,
       (SELECT count(*) FROM dialer.audit_log WHERE action = 'records_purged') AS purges;

-- 3. Outside the purge the trails stay append-only, for the superuser too,
--    and a function of the same name elsewhere is no exception.
DELETE FROM dialer.audit_log;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM dialer.overrides;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE FUNCTION purge_records(older_than interval, dry_run boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM dialer.audit_log;
END
$$;
SELECT purge_records('5 years', false);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- 4. The purge: old finished jobs with their items and overrides, old calls,
--    deliveries, listings and trail rows. Kept: the queued job, the split job
--    a new job points at, the opt-out of 4 years ago, the rescrubbed listing.
SELECT * FROM dialer.purge_records('5 years', false);
SELECT id = :old_queued AS queued, id = :old_split AS split, id = :new_job AS new
FROM dialer.push_jobs ORDER BY id;
SELECT count(*) AS old_items FROM dialer.push_items WHERE job_id = :old_job;
SELECT count(*) AS overrides FROM dialer.overrides;
SELECT call_id FROM dialer.call_activity ORDER BY call_id;
SELECT idempotency_key FROM dialer.webhook_events ORDER BY id;
SELECT phone_e164, source, reason FROM dialer.suppressions ORDER BY phone_e164;
SELECT action FROM dialer.session_changes ORDER BY id;
-- Audited: what was removed and the cutoff; earlier audit rows are gone.
SELECT action, object_type, acted_by, details ->> 'older_than' AS older_than, details -> 'removed' AS removed
FROM dialer.audit_log ORDER BY id;
-- Nothing older is left: a second purge finds nothing.
SELECT sum(records) AS left_to_purge FROM dialer.purge_records('5 years');

RESET dialer.acting_user;
RESET search_path;
