-- Result types: the composite types the rules, the phone functions and the
-- preview return (dialer.exclusion, dialer.phone_info, dialer.list_verdict).
--
-- Used by: analysts and the app (as function results); the queue tables and
-- the push keep dialer.exclusion and dialer.list_verdict too.

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

-- One contact's verdict in a list (see dialer.classify_list).
CREATE TYPE dialer.list_verdict AS (
    list_position integer,  -- 1-based position in the array
    contact_id    text,     -- the row's id, as text
    category      text,     -- NULL when ready to push
    reason        text,
    overridable   boolean,
    payload       jsonb     -- dialer.payload of the row
);
