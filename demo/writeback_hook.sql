-- The demo CRM's write-back hook: what happens in PhoneBurner lands in
-- sourceco.contacts itself, the columns the pre-push rules read, so the next
-- preview already knows about every call (docs/sql-reference.md, "The write-back hook").
-- The daemon runs it with its own rights: demo/logins.sql grants its login
-- UPDATE on exactly the columns it writes.
CREATE FUNCTION sourceco.dialer_writeback(contact_id text, changes jsonb) RETURNS void
LANGUAGE sql AS $$
    UPDATE sourceco.contacts c SET
        -- A call that arrives late never makes the contact look less recent.
        last_call_attempt_at = greatest(c.last_call_attempt_at, (changes ->> 'last_call_attempt_at')::timestamptz),
        last_contact_method  = CASE WHEN c.last_call_attempt_at IS NULL
                                      OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz
                                    THEN coalesce(changes ->> 'last_contact_method', c.last_contact_method)
                                    ELSE c.last_contact_method END,
        last_contact_outcome = CASE WHEN c.last_call_attempt_at IS NULL
                                      OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz
                                    THEN coalesce(changes ->> 'last_contact_outcome', c.last_contact_outcome)
                                    ELSE c.last_contact_outcome END,
        phone_number_invalid = coalesce((changes ->> 'phone_number_invalid')::boolean, c.phone_number_invalid),
        phone_invalid_reason = coalesce(changes ->> 'phone_invalid_reason', c.phone_invalid_reason),
        do_not_call          = coalesce((changes ->> 'do_not_call')::boolean, c.do_not_call),
        do_not_call_reason   = coalesce(changes ->> 'do_not_call_reason', c.do_not_call_reason),
        do_not_call_source   = coalesce(changes ->> 'do_not_call_source', c.do_not_call_source),
        -- The disposition text and a callback, as the outcome: from the latest call only.
        last_disposition     = CASE WHEN c.last_call_attempt_at IS NULL
                                      OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz
                                    THEN coalesce(changes ->> 'last_disposition', c.last_disposition)
                                    ELSE c.last_disposition END,
        next_action_type     = CASE WHEN changes ? 'next_action_type'
                                     AND (c.last_call_attempt_at IS NULL
                                          OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz)
                                    THEN changes ->> 'next_action_type' ELSE c.next_action_type END,
        next_action_date     = CASE WHEN changes ? 'next_action_type'
                                     AND (c.last_call_attempt_at IS NULL
                                          OR c.last_call_attempt_at <= (changes ->> 'last_call_attempt_at')::timestamptz)
                                    THEN (changes ->> 'next_action_date')::date ELSE c.next_action_date END
    WHERE c.id = dialer_writeback.contact_id::bigint
$$;

SELECT dialer.configure('sourceco.contacts');
SELECT dialer.configure_writeback('sourceco.dialer_writeback(text, jsonb)');
