-- dialer.session_name: the spec's Smart Session Naming.
SELECT dialer.session_name(ARRAY['buyer','buyer'], ARRAY['PE Firm','PE Firm'],
       '{"industry": "Business Services", "region": "Northeast"}', '2026-02-20');
SELECT dialer.session_name(ARRAY['seller'], NULL, '{"industry": "Collision Repair"}', '2026-02-01');
SELECT dialer.session_name(ARRAY['buyer'], ARRAY['PE Firm','Strategic'], '{}', '2026-02-01');
SELECT dialer.session_name(ARRAY['prospect', NULL, ''], ARRAY[]::text[], '{}', '2026-12-31');
SELECT dialer.session_name(ARRAY['buyer','seller'], ARRAY['PE Firm'], '{}', '2026-01-01');
SELECT dialer.session_name(NULL, NULL, NULL, '2026-07-04');
-- Buyer type only when every contact is a buyer; NULL and blank types are ignored.
SELECT dialer.session_name(ARRAY['seller'], ARRAY['PE Firm'], '{}', '2026-02-01');
SELECT dialer.session_name(ARRAY['Buyer', 'BUYER', NULL], ARRAY['Family Office', NULL, ' '], '{}', '2026-02-01');
-- State wins over region; blank filter values are skipped; non-string values are read as text.
SELECT dialer.session_name(ARRAY['buyer'], NULL, '{"state": "TX", "region": "South"}', '2026-02-01');
SELECT dialer.session_name(ARRAY['buyer'], NULL, '{"state": " ", "region": "South", "industry": ""}', '2026-02-01');
SELECT dialer.session_name(ARRAY['buyer'], NULL, '{"industry": null, "state": 42}', '2026-02-01');
-- English month names whatever the server's lc_time.
SET lc_time = 'de_DE.UTF-8';
SELECT to_char(date '2026-10-01', 'TMMon') AS german_month,
       dialer.session_name(ARRAY['seller'], NULL, '{}', '2026-10-01') AS session_name;
SELECT dialer.session_name(NULL, NULL, '{}', d::date)
FROM generate_series('2026-01-15'::date, '2026-12-15', '1 month') AS d;
RESET lc_time;
-- Default date is today.
SELECT dialer.session_name(ARRAY['buyer'], NULL) = 'Buyers - ' || to_char(current_date, 'Mon YYYY') AS today;
-- Filters must be an object.
-- Errors show their SQLSTATE.
SELECT dialer.session_name(NULL, NULL, '[1,2]', '2026-02-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.session_name(NULL, NULL, '{}', 'infinity');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
