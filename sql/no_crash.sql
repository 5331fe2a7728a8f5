-- Odd input everywhere: every call finishes, with a value, NULL or a clear error.
CREATE SCHEMA test_no_crash;
SET search_path TO test_no_crash;
SELECT count(dialer.e164(s, r))
FROM unnest(ARRAY[NULL, '', ' ', '+', '++', '+1', '0', '00', '000000000000000000000000000000',
                  repeat('9', 10000), repeat('+1 ', 300), E'\t\n', 'ａｂｃ', '１２３４５６７８９０',
                  '+1-919-555-0123;ext=1', 'x123', '#31#919-555-0123', '*67 919 555 0123',
                  'tel:', 'tel:+1;phone-context=x', '(((((', ')))))', '+800 1234 5678']) AS s,
     unnest(ARRAY['US', 'GB', 'DE', 'JP', 'BR', 'CA', 'AG', 'ZW']) AS r;
SELECT count(*) FROM (SELECT dialer.phone_info(s) FROM unnest(ARRAY['', '+', repeat('1', 5000), 'ａｂｃ']) s) x;
SELECT dialer.session_name(ARRAY[repeat('x', 100000)], ARRAY[NULL, NULL]::text[], '{}', '2026-01-01') IS NOT NULL;
SELECT dialer.session_name('{{buyer},{seller}}'::text[], NULL, '{}', '2026-01-01');
SELECT dialer.dial_time(9223372036854775807) IS NOT NULL AS huge;
SELECT dialer.preview(ARRAY[NULL, NULL]::record[]) -> 'total';
SELECT (dialer.exclusion(r)).category FROM (SELECT NULL::text AS phone, NULL::boolean AS do_not_call) r;
SELECT dialer.payload(r) FROM (SELECT NULL::text AS first_name) r;
SELECT dialer.talking_points(r) FROM (SELECT 1 AS x) r;
-- A large list in one call.
SELECT dialer.preview(array_agg(r)) -> 'total'
FROM (SELECT g AS id, 'F' || g AS first_name, 'L' AS last_name,
             '919' || lpad((2000000 + g)::text, 7, '0') AS phone
      FROM generate_series(1, 20000) g) r;
