-- dialer.dial_time: the List Summary's estimate.
SELECT n, dialer.dial_time(n) FROM unnest(ARRAY[0, 1, 3, 12, 23, 24, 29, 30, 48, 88, 90, 100, 1000]) AS n;
SELECT dialer.dial_time(10, 5.99) AS just_under_an_hour, dialer.dial_time(100, 1) AS custom_rate;
SET dialer.minutes_per_contact = 5;
SELECT dialer.dial_time(12) AS at_5_minutes;
RESET dialer.minutes_per_contact;
SELECT dialer.dial_time(NULL) IS NULL AS null_contacts;
-- Errors show their SQLSTATE.
SELECT dialer.dial_time(-1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.dial_time(10, 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
