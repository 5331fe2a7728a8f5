-- dialer.payload: what gets pushed to PhoneBurner (docs/sql-reference.md).
CREATE SCHEMA test_payload;
SET search_path TO test_payload;
CREATE TABLE contacts (
    id text, contact_type text, first_name text, last_name text, company text, title text,
    email text, phone text, phone_e164 text, address_line1 text, city text, state text, zip text,
    last_call_attempt_at timestamptz, last_contact_method text, last_contact_outcome text,
    buyer_type text, aum text, fund_size text, target_ebitda_range text, target_industries text[],
    target_geographies text[], engagement_score int, relationship_strength text,
    active_deals_count int, last_deal_presented text, last_deal_outcome text,
    call_talking_points text, preferred_contact_time text, assistant_name text,
    assistant_phone text, contact_owner text, contact_source text, industry text
);
INSERT INTO contacts VALUES (
    'sc_buyer_789', 'buyer', 'John', 'Smith', 'Heritage Capital', 'Managing Partner',
    'john@heritage.example', '(919) 555-0123', NULL, '100 Main St', 'Raleigh', 'NC', '27601',
    '2026-01-15 23:30:00+00', 'email', 'Opened, no response',
    'PE Firm - LMM', '$500M', '$250M Fund III', '$2M - $10M',
    ARRAY['Business Services', 'Healthcare IT', 'Software'], ARRAY['Northeast', 'Mid-Atlantic'],
    75, 'warm', 3, 'Collision Repair Platform - Dec 2025', 'Passed - Too early stage',
    NULL, 'Morning 9-11 AM EST', 'Mary Johnson', '+1-919-555-0124', 'Sarah Johnson',
    'SourceCo Remarketing - Feb 2026 Campaign', 'Private Equity');
INSERT INTO contacts (id, first_name, last_name, phone, phone_e164, email, call_talking_points, assistant_phone, target_industries)
VALUES ('sc_2', 'Ann', 'Lee', 'garbage', '+442079460958', '  ', 'Ask about the HVAC add-on', 'ask front desk', '{}');
INSERT INTO contacts (id, first_name) VALUES ('sc_3', 'Only');

SET TimeZone = 'UTC';
SELECT jsonb_pretty(dialer.payload(c)) FROM contacts c ORDER BY id;
-- last_contact_date is the calendar date in the session time zone.
SET TimeZone = 'Asia/Tokyo';
SELECT dialer.payload(c) -> 'custom_fields' ->> 'last_contact_date' FROM contacts c WHERE id = 'sc_buyer_789';
RESET TimeZone;
-- Every value is a string.
SELECT DISTINCT jsonb_typeof(v) FROM contacts c,
    LATERAL jsonb_each(dialer.payload(c) - 'custom_fields') AS s(k, v);
SELECT DISTINCT jsonb_typeof(v) FROM contacts c,
    LATERAL jsonb_each(dialer.payload(c) -> 'custom_fields') AS s(k, v);
SELECT dialer.payload(NULL::contacts) IS NULL AS null_row;
