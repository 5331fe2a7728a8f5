-- dialer.push and the queue the daemon works from.
CREATE SCHEMA test_push_queue;
SET search_path TO test_push_queue;
-- PL/pgSQL line numbers in CONTEXT lines would change with every edit of the install script.
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, buyer_type text, first_name text, last_name text,
    company text, phone text, do_not_call boolean, do_not_call_source text, do_not_call_reason text,
    last_call_attempt_at timestamptz
);
INSERT INTO contacts VALUES
 (1, 'buyer', 'PE Firm', 'John',  'Smith',   'Heritage Capital', '(919) 555-0101', false, NULL, NULL, NULL),
 (2, 'buyer', 'PE Firm', 'Sarah', 'Johnson', 'Summit Partners',  '(919) 555-0102', true, 'registry', 'Legal DNC list', NULL),
 (3, 'buyer', 'PE Firm', 'Mike',  'Chen',    'Vista Equity',     '(919) 555-0103', true, 'internal', 'Internal policy', NULL),
 (4, 'buyer', 'PE Firm', 'Alex',  'Martinez','KKR',              '(919) 555-0104', false, NULL, NULL, now() - interval '2 days'),
 (5, 'buyer', 'PE Firm', 'Tom',   'Wilson',  'Bain Capital',     '(919) 555-0105', false, NULL, NULL, NULL),
 (6, 'buyer', 'PE Firm', 'Pia',   'Stone',   'Apollo',           'not a number',   false, NULL, NULL, NULL);

SET dialer.acting_user = 'sarah@sourceco.example';

-- Options are checked before anything is written.
SELECT dialer.push(array_agg(c), options => '{"min_day": 3}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"update_existing": "yes"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"include": ["4"]}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"include": ["2"], "override_reason": "VIP"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"include": ["99"], "override_reason": "VIP"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c)) FROM contacts c WHERE false;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(r)) FROM (SELECT 'A' AS first_name, 'B' AS last_name, '919-555-0100' AS phone) r;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(NULL::contacts[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), session_id => 12345) FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS nothing_written FROM dialer.push_jobs;

-- A push with a forced include: one job, its items, the exclusions, the audit trail.
SELECT dialer.push(array_agg(c ORDER BY id),
                   options => '{"include": [4, "3"], "override_reason": "Urgent: deal closes Friday",
                                "filters": {"industry": "Business Services", "region": "Northeast"}}') AS job_id
FROM contacts c \gset
SELECT status, total, done, excluded, requested_by, options -> 'filters' AS filters
FROM dialer.push_jobs WHERE id = :job_id;
SELECT list_position, contact_id, payload ->> 'phone' AS phone, (exclusion).category, override_reason, status
FROM dialer.push_items WHERE job_id = :job_id ORDER BY list_position;
SELECT contact_id, category, reason, override_reason, overridden_by FROM dialer.overrides ORDER BY contact_id;
SELECT regexp_replace(name, '[A-Z][a-z]{2} [0-9]{4}$', '<Mon YYYY>') AS name, status, created_by, contact_count FROM dialer.sessions;
SELECT dialer.push_status(:job_id) - 'job_id' - 'session_id' - 'session_name';

-- Smart default and the dropdown.
SELECT dialer.suggest_session('{"industry": "Business Services", "region": "Northeast"}') =
       (SELECT session_id FROM dialer.push_jobs WHERE id = :job_id) AS same_filters;
SELECT dialer.suggest_session('{"industry": "Software"}') IS NULL AS other_filters;
SET dialer.acting_user = 'mike@sourceco.example';
SELECT dialer.suggest_session('{"industry": "Business Services", "region": "Northeast"}') IS NULL AS other_rep;
RESET dialer.acting_user;
SELECT contact_count, last_activity_by FROM dialer.sessions_overview;

-- The daemon claims it; a second daemon finds nothing to do.
SELECT id = :job_id AS claimed, status, attempts, lease_owner FROM dialer.claim_push_job('daemon-a');
SELECT count(*) AS nothing_for_b FROM dialer.claim_push_job('daemon-b');
SELECT dialer.renew_push_lease(:job_id, 'daemon-a') AS renewed, dialer.renew_push_lease(:job_id, 'daemon-b') AS not_b;
SELECT dialer.set_session_folder(:job_id, 'daemon-a', '48001') AS folder_set;
SELECT dialer.set_push_step(:job_id, 'daemon-a', 'Creating contacts in PhoneBurner') AS step_set;
SELECT list_position, contact_id, status, phoneburner_contact_id FROM dialer.push_job_items(:job_id, 'daemon-a');
SELECT count(*) AS none_for_b FROM dialer.push_job_items(:job_id, 'daemon-b');

SELECT dialer.record_push_item(:job_id, 'daemon-a', 1, 'created', '30919237');
SELECT dialer.record_push_item(:job_id, 'daemon-a', 3, 'created');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_push_item(:job_id, 'daemon-a', 3, 'unknown', error => 'timeout after write');
SELECT dialer.record_push_item(:job_id, 'daemon-a', 3, 'created', '30919238');
SELECT dialer.push_status(:job_id) -> 'counts' AS counts, dialer.push_status(:job_id) -> 'done' AS done;

-- daemon-a dies: its lease expires, daemon-b takes over, daemon-a's late writes are refused.
UPDATE dialer.push_jobs SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE id = :job_id;
SELECT id = :job_id AS taken_over, attempts, lease_owner FROM dialer.claim_push_job('daemon-b');
SELECT dialer.record_push_item(:job_id, 'daemon-a', 4, 'created', '1') AS late_write;
SELECT dialer.finish_push_job(:job_id, 'daemon-a') AS late_finish;
SELECT list_position, status FROM dialer.push_job_items(:job_id, 'daemon-b');
SELECT dialer.record_push_item(:job_id, 'daemon-b', 4, 'created', '30919239');
SELECT dialer.record_push_item(:job_id, 'daemon-b', 5, 'failed', error => '400: invalid phone');
SELECT dialer.finish_push_job(:job_id, 'daemon-b') AS outcome;
SELECT status, done, lease_owner, step FROM dialer.push_jobs WHERE id = :job_id;
SELECT contact_id, phoneburner_contact_id FROM dialer.contact_links ORDER BY contact_id;
SELECT contact_count FROM dialer.sessions;

-- Adding to the same session: linked contacts come with their PhoneBurner id.
SELECT dialer.push(array_agg(c), session_id => (SELECT id FROM dialer.sessions)) AS job2 FROM contacts c WHERE id IN (1, 5) \gset
SELECT id = :job2 AS claimed FROM dialer.claim_push_job('daemon-a');
SELECT contact_id, phoneburner_contact_id FROM dialer.push_job_items(:job2, 'daemon-a');

-- Graceful shutdown gives the job back without spending an attempt.
SELECT attempts FROM dialer.push_jobs WHERE id = :job2;
SELECT dialer.release_push_job(:job2, 'daemon-a');
SELECT status, attempts, lease_owner FROM dialer.push_jobs WHERE id = :job2;

-- Cancel: queued at once; running at the next renewal.
SELECT dialer.cancel(:job2);
SELECT status FROM dialer.push_jobs WHERE id = :job2;
SELECT dialer.push(array_agg(c), session_id => (SELECT id FROM dialer.sessions)) AS job3 FROM contacts c WHERE id = 1 \gset
SELECT id = :job3 AS claimed FROM dialer.claim_push_job('daemon-a');
SELECT dialer.cancel(:job3), dialer.renew_push_lease(:job3, 'daemon-a');
SELECT dialer.finish_push_job(:job3, 'daemon-a');
SELECT dialer.cancel(:job3) AS already_finished;

-- A push whose every contact is excluded finishes at once.
SELECT dialer.push(array_agg(c)) AS job4 FROM contacts c WHERE id = 2 \gset
SELECT status, total, excluded -> 'do_not_call' AS dnc FROM dialer.push_jobs WHERE id = :job4;

-- The daemon reads open items a page at a time, by list position.
SELECT dialer.push(array_agg(r ORDER BY r.id), 'Paging') AS job5
FROM (SELECT 100 + g AS id, 'Ann' AS first_name, 'Lee' AS last_name, '919-555-01' || (10 + g) AS phone
      FROM generate_series(1, 4) g) r \gset
SELECT id = :job5 AS claimed FROM dialer.claim_push_job('daemon-a');
SELECT array_agg(list_position) AS first_page FROM dialer.push_job_items(:job5, 'daemon-a', 0, 2);
SELECT array_agg(list_position) AS next_page FROM dialer.push_job_items(:job5, 'daemon-a', 2, 2);
SELECT dialer.record_push_item(:job5, 'daemon-a', 1, 'created', '30919241');
SELECT dialer.record_push_item(:job5, 'daemon-a', 3, 'unknown', error => 'connection reset after write');
SELECT unknown_items FROM dialer.push_job_session(:job5, 'daemon-a');

-- A job whose daemon died on its last attempt is closed, not claimed again
-- forever. Its daemon died, so a write may have landed unrecorded: open items
-- become unknown (the session's next push reads the folder back first).
UPDATE dialer.push_jobs SET attempts = max_attempts, lease_expires_at = clock_timestamp() - interval '1 second'
WHERE id = :job5;
SELECT count(*) AS claimed FROM dialer.claim_push_job('daemon-b');
SELECT status, done, error, lease_owner, step FROM dialer.push_jobs WHERE id = :job5;
SELECT list_position, status, error FROM dialer.push_items WHERE job_id = :job5 ORDER BY list_position;

-- A failed precondition (PhoneBurner dropped the custom fields) fails the
-- job even though one contact was written.
SELECT dialer.push(array_agg(r ORDER BY r.id), 'Fields') AS job6
FROM (SELECT 200 + g AS id, 'Bo' AS first_name, 'Kim' AS last_name, '919-555-01' || (20 + g) AS phone
      FROM generate_series(1, 2) g) r \gset
SELECT id = :job6 AS claimed FROM dialer.claim_push_job('daemon-a');
SELECT dialer.record_push_item(:job6, 'daemon-a', 1, 'created', '30919240');
SELECT dialer.finish_push_job(:job6, 'daemon-a', 'PhoneBurner did not keep the custom fields', fail_job => true) AS outcome;
SELECT list_position, status, error FROM dialer.push_items WHERE job_id = :job6 ORDER BY list_position;

-- Completed sessions take no more contacts.
UPDATE dialer.sessions SET status = 'completed' WHERE id = (SELECT session_id FROM dialer.push_jobs WHERE id = :job_id);
SELECT dialer.push(array_agg(c), session_id => (SELECT session_id FROM dialer.push_jobs WHERE id = :job_id)) FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The configuration pg_dump keeps.
SELECT dialer.configure('contacts');
SELECT contact_relation FROM dialer.configuration;
CREATE TABLE no_ids (name text);
SELECT dialer.configure('no_ids');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Anonymous rows from a subquery can be pushed too.
SELECT dialer.push(array_agg(r), 'Ad hoc') IS NOT NULL AS pushed
FROM (SELECT 77 AS id, 'Ann' AS first_name, 'Lee' AS last_name, '919-555-0177' AS phone) r;
SELECT contact_id, payload ->> 'phone' FROM dialer.push_items WHERE contact_id = '77';

-- The whole queue by kind and status, as the daemon's /metrics reports it.
SELECT * FROM dialer.job_counts();

-- A failed attempt (dialer.fail_push_attempt): the job runs again after the
-- backoff, or after what the daemon asks for, while it has attempts left;
-- then it is closed with the error. A worker without the lease decides nothing.
SELECT n AS attempts,
       dialer._retry_in(jsonb_populate_record(j, jsonb_build_object('attempts', n, 'max_attempts', 12))) AS wait
FROM dialer.push_jobs j, generate_series(1, 12) n WHERE j.id = :job_id;
SELECT dialer.push(array_agg(r), 'Retries') AS job7
FROM (SELECT 300 AS id, 'Cy' AS first_name, 'Ray' AS last_name, '919-555-0130' AS phone) r \gset
UPDATE dialer.push_jobs SET max_attempts = 3, run_at = now() - interval '1 day' WHERE id = :job7;
SELECT id = :job7 AS claimed, attempts FROM dialer.claim_push_job('daemon-a');
SELECT dialer.fail_push_attempt(:job7, 'daemon-b', 'not mine') AS lease_lost;
SELECT dialer.fail_push_attempt(:job7, 'daemon-a', '503: PhoneBurner unavailable') AS first_failure;
SELECT status, attempts, lease_owner, error, step,
       run_at - clock_timestamp() BETWEEN interval '4 seconds' AND interval '5 seconds' AS after_5_s
FROM dialer.push_jobs WHERE id = :job7;
UPDATE dialer.push_jobs SET run_at = now() - interval '1 day' WHERE id = :job7;
SELECT id = :job7 AS claimed, attempts FROM dialer.claim_push_job('daemon-a');
SELECT dialer.fail_push_attempt(:job7, 'daemon-a', 'PhoneBurner refused the token', interval '300 seconds')
       AS second_failure;
SELECT status, attempts,
       run_at - clock_timestamp() BETWEEN interval '299 seconds' AND interval '300 seconds' AS after_300_s
FROM dialer.push_jobs WHERE id = :job7;
UPDATE dialer.push_jobs SET run_at = now() - interval '1 day' WHERE id = :job7;
SELECT id = :job7 AS claimed, attempts FROM dialer.claim_push_job('daemon-a');
SELECT dialer.fail_push_attempt(:job7, 'daemon-a', 'database error: boom', interrupted => true) AS out_of_attempts;
SELECT status, attempts, lease_owner, error, step FROM dialer.push_jobs WHERE id = :job7;
SELECT list_position, status, error FROM dialer.push_items WHERE job_id = :job7;

-- Jobs of one session run one at a time, in the order they were enqueued,
-- however many daemons claim: run side by side, two pushes would both create
-- a contact that is in both lists. The later waits until the earlier is done.
SELECT dialer.push(array_agg(r), 'One at a time') AS job8
FROM (SELECT 400 AS id, 'Di' AS first_name, 'Ng' AS last_name, '919-555-0140' AS phone) r \gset
SELECT dialer.push(array_agg(r), session_id => (SELECT session_id FROM dialer.push_jobs WHERE id = :job8)) AS job9
FROM (SELECT 400 AS id, 'Di' AS first_name, 'Ng' AS last_name, '919-555-0140' AS phone) r \gset
UPDATE dialer.push_jobs SET run_at = now() - interval '2 days' WHERE id IN (:job8, :job9);
SELECT id = :job8 AS first_claimed FROM dialer.claim_push_job('daemon-a');
SELECT count(*) FILTER (WHERE id = :job9) AS second_not_claimed FROM dialer.claim_push_job('daemon-b');
SELECT status FROM dialer.push_jobs WHERE id = :job9;
SELECT dialer.record_push_item(:job8, 'daemon-a', 1, 'created', '30919250');
SELECT dialer.finish_push_job(:job8, 'daemon-a') AS first_outcome;
SELECT id = :job9 AS second_claimed FROM dialer.claim_push_job('daemon-b');
SELECT contact_id, phoneburner_contact_id FROM dialer.push_job_items(:job9, 'daemon-b');
