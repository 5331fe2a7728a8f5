-- The audit row of a requested opt-out says when the call was and how long after it
-- the suppression was recorded (12_call_outcomes.sql).
CREATE OR REPLACE FUNCTION dialer._apply_call_effects(the_call dialer.call_activity, webhook_event_id bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    changes jsonb;
    shared  jsonb;
    number  text;
    agent   text := coalesce(the_call.agent_name, the_call.agent_id, 'an agent');
BEGIN
    IF the_call.contact_id IS NULL THEN
        RETURN;
    END IF;
    changes := jsonb_strip_nulls(jsonb_build_object(
        'last_call_attempt_at', coalesce(the_call.started_at, the_call.ended_at, the_call.created_at),
        'last_contact_method', 'call',
        'last_contact_outcome', the_call.outcome,
        'last_disposition', the_call.disposition));
    IF the_call.outcome = 'callback' AND the_call.callback_date IS NOT NULL THEN
        changes := changes || jsonb_build_object('next_action_type', 'call',
                                                 'next_action_date', the_call.callback_date);
    END IF;

    IF the_call.outcome IN ('wrong_number', 'do_not_call') THEN
        -- The number dialed, else the one we pushed for this contact.
        number := dialer.e164(coalesce(the_call.phone, (
            SELECT i.payload ->> 'phone' FROM dialer.push_items i
            WHERE i.contact_id = the_call.contact_id ORDER BY i.updated_at DESC, i.job_id DESC LIMIT 1)));
    END IF;
    IF the_call.outcome = 'wrong_number' THEN
        changes := changes || jsonb_build_object(
            'phone_number_invalid', true,
            'phone_invalid_reason', format('Wrong number ("%s" on PhoneBurner call %s)', the_call.disposition, the_call.call_id));
        shared := jsonb_build_object(
            'phone_number_invalid', true,
            'phone_invalid_reason', format('Wrong number (reported on a call to contact %s, PhoneBurner call %s)',
                                           the_call.contact_id, the_call.call_id));
    ELSIF the_call.outcome = 'do_not_call' THEN
        changes := changes || jsonb_build_object(
            'do_not_call', true, 'do_not_call_source', 'requested',
            'do_not_call_reason', format('Asked not to be called (PhoneBurner call %s, %s)', the_call.call_id, agent));
        shared := jsonb_build_object(
            'do_not_call', true, 'do_not_call_source', 'requested',
            'do_not_call_reason', format('Number asked not to be called (contact %s, PhoneBurner call %s)',
                                         the_call.contact_id, the_call.call_id));
        IF number IS NOT NULL THEN
            INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by, added_at, call_id)
            VALUES (number, 'requested',
                    format('Asked not to be called on PhoneBurner call %s (contact %s)', the_call.call_id, the_call.contact_id),
                    agent, coalesce(the_call.ended_at, the_call.started_at, now()), the_call.call_id)
            ON CONFLICT (phone_e164) DO NOTHING;  -- the first request stays on record
            IF FOUND THEN
                PERFORM dialer._audit('suppression_added', 'suppression', number, ARRAY[the_call.contact_id],
                                      'Asked not to be called',
                                      jsonb_build_object('source', 'requested', 'call_id', the_call.call_id,
                                                         'agent', agent,
                                                         -- how long the opt-out took to take effect
                                                         'called_at', coalesce(the_call.ended_at, the_call.started_at),
                                                         'seconds_after_call', round(extract(epoch FROM
                                                             now() - coalesce(the_call.ended_at, the_call.started_at)))));
            END IF;
        END IF;
    END IF;

    PERFORM dialer._writeback(the_call.contact_id, changes, webhook_event_id);
    IF shared IS NOT NULL AND number IS NOT NULL THEN
        PERFORM dialer._writeback(the_call.contact_id, shared, webhook_event_id, shared_number => number);
    END IF;
END
$$;
