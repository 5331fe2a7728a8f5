-- Fills every table of pgdialer 1.0 through its public API, as the logins
-- that do it in production: an admin (reps, configuration, dispositions,
-- suppressions, a smart list), the app acting for reps (sessions, pushes,
-- lists, segments, templates), pgdialer-sync (the queue, launches, webhook
-- events, write-backs, the version handshake). Run by scripts/test-upgrade.sh
-- as a superuser in a database where CREATE EXTENSION pgdialer VERSION '1.0'
-- just ran, with the login roles of that script (pgdialer_upgrade_*).
-- Written against 1.0's API: it must keep working on a 1.0 install, so it
-- changes only when 1.0 does (never). Stops at the first error.
\set ON_ERROR_STOP on
\set VERBOSITY terse
SET client_min_messages = warning;

-- The CRM's contact table (the superuser's, as an app's migration makes it),
-- and the app's write-back hook.
CREATE SCHEMA crm;
CREATE TABLE crm.contacts (
    id bigint PRIMARY KEY, contact_type text, buyer_type text, first_name text, last_name text,
    company text, phone text, email text, engagement_score integer,
    do_not_call boolean NOT NULL DEFAULT false, do_not_call_source text, do_not_call_reason text,
    last_call_attempt_at timestamptz, next_action_type text, next_action_date date,
    last_disposition text, created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO crm.contacts (id, contact_type, buyer_type, first_name, last_name, company, phone, email, engagement_score)
SELECT g, CASE WHEN g % 4 = 0 THEN 'seller' ELSE 'buyer' END, 'PE Firm', 'First' || g, 'Last' || g,
       'Company ' || g, '(919) 555-' || lpad(g::text, 4, '0'), 'c' || g || '@example.com', 40 + g
FROM generate_series(1, 24) g;
UPDATE crm.contacts SET do_not_call = true, do_not_call_source = 'registry', do_not_call_reason = 'Legal DNC list' WHERE id = 2;
UPDATE crm.contacts SET last_call_attempt_at = now() - interval '1 day' WHERE id = 3;
CREATE TABLE crm.hook_log (n serial PRIMARY KEY, contact_id text, changes jsonb);
CREATE FUNCTION crm.writeback(contact_id text, changes jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF contact_id = '7' THEN
        RAISE EXCEPTION 'contact 7 is locked' USING ERRCODE = '55P03';
    END IF;
    INSERT INTO crm.hook_log (contact_id, changes) VALUES (contact_id, changes);
END
$$;
GRANT USAGE ON SCHEMA crm TO PUBLIC;
GRANT SELECT ON crm.contacts TO PUBLIC;
GRANT INSERT ON crm.hook_log TO pgdialer_upgrade_sync;
GRANT USAGE ON SEQUENCE crm.hook_log_n_seq TO pgdialer_upgrade_sync;

-- The admin: reps, configuration, dispositions, suppressions, a smart list.
SET SESSION AUTHORIZATION pgdialer_upgrade_admin;
SELECT dialer.add_rep('pgdialer_upgrade_admin', 'Ada Admin', 'ada@sourceco.example');
SELECT dialer.add_rep('sarah@sourceco.example', 'Sarah Johnson', 'sarah@sourceco.example');
SELECT dialer.add_rep('mike@sourceco.example', 'Mike Chen', 'mike@sourceco.example');
SELECT dialer.add_rep('gone@sourceco.example', 'Gone Rep', phoneburner_credential => 'gone');
SELECT dialer.update_rep('gone@sourceco.example', active => false);
SELECT dialer.set_rep_time_zone('sarah@sourceco.example', 'America/New_York');
SELECT dialer.configure('crm.contacts');
SELECT dialer.configure_list_size(5000);
SELECT dialer.configure_session_idle_days(21);
SELECT dialer.configure_writeback('crm.writeback(text, jsonb)', 'the CRM''s hook');
SELECT dialer.map_disposition('Gatekeeper', 'callback');
SELECT dialer.map_disposition('Busy', 'no_answer');
SELECT dialer.add_suppression('(919) 555-0024', 'internal', 'Asked not to be called');
SELECT dialer.add_suppression('(919) 555-0023', 'internal', 'Wrong number');
SELECT dialer.remove_suppression('(919) 555-0023', 'Right number after all');
-- An admin's change to a shipped smart list.
SELECT dialer.update_segment((SELECT min(id) FROM dialer.segments WHERE builtin), description => 'Our buyers gone quiet');
RESET SESSION AUTHORIZATION;

-- The app, acting for its reps.
SET SESSION AUTHORIZATION pgdialer_upgrade_app;
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.create_list('Sarah''s buyers', true, 'Hot buyers') AS list \gset
SELECT dialer.add_to_list(:list, ARRAY[1, 2, 3, 4, 5, 6]);
SELECT dialer.remove_from_list(:list, ARRAY[6]);
SELECT dialer.create_segment('Engaged buyers', '{"field": "engagement_score", "op": "gt", "value": 50}', true,
                             'Score over 50') AS segment \gset
SELECT dialer.create_template('Daily buyers', 'Buyers {Date}',
                              '{"every": "day", "at": "08:00", "time_zone": "America/New_York"}',
                              list_id => :list, push_options => '{"min_days": 0}') AS template \gset
SELECT dialer.run_template_now(:template) ->> 'status' AS template_run;
SELECT dialer.create_session('Sarah''s callbacks', 'Callbacks this week') AS manual_session \gset
SELECT dialer.rename_session(:manual_session, 'Sarah''s callbacks (Feb)');
-- A push with an override, by the list.
SELECT dialer.push(array_agg(c ORDER BY id), 'PE Buyers - Feb 2026 Outreach',
                   options => '{"include": ["3"], "override_reason": "Asked us to call back",
                                "filters": {"industry": "Business Services"}}') AS job
FROM crm.contacts c WHERE id <= 12 \gset
SELECT dialer.push_status(:job) ->> 'session_id' AS session \gset
SELECT dialer.push_segment(:segment, 'Engaged buyers - Feb 2026') AS segment_job \gset
SET dialer.acting_user = 'mike@sourceco.example';
SELECT dialer.push_list(:list, 'Mike''s pick of Sarah''s list') AS mike_job \gset
RESET dialer.acting_user;
RESET SESSION AUTHORIZATION;

-- pgdialer-sync: the version handshake, the pushes, a launch, call events,
-- write-backs, the template due.
SET SESSION AUTHORIZATION pgdialer_upgrade_sync;
SELECT dialer.daemon_hello('1.0.0', 'host-a/1/x', '1.0', '2.0') IS NOT NULL AS said_hello;
-- A job claimed and given back (a graceful shutdown).
SELECT dialer.release_push_job(j.id, 'worker-1') FROM dialer.claim_push_job('worker-1') j;
CREATE TEMP TABLE done_jobs (id bigint);
-- Every queued push, pushed: each item created in PhoneBurner.
DO $$
DECLARE
    job record;
    n   integer := 0;
BEGIN
    LOOP
        SELECT * INTO job FROM dialer.claim_push_job('worker-1');
        EXIT WHEN job.id IS NULL OR n > 20;
        n := n + 1;
        IF job.kind = 'push' THEN
            PERFORM dialer.set_session_folder(job.id, 'worker-1', 'folder-' || job.session_id);
            PERFORM dialer.set_push_step(job.id, 'worker-1', 'Creating contacts in PhoneBurner');
            PERFORM dialer.record_push_item(job.id, 'worker-1', i.list_position, 'created', 'pb-' || i.contact_id)
            FROM dialer.push_job_items(job.id, 'worker-1') i;
        END IF;
        PERFORM dialer.finish_push_job(job.id, 'worker-1');
        INSERT INTO done_jobs VALUES (job.id);
    END LOOP;
END
$$;
SELECT count(*) AS pushes_done FROM done_jobs;
RESET SESSION AUTHORIZATION;

-- The rep launches the session; the daemon creates its dial session.
SET SESSION AUTHORIZATION pgdialer_upgrade_app;
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.launch(:session) AS launch_job \gset
RESET dialer.acting_user;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pgdialer_upgrade_sync;
SELECT id = :launch_job AS claimed_the_launch FROM dialer.claim_push_job('worker-1');
SELECT dialer.prepare_launch(:launch_job, 'worker-1') AS contacts_to_launch;
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'sending');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'created', 'ds-1', 0, 'https://pb.example/login/one');
SELECT dialer.finish_push_job(:launch_job, 'worker-1');

-- Calls: the webhook events pgdialer-sync normalizes, for contacts 1 and 7
-- (7's write-back fails: the hook refuses it).
CREATE FUNCTION pg_temp.call(call_id text, lead_id text, disposition text) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'event', 'api_calldone', 'source', 'account', 'session_id', NULL,
        'received_at', '2026-02-20T16:00:00.000001Z', 'time_zone', 'America/Chicago',
        'call_id', call_id, 'dial_session_id', 'ds-1', 'phoneburner_contact_id', 'pb-' || lead_id,
        'lead_id', lead_id, 'sourceco_contact_id', NULL, 'folder_id', NULL, 'custom_data', NULL,
        'agent_name', 'Sarah Johnson', 'agent_id', '501', 'start_time', '2026-02-20 09:00:00',
        'end_time', '2026-02-20 09:02:00', 'duration_seconds', 120, 'connected', true,
        'disposition', disposition, 'notes', 'Spoke with them', 'recording_url', NULL, 'phone', NULL,
        'raw', jsonb_build_object('call_id', call_id))
$$;
SELECT dialer.record_call_event(pg_temp.call('c1', '1', 'Interested'));
SELECT dialer.record_call_event(pg_temp.call('c2', '7', 'Left Message'));
SELECT dialer.record_call_event(pg_temp.call('c3', '5', 'Mystery outcome'));
SELECT dialer.apply_writebacks() AS applied;
SELECT dialer.write_contact_state('8', '{"phone_number_invalid": true, "phone_invalid_reason": "disconnected"}');
SELECT dialer.run_due_templates('worker-1') >= 0 AS templates_checked;
RESET SESSION AUTHORIZATION;

-- The admin retries the failed write-back (it fails again: kept) and
-- reassigns Mike's session; the rep pauses and resumes hers.
SET SESSION AUTHORIZATION pgdialer_upgrade_admin;
SELECT dialer.retry_writebacks() AS retried;
SELECT dialer.assign_session((dialer.push_status(:mike_job) ->> 'session_id')::bigint, 'sarah@sourceco.example',
                             'Mike is out this week');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION pgdialer_upgrade_app;
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.pause_session(:manual_session);
SELECT dialer.resume_session(:manual_session);
RESET dialer.acting_user;
RESET SESSION AUTHORIZATION;
