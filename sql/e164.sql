-- dialer.e164: libphonenumber Parse + IsValidNumber + Format(E164).
CREATE SCHEMA test_e164;
SET search_path TO test_e164;
-- Real-world formats from several countries, with the region they are written in.
SELECT input, region, dialer.e164(input, region) AS e164
FROM (VALUES
    ('(919) 555-0123', 'US'),
    ('919.555.0123', 'US'),
    ('919-555-0123', 'US'),
    ('1-919-555-0123', 'US'),
    ('+1 919 555 0123', 'US'),
    ('+1 (919) 555-0123 ext. 45', 'US'),
    ('9195550123', 'US'),
    ('tel:+1-919-555-0123', 'US'),
    ('1-800-FLOWERS', 'US'),
    ('(416) 555-0199', 'CA'),
    ('604 555 0100', 'CA'),
    ('020 7946 0958', 'GB'),
    ('+44 20 7946 0958', 'US'),
    ('07911 123456', 'GB'),
    ('030 1234567', 'DE'),
    ('+49 (0)30 1234567', 'US'),
    ('01 42 68 53 00', 'FR'),
    ('(02) 9374 4000', 'AU'),
    ('0412 345 678', 'AU'),
    ('098765 43210', 'IN'),
    ('+91 98765 43210', 'US'),
    ('(11) 91234-5678', 'BR'),
    ('55 1234 5678', 'MX'),
    ('03-1234-5678', 'JP'),
    ('+81 3-1234-5678', 'US'),
    ('06 12345678', 'NL'),
    ('+353 1 234 5678', 'US')
) AS t(input, region)
ORDER BY region, input;

-- Not numbers: NULL, never an error.
SELECT x AS input, dialer.e164(x, 'US') AS e164
FROM unnest(ARRAY['', '   ', '123', '555-CALL-NOW', '+1 (000) 000-0000', '(919) 555-012',
                  '919-555-01234567', 'call me', '+']) AS x;

SELECT dialer.e164(NULL) IS NULL AS null_phone;

-- Region NULL or omitted means dialer.default_region; codes are case-insensitive.
SELECT dialer.e164('020 7946 0958') AS us_default,
       dialer.e164('020 7946 0958', NULL) AS null_region,
       dialer.e164('020 7946 0958', 'gb') AS lower_case;
SET dialer.default_region = 'GB';
SELECT dialer.e164('020 7946 0958') AS gb_default;
RESET dialer.default_region;

-- Unknown region: an error (22023), not NULL.
-- Errors show their SQLSTATE.
SELECT dialer.e164('919-555-0123', 'XX');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.e164('919-555-0123', 'USA');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.e164_immutable('919-555-0123', '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The IMMUTABLE form for generated columns and indexes.
SELECT provolatile FROM pg_proc WHERE oid = 'dialer.e164_immutable(text,text)'::regprocedure;
SELECT provolatile FROM pg_proc WHERE oid = 'dialer.e164(text,text)'::regprocedure;
CREATE TABLE phones (
    phone text,
    phone_e164 text GENERATED ALWAYS AS (dialer.e164_immutable(phone, 'US')) STORED
);
INSERT INTO phones VALUES ('(919) 555-0123'), ('nope'), (NULL);
SELECT * FROM phones ORDER BY phone;
CREATE INDEX ON phones (dialer.e164_immutable(phone, 'US'));
DROP TABLE phones;

-- The trigger recipe keeps a plain phone_e164 column current.
CREATE TABLE people (id int, phone text, phone_e164 text, mobile text, mobile_e164 text);
CREATE TRIGGER people_phone BEFORE INSERT OR UPDATE OF phone ON people
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();
CREATE TRIGGER people_mobile BEFORE INSERT OR UPDATE OF mobile ON people
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164('mobile', 'mobile_e164');
INSERT INTO people VALUES (1, '919.555.0123', 'stale', '+44 7911 123456', NULL);
SELECT * FROM people;
UPDATE people SET phone = 'garbage';
SELECT * FROM people;
DROP TABLE people;

-- Past 1,000 characters input is not parsed (libphonenumber's regexes are
-- quadratic on long strings and cannot be cancelled); up to it, its answer.
SELECT dialer.e164(repeat('a', 987) || ' 919-555-0123') AS at_limit,
       dialer.e164(repeat('a', 988) || ' 919-555-0123') AS over_limit;

-- The trigger checks how it is used.
CREATE TABLE misnamed (id int, tel text, tel_e164 int);
CREATE TRIGGER misnamed_phone BEFORE INSERT ON misnamed
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();
INSERT INTO misnamed VALUES (1, '919-555-0123');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP TRIGGER misnamed_phone ON misnamed;
CREATE TRIGGER misnamed_phone BEFORE INSERT ON misnamed
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164('tel', 'tel_e164');
INSERT INTO misnamed VALUES (1, '919-555-0123');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP TRIGGER misnamed_phone ON misnamed;
CREATE TRIGGER misnamed_phone AFTER INSERT ON misnamed
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164('tel', 'tel_e164');
INSERT INTO misnamed VALUES (1, '919-555-0123');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.maintain_phone_e164();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP TABLE misnamed;
