-- dialer.preview: the push modal's List Summary.
CREATE SCHEMA test_preview;
SET search_path TO test_preview;
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, buyer_type text, first_name text, last_name text,
    company text, phone text, phone_e164 text, do_not_call boolean, do_not_call_reason text,
    do_not_call_source text, suppressed boolean, phone_number_invalid boolean,
    phone_invalid_reason text, last_call_attempt_at timestamptz, state text
);
INSERT INTO contacts VALUES
 (1, 'buyer', 'PE Firm', 'John',  'Smith',   'Heritage Capital', '(919) 555-0101', NULL, true, 'Requested removal 2025-11-15', 'requested', false, false, NULL, NULL, 'NC'),
 (2, 'buyer', 'PE Firm', 'Sarah', 'Johnson', 'Summit Partners',  '(919) 555-0102', NULL, true, 'Legal DNC list', 'registry', false, false, NULL, NULL, 'NY'),
 (3, 'buyer', 'PE Firm', 'Mike',  'Chen',    'Vista Equity',     '(919) 555-0103', NULL, true, 'Internal policy', 'internal', false, false, NULL, NULL, 'NY'),
 (4, 'buyer', 'PE Firm', 'Emily', 'Davis',   'Thoma Bravo',      '(919) 555-0104', NULL, false, NULL, NULL, false, true, 'Wrong number (last call)', NULL, 'MA'),
 (5, 'buyer', 'PE Firm', 'Robert','Lee',     'Blackstone',       '(919) 555-0105', NULL, false, NULL, NULL, false, true, 'Disconnected', NULL, 'NY'),
 (6, 'buyer', 'PE Firm', 'Alex',  'Martinez','KKR',              '(919) 555-0106', NULL, false, NULL, NULL, false, false, NULL, '2026-02-18 09:00+00', 'NY'),
 (7, 'buyer', 'PE Firm', 'Jessica','Wong',   'Carlyle',          '(919) 555-0107', NULL, false, NULL, NULL, false, false, NULL, '2026-02-17 09:00+00', 'NJ'),
 (8, 'buyer', 'PE Firm', 'David', 'Kim',     'TPG',              '(919) 555-0108', NULL, false, NULL, NULL, false, false, NULL, '2026-02-16 09:00+00', 'CT'),
 (9, 'buyer', 'PE Firm', 'Lisa',  'Chen',    'Advent',           '(919) 555-0109', NULL, false, NULL, NULL, false, false, NULL, '2026-02-10 09:00+00', 'NY'),
 (10,'buyer', 'PE Firm', 'Tom',   'Wilson',  'Bain Capital',     '(919) 555-0110', NULL, false, NULL, NULL, false, false, NULL, NULL, 'NY'),
 (11,'buyer', 'PE Firm', 'Nina',  'Park',    'Bain Capital',     '919.555.0110',   NULL, false, NULL, NULL, false, false, NULL, NULL, 'NY'),
 (12,'buyer', 'PE Firm', NULL,    'Gray',    'Apollo',           '(919) 555-0112', NULL, false, NULL, NULL, false, false, NULL, NULL, 'NY'),
 (13,'buyer', 'PE Firm', 'Omar',  'Reyes',   'Apollo',           NULL,    '+19195550113', false, NULL, NULL, false, false, NULL, NULL, 'NY'),
 (14,'buyer', 'PE Firm', 'Pia',   'Stone',   'Apollo',           '555-CALL-NOW',   NULL, false, NULL, NULL, false, false, NULL, NULL, 'NY'),
 (15,'buyer', 'PE Firm', 'Quinn', 'Tate',    'Apollo',           NULL,             NULL, false, NULL, NULL, false, false, NULL, NULL, 'NY');

SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY id),
                    '{"as_of": "2026-02-20 12:00+00", "filters": {"region": "Northeast"}}'))
FROM contacts c;

-- min_days from the options (3/7/14/30 or any 0..365), else the setting.
SELECT d AS min_days, p -> 'ready' AS ready, p -> 'excluded_by_category' -> 'recently_contacted' AS recent
FROM unnest(ARRAY[0, 3, 7, 14, 30]) AS d,
     LATERAL (SELECT dialer.preview(array_agg(c ORDER BY id),
                     jsonb_build_object('min_days', d, 'as_of', '2026-02-20 12:00+00')) AS p
              FROM contacts c) x;
SET dialer.min_days_between_calls = 14;
SELECT dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00"}') -> 'ready' FROM contacts c;
RESET dialer.min_days_between_calls;

-- The same contact twice counts once (first wins); NULL elements are skipped.
SELECT p -> 'total' AS total, p -> 'ready' AS ready
FROM (SELECT dialer.preview(array_agg(c) || array_agg(c) || ARRAY[NULL::contacts],
                            '{"as_of": "2026-02-20 12:00+00"}') AS p
      FROM contacts c WHERE id IN (10, 13)) x;

-- The later of two ready contacts sharing a number is held back (array order decides).
SELECT e ->> 'contact_id' AS id, e ->> 'reason' AS reason
FROM (SELECT dialer.preview(array_agg(c ORDER BY id DESC), '{"as_of": "2026-02-20 12:00+00"}') AS p
      FROM contacts c WHERE id IN (10, 11)) x, jsonb_array_elements(p -> 'exclusions') e;

-- Session name from the contacts' types and the filters.
SELECT dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00", "filters": {"industry": "Software", "state": "NY"}}')
       ->> 'suggested_session_name' FROM contacts c WHERE state = 'NY';
SELECT dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00"}') ->> 'suggested_session_name'
FROM (SELECT id, 'seller' AS contact_type, first_name, last_name, phone FROM contacts UNION ALL
      SELECT 99, 'buyer', 'Zed', 'Zu', '919-555-0199') c;

-- Estimated dial time follows dialer.minutes_per_contact.
SET dialer.minutes_per_contact = 30;
SELECT p -> 'ready' AS ready, p -> 'estimated_dial_minutes' AS minutes, p ->> 'estimated_dial_time' AS dial_time
FROM (SELECT dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00"}') AS p FROM contacts c) x;
RESET dialer.minutes_per_contact;

-- No rows: array_agg gives NULL, and the preview is an empty list.
SELECT dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00"}') FROM contacts c WHERE false;
SELECT dialer.preview('{}'::contacts[], '{"as_of": "2026-02-20 12:00+00"}') -> 'total' AS empty_array;
SELECT dialer.preview(array_agg(c), NULL) -> 'total' AS null_options FROM contacts c;

-- Anonymous rows from a subquery.
SELECT dialer.preview(array_agg(r)) -> 'ready'
FROM (SELECT 1 AS id, 'A' AS first_name, 'B' AS last_name, '919-555-0120' AS phone) r;

-- Bad input: clear errors.
-- Errors show their SQLSTATE.
SELECT dialer.preview(ARRAY[1, 2, 3]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '{"min_day": 3}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '{"min_days": 400}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '{"min_days": "seven"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '{"filters": "Northeast"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '{"as_of": "not a time"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview(array_agg(c), '[]') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The aggregate form gives the same summary without building an array.
SELECT dialer.preview_agg(c, '{"as_of": "2026-02-20 12:00+00"}' ORDER BY id)
     = dialer.preview(array_agg(c ORDER BY id), '{"as_of": "2026-02-20 12:00+00"}') AS same
FROM contacts c;
SELECT state, dialer.preview_agg(c, '{"as_of": "2026-02-20 12:00+00"}') ->> 'ready' AS ready
FROM contacts c GROUP BY state ORDER BY state;
SELECT dialer.preview_agg(c, '{}') IS NULL AS no_rows FROM contacts c WHERE false;
SELECT dialer.preview_agg(x, '{}') FROM generate_series(1, 2) x;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The rows behind the preview: same verdicts, plus the payload to push.
SELECT list_position, contact_id, category, reason, overridable, payload ->> 'phone' AS phone
FROM dialer.classify_list((SELECT array_agg(c ORDER BY id) || array_agg(c ORDER BY id) FROM contacts c),
                          '{"as_of": "2026-02-20 12:00+00"}');
SELECT count(*) FILTER (WHERE category IS NULL) AS ready,
       (SELECT (dialer.preview(array_agg(c), '{"as_of": "2026-02-20 12:00+00"}') ->> 'ready')::int FROM contacts c) AS preview_ready
FROM dialer.classify_list((SELECT array_agg(c) FROM contacts c), '{"as_of": "2026-02-20 12:00+00"}');
SELECT count(*) FROM dialer.classify_list(NULL::contacts[]);
