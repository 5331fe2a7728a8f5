-- Call outcomes: what reps do in PhoneBurner, back in PostgreSQL.
--
-- pgdialer-sync receives PhoneBurner's webhooks (callbegin, calldone,
-- contact displayed), normalizes them and calls dialer.record_call_event
-- (17_daemon_api_calls.sql) once per delivery. From there:
--   dialer.webhook_events   every accepted delivery, once (idempotency key)
--   dialer.call_activity    one row per call, filled by whichever event comes
--   dialer.disposition_map  PhoneBurner's disposition text -> our outcome
--                           (11_dispositions.sql)
--   write-back hook         the call's effects on the contact (last attempt,
--                           outcome, wrong number, do not call), through one
--                           function the installer points at the app's table
--                           (13_write_back.sql)
--   dialer.suppressions     numbers that asked not to be called
--                           (10_suppressions.sql)
-- and, for the app's session pages: session management functions
-- (14_session_manage.sql) and the dashboard views session_stats,
-- session_contacts, session_activity (15_dashboard.sql).
--
-- None of these tables references dialer.sessions with a foreign key: calls
-- and audit rows outlive a session's deletion (only sessions without contacts,
-- jobs or calls can be deleted), and a TRUNCATE of the queue tables does not
-- cascade into the call history.
--
-- Used by: the daemon (through dialer.record_call_event); admins
-- (dialer.unmapped_dispositions); the dashboard views read the tables.

CREATE TABLE dialer.webhook_events (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key        text NOT NULL UNIQUE,  -- event:call_id, or displayed:ds_id:contact
    event                  text NOT NULL,         -- api_calldone | api_callbegin | api_contact_displayed
    source                 text NOT NULL,         -- account | session
    received_at            timestamptz NOT NULL,  -- the daemon's clock (kept on journal replay)
    recorded_at            timestamptz NOT NULL DEFAULT now(),
    call_id                text,
    session_id             bigint,                -- resolved (no foreign key: see above)
    contact_id             text,                  -- resolved; NULL = unmatched
    result                 text NOT NULL CHECK (result IN ('recorded', 'unmatched')),
    writeback_error        text,                  -- the first hook failure (all in writeback_failures)
    payload                jsonb NOT NULL         -- the normalized event, with `raw` as received
);
SELECT pg_catalog.pg_extension_config_dump('dialer.webhook_events', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.webhook_events', 'id'), '');
CREATE INDEX webhook_events_unmatched ON dialer.webhook_events (received_at) WHERE result = 'unmatched';
CREATE INDEX webhook_events_by_call ON dialer.webhook_events (call_id);

COMMENT ON TABLE dialer.webhook_events IS
'Every accepted PhoneBurner webhook delivery, once: duplicates are recognized by idempotency_key. result unmatched = no contact could be found (for review).';

CREATE TABLE dialer.call_activity (
    call_id                text PRIMARY KEY,      -- PhoneBurner's, unique per call
    session_id             bigint,                -- ours
    dial_session_id        text,                  -- PhoneBurner's ds_id (NULL when dialed from a folder)
    contact_id             text,                  -- ours; NULL while unmatched
    phoneburner_contact_id text,
    agent_name             text,
    agent_id               text,
    phone                  text,                  -- the number dialed, as PhoneBurner sent it
    started_at             timestamptz,           -- start_time read in the event's time_zone
    ended_at               timestamptz,
    duration_seconds       integer CHECK (duration_seconds >= 0),
    connected              boolean,               -- as PhoneBurner reported it
    disposition            text,                  -- PhoneBurner's text
    outcome                text,                  -- dialer.disposition_outcome(disposition)
    callback_date          date,                  -- the callback the rep scheduled, when PhoneBurner sent one
    notes                  text,
    recording_url          text,
    began_received_at      timestamptz,           -- when its api_callbegin arrived
    done_received_at       timestamptz,           -- when its api_calldone arrived
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.call_activity', '');
CREATE INDEX call_activity_by_session ON dialer.call_activity (session_id, contact_id);
CREATE INDEX call_activity_by_contact ON dialer.call_activity (contact_id);
CREATE INDEX call_activity_by_disposition ON dialer.call_activity (lower(btrim(disposition)));

COMMENT ON TABLE dialer.call_activity IS
'One row per PhoneBurner call, filled by its api_callbegin and api_calldone in whichever order they arrive; calldone''s facts win.';

-- The other contacts of the configured contact relation with this number:
-- by the phone_e164 column when the relation has one (indexable), else by
-- normalizing phone. Empty when no relation is configured. Runs with the
-- caller's rights (the daemon's, from dialer.apply_writebacks), inside the
-- daemon's short statement_timeout: a do-not-call on a large relation must
-- not time out, or the call event fails every time it is replayed.
--
-- Without phone_e164 no index can help (dialer.e164 depends on the default
-- region), and parsing every row is what is slow (about 3 us a row, far more
-- with an extension), so a cheap necessary condition decides which rows are
-- parsed at all. libphonenumber only strips or rewrites the front of a number
-- (plus sign, international prefix, country code, national prefix, carrier
-- code) and drops an extension after it, so the number's last four digits
-- appear, in order, in any ASCII text it parses from that has fewer than three
-- letters (three or more may be a vanity number, whose digits are letters). So
-- a row is parsed only when LIKE finds those four digits in it in order, or
-- when it holds other characters or letters; about ten times faster on a
-- million rows, same answers: tests/unit/phone_suffix_rule_test.cpp checks the
-- rule, sql/call_events.sql the answers, bench/rules_bench.sql times both.
CREATE FUNCTION dialer._contacts_with_number(phone_e164 text, except_contact text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    relation regclass := dialer._contact_relation(NULL);
    has_e164 boolean;
BEGIN
    IF relation IS NULL OR phone_e164 IS NULL THEN
        RETURN;
    END IF;
    has_e164 := EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = relation AND a.attname = 'phone_e164' AND NOT a.attisdropped);
    IF NOT has_e164 AND NOT EXISTS (SELECT FROM pg_attribute a
                                    WHERE a.attrelid = relation AND a.attname = 'phone' AND NOT a.attisdropped) THEN
        RETURN;  -- a relation without numbers shares none
    END IF;
    IF has_e164 THEN
        RETURN QUERY EXECUTE format(
            'SELECT DISTINCT c.id::text FROM %s c WHERE c.phone_e164::text = $1 AND c.id::text IS DISTINCT FROM $2 ORDER BY 1',
            relation)
        USING phone_e164, except_contact;
        RETURN;
    END IF;
    -- CASE fixes the order: the cheap tests first, dialer.e164 only after them.
    RETURN QUERY EXECUTE format(
        $q$SELECT DISTINCT c.id::text FROM %s c
            WHERE CASE WHEN c.phone::text LIKE $3
                       THEN dialer.e164(c.phone::text) = $1
                       WHEN octet_length(c.phone::text) <> length(c.phone::text)
                            OR c.phone::text ~ '[A-Za-z].*[A-Za-z].*[A-Za-z]'
                       THEN dialer.e164(c.phone::text) = $1
                       ELSE false END
              AND c.id::text IS DISTINCT FROM $2 ORDER BY 1$q$,
        relation)
    USING phone_e164, except_contact, '%' || array_to_string(regexp_split_to_array(right(phone_e164, 4), ''), '%') || '%';
END
$$;

-- What a call does to contacts, through the hook. Every call with a known
-- contact: last_call_attempt_at, last_contact_method 'call', the outcome
-- when it maps to one and the disposition text (last_disposition: the smart
-- lists read the text, e.g. "Not a Fit"). A callback with a date PhoneBurner
-- sent sets next_action_type 'call' and next_action_date (the smart list
-- "Callback Due Today"); without a date the next action is left as it is. wrong_number flags the phone invalid and do_not_call
-- sets DNC (source requested) and suppresses the number, for the contact
-- called and for every other contact with that number. The changes are
-- queued for the hook (13_write_back.sql). The suppression counts from the
-- next statement on (the rules load the list once per statement); its audit
-- row says when the call ended (called_at) and how many seconds after it the
-- opt-out was recorded (seconds_after_call; NULL without call times).
CREATE FUNCTION dialer._apply_call_effects(the_call dialer.call_activity, webhook_event_id bigint)
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

CREATE VIEW dialer.unmapped_dispositions AS
SELECT min(btrim(c.disposition)) AS disposition,  -- one spelling of it
       count(*) AS calls,
       max(coalesce(c.ended_at, c.started_at, c.created_at)) AS last_seen
FROM dialer.call_activity c
WHERE c.disposition IS NOT NULL
  AND NOT EXISTS (SELECT FROM dialer.disposition_map m WHERE m.disposition_key = lower(btrim(c.disposition)))
GROUP BY lower(btrim(c.disposition))
ORDER BY calls DESC, disposition;

COMMENT ON VIEW dialer.unmapped_dispositions IS
'Disposition texts seen on calls that dialer.disposition_map does not know, most frequent first: map them with dialer.map_disposition.';
