-- dialer.record_call_event: PhoneBurner webhooks, normalized by pgdialer-sync,
-- into webhook_events and call_activity, and their effects on contacts
-- through the write-back hook.
CREATE SCHEMA test_call_events;
SET search_path TO test_call_events;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql

CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, company text, phone text
);
INSERT INTO contacts VALUES
 (1, 'buyer', 'John',    'Smith',  'Heritage Capital', '(919) 555-0101'),
 (2, 'buyer', 'Emily',   'Chen',   'Summit Partners',  '(919) 555-0102'),
 (3, 'buyer', 'Michael', 'Brown',  'KKR',              '(919) 555-0103'),
 (4, 'buyer', 'Sarah',   'Davis',  'TPG',              '(919) 555-0104'),
 (5, 'buyer', 'Tom',     'Wilson', 'Bain Capital',     '(919) 555-0105'),
 (6, 'buyer', 'Tina',    'Wilson', 'Bain Capital',     '919.555.0105'),     -- 5's number
 (7, 'buyer', 'Pia',     'Stone',  'Apollo',           '(919) 555-0107'),
 (8, 'buyer', 'Paul',    'Stone',  'Apollo',           '+1 919 555 0107');  -- 7's number
SELECT dialer.configure('contacts');
SET dialer.acting_user = 'sarah@sourceco.example';

-- A session pushed into PhoneBurner (the daemon simulated). 6 and 8 share a
-- number with 5 and 7 and are held back as duplicates.
SELECT dialer.push(array_agg(c ORDER BY id), 'PE Buyers - Feb 2026 Outreach') AS job FROM contacts c \gset
SELECT id = :job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.set_session_folder(:job, 'worker-1', 'folder-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:job, 'worker-1', list_position, 'created', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :job) r;
SELECT dialer.finish_push_job(:job, 'worker-1');
UPDATE dialer.sessions SET last_activity_at = '2026-02-01 00:00Z', last_activity_by = NULL;

-- The default hook wrote each PhoneBurner id back, as the spec's API flow does.
SELECT contact_id, phoneburner_contact_id, phoneburner_last_sync_at IS NOT NULL AS synced
FROM dialer.contact_state ORDER BY contact_id;

-- The normalized event: every key, absent values null (the contract's shape).
CREATE FUNCTION ev(fields jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'event', 'api_calldone', 'source', 'account', 'session_id', NULL,
        'received_at', '2026-02-20T16:00:00.000001Z', 'time_zone', 'America/Chicago',
        'call_id', NULL, 'dial_session_id', NULL, 'phoneburner_contact_id', NULL, 'lead_id', NULL,
        'sourceco_contact_id', NULL, 'folder_id', NULL, 'custom_data', NULL,
        'agent_name', 'Sarah Johnson', 'agent_id', '501', 'start_time', NULL, 'end_time', NULL,
        'duration_seconds', NULL, 'connected', NULL, 'disposition', NULL, 'notes', NULL,
        'recording_url', NULL, 'phone', NULL, 'raw', '{}'::jsonb) || fields
$$;
CREATE VIEW calls AS
SELECT call_id, session_id, contact_id, agent_name, started_at, ended_at, duration_seconds AS secs,
       connected, disposition, outcome, began_received_at IS NOT NULL AS began, done_received_at IS NOT NULL AS done
FROM dialer.call_activity ORDER BY call_id;
CREATE VIEW state AS
SELECT contact_id, last_call_attempt_at, last_contact_method, last_contact_outcome, phone_number_invalid,
       phone_invalid_reason, do_not_call, do_not_call_source, do_not_call_reason
FROM dialer.contact_state ORDER BY contact_id;

-- 1. Shapes that are not the contract's are 22023 (rejected, not retried).
SELECT dialer.record_call_event(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event('[1, 2]');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"event": "api_callended", "call_id": "x"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"source": null, "call_id": "x"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"received_at": "yesterday-ish", "call_id": "x"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"received_at": null, "call_id": "x"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": null}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "  "}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "duration_seconds": "93"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "duration_seconds": -1}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "connected": "1"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": {"id": 1}}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "custom_data": false}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "start_time": "02/20/2026 09:00"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "start_time": "2026-02-30 09:00:00"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "time_zone": "Mars/Olympus_Mons", "start_time": "2026-02-20 09:00:00"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "time_zone": null, "start_time": "2026-02-20 09:00:00"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "source": "session"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"call_id": "x", "source": "session", "session_id": 1.5}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event(ev('{"event": "api_contact_displayed", "phoneburner_contact_id": "pb-1"}'));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS nothing_stored FROM dialer.webhook_events;

-- 2. A calldone from the account-level webhook (a rep dialing the folder):
--    contact by lead_id, session by folder; times read in Central time.
SELECT dialer.record_call_event(ev('{"call_id": "c1", "lead_id": "1", "folder_id": "folder-1",
    "phoneburner_contact_id": "pb-1", "start_time": "2026-02-20 09:00:00", "end_time": "2026-02-20 09:00:40",
    "duration_seconds": 40, "connected": false, "disposition": "No Answer", "phone": "9195550101"}'));
SELECT * FROM calls;
SELECT * FROM state WHERE contact_id = '1';
SELECT last_activity_at, last_activity_by FROM dialer.sessions;

-- 3. The same delivery again changes nothing.
SELECT dialer.record_call_event(ev('{"call_id": "c1", "lead_id": "1", "folder_id": "folder-1",
    "start_time": "2026-02-20 09:00:00", "disposition": "Interested", "received_at": "2026-02-20T17:00:00Z"}'));
SELECT count(*) AS deliveries, count(DISTINCT idempotency_key) AS keys FROM dialer.webhook_events;
SELECT call_id, disposition, outcome FROM calls;

-- 4. calldone before callbegin (contact by the sourceco_contact_id custom
--    field, session by our custom_data): calldone's facts stay.
SELECT dialer.record_call_event(ev('{"call_id": "c2", "source": "session", "session_id": 1,
    "dial_session_id": "ds-9", "sourceco_contact_id": "2", "custom_data": {"pgdialer_session_id": 1},
    "start_time": "2026-02-20 10:00:00", "end_time": "2026-02-20 10:05:18", "duration_seconds": 318,
    "connected": true, "disposition": "Interested", "notes": "Send the collision repair memo",
    "recording_url": "https://pb.example/rec/c2"}'));
SELECT dialer.record_call_event(ev('{"event": "api_callbegin", "call_id": "c2", "source": "session", "session_id": 1,
    "dial_session_id": "ds-9", "sourceco_contact_id": "2", "agent_name": "Somebody Else",
    "start_time": "2026-02-20 09:59:00", "received_at": "2026-02-20T16:00:01Z"}'));
SELECT * FROM calls WHERE call_id = 'c2';
SELECT notes, recording_url, dial_session_id FROM dialer.call_activity WHERE call_id = 'c2';
SELECT event, source, idempotency_key, session_id, contact_id, result FROM dialer.webhook_events ORDER BY id;

-- ... and callbegin before calldone fills the same row the same way.
SELECT dialer.record_call_event(ev('{"event": "api_callbegin", "call_id": "c3", "lead_id": "3",
    "start_time": "2026-02-20 11:00:00", "phoneburner_contact_id": "pb-3"}'));
SELECT * FROM calls WHERE call_id = 'c3';
SELECT * FROM state WHERE contact_id = '3';
SELECT dialer.record_call_event(ev('{"call_id": "c3", "lead_id": "3", "phoneburner_contact_id": "pb-3",
    "start_time": "2026-02-20 11:00:00", "end_time": "2026-02-20 11:03:42", "duration_seconds": 222,
    "connected": true, "disposition": "  appointment "}'));
SELECT * FROM calls WHERE call_id = 'c3';
SELECT * FROM state WHERE contact_id = '3';

-- 5. An older call delivered late never overwrites a newer one's facts:
--    contact 2's outcome and the session's last activity stay.
SELECT dialer.record_call_event(ev('{"call_id": "c0", "lead_id": "2", "folder_id": "folder-1",
    "agent_name": "Mike Chen", "start_time": "2026-02-19 15:00:00", "end_time": "2026-02-19 15:00:30",
    "duration_seconds": 30, "connected": false, "disposition": "Left Message"}'));
SELECT * FROM state WHERE contact_id = '2';
SELECT last_activity_at, last_activity_by FROM dialer.sessions;

-- 6. Only PhoneBurner's contact id: contact and session from contact_links.
SELECT dialer.record_call_event(ev('{"call_id": "c4", "phoneburner_contact_id": "pb-4",
    "start_time": "2026-02-20 12:00:00", "duration_seconds": 12, "connected": false, "disposition": "Busy"}'));
SELECT call_id, session_id, contact_id, outcome FROM calls WHERE call_id = 'c4';

-- 7. Unmatched: kept for review. Its callbegin, matched, completes the call.
SELECT dialer.record_call_event(ev('{"call_id": "c5", "phoneburner_contact_id": "pb-unknown",
    "start_time": "2026-02-20 12:10:00", "duration_seconds": 5, "connected": false, "disposition": "No Answer"}'));
SELECT result, session_id, contact_id FROM dialer.webhook_events WHERE call_id = 'c5';
SELECT * FROM calls WHERE call_id = 'c5';
SELECT dialer.record_call_event(ev('{"event": "api_callbegin", "call_id": "c5", "lead_id": "4", "folder_id": "folder-1",
    "start_time": "2026-02-20 12:10:00"}'));
SELECT * FROM calls WHERE call_id = 'c5';
SELECT * FROM state WHERE contact_id = '4';

-- 8. api_contact_displayed: recorded once per dial session and contact, no call.
SELECT dialer.record_call_event(ev('{"event": "api_contact_displayed", "source": "session", "session_id": 1,
    "dial_session_id": "ds-9", "phoneburner_contact_id": "pb-1", "agent_name": null, "agent_id": null}'));
SELECT dialer.record_call_event(ev('{"event": "api_contact_displayed", "source": "session", "session_id": 1,
    "dial_session_id": "ds-9", "phoneburner_contact_id": "pb-1", "agent_name": null, "agent_id": null}'));
SELECT idempotency_key, session_id, contact_id, result FROM dialer.webhook_events
WHERE event = 'api_contact_displayed';
SELECT count(*) AS calls FROM dialer.call_activity;

-- 9. A wrong number flags the phone invalid for every contact with it
--    (6 shares 5's number; the relation has no phone_e164: numbers are parsed).
SELECT dialer.record_call_event(ev('{"call_id": "c6", "lead_id": "5", "start_time": "2026-02-20 13:00:00",
    "duration_seconds": 20, "connected": true, "disposition": "Bad Number", "phone": "9195550105"}'));
SELECT contact_id, last_contact_outcome, phone_number_invalid, phone_invalid_reason
FROM state WHERE contact_id IN ('5', '6', '7');
SELECT count(*) AS suppressed FROM dialer.suppressions;

-- 10. Do not call: DNC (source requested) for the contact and everyone with the
--     number, found by phone_e164 when the relation has it (9 has no phone,
--     only phone_e164), and the number suppressed.
ALTER TABLE contacts ADD COLUMN phone_e164 text;
UPDATE contacts SET phone_e164 = dialer.e164(phone);
INSERT INTO contacts (id, first_name, last_name, phone, phone_e164) VALUES (9, 'Ann', 'Lee', NULL, '+19195550107');
SELECT dialer.record_call_event(ev('{"call_id": "c7", "lead_id": "7", "start_time": "2026-02-20 13:30:00",
    "duration_seconds": 45, "connected": true, "disposition": "Do Not Call", "phone": "9195550107"}'));
SELECT contact_id, last_contact_outcome, do_not_call, do_not_call_source, do_not_call_reason
FROM state WHERE contact_id IN ('7', '8', '9', '1');
SELECT phone_e164, source, reason, added_by, added_at, call_id FROM dialer.suppressions;
-- With the state joined in, the rules exclude all three, and not contact 1.
CREATE VIEW crm_contacts AS
SELECT c.*, s.do_not_call, s.do_not_call_source, s.do_not_call_reason, s.phone_number_invalid,
       s.phone_invalid_reason, s.last_call_attempt_at
FROM contacts c LEFT JOIN dialer.contact_state s ON s.contact_id = c.id::text;
SELECT id, (dialer.exclusion(c, 0)).* FROM crm_contacts c ORDER BY id;

-- 11. Dispositions: trimmed and case-insensitive; unmapped ones are listed,
--     still count as an attempt, and mapping them later re-maps the calls.
SELECT dialer.disposition_outcome('  LEFT MESSAGE '), dialer.disposition_outcome('Gatekeeper');
SELECT dialer.record_call_event(ev('{"call_id": "c8", "lead_id": "1", "folder_id": "folder-1",
    "start_time": "2026-02-20 14:00:00", "duration_seconds": 60, "connected": true, "disposition": "Gatekeeper"}'));
SELECT dialer.record_call_event(ev('{"call_id": "c9", "lead_id": "1", "folder_id": "folder-1",
    "start_time": "2026-02-20 14:30:00", "duration_seconds": 50, "connected": true, "disposition": "gatekeeper "}'));
SELECT * FROM dialer.unmapped_dispositions;
SELECT last_call_attempt_at, last_contact_outcome FROM state WHERE contact_id = '1';
SELECT dialer.map_disposition('GATEKEEPER', 'callback') AS remapped;
SELECT * FROM dialer.unmapped_dispositions;
SELECT call_id, outcome FROM calls WHERE call_id IN ('c8', 'c9');
SELECT last_call_attempt_at, last_contact_outcome FROM state WHERE contact_id = '1';
-- Defaults are not edited in place (a dump would lose it); an admin row wins.
UPDATE dialer.disposition_map SET outcome = 'callback' WHERE disposition = 'Busy';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.map_disposition('busy', 'callback') AS remapped;
SELECT call_id, outcome FROM calls WHERE call_id = 'c4';
SELECT dialer.map_disposition('Busy', 'sort of') AS remapped;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT disposition, outcome, is_default, updated_by FROM dialer.disposition_map
WHERE disposition_key IN ('busy', 'gatekeeper') ORDER BY disposition_key, is_default;
-- pg_dump keeps the admin's rows only (and every other table of this feature whole).
SELECT c.relname, x.condition
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(oid, condition)
JOIN pg_class c ON c.oid = x.oid
WHERE e.extname = 'pgdialer' AND c.relkind = 'r'
  AND c.relname IN ('disposition_map', 'webhook_events', 'call_activity', 'contact_state', 'suppressions',
                    'writeback_failures', 'session_changes', 'configuration')
ORDER BY c.relname;

-- 12. The write-back hook: the app's own function, checked when set.
CREATE FUNCTION wrong_args(id bigint, changes jsonb) RETURNS void LANGUAGE sql AS $$ SELECT $$;
CREATE FUNCTION wrong_result(id text, changes jsonb) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
SELECT dialer.configure_writeback('wrong_args(bigint, jsonb)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_writeback('wrong_result(text, jsonb)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE hook_log (n serial, contact_id text, changes jsonb);
CREATE FUNCTION app_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF contact_id = '13' THEN
        RAISE EXCEPTION 'contact 13 is locked' USING ERRCODE = '55P03';
    END IF;
    INSERT INTO hook_log (contact_id, changes) VALUES (contact_id, changes);
END
$$;
SELECT dialer.configure_writeback('app_hook(text, jsonb)');
SELECT writeback_hook FROM dialer.configuration;
SELECT dialer.record_call_event(ev('{"call_id": "c10", "lead_id": "12", "start_time": "2026-02-20 15:00:00",
    "duration_seconds": 70, "connected": true, "disposition": "Qualified"}'));
SELECT contact_id, changes FROM hook_log ORDER BY n;
-- A hook that fails loses nothing: the event is recorded, the failure kept
-- (and warned about), and applied again once the hook works.
SELECT dialer.record_call_event(ev('{"call_id": "c11", "lead_id": "13", "start_time": "2026-02-20 15:10:00",
    "duration_seconds": 80, "connected": true, "disposition": "Meeting Set"}'));
SELECT call_id, contact_id, outcome FROM calls WHERE call_id = 'c11';
SELECT result, writeback_error FROM dialer.webhook_events WHERE call_id = 'c11';
SELECT contact_id, changes, hook, sqlstate, error, webhook_event_id IS NOT NULL AS from_event, resolved_at
FROM dialer.writeback_failures;
SELECT dialer.retry_writebacks() AS still_failing_retried;
SELECT attempts, resolved_at FROM dialer.writeback_failures;
CREATE OR REPLACE FUNCTION app_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO hook_log (contact_id, changes) VALUES (contact_id, changes)
$$;
SELECT dialer.retry_writebacks() AS retried;
SELECT attempts, resolved_by, resolved_at IS NOT NULL AS resolved FROM dialer.writeback_failures;
SELECT contact_id, changes FROM hook_log WHERE contact_id = '13';
-- The push writes PhoneBurner ids through the same hook.
SELECT dialer.push(array_agg(c), session_id => 1) AS job2 FROM contacts c WHERE id = 1 \gset
SELECT id = :job2 AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.record_push_item(:job2, 'worker-1', 1, 'updated', 'pb-1');
SELECT contact_id, changes ? 'phoneburner_last_sync_at' AS sync_time, changes - 'phoneburner_last_sync_at' AS changes
FROM hook_log WHERE changes ? 'phoneburner_contact_id';
SELECT dialer.finish_push_job(:job2, 'worker-1');
-- A hook that was dropped is a failure like any other.
DROP FUNCTION app_hook(text, jsonb);
SELECT dialer.record_call_event(ev('{"call_id": "c12", "lead_id": "12", "start_time": "2026-02-20 15:20:00",
    "disposition": "No Answer"}'));
SELECT contact_id, sqlstate, error FROM dialer.writeback_failures WHERE resolved_at IS NULL;
SELECT dialer.configure_writeback(NULL);
SELECT writeback_hook FROM dialer.configuration;
SELECT dialer.retry_writebacks() AS retried_with_the_default;
SELECT last_contact_outcome FROM state WHERE contact_id = '12';

RESET search_path;
RESET TimeZone;
