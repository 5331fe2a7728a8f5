-- The dashboard views (session_stats, session_contacts, session_activity) and
-- dialer.session_export, against a truth computed by hand below.
CREATE SCHEMA test_session_stats;
SET search_path TO test_session_stats;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql

CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, company text, title text, email text, phone text
);
INSERT INTO contacts VALUES
 (1, 'John',    'Smith',  'Heritage Capital', 'Partner',   'john@heritage.example', '(919) 555-0101'),
 (2, 'Emily',   'Chen',   'Summit Partners',  'Principal', NULL,                    '(919) 555-0102'),
 (3, 'Michael', 'Brown',  'KKR',              NULL,        NULL,                    '(919) 555-0103'),
 (4, 'Sarah',   'Davis',  'TPG',              NULL,        NULL,                    '(919) 555-0104'),
 (5, 'Tom',     'Wilson', 'Bain Capital',     NULL,        NULL,                    '(919) 555-0105'),
 (6, 'Ann',     'Lee',    'Carlyle',          NULL,        NULL,                    '(919) 555-0106'),
 (7, 'Bob',     'Reed',   'Reed Collision',   'Owner',     NULL,                    '(919) 555-0107'),
 (8, 'Cara',    'Diaz',   'Diaz Auto Body',   'Owner',     NULL,                    '(919) 555-0108'),
 (9, 'Dan',     'Kim',    'Kim Capital',      NULL,        NULL,                    '(919) 555-0109');
SET dialer.acting_user = 'sarah@sourceco.example';

-- Three sessions pushed into PhoneBurner (the daemon simulated):
--   1 "PE Buyers - Feb 2026 Outreach": contacts 1-6
--   2 "Seller Outreach - Collision Repair Owners": 7, 8 (no calls yet)
--   3 "Callbacks": 9 (dialed)
CREATE FUNCTION push_all(contact_ids bigint[], session_name text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    job bigint;
BEGIN
    SELECT dialer.push(array_agg(c ORDER BY c.id), session_name) INTO job FROM contacts c WHERE c.id = ANY (contact_ids);
    PERFORM dialer.claim_push_job('worker-1');
    PERFORM dialer.record_push_item(job, 'worker-1', i.list_position, 'created', 'pb-' || i.contact_id)
    FROM dialer.push_items i WHERE i.job_id = job;
    PERFORM dialer.finish_push_job(job, 'worker-1');
    RETURN (SELECT session_id FROM dialer.push_jobs WHERE id = job);
END
$$;
SELECT push_all('{1,2,3,4,5,6}', 'PE Buyers - Feb 2026 Outreach') AS s1,
       push_all('{7,8}', 'Seller Outreach - Collision Repair Owners') AS s2,
       push_all('{9}', 'Callbacks') AS s3 \gset
UPDATE dialer.sessions SET last_activity_at = '2026-02-20 00:00Z', last_activity_by = NULL WHERE id IN (:s1, :s3);

-- Calls (Central time). Session 1:
--   c1 contact 1 09:00 connected 222 s  Interested       -> interested
--   c2 contact 1 10:00 connected 100 s  Qualified        -> qualified
--   c3 contact 2 09:10 connected 318 s  Appointment      -> meeting_set
--   c4 contact 3 09:20 no         30 s  No Answer        -> no_answer
--   c5 contact 3 09:40 no         25 s  Left Message     -> voicemail
--   c6 contact 4 09:50 connected  60 s  Not Interested   -> disqualified
--   c7 contact 5 10:10 (no flag)  45 s  Call Back        -> callback (connected by its outcome)
--   c8 contact 2 10:20 connected  15 s  Gatekeeper       -> unmapped; by Mike Chen
--   c9 no contact 10:30 no        10 s  No Answer        -> unmatched, still the session's call
--   contact 6: never called.
-- Session 3: c10 contact 9 11:00 no 20 s Busy.
CREATE FUNCTION dial(call_id text, contact text, sess bigint, start_time text, secs int, connected boolean,
                     disposition text, agent text DEFAULT 'Sarah Johnson') RETURNS text LANGUAGE sql AS $$
    SELECT dialer.record_call_event(jsonb_build_object(
        'event', 'api_calldone', 'source', 'session', 'session_id', sess,
        'received_at', '2026-02-20T18:00:00Z', 'time_zone', 'America/Chicago', 'call_id', call_id,
        'dial_session_id', 'ds-1', 'phoneburner_contact_id', NULL, 'lead_id', contact,
        'sourceco_contact_id', NULL, 'folder_id', NULL, 'custom_data', NULL, 'agent_name', agent,
        'agent_id', NULL, 'start_time', '2026-02-20 ' || start_time,
        'end_time', to_char(('2026-02-20 ' || start_time)::timestamp + make_interval(secs => secs), 'YYYY-MM-DD HH24:MI:SS'),
        'duration_seconds', secs, 'connected', connected, 'disposition', disposition,
        'notes', CASE WHEN disposition = 'Interested' THEN 'Send the collision repair deal memo' END,
        'recording_url', 'https://pb.example/rec/' || call_id, 'phone', NULL, 'raw', '{}'::jsonb))
$$;
SELECT dial('c1', '1', :s1, '09:00:00', 222, true,  'Interested'),
       dial('c2', '1', :s1, '10:00:00', 100, true,  'Qualified'),
       dial('c3', '2', :s1, '09:10:00', 318, true,  'Appointment'),
       dial('c4', '3', :s1, '09:20:00',  30, false, 'No Answer'),
       dial('c5', '3', :s1, '09:40:00',  25, false, 'Left Message'),
       dial('c6', '4', :s1, '09:50:00',  60, true,  'Not Interested'),
       dial('c7', '5', :s1, '10:10:00',  45, NULL,  'Call Back'),
       dial('c8', '2', :s1, '10:20:00',  15, true,  'Gatekeeper', 'Mike Chen'),
       dial('c9', NULL, :s1, '10:30:00', 10, false, 'No Answer'),
       dial('c10', '9', :s3, '11:00:00', 20, false, 'Busy');

-- The truth, by hand, for session 1:
--   total 6; dialed 5 (1-5); connected 4 (1, 2, 4, 5); interested 1 (1);
--   qualified 1 (1); meetings set 1 (2); disqualified 1 (4);
--   connection rate 4/5 = 80.0; calls 9;
--   talk time = connected calls 222+100+318+60+45+15 = 760 s = 12:40;
--   last activity: c9 ends 10:30:10 CST = 16:30:10 UTC, by Sarah Johnson.
--   dispositions: No Answer 2, and 1 each of the other seven texts.
-- Session 2: 2 contacts, nothing dialed, no rate. Session 3: every contact
-- dialed, so activity_status is completed while the stored status is active.
SELECT session_id, name, status, activity_status, total_contacts, dialed, connected, interested, qualified,
       meetings_set, disqualified, connection_rate, calls, talk_time_seconds, talk_time
FROM dialer.session_stats ORDER BY session_id;
SELECT session_id, last_activity_at, last_activity_by, created_by FROM dialer.session_stats
WHERE session_id IN (:s1, :s3) ORDER BY session_id;
SELECT dispositions, outcomes FROM dialer.session_stats WHERE session_id = :s1;
SELECT dispositions, outcomes FROM dialer.session_stats WHERE session_id = :s2;
-- Idle sessions show as paused (session 1's last call was long ago), done ones as completed.
SELECT session_id, status, activity_status FROM dialer.session_stats ORDER BY session_id;

-- The Session Detail Page's contact list, by hand:
--   2 Emily Chen    connected (Gatekeeper, unmapped, connected)  2 calls  333 s  {meeting_set}
--   5 Tom Wilson    callback                                     1 call    45 s
--   1 John Smith    qualified                                    2 calls  322 s  {interested,qualified}
--   4 Sarah Davis   disqualified                                 1 call    60 s
--   3 Michael Brown voicemail (not connected)                    2 calls    0 s
--   6 Ann Lee       pending
SELECT contact_id, name, company, status, last_call_at, last_disposition, last_agent, attempts, connected,
       talk_time_seconds, outcomes
FROM dialer.session_contacts WHERE session_id = :s1;
SELECT contact_id, name, company, phone, status, attempts FROM dialer.session_contacts WHERE session_id = :s2;

-- Recent activity, newest first: the pushes happened now, the calls on Feb 20.
SELECT kind, actor, description, detail FROM dialer.session_activity WHERE session_id = :s1 LIMIT 3;
SELECT occurred_at, description, detail, outcome, notes FROM dialer.session_activity
WHERE session_id = :s1 AND kind = 'call';

-- [Export], as CSV.
COPY (SELECT * FROM dialer.session_export(1)) TO STDOUT (FORMAT csv, HEADER);
SELECT count(*) FROM dialer.session_export(2);
SELECT * FROM dialer.session_export(42);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- A call matched to a contact the session never pushed still counts: the
-- contact joins the session's list (name unknown: no payload snapshot).
SELECT dial('c11', '77', :s2, '12:00:00', 30, true, 'Interested');
SELECT contact_id, name, status, attempts FROM dialer.session_contacts WHERE session_id = :s2;
SELECT total_contacts, dialed, connected, interested, connection_rate FROM dialer.session_stats WHERE session_id = :s2;

RESET search_path;
RESET TimeZone;
