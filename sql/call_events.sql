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

-- The events pgdialer-sync sends come from the webhook contract: PhoneBurner
-- bodies and the normalized events they must become, the files the daemon's
-- normalizer tests read too (tests/contract/README.md; pg_regress runs psql
-- from the repository root). ev() above is kept for what the normalizer
-- never sends. event_of(name): that pair's event, with its body as raw.
\set pairs `tests/contract/pairs-json.sh webhook-events`
CREATE TABLE pairs AS SELECT key AS name, value AS pair FROM jsonb_each(:'pairs'::jsonb);
CREATE FUNCTION event_of(pair_name text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    found_event jsonb;
BEGIN
    SELECT (p.pair -> 'event') || jsonb_build_object('raw', p.pair -> 'body') INTO found_event
    FROM pairs p WHERE p.name = pair_name AND p.pair ? 'event';
    IF found_event IS NULL THEN
        RAISE EXCEPTION 'no contract pair "%" with an event', pair_name;
    END IF;
    RETURN found_event;
END
$$;

-- 0. Every pair's event on its own, undone again: what record_call_event
--    answers, or its error. The sections below record them one by one.
CREATE FUNCTION recorded_alone(event jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    answer text;
BEGIN
    BEGIN
        answer := dialer.record_call_event(event);
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN OTHERS THEN
        RETURN coalesce(answer, SQLSTATE || ': ' || SQLERRM);
    END;
END
$$;
SELECT name, recorded_alone(event_of(name)) AS alone FROM pairs WHERE pair ? 'event' ORDER BY name COLLATE "C";

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
SELECT dialer.record_call_event(event_of('empty-object'));
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
SELECT dialer.record_call_event(event_of('start-time-not-a-date'));
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
SELECT dialer.record_call_event(event_of('c1-calldone-account'));
SELECT * FROM calls;
SELECT * FROM state WHERE contact_id = '1';
SELECT last_activity_at, last_activity_by FROM dialer.sessions;

-- 3. The same delivery again changes nothing.
SELECT dialer.record_call_event(event_of('c1-calldone-again'));
SELECT count(*) AS deliveries, count(DISTINCT idempotency_key) AS keys FROM dialer.webhook_events;
SELECT call_id, disposition, outcome FROM calls;

-- 4. calldone before callbegin (contact by the sourceco_contact_id custom
--    field, session by our custom_data): calldone's facts stay.
SELECT dialer.record_call_event(event_of('c2-calldone-session'));
SELECT dialer.record_call_event(event_of('c2-callbegin-session'));
SELECT * FROM calls WHERE call_id = 'c2';
SELECT notes, recording_url, dial_session_id FROM dialer.call_activity WHERE call_id = 'c2';
SELECT event, source, idempotency_key, session_id, contact_id, result FROM dialer.webhook_events ORDER BY id;

-- ... and callbegin before calldone fills the same row the same way.
SELECT dialer.record_call_event(event_of('c3-callbegin-account'));
SELECT * FROM calls WHERE call_id = 'c3';
SELECT * FROM state WHERE contact_id = '3';
-- (Inline: the normalizer trims texts, so it never sends this disposition; the database trims too.)
SELECT dialer.record_call_event(ev('{"call_id": "c3", "lead_id": "3", "phoneburner_contact_id": "pb-3",
    "start_time": "2026-02-20 11:00:00", "end_time": "2026-02-20 11:03:42", "duration_seconds": 222,
    "connected": true, "disposition": "  appointment "}'));
SELECT * FROM calls WHERE call_id = 'c3';
SELECT * FROM state WHERE contact_id = '3';

-- 5. An older call delivered late never overwrites a newer one's facts:
--    contact 2's outcome and the session's last activity stay.
SELECT dialer.record_call_event(event_of('c0-calldone-late'));
SELECT * FROM state WHERE contact_id = '2';
SELECT last_activity_at, last_activity_by FROM dialer.sessions;

-- 6. Only PhoneBurner's contact id: contact and session from contact_links.
SELECT dialer.record_call_event(event_of('c4-calldone-phoneburner-contact-only'));
SELECT call_id, session_id, contact_id, outcome FROM calls WHERE call_id = 'c4';

-- 7. Unmatched: kept for review. Its callbegin, matched, completes the call.
SELECT dialer.record_call_event(event_of('c5-calldone-unknown-contact'));
SELECT result, session_id, contact_id FROM dialer.webhook_events WHERE call_id = 'c5';
SELECT * FROM calls WHERE call_id = 'c5';
SELECT dialer.record_call_event(event_of('c5-callbegin-account'));
SELECT * FROM calls WHERE call_id = 'c5';
SELECT * FROM state WHERE contact_id = '4';

-- 8. api_contact_displayed: recorded once per dial session and contact, no call.
SELECT dialer.record_call_event(event_of('contact-displayed-session'));
SELECT dialer.record_call_event(event_of('contact-displayed-session'));
SELECT idempotency_key, session_id, contact_id, result FROM dialer.webhook_events
WHERE event = 'api_contact_displayed';
SELECT count(*) AS calls FROM dialer.call_activity;

-- 9. A wrong number flags the phone invalid for every contact with it
--    (6 shares 5's number; the relation has no phone_e164: numbers are parsed).
SELECT dialer.record_call_event(event_of('c6-calldone-bad-number'));
SELECT contact_id, last_contact_outcome, phone_number_invalid, phone_invalid_reason
FROM state WHERE contact_id IN ('5', '6', '7');
SELECT count(*) AS suppressed FROM dialer.suppressions;

-- 10. Do not call: DNC (source requested) for the contact and everyone with the
--     number, found by phone_e164 when the relation has it (9 has no phone,
--     only phone_e164), and the number suppressed.
ALTER TABLE contacts ADD COLUMN phone_e164 text;
UPDATE contacts SET phone_e164 = dialer.e164(phone);
INSERT INTO contacts (id, first_name, last_name, phone, phone_e164) VALUES (9, 'Ann', 'Lee', NULL, '+19195550107');
SELECT dialer.record_call_event(event_of('c7-calldone-do-not-call'));
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
SELECT dialer.record_call_event(event_of('c8-calldone-gatekeeper'));
-- (Inline: an untrimmed text, which the normalizer never sends.)
SELECT dialer.record_call_event(ev('{"call_id": "c9", "lead_id": "1", "folder_id": "folder-1",
    "start_time": "2026-02-20 14:30:00", "duration_seconds": 50, "connected": true, "disposition": "gatekeeper "}'));
SELECT * FROM dialer.unmapped_dispositions;
SELECT last_call_attempt_at, last_contact_outcome FROM state WHERE contact_id = '1';
SELECT dialer.map_disposition('GATEKEEPER', 'callback') AS remapped;
-- The effects wait for pgdialer-sync (woken by NOTIFY dialer_writeback),
-- which runs the hook with its own rights; here the test plays the daemon.
SELECT dialer.apply_writebacks() AS applied;
SELECT * FROM dialer.unmapped_dispositions;
SELECT call_id, outcome FROM calls WHERE call_id IN ('c8', 'c9');
SELECT last_call_attempt_at, last_contact_outcome FROM state WHERE contact_id = '1';
-- Defaults are not edited in place (a dump would lose it); an admin row wins.
UPDATE dialer.disposition_map SET outcome = 'callback' WHERE disposition = 'Busy';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.map_disposition('busy', 'callback') AS remapped;
SELECT dialer.apply_writebacks() AS applied;
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
SELECT dialer.record_call_event(event_of('c10-calldone-qualified'));
SELECT contact_id, changes FROM hook_log ORDER BY n;
-- A hook that fails loses nothing: the event is recorded, the failure kept
-- (and warned about), and applied again once the hook works.
SELECT dialer.record_call_event(event_of('c11-calldone-meeting-set'));
SELECT call_id, contact_id, outcome FROM calls WHERE call_id = 'c11';
SELECT result, writeback_error FROM dialer.webhook_events WHERE call_id = 'c11';
SELECT contact_id, changes, hook, sqlstate, error, webhook_event_id IS NOT NULL AS from_event, resolved_at
FROM dialer.writeback_failures;
SELECT dialer.retry_writebacks() AS still_failing_retried;
SELECT dialer.apply_writebacks() AS applied;
SELECT attempts, resolved_at FROM dialer.writeback_failures;
CREATE OR REPLACE FUNCTION app_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO hook_log (contact_id, changes) VALUES (contact_id, changes)
$$;
SELECT dialer.retry_writebacks() AS retried;
SELECT dialer.apply_writebacks() AS applied;
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
SELECT dialer.record_call_event(event_of('c12-calldone-no-answer'));
SELECT contact_id, sqlstate, error FROM dialer.writeback_failures WHERE resolved_at IS NULL;
SELECT dialer.configure_writeback(NULL);
SELECT writeback_hook FROM dialer.configuration;
SELECT dialer.retry_writebacks() AS retried_with_the_default;
SELECT dialer.apply_writebacks() AS applied;
SELECT last_contact_outcome FROM state WHERE contact_id = '12';

-- 14. The do-not-call / wrong-number fan-out without a phone_e164 column
--     parses only the rows whose digits end like the number, and every row
--     typed with other characters (extensions, letters, other scripts' digits):
--     the same contacts as parsing every row.
CREATE TABLE fanout (id bigint PRIMARY KEY, phone text);
INSERT INTO fanout VALUES
 (1, '(919) 555-0199'), (2, '919.555.0199'), (3, '+1 919 555 0199'), (4, '1-919-555-0199'),
 (5, '011 1 919 555 0199'), (6, '9195550199'), (7, '(919) 555-0199 x12'), (8, '919-555-0199 ext. 7'),
 (9, E'\uFF19\uFF11\uFF19\uFF15\uFF15\uFF15\uFF10\uFF11\uFF19\uFF19'), (10, '+1 (919) 555-0199;ext=3'),
 (11, '919/555/0199'), (12, '919-555-0198'), (13, '+44 20 7946 0199'), (14, '+44 (0)20 7946 0199'),
 (15, NULL), (16, ''), (17, '0199'), (18, '+54 9 11 2345-6789'), (19, '+54 (011) 15 2345-6789'),
 (20, '1-800-FLOWERS'), (21, '1 800 356 9377'), (22, '+1 919 555 0199 #4');
SELECT dialer.configure('fanout');
SELECT n AS number, array(SELECT dialer._contacts_with_number(n, NULL)) AS contacts,
       array(SELECT id::text FROM fanout WHERE dialer.e164(phone) = n ORDER BY 1)
         = array(SELECT dialer._contacts_with_number(n, NULL)) AS same_as_parsing_every_row
FROM (SELECT DISTINCT dialer.e164(phone) AS n FROM fanout WHERE dialer.e164(phone) IS NOT NULL) numbers
ORDER BY n;
SELECT array(SELECT dialer._contacts_with_number('+19195550199', '1')) AS except_contact_1;
SELECT dialer.configure('contacts');

RESET search_path;
RESET TimeZone;
