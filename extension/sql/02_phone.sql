-- Phone numbers: E.164 normalization, what libphonenumber knows of a number,
-- and the trigger that keeps a stored E.164 column current.
--
-- Used by: analysts and the app (queries, generated columns and indexes, the
-- trigger on the contacts table).

CREATE FUNCTION dialer.e164(phone text, region text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164(text, text) IS
'The number in E.164 (+19195550123), exactly as libphonenumber''s Parse + IsValidNumber + Format(E164) give it; NULL when empty, unparseable or invalid. region NULL means dialer.default_region; an unknown region is an error (22023).';

CREATE FUNCTION dialer.e164_immutable(phone text, region text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164_immutable'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164_immutable(text, text) IS
'dialer.e164 with a required region, IMMUTABLE for generated columns and indexes. Recompute such columns (and REINDEX) after libphonenumber is upgraded: its metadata decides validity.';

CREATE FUNCTION dialer.phone_info(phone text, region text DEFAULT NULL)
RETURNS dialer.phone_info
AS 'MODULE_PATHNAME', 'pgdialer_phone_info'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.phone_info(text, text) IS
'What libphonenumber knows of a number: E.164, validity, type, region, formats and location. An unparseable number gives valid = possible = false.';

-- Keeps a stored E.164 column current, so the rules never re-parse:
--   CREATE TRIGGER contacts_phone_e164 BEFORE INSERT OR UPDATE OF phone ON contacts
--     FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();             -- phone -> phone_e164
--   ... EXECUTE FUNCTION dialer.maintain_phone_e164('mobile', 'mobile_e164');  -- other columns
CREATE FUNCTION dialer.maintain_phone_e164()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pgdialer_maintain_phone_e164'
LANGUAGE C;

COMMENT ON FUNCTION dialer.maintain_phone_e164() IS
'BEFORE INSERT OR UPDATE trigger: sets phone_e164 (or TG_ARGV[1]) to dialer.e164(phone) (or TG_ARGV[0]) in the session''s dialer.default_region.';
