-- The write-back's list-builder fields: the disposition text
-- (last_disposition) besides the outcome, and for a callback PhoneBurner
-- dated, next_action_type 'call' and next_action_date; as the default hook
-- keeps them in dialer.contact_state (the smart lists read them).
CREATE SCHEMA test_writeback_fields;
SET search_path TO test_writeback_fields;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = ISO;
\i sql/include/reset.sql

-- One normalized api_calldone from the account hook, for contact `lead`.
CREATE FUNCTION calldone(call_id text, lead text, disposition text, start_time text, callback_date text DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    SELECT dialer.record_call_event(jsonb_strip_nulls(jsonb_build_object(
        'event', 'api_calldone', 'source', 'account', 'received_at', '2026-02-20T16:00:00Z',
        'time_zone', 'America/Chicago', 'call_id', call_id, 'lead_id', lead, 'disposition', disposition,
        'start_time', start_time, 'callback_date', callback_date, 'raw', '{}'::jsonb)))
$$;
CREATE VIEW state AS
SELECT contact_id, last_contact_outcome, last_disposition, next_action_type, next_action_date, last_call_attempt_at
FROM dialer.contact_state ORDER BY contact_id;

-- A callback with a date: next action "call" on that date; the text too.
SELECT calldone('c1', '1', 'Call Back Later', '2026-02-20 09:00:00', '2026-02-23 10:30:00');
-- A callback PhoneBurner sent no date for: the outcome, no next action.
SELECT calldone('c2', '2', 'Callback', '2026-02-20 09:05:00');
-- A date on a call that is not a callback is not a next action.
SELECT calldone('c3', '3', 'Not a Fit', '2026-02-20 09:10:00', '2026-03-01');
-- A disposition the map does not know: its text still reaches the contact.
SELECT calldone('c4', '4', 'Gatekeeper', '2026-02-20 09:15:00');
SELECT * FROM state;
SELECT call_id, outcome, callback_date FROM dialer.call_activity ORDER BY call_id;

-- A later call replaces the disposition (and keeps the next action, which
-- only a newer dated callback changes); an older call arriving late
-- changes neither.
SELECT calldone('c5', '1', 'Interested', '2026-02-21 09:00:00');
SELECT calldone('c6', '1', 'Call Back', '2026-02-19 09:00:00', '2026-02-20');
SELECT * FROM state WHERE contact_id = '1';
SELECT calldone('c7', '1', 'Call Back', '2026-02-22 09:00:00', '2026-03-02');
SELECT * FROM state WHERE contact_id = '1';

-- The callback date's shape is checked like the other keys (22023).
SELECT calldone('c8', '5', 'Call Back', '2026-02-20 09:00:00', 'next Tuesday');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT calldone('c9', '5', 'Call Back', '2026-02-20 09:00:00', '2026-02-30');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT calldone('c10', '5', 'Call Back', '2026-02-20 09:00:00', '0000-00-00 00:00:00');
SELECT contact_id, next_action_type, next_action_date FROM state WHERE contact_id = '5';

-- What an app's own hook is handed.
CREATE TABLE hook_log (n serial, contact_id text, changes jsonb);
CREATE FUNCTION app_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE sql
AS $$ INSERT INTO test_writeback_fields.hook_log (contact_id, changes) VALUES (contact_id, changes) $$;
SELECT dialer.configure_writeback('app_hook(text, jsonb)');
SELECT calldone('c11', '6', 'Call Back', '2026-02-20 09:00:00', '2026-02-24');
SELECT contact_id, changes FROM hook_log ORDER BY n;

\i sql/include/reset.sql
DROP SCHEMA test_writeback_fields CASCADE;
RESET search_path;
