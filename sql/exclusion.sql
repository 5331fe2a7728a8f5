-- dialer.exclusion: the four checks, in order, with reasons and overridability.
CREATE SCHEMA test_exclusion;
SET search_path TO test_exclusion;
CREATE TABLE contacts (
    id                   bigint PRIMARY KEY,
    contact_type         text,
    first_name           text,
    last_name            text,
    company              text,
    phone                text,
    phone_e164           text,
    do_not_call          boolean,
    do_not_call_reason   text,
    do_not_call_source   text,
    suppressed           boolean,
    phone_number_invalid boolean,
    phone_invalid_reason text,
    last_call_attempt_at timestamptz
);

INSERT INTO contacts VALUES
 (1,  'buyer', 'John',  'Smith',   'Heritage Capital', '(919) 555-0123', NULL, true,  'Requested removal 2025-11-15', 'requested', false, false, NULL, NULL),
 (2,  'buyer', 'Sarah', 'Johnson', 'Summit Partners',  '(919) 555-0124', NULL, true,  'Legal DNC list', 'registry',  false, false, NULL, NULL),
 (3,  'buyer', 'Mike',  'Chen',    'Vista Equity',     '(919) 555-0125', NULL, true,  'Internal policy', 'internal', false, false, NULL, NULL),
 (4,  'buyer', 'Ann',   'Lee',     'KKR',              '(919) 555-0126', NULL, true,  NULL, NULL, false, false, NULL, NULL),
 (5,  'buyer', 'Bo',    'Diaz',    'TPG',              '(919) 555-0127', NULL, false, NULL, NULL, true,  false, NULL, NULL),
 (6,  'buyer', 'Cy',    'Young',   'TPG',              '(919) 555-0128', NULL, NULL,  NULL, 'internal', true, NULL, NULL, NULL),
 (7,  'buyer', 'Emily', 'Davis',   'Thoma Bravo',      '(919) 555-0129', NULL, false, NULL, NULL, false, true, 'Wrong number (last call)', NULL),
 (8,  'buyer', 'Robert','Lee',     'Blackstone',       '555-CALL-NOW',   NULL, false, NULL, NULL, false, true, 'Disconnected', NULL),
 (9,  'buyer', 'Dee',   'Fox',     'Advent',           NULL,             NULL, false, NULL, NULL, false, false, NULL, NULL),
 (10, 'buyer', 'Eve',   'Gray',    'Advent',           '   ',            '',   false, NULL, NULL, false, false, NULL, NULL),
 (11, 'buyer', 'Flo',   'Hart',    'Advent',           '123',            NULL, false, NULL, NULL, false, false, NULL, NULL),
 (12, 'buyer', 'Gus',   'Ives',    'Carlyle',          NULL,    '+19195550130', false, NULL, NULL, false, false, NULL, NULL),
 (13, 'buyer', 'Alex',  'Martinez','KKR',              '919-555-0131',   NULL, false, NULL, NULL, false, false, NULL, '2026-02-18 10:00+00'),
 (14, 'buyer', 'Jess',  'Wong',    'Carlyle',          '919-555-0132',   NULL, false, NULL, NULL, false, false, NULL, '2026-02-13 12:00+00'),
 (15, 'buyer', 'Kim',   'Park',    'Carlyle',          '919-555-0133',   NULL, false, NULL, NULL, false, false, NULL, '2026-02-13 12:00:01+00'),
 (16, 'buyer', 'Lu',    'Ma',      'Carlyle',          '919-555-0134',   NULL, false, NULL, NULL, false, false, NULL, '2026-02-20 11:00+00'),
 (17, 'buyer', 'Mo',    'Ng',      'Carlyle',          '919-555-0135',   NULL, false, NULL, NULL, false, false, NULL, '2026-03-20 12:00+00'),
 (18, 'buyer', NULL,    'Orr',     'Bain Capital',     '919-555-0136',   NULL, false, NULL, NULL, false, false, NULL, NULL),
 (19, 'buyer', 'Pat',   '  ',      'Bain Capital',     '919-555-0137',   NULL, false, NULL, NULL, false, false, NULL, NULL),
 (20, 'buyer', '',      NULL,      'Bain Capital',     '919-555-0138',   NULL, false, NULL, NULL, false, false, NULL, NULL),
 (21, 'buyer', 'Quin',  'Roe',     'Bain Capital',     '919-555-0139',   NULL, NULL,  NULL, NULL, NULL, NULL, NULL, NULL),
 (22, 'buyer', NULL,    NULL,      NULL,               NULL,             NULL, NULL,  NULL, NULL, NULL, NULL, NULL, '2026-02-20 11:00+00');

-- as_of is fixed so the output does not depend on today's date.
SELECT id, (dialer.exclusion(c, 7, '2026-02-20 12:00+00')).*
FROM contacts c ORDER BY id;

-- Exactly 7 days: allowed (14); one second short of 7 days: excluded (15).
SELECT id, (dialer.exclusion(c, 7, '2026-02-20 12:00+00')).reason
FROM contacts c WHERE id IN (14, 15) ORDER BY id;

-- The threshold: explicit values, 0 disables, NULL means the setting.
SELECT id,
       (dialer.exclusion(c, 0,    '2026-02-20 12:00+00')).category AS min_0,
       (dialer.exclusion(c, 3,    '2026-02-20 12:00+00')).category AS min_3,
       (dialer.exclusion(c, 30,   '2026-02-20 12:00+00')).category AS min_30,
       (dialer.exclusion(c, NULL, '2026-02-20 12:00+00')).category AS min_setting
FROM contacts c WHERE id IN (13, 14, 16) ORDER BY id;
SET dialer.min_days_between_calls = 3;
SELECT id, (dialer.exclusion(c, NULL, '2026-02-20 12:00+00')).reason
FROM contacts c WHERE id IN (13, 14) ORDER BY id;
SET dialer.min_days_between_calls = 0;
SELECT count(*) AS excluded_as_recent FROM contacts c
WHERE (dialer.exclusion(c, as_of => '2026-02-20 12:00+00')).category = 'recently_contacted';
RESET dialer.min_days_between_calls;

-- Whole days count elapsed time, in any session time zone.
SET TimeZone = 'Pacific/Auckland';
SELECT id, (dialer.exclusion(c, 7, '2026-02-20 12:00+00')).reason
FROM contacts c WHERE id IN (13, 14, 15) ORDER BY id;
RESET TimeZone;

-- Defaults: min_days from the setting, as_of = now().
SELECT id, (dialer.exclusion(c)).category FROM contacts c WHERE id IN (1, 9, 21) ORDER BY id;

-- Bad arguments.
-- Errors show their SQLSTATE.
SELECT dialer.exclusion(c, 366) FROM contacts c WHERE id = 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.exclusion(c, -1) FROM contacts c WHERE id = 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- NULL contact: NULL.
SELECT dialer.exclusion(NULL::contacts) IS NULL AS null_contact;

-- Numbers written for another region follow dialer.default_region.
INSERT INTO contacts (id, first_name, last_name, phone) VALUES (30, 'Ian', 'Hill', '020 7946 0958');
SELECT (dialer.exclusion(c)).reason AS in_us FROM contacts c WHERE id = 30;
SET dialer.default_region = 'GB';
SELECT dialer.exclusion(c) IS NULL AS ready_in_gb FROM contacts c WHERE id = 30;
RESET dialer.default_region;

-- The ready list, the way the app asks for it.
SELECT count(*) AS ready FROM contacts c
WHERE dialer.exclusion(c, 7, '2026-02-20 12:00+00') IS NULL;
