-- Shared numbers (a firm's switchboard): contacts of one list at one number
-- are grouped in the preview (shared_numbers), the first kept and the others
-- held back as before; a call on a shared number is recorded against the
-- contact PhoneBurner dialed, while do-not-call and wrong number still apply
-- to the number.
CREATE SCHEMA test_shared_numbers;
SET search_path TO test_shared_numbers;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql

CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, company text, phone text,
    do_not_call boolean
);
INSERT INTO contacts VALUES
 (1, 'buyer', 'Ann', 'Ames', 'Harbor Capital', '(212) 555-0100', false),
 (2, 'buyer', 'Ben', 'Burr', 'Harbor Capital', '212.555.0100',   false),
 (3, 'buyer', 'Cy',  'Cole', 'Harbor Capital', '+1 212 555 0100', false),
 (4, 'buyer', 'Dee', 'Dunn', 'Pine Partners',  '(212) 555-0104', false),
 (5, 'buyer', 'Eve', 'Eng',  'Pine Partners',  '(212) 555-0104', true),   -- do not call: excluded for that
 (6, 'buyer', 'Fay', 'Fox',  'Oak Group',      '(646) 555-0106', false),
 (7, 'buyer', NULL,  NULL,   'Oak Group',      '646-555-0106',   false);

-- 1. The section: one group per shared number, in the order the second
--    contact came, with who is kept (the first in array order).
SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2026-02-20 12:00+00"}') -> 'shared_numbers')
FROM contacts c;
-- The duplicate-number exclusion stays the default, its four categories as they are.
SELECT p -> 'ready' AS ready, p -> 'excluded_by_category' AS by_category,
       (SELECT jsonb_agg(e ->> 'contact_id' || ': ' || (e ->> 'reason') ORDER BY (e ->> 'contact_id')::int)
        FROM jsonb_array_elements(p -> 'exclusions') e) AS exclusions
FROM (SELECT dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2026-02-20 12:00+00"}') AS p FROM contacts c) x;
-- Array order decides who is kept.
SELECT p #>> '{shared_numbers,groups,0,kept,contact_id}' AS kept, p #>> '{shared_numbers,groups,0,summary}' AS summary
FROM (SELECT dialer.preview(array_agg(c ORDER BY id DESC)) AS p FROM contacts c WHERE id <= 3) x;
-- Always present: without sharing, and for an empty list.
SELECT dialer.preview(array_agg(c)) -> 'shared_numbers' AS none_shared FROM contacts c WHERE id IN (1, 4, 6);
SELECT dialer.preview(NULL::contacts[]) -> 'shared_numbers' AS empty_list;
-- The aggregate says the same.
SELECT (SELECT dialer.preview_agg(c, '{}' ORDER BY id) FROM contacts c) -> 'shared_numbers'
     = (SELECT dialer.preview(array_agg(c ORDER BY id)) FROM contacts c) -> 'shared_numbers' AS same;
-- A contact excluded for another reason keeps that reason and is not
-- grouped: 5 (do not call) beside 4, and 7 (no name) beside 6 above.
SELECT p #> '{shared_numbers,numbers}' AS numbers, p -> 'ready' AS ready
FROM (SELECT dialer.preview(array_agg(c ORDER BY id)) AS p FROM contacts c WHERE id IN (4, 5)) x;

-- 2. The push holds back the same contacts: 1, 4 and 6 are pushed.
SELECT dialer.configure('contacts');
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c ORDER BY id), 'Harbor') AS job FROM contacts c \gset
SELECT contact_id FROM dialer.push_items WHERE job_id = :job ORDER BY list_position;
SELECT jsonb_pretty(excluded) FROM dialer.push_jobs WHERE id = :job;
SELECT id = :job AS claimed FROM dialer.claim_push_job('worker-1');
SELECT dialer.set_session_folder(:job, 'worker-1', 'folder-1');
SELECT count(*) FILTER (WHERE ok) AS recorded
FROM (SELECT dialer.record_push_item(:job, 'worker-1', list_position, 'created', 'pb-' || contact_id) AS ok
      FROM dialer.push_items WHERE job_id = :job) r;
SELECT dialer.finish_push_job(:job, 'worker-1');

-- 3. A call on the shared number is the dialed contact's: PhoneBurner
--    dialed contact 1, so the call and its attempt are 1's, not 2's or 3's.
CREATE FUNCTION ev(fields jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object(
        'event', 'api_calldone', 'source', 'account', 'session_id', NULL,
        'received_at', '2026-02-20T16:00:00.000001Z', 'time_zone', 'UTC',
        'call_id', NULL, 'dial_session_id', NULL, 'phoneburner_contact_id', NULL, 'lead_id', NULL,
        'sourceco_contact_id', NULL, 'folder_id', 'folder-1', 'custom_data', NULL,
        'agent_name', 'Sarah Johnson', 'agent_id', '501', 'start_time', NULL, 'end_time', NULL,
        'duration_seconds', NULL, 'connected', NULL, 'disposition', NULL, 'notes', NULL,
        'recording_url', NULL, 'phone', NULL, 'raw', '{}'::jsonb) || fields
$$;
SELECT dialer.record_call_event(ev('{"call_id": "s1", "lead_id": "1", "phoneburner_contact_id": "pb-1",
    "phone": "2125550100", "start_time": "2026-02-20 15:00:00", "end_time": "2026-02-20 15:01:00",
    "duration_seconds": 60, "connected": false, "disposition": "No Answer"}'));
SELECT dialer.apply_writebacks() >= 0 AS applied;
SELECT call_id, contact_id, outcome FROM dialer.call_activity ORDER BY call_id;
SELECT contact_id, last_call_attempt_at, last_contact_outcome, do_not_call
FROM dialer.contact_state WHERE contact_id IN ('1', '2', '3') ORDER BY contact_id;

-- 4. Do not call on the shared number still applies to the number: every
--    contact at it is DNC (requested) and the number is suppressed. The
--    suppression counts from the next statement, before any write-back.
SELECT dialer.record_call_event(ev('{"call_id": "s2", "lead_id": "1", "phoneburner_contact_id": "pb-1",
    "phone": "2125550100", "start_time": "2026-02-20 15:10:00", "end_time": "2026-02-20 15:12:00",
    "duration_seconds": 120, "connected": true, "disposition": "DNC"}'));
SELECT id, (dialer.exclusion(c, 0)).category AS category FROM contacts c WHERE id <= 3 ORDER BY id;
SELECT phone_e164, source, call_id FROM dialer.suppressions;
-- Its audit row says when the call ended and how long after it the opt-out was recorded.
SELECT object_id, details ->> 'call_id' AS call_id, (details ->> 'called_at')::timestamptz AS called_at,
       (details ->> 'seconds_after_call')::numeric
         = round(extract(epoch FROM acted_at - '2026-02-20 15:12:00+00'::timestamptz)) AS seconds_after_call_right
FROM dialer.audit_log WHERE action = 'suppression_added';
SELECT dialer.apply_writebacks() >= 0 AS applied;
SELECT contact_id, do_not_call, do_not_call_source FROM dialer.contact_state
WHERE contact_id IN ('1', '2', '3') ORDER BY contact_id;
SELECT count(*) AS calls_of_contact_1 FROM dialer.call_activity WHERE contact_id = '1';
SELECT count(*) AS calls_of_others FROM dialer.call_activity WHERE contact_id IN ('2', '3');

-- 5. Wrong number on a shared number: both contacts at it are flagged.
SELECT dialer.record_call_event(ev('{"call_id": "s3", "lead_id": "6", "phoneburner_contact_id": "pb-6",
    "phone": "6465550106", "start_time": "2026-02-20 15:20:00", "end_time": "2026-02-20 15:21:00",
    "duration_seconds": 60, "connected": true, "disposition": "Wrong Number"}'));
SELECT dialer.apply_writebacks() >= 0 AS applied;
SELECT contact_id, last_contact_outcome, phone_number_invalid FROM dialer.contact_state
WHERE contact_id IN ('6', '7') ORDER BY contact_id;

RESET dialer.acting_user;
RESET search_path;
