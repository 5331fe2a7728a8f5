-- Contact state: where the default write-back hook keeps a call's (and a
-- push's) effects on a contact. An app that cannot write its own contacts
-- table from here joins this table into the relation it gives
-- dialer.configure, so the rules read the columns. The hook machinery is in
-- 13_write_back.sql.
--
-- Used by: the app (joins dialer.contact_state into its contact relation);
-- internal: dialer.write_contact_state is called through the write-back.

CREATE TABLE dialer.contact_state (
    contact_id               text PRIMARY KEY,  -- the app's contact id, as text
    last_call_attempt_at     timestamptz,
    last_contact_method      text,              -- 'call'
    last_contact_outcome     text,              -- an outcome of dialer.disposition_map
    last_disposition         text,              -- PhoneBurner's disposition text of that call
    next_action_type         text,              -- 'call' when the rep set a callback with a date
    next_action_date         date,              -- that callback's date (PhoneBurner's clock)
    phone_number_invalid     boolean,
    phone_invalid_reason     text,
    do_not_call              boolean,
    do_not_call_reason       text,
    do_not_call_source       text,              -- 'requested' when asked on a call
    phoneburner_contact_id   text,              -- written back after each push
    phoneburner_last_sync_at timestamptz,
    updated_at               timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.contact_state', '');

COMMENT ON TABLE dialer.contact_state IS
'What calls and pushes taught us about each contact, written by the default write-back hook dialer.write_contact_state. Join it into the contact relation so the rules read it.';

-- The default hook. Keys it does not know are ignored. The last_contact_*,
-- last_disposition and next_action_* keys travel with last_call_attempt_at
-- and apply only when that attempt is not older than the stored one: a late delivery of an older call never
-- overwrites the outcome of a newer one. The flags (invalid phone, do not
-- call) are set whenever given.
-- SECURITY DEFINER: pgdialer-sync's role may run it (it is the hook) but
-- writes no table itself.
CREATE FUNCTION dialer.write_contact_state(contact_id text, changes jsonb)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    attempt timestamptz := (changes ->> 'last_call_attempt_at')::timestamptz;
BEGIN
    INSERT INTO dialer.contact_state AS s (contact_id) VALUES (write_contact_state.contact_id)
    ON CONFLICT ON CONSTRAINT contact_state_pkey DO NOTHING;
    UPDATE dialer.contact_state s
    SET last_call_attempt_at = CASE WHEN attempt IS NULL THEN s.last_call_attempt_at
                                    ELSE greatest(s.last_call_attempt_at, attempt) END,
        last_contact_method = CASE WHEN changes ? 'last_contact_method'
                                        AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                             OR attempt >= s.last_call_attempt_at)
                                   THEN changes ->> 'last_contact_method' ELSE s.last_contact_method END,
        last_contact_outcome = CASE WHEN changes ? 'last_contact_outcome'
                                         AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                              OR attempt >= s.last_call_attempt_at)
                                    THEN changes ->> 'last_contact_outcome' ELSE s.last_contact_outcome END,
        last_disposition = CASE WHEN changes ? 'last_disposition'
                                     AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                          OR attempt >= s.last_call_attempt_at)
                                THEN changes ->> 'last_disposition' ELSE s.last_disposition END,
        next_action_type = CASE WHEN changes ? 'next_action_type'
                                     AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                          OR attempt >= s.last_call_attempt_at)
                                THEN changes ->> 'next_action_type' ELSE s.next_action_type END,
        next_action_date = CASE WHEN changes ? 'next_action_date'
                                     AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                          OR attempt >= s.last_call_attempt_at)
                                THEN (changes ->> 'next_action_date')::date ELSE s.next_action_date END,
        phone_number_invalid = coalesce((changes ->> 'phone_number_invalid')::boolean, s.phone_number_invalid),
        phone_invalid_reason = CASE WHEN changes ? 'phone_invalid_reason'
                                    THEN changes ->> 'phone_invalid_reason' ELSE s.phone_invalid_reason END,
        do_not_call = coalesce((changes ->> 'do_not_call')::boolean, s.do_not_call),
        do_not_call_reason = CASE WHEN changes ? 'do_not_call_reason'
                                  THEN changes ->> 'do_not_call_reason' ELSE s.do_not_call_reason END,
        do_not_call_source = CASE WHEN changes ? 'do_not_call_source'
                                  THEN changes ->> 'do_not_call_source' ELSE s.do_not_call_source END,
        phoneburner_contact_id = coalesce(changes ->> 'phoneburner_contact_id', s.phoneburner_contact_id),
        phoneburner_last_sync_at = coalesce((changes ->> 'phoneburner_last_sync_at')::timestamptz,
                                            s.phoneburner_last_sync_at),
        updated_at = now()
    WHERE s.contact_id = write_contact_state.contact_id;
END
$$;

COMMENT ON FUNCTION dialer.write_contact_state(text, jsonb) IS
'The default write-back hook: upserts dialer.contact_state. last_contact_method/outcome, last_disposition and next_action_type/date apply only when last_call_attempt_at is not older than the stored one.';
