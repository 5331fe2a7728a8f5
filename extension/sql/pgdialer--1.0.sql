-- pgdialer 1.0: calling-list rules for PhoneBurner pushes.
--
-- Every function that takes a contact accepts a row of any table, view or
-- composite type, or an anonymous record. Columns are read by name; a column
-- the row does not have reads as NULL. See README.md for the column list and
-- for mapping differently named columns with a view.

\echo Use "CREATE EXTENSION pgdialer" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Result types
-- ---------------------------------------------------------------------------

-- Why a contact is held back from a push. NULL (no row) means ready.
CREATE TYPE dialer.exclusion AS (
    category    text,     -- do_not_call | invalid_phone | recently_contacted | missing_required_fields
    reason      text,     -- what the rep sees, e.g. 'Called 2 days ago'
    overridable boolean   -- may a rep force-include it (never for legal DNC)
);

CREATE TYPE dialer.phone_info AS (
    e164                 text,     -- '+19195550123' when valid
    valid                boolean,  -- libphonenumber IsValidNumber
    possible             boolean,  -- libphonenumber IsPossibleNumber (length only)
    number_type          text,     -- FIXED_LINE_OR_MOBILE, MOBILE, TOLL_FREE, ..., UNKNOWN
    region_code          text,     -- ISO 3166-1 alpha-2 the number belongs to
    national_format      text,     -- '(919) 555-0123'
    international_format text,     -- '+1 919-555-0123'
    location             text      -- offline geocoder, e.g. 'North Carolina'
);

-- ---------------------------------------------------------------------------
-- Phone numbers
-- ---------------------------------------------------------------------------

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

-- ---------------------------------------------------------------------------
-- Exclusion rules
-- ---------------------------------------------------------------------------

-- Planner support: rewrites dialer.exclusion(c) / dialer.is_dialable(c) over
-- a table to pass only the columns the rules read, instead of the whole row.
CREATE FUNCTION dialer._rules_support(internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_rules_support'
LANGUAGE C STRICT;

-- The forms the support function rewrites to. Internal: column names first,
-- then the columns themselves.
CREATE FUNCTION dialer._exclusion_columns(columns text[], min_days integer, as_of timestamptz,
                                          VARIADIC "any")
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._is_dialable_columns(columns text[], VARIADIC "any")
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer.exclusion(contact record, min_days integer DEFAULT NULL,
                                 as_of timestamptz DEFAULT now())
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.exclusion(record, integer, timestamptz) IS
'Why a contact cannot be pushed, first match wins: do_not_call, invalid_phone, recently_contacted (fewer than min_days whole days since last_call_attempt_at; NULL = dialer.min_days_between_calls), missing_required_fields. NULL when ready.';

CREATE FUNCTION dialer.is_dialable(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.is_dialable(record) IS
'"Dialable Only": not do-not-call or suppressed, and a phone that is present, not flagged invalid and normalizes. Recency does not matter.';

-- ---------------------------------------------------------------------------
-- What gets pushed
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.payload(contact record)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_payload'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.payload(record) IS
'The PhoneBurner contact for a row: first_name, last_name, company, phone (E.164), email, title, address, city, state, zip and custom_fields (sourceco_contact_id, contact_type, buyer_type, ...). All values are strings; NULL and blank values are omitted.';

CREATE FUNCTION dialer.talking_points(contact record)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_talking_points'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.talking_points(record) IS
'A call-prep line from last_deal_presented, last_deal_outcome, target_industries, target_ebitda_range and last_contact_outcome; only facts in the row. NULL when it has none.';

-- ---------------------------------------------------------------------------
-- The push modal
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.session_name(contact_types text[], buyer_types text[],
                                    filters jsonb DEFAULT '{}', as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_session_name'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.session_name(text[], text[], jsonb, date) IS
'Suggested session name: Buyers/Sellers/Prospects/Contacts - buyer type - industry - state or region - Mon YYYY, e.g. ''Buyers - PE Firm - Business Services - Northeast - Feb 2026''.';

CREATE FUNCTION dialer.dial_time(contacts bigint, minutes_per_contact real DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_dial_time'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.dial_time(bigint, real) IS
'Estimated dial time: ''~N min'' under an hour, else hours to the nearest half (''~3.5 hours''). minutes_per_contact NULL means dialer.minutes_per_contact.';

CREATE FUNCTION dialer.preview(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.preview(anyarray, jsonb) IS
'The push modal''s List Summary for SELECT dialer.preview(array_agg(c)) FROM contacts c WHERE ...: total, ready, excluded, excluded_by_category, exclusions, estimated_dial_minutes, estimated_dial_time, suggested_session_name. Options: min_days, filters, as_of.';

-- The same summary as an aggregate, for very large lists: no array of every
-- row is built first.  SELECT dialer.preview_agg(c, '{"min_days": 14}') FROM contacts c WHERE ...
-- Over no rows it returns NULL, as aggregates do.
CREATE FUNCTION dialer._preview_step(state internal, contact anyelement, options jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_preview_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._preview_final(state internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview_final'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE dialer.preview_agg(contact anyelement, options jsonb) (
    SFUNC = dialer._preview_step,
    STYPE = internal,
    FINALFUNC = dialer._preview_final
);

COMMENT ON AGGREGATE dialer.preview_agg(anyelement, jsonb) IS
'dialer.preview as an aggregate over contact rows (ordered with ORDER BY inside the call); the options of the first row apply.';

CREATE FUNCTION dialer.classify_list(contacts anyarray, options jsonb DEFAULT '{}',
    OUT list_position integer, OUT contact_id text, OUT category text, OUT reason text,
    OUT overridable boolean, OUT payload jsonb)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'pgdialer_classify_list'
LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION dialer.classify_list(anyarray, jsonb) IS
'The rows behind dialer.preview: one per distinct contact in array order, with its exclusion (NULL category = ready), including "Duplicate number of ..." verdicts, and the payload that would be pushed. Same options as dialer.preview.';
