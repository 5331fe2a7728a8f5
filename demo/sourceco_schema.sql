-- SourceCo CRM, the part the dialer reads: one contacts table for buyers,
-- sellers and prospects. Column names are the ones pgdialer reads (see
-- docs/sql-reference.md, "Contact rows"), so rows pass to dialer.* functions as is.
--
-- Needs the pgdialer extension (for the phone_e164 trigger):
--   CREATE EXTENSION pgdialer;
--   \i demo/sourceco_schema.sql
--   \i demo/sourceco_sample_data.sql

CREATE SCHEMA sourceco;

COMMENT ON SCHEMA sourceco IS 'SourceCo CRM (demo copy): buyers, sellers and prospects';

CREATE TABLE sourceco.contacts (
    id                     bigint PRIMARY KEY,
    contact_type           text NOT NULL
                           CHECK (contact_type IN ('buyer', 'seller', 'prospect')),

    -- Standard fields (pushed as PhoneBurner's own fields)
    first_name             text,
    last_name              text,
    company                text,
    title                  text,
    email                  text,
    phone                  text,           -- as typed by whoever entered it
    phone_e164             text,           -- kept by dialer.maintain_phone_e164()
    address_line1          text,
    city                   text,
    state                  text,
    zip                    text,

    -- Compliance and data quality
    do_not_call            boolean NOT NULL DEFAULT false,
    do_not_call_reason     text,
    do_not_call_source     text
                           CHECK (do_not_call_source IN ('registry', 'requested', 'internal')),
    suppressed             boolean NOT NULL DEFAULT false,
    phone_number_invalid   boolean NOT NULL DEFAULT false,
    phone_invalid_reason   text,

    -- Relationship context
    last_call_attempt_at   timestamptz,
    last_contact_method    text,           -- call | email | linkedin | meeting
    last_contact_outcome   text,

    -- Buyer firmographics
    buyer_type             text
                           CHECK (buyer_type IN ('PE Firm', 'PE Firm - LMM', 'Strategic',
                                                 'Family Office', 'Independent Sponsor',
                                                 'Search Fund')),
    aum                    text,           -- '$500M'
    fund_size              text,           -- '$250M Fund III'
    target_ebitda_range    text,           -- '$2M - $10M'
    target_industries      text[],
    target_geographies     text[],
    engagement_score       integer CHECK (engagement_score BETWEEN 0 AND 100),
    relationship_strength  text,           -- cold | warm | hot
    active_deals_count     integer,

    -- Deal context and call prep
    last_deal_presented    text,
    last_deal_outcome      text,
    call_talking_points    text,
    preferred_contact_time text,
    assistant_name         text,
    assistant_phone        text,

    -- Attribution
    contact_owner          text,
    contact_source         text,
    industry               text,           -- the contact's own industry

    created_at             timestamptz NOT NULL DEFAULT now(),

    -- What the calls left: the last call's disposition text and a callback
    -- the rep scheduled (the smart lists "Passed on Deals" and "Callback Due
    -- Today"; the write-back hook keeps them, demo/writeback_hook.sql)
    last_disposition       text,
    next_action_type       text,
    next_action_date       date
);

COMMENT ON COLUMN sourceco.contacts.phone_e164 IS
    'phone in E.164, maintained by trigger contacts_phone_e164; NULL when missing or invalid';

-- phone_e164 follows phone, so the dialer rules never re-parse a number.
CREATE TRIGGER contacts_phone_e164
    BEFORE INSERT OR UPDATE OF phone ON sourceco.contacts
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();

-- The filters reps use most.
CREATE INDEX contacts_type_state_idx ON sourceco.contacts (contact_type, state);
CREATE INDEX contacts_industry_idx ON sourceco.contacts (industry);
CREATE INDEX contacts_phone_e164_idx ON sourceco.contacts (phone_e164);
