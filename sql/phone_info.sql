-- dialer.phone_info: what libphonenumber knows about a number.
CREATE SCHEMA test_phone_info;
SET search_path TO test_phone_info;
SELECT (dialer.phone_info('(919) 555-0123')).*;
SELECT (dialer.phone_info('+44 20 7946 0958')).*;
SELECT (dialer.phone_info('07911 123456', 'GB')).*;
SELECT (dialer.phone_info('1-800-555-0199')).number_type;
-- Possible (right length) but not valid.
SELECT e164, valid, possible FROM dialer.phone_info('(000) 000-0000');
-- Not parseable at all: a row that says so.
SELECT * FROM dialer.phone_info('call me maybe');
SELECT dialer.phone_info(NULL) IS NULL AS null_input;
-- Errors show their SQLSTATE.
SELECT dialer.phone_info('919-555-0123', 'ZZ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
