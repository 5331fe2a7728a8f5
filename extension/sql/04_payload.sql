-- What gets pushed: the PhoneBurner contact built from a row, and the
-- call-prep line shown to the rep.
--
-- Used by: analysts and the app; the preview and the push snapshot
-- dialer.payload into the queue.

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
'A call-prep line from last_deal_presented, last_deal_outcome, target_industries, target_ebitda_range and last_contact_outcome, then the active deals of the deals relation (dialer.configure_deals) that fit the buyer; only facts in the rows; at most 500 bytes. NULL when there is none.';
