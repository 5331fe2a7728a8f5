-- dialer.launch and the launch side of the daemon's API: re-check at launch,
-- batches of 500, 'sending' before the request, one-time login links.
CREATE SCHEMA test_launch;
SET search_path TO test_launch;
\set VERBOSITY terse
-- Start from an empty queue (earlier files leave jobs queued).
\i sql/include/reset.sql
-- Launches check calling windows at a fixed instant (Wednesday 13:00 in New
-- York), so this file does not depend on the time of day it runs at.
SET dialer.calling_window_clock = '2026-03-04 18:00+00';
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, phone text,
    do_not_call boolean DEFAULT false, do_not_call_source text, last_call_attempt_at timestamptz
);
INSERT INTO contacts (id, contact_type, first_name, last_name, phone)
SELECT g, 'buyer', 'First' || g, 'Last' || g, '(919) 555-' || lpad(g::text, 4, '0')
FROM generate_series(1, 1203) g;
SET dialer.acting_user = 'sarah@sourceco.example';

-- Launching needs the contact relation, a session, and contacts in it.
SELECT dialer.push(array_agg(c ORDER BY id), 'Launch me', options => '{"auto_launch": true}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.launch(-1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure('contacts');
UPDATE contacts SET last_call_attempt_at = now() - interval '1 day' WHERE id = 3;  -- forced in below
SELECT dialer.push(array_agg(c ORDER BY id), 'Launch me',
                   options => '{"include": ["3"], "override_reason": "Asked us to call back"}') AS push_job
FROM contacts c \gset
SELECT session_id AS session FROM dialer.push_jobs WHERE id = :push_job \gset
SELECT dialer.launch(:session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.launch_link(:push_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The daemon pushes everything (simulated here) ...
SELECT id = :push_job AS claimed_the_push, kind FROM dialer.claim_push_job('worker-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:push_job, 'worker-1', list_position, 'created', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :push_job) r;
SELECT dialer.finish_push_job(:push_job, 'worker-1');

-- ... then contacts change before the launch: the re-check sees today's rows.
UPDATE contacts SET do_not_call = true, do_not_call_source = 'requested' WHERE id IN (1, 2);
UPDATE contacts SET last_call_attempt_at = now() WHERE id IN (3, 4);  -- 3's recency was overridden: it stays
DELETE FROM contacts WHERE id = 5;
SELECT dialer.launch(:session) AS launch_job \gset
SELECT kind, status, step FROM dialer.push_jobs WHERE id = :launch_job;
SELECT dialer.launch_link(:launch_job) IS NULL AS not_ready_yet;

SELECT id = :launch_job AS claimed_the_launch, kind FROM dialer.claim_push_job('worker-1');
SELECT dialer.prepare_launch(:launch_job, 'worker-2') AS other_worker;
SELECT dialer.prepare_launch(:launch_job, 'worker-1') AS contacts_to_launch;
SELECT dialer.prepare_launch(:launch_job, 'worker-1') AS again_the_same;
SELECT excluded FROM dialer.push_jobs WHERE id = :launch_job;
SELECT batch, batch_count, status, first_position, last_position, contact_count, session_name
FROM dialer.launch_batches(:launch_job, 'worker-1');
SELECT count(*), min(contact_id::int), max(contact_id::int)
FROM dialer.launch_batch_contacts(:launch_job, 'worker-1', 3);
SELECT contact_id FROM dialer.launch_batch_contacts(:launch_job, 'worker-1', 1) LIMIT 3;

-- Batch 1 is created, batch 2's answer is lost, batch 3 is created.
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'sending');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'created', 'ds-1', 0, 'https://pb.example/login/one');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'created', 'ds-1', 0, 'https://pb.example/login/one');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 2, 'sending');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 2, 'unknown', error => 'timed out after 60 s');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 3, 'sending');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 3, 'created', 'ds-3', 0, 'https://pb.example/login/three');
SELECT dialer.record_dial_session(:launch_job, 'worker-2', 3, 'failed');
SELECT dialer.finish_push_job(:launch_job, 'worker-1', 'batch 2: timed out after 60 s');
SELECT dialer.push_status(:launch_job) - 'job_id' - 'session_id';

-- Each link is handed out once, then erased.
SELECT dialer.launch_link(:launch_job);
SELECT dialer.launch_link(:launch_job);
SELECT dialer.launch_link(:launch_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS links_left FROM dialer.dial_sessions WHERE job_id = :launch_job AND login_link IS NOT NULL;
SELECT batch, link_handed_out_to FROM dialer.dial_sessions WHERE job_id = :launch_job ORDER BY batch;

-- Expired links are refused and erased by the next claim.
SELECT dialer.launch(:session) AS late_job \gset
SELECT id = :late_job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.prepare_launch(:late_job, 'worker-1');
SELECT dialer.record_dial_session(:late_job, 'worker-1', b, 'created', 'ds', 0, 'https://pb.example/login/late')
FROM generate_series(1, 3) b;
SELECT dialer.finish_push_job(:late_job, 'worker-1');
UPDATE dialer.dial_sessions SET link_expires_at = now() - interval '1 second' WHERE job_id = :late_job;
SELECT dialer.launch_link(:late_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS claimed FROM dialer.claim_push_job('worker-1');
SELECT count(*) AS expired_links_kept FROM dialer.dial_sessions WHERE job_id = :late_job AND login_link IS NOT NULL;

-- auto_launch: finishing the push enqueues the launch.
SELECT dialer.push(array_agg(c ORDER BY id), session_id => :session, options => '{"auto_launch": true}') AS auto_job
FROM contacts c WHERE id BETWEEN 10 AND 14 \gset
SELECT dialer.launch_link(:auto_job) IS NULL AS not_yet;
SELECT id = :auto_job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:auto_job, 'worker-1', list_position, 'updated', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :auto_job) r;
SELECT dialer.finish_push_job(:auto_job, 'worker-1');
SELECT kind, status, launched_by_job = :auto_job AS launched_by_the_push
FROM dialer.push_jobs WHERE id = (dialer.push_status(:auto_job) ->> 'launch_job_id')::bigint;

RESET search_path;
