-- Calling windows in the contact's local time (30_calling_windows.sql):
-- the edges of the window, both changes of daylight saving time, zones with
-- half-hour offsets, numbers and states with several zones, each shipped
-- state rule, Sundays and holidays, the address before the number, and
-- unknown zones failing closed.
SET timezone = 'UTC';
CREATE TABLE cw (phone_e164 text, zip text, state text);
CREATE FUNCTION cw(p text, z text, s text, at timestamptz) RETURNS dialer.calling_window
LANGUAGE sql AS $$ SELECT dialer.calling_window(ROW(p, z, s)::cw, at) $$;

-- New York, Wednesday 2026-03-04 (EST, UTC-5): 8:00 to 21:00 local.
SELECT t AS local_time, (w).status, (w).opens_at, (w).zone, (w).rule
FROM (VALUES ('07:59:59'), ('08:00:00'), ('20:59:59'), ('21:00:00')) AS v (t),
     LATERAL (SELECT cw('+12125550100', NULL, NULL, ('2026-03-04 ' || t || ' America/New_York')::timestamptz) AS w) x;

-- Daylight saving time starts Sunday 2026-03-08: Saturday night's next
-- window opens at 8:00 EDT (12:00 UTC, not 13:00); and ends Sunday
-- 2026-11-01: 8:00 EST is 13:00 UTC.
SELECT label, (w).status, (w).opens_at
FROM (VALUES ('saturday before spring forward', '2026-03-07 21:30 America/New_York'),
             ('spring-forward morning', '2026-03-08 07:59:59 America/New_York'),
             ('spring-forward 8:00 EDT', '2026-03-08 12:00:00+00'),
             ('saturday before fall back', '2026-10-31 21:00 America/New_York'),
             ('fall-back morning', '2026-11-01 07:59:59 America/New_York'),
             ('fall-back 8:00 EST', '2026-11-01 13:00:00+00'))
     AS v (label, at),
     LATERAL (SELECT cw('+12125550100', NULL, NULL, at::timestamptz) AS w) x;

-- Half-hour offsets: India (Asia/Calcutta, UTC+5:30, one zone); a +1 709
-- number, which libphonenumber places in both Newfoundland (UTC-3:30) and
-- America/Puerto_Rico (UTC-4): callable only when both allow, 12:00 to
-- 00:30 UTC.
SELECT label, (w).status, (w).opens_at, (w).zone
FROM (VALUES ('India 07:59:59', '+919876543210', '2026-03-04 02:29:59+00'),
             ('India 08:00', '+919876543210', '2026-03-04 02:30:00+00'),
             ('India 20:59:59', '+919876543210', '2026-03-04 15:29:59+00'),
             ('India 21:00', '+919876543210', '2026-03-04 15:30:00+00'),
             ('709 at 8:00 Newfoundland', '+17095550100', '2026-03-04 11:30:00+00'),
             ('709 at 8:00 Puerto Rico', '+17095550100', '2026-03-04 12:00:00+00'),
             ('709 at 20:59:59 Newfoundland', '+17095550100', '2026-03-05 00:29:59+00'),
             ('709 at 21:00 Newfoundland', '+17095550100', '2026-03-05 00:30:00+00'))
     AS v (label, phone, at),
     LATERAL (SELECT cw(phone, NULL, NULL, at::timestamptz) AS w) x;

-- Several zones by address: Florida is Eastern and (the panhandle) Central.
-- At 8:30 EST it is 7:30 in Pensacola: the window opens at 9:00 EST.
SELECT (w).status, (w).opens_at, (w).zone, (w).rule
FROM (SELECT cw('+13055550100', '33101', NULL, '2026-03-04 08:30 America/New_York') AS w) x;
-- A non-geographic +1 number gets every NANP zone, Guam (UTC+10) to
-- Newfoundland (UTC-3:30): only 22:00 to 00:30 UTC suits them all.
SELECT (w).status, (w).opens_at, (w).rule
FROM (SELECT cw('+18005550100', NULL, NULL, '2026-03-04 12:00 America/New_York') AS w) x;

-- Each shipped state rule, by a number of that state (single-zone area
-- code), on Wednesday 2026-03-04 at its opening and closing edges.
SELECT r.state, n.phone,
       (cw(n.phone, NULL, NULL, (date '2026-03-04' + r.opens - interval '1 second') AT TIME ZONE n.zone)).status
           AS before_open,
       (cw(n.phone, NULL, NULL, (date '2026-03-04' + r.opens) AT TIME ZONE n.zone)).status AS at_open,
       (cw(n.phone, NULL, NULL, (date '2026-03-04' + r.closes - interval '1 second') AT TIME ZONE n.zone)).status
           AS before_close,
       (cw(n.phone, NULL, NULL, (date '2026-03-04' + r.closes) AT TIME ZONE n.zone)).status AS at_close,
       (cw(n.phone, NULL, NULL, (date '2026-03-04' + r.opens) AT TIME ZONE n.zone)).rule AS rule
FROM dialer.calling_rules_in_force r
JOIN (VALUES ('FL', '+13055550100', 'America/New_York'), ('AL', '+12055550100', 'America/Chicago'),
             ('LA', '+15045550100', 'America/Chicago'), ('CT', '+12035550100', 'America/New_York'),
             ('KY', '+15025550100', 'America/New_York'), ('MI', '+13135550100', 'America/New_York'),
             ('MN', '+16125550100', 'America/Chicago'), ('NV', '+17025550100', 'America/Los_Angeles'),
             ('MA', '+16175550100', 'America/New_York'), ('MD', '+14105550100', 'America/New_York'),
             ('default', '+15125550100', 'America/Chicago'))
     AS n (state, phone, zone) USING (state)
ORDER BY r.state;
-- The rules really are the shipped ones (so the table above tested each).
SELECT count(*) AS shipped_rules FROM dialer.calling_rules WHERE builtin;

-- Sundays and holidays: AL and LA allow neither, Texas (the default) both.
SELECT label, (w).status, (w).opens_at, (w).rule
FROM (VALUES ('AL on Sunday', '+12055550100', '2026-03-08 10:00 America/Chicago'),
             ('AL Saturday evening: skips Sunday', '+12055550100', '2026-03-07 20:00 America/Chicago'),
             ('LA on Christmas', '+15045550100', '2026-12-25 10:00 America/Chicago'),
             ('AL on July 3 (observed)', '+12055550100', '2026-07-03 10:00 America/Chicago'),
             ('TX on Sunday', '+15125550100', '2026-03-08 10:00 America/Chicago'),
             ('TX on Christmas', '+15125550100', '2026-12-25 10:00 America/Chicago'))
     AS v (label, phone, at),
     LATERAL (SELECT cw(phone, NULL, NULL, at::timestamptz) AS w) x;
-- An admin's holiday for one state counts for that state only.
INSERT INTO dialer.calling_holidays (state, day, name) VALUES ('LA', '2026-02-17', 'Mardi Gras');
SELECT (cw('+15045550100', NULL, NULL, '2026-02-17 10:00 America/Chicago')).rule AS louisiana,
       (cw('+12055550100', NULL, NULL, '2026-02-17 10:00 America/Chicago')).status AS alabama;
DELETE FROM dialer.calling_holidays WHERE NOT builtin;

-- The address before the number: a Beverly Hills ZIP with a Miami number
-- is called in Pacific time, and Florida's rule (by the number) still
-- applies: 8:00 to 20:00 Pacific.
SELECT label, (w).status, (w).zone, (w).rule
FROM (VALUES ('19:59:59', '2026-03-04 19:59:59 America/Los_Angeles'),
             ('20:00', '2026-03-04 20:00 America/Los_Angeles')) AS v (label, at),
     LATERAL (SELECT cw('+13055550100', '90210-1234', 'CA', at::timestamptz) AS w) x;
-- The state when there is no ZIP; a ZIP's state adds its rule too
-- (Kentucky opens at 10:00).
SELECT (cw('+12125550100', NULL, 'ca', '2026-03-04 12:00+00')).zone AS state_only,
       (cw('+12125550100', NULL, 'NY', '2026-03-04 14:30+00')).status AS ny_at_930,
       (cw('+12125550100', '40202', 'NY', '2026-03-04 14:30+00')).rule AS kentucky_zip;
-- A foreign postal code or a bad state falls back to the number.
SELECT (cw('+442079460000', 'SW1A 1AA', 'Greater London', '2026-03-04 12:00+00')).zone;

-- Unknown zones fail closed.
SELECT label, (w).status, (w).opens_at, (w).zone, (w).rule
FROM (VALUES ('no number, no address', NULL), ('not a number', 'call me'), ('no such country', '+9995550100'))
     AS v (label, phone),
     LATERAL (SELECT cw(phone, NULL, NULL, '2026-03-04 15:00+00') AS w) x;

-- An admin's stricter rule is in force at once (dialer.calling_rules_in_force).
INSERT INTO dialer.calling_rules (state, opens, closes, source) VALUES ('TX', '10:00', '18:00', 'company policy');
SELECT (cw('+15125550100', NULL, NULL, '2026-03-04 09:30 America/Chicago')).rule AS texas,
       (cw('+15125550100', NULL, NULL, '2026-03-04 09:30 America/Chicago')).opens_at;
DELETE FROM dialer.calling_rules WHERE NOT builtin;

-- Any row type; NULL contact, NULL at (now).
SELECT dialer.calling_window(NULL::cw) IS NULL AS null_contact,
       (dialer.calling_window(c, NULL)).status IS NOT NULL AS null_at
FROM (SELECT '+12125550100' AS phone) c;
SELECT (dialer.calling_window(c, '2026-03-04 15:00+00')).status
FROM (SELECT '(212) 555-0100' AS phone) c;
-- Anyone may ask.
SET ROLE dialer_rep;
SELECT (cw('+12125550100', NULL, NULL, '2026-03-04 15:00+00')).status;
RESET ROLE;
DROP FUNCTION cw(text, text, text, timestamptz);
DROP TABLE cw;

-- dialer.preview's calling_window section, only when asked for: the ready
-- contacts by status and by state, and the earliest time all are callable.
CREATE TABLE cw_list (id int, first_name text, last_name text, phone text, zip text, state text);
INSERT INTO cw_list VALUES
    (1, 'Ann', 'Ny', '+12125550100', NULL, NULL),        -- New York: callable from 13:00 UTC
    (2, 'Bo', 'Ca', '+13055550100', '90210', NULL),      -- Beverly Hills, FL number: 16:00 UTC
    (3, 'Cy', 'La', '+15045550100', NULL, NULL),         -- New Orleans: 14:00 UTC
    (4, 'Di', 'Dup', '+15045550100', NULL, NULL),        -- duplicate number: not ready, not counted
    (5, 'Ed', 'None', NULL, NULL, NULL),                 -- no phone: excluded
    (6, 'Fay', 'Ny', '+12125550101', NULL, 'NY');
SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY id),
                                   '{"calling_window": true, "as_of": "2026-03-04 12:30+00"}')->'calling_window')
FROM cw_list c;
SELECT (dialer.preview_agg(c, '{"calling_window": true, "as_of": "2026-03-04 14:00+00"}')->'calling_window')
           - 'by_state' AS at_14
FROM cw_list c;
-- A contact that is never callable (an international freephone number,
-- valid but in no zone): no time for the whole list.
INSERT INTO cw_list VALUES (7, 'Gus', 'Nowhere', '+80012345678', NULL, NULL);
SELECT (dialer.preview(array_agg(c), '{"calling_window": true, "as_of": "2026-03-04 14:00+00"}')->'calling_window')
           - 'by_state' AS with_blocked
FROM cw_list c;
-- Not asked (or false): no section; a wrong value is an error.
SELECT dialer.preview(array_agg(c), '{"as_of": "2026-03-04 14:00+00"}') ? 'calling_window' AS default_off,
       dialer.preview(array_agg(c), '{"calling_window": false}') ? 'calling_window' AS off
FROM cw_list c;
SELECT dialer.preview(array_agg(c), '{"calling_window": "yes"}') FROM cw_list c;
DROP TABLE cw_list;

-- Business-number exemptions (for launches): admins only, documented, never
-- for a number whose owner asked not to be called.
SELECT dialer.set_calling_window_exemption('(310) 555-0105', 'Acme Corp switchboard', 'listed on its website');
SELECT phone_e164, business, documentation FROM dialer.calling_window_exemptions;
SELECT dialer.add_suppression('(310) 555-0199', 'requested', 'asked on a call');
SELECT dialer.set_calling_window_exemption('(310) 555-0199', 'Acme Corp', 'listed');
SELECT dialer.set_calling_window_exemption('not a number', 'Acme Corp', 'listed');
SELECT dialer.set_calling_window_exemption('(310) 555-0106', 'Acme Corp', ' ');
SET ROLE dialer_rep;
SELECT dialer.set_calling_window_exemption('(310) 555-0107', 'Acme Corp', 'listed');
RESET ROLE;
SELECT dialer.remove_calling_window_exemption('+13105550105') AS removed,
       dialer.remove_calling_window_exemption('+13105550105') AS again;
SELECT action, object_id FROM dialer.audit_log WHERE action LIKE 'calling_window_exemption%' ORDER BY id;
DELETE FROM dialer.suppressions;
