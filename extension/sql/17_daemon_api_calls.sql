-- The daemon's API for calls: dialer.record_call_event, the one entry point
-- for PhoneBurner's webhooks, with the checks of the normalized event's shape.
-- What it records is described in 12_call_outcomes.sql.
--
-- Used by: the daemon only (once per webhook delivery, also on journal
-- replay); the _event_* functions are its internals.

-- A key of the normalized event, checked: absent and JSON null read as NULL,
-- blank strings too; any other type than the allowed ones is 22023.
CREATE FUNCTION dialer._event_value(event jsonb, key text, allowed text[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v jsonb := event -> key;
BEGIN
    IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(v) <> ALL (allowed) THEN
        RAISE EXCEPTION 'call event: "%" must be %, not %', key, array_to_string(allowed, ' or '), jsonb_typeof(v)
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(v) = 'string' AND btrim(v #>> '{}') = '' THEN
        RETURN NULL;
    END IF;
    RETURN v;
END
$$;

CREATE FUNCTION dialer._event_text(event jsonb, key text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT btrim(dialer._event_value(event, key, '{string}') #>> '{}') $$;

-- Ids may come as strings or numbers.
CREATE FUNCTION dialer._event_id(event jsonb, key text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT btrim(dialer._event_value(event, key, '{string,number}') #>> '{}') $$;

-- start_time / end_time: 'YYYY-MM-DD HH:MM:SS' without a zone, read in zone.
-- PhoneBurner's zero date means none.
CREATE FUNCTION dialer._event_time(event jsonb, key text, zone text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v text := dialer._event_text(event, key);
    t timestamp;
BEGIN
    IF v IS NULL OR v LIKE '0000-00-00%' THEN
        RETURN NULL;
    END IF;
    IF v !~ '^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$' THEN
        RAISE EXCEPTION 'call event: "%" must be YYYY-MM-DD HH:MM:SS without a zone, not "%"', key, v
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        t := v::timestamp;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
        RAISE EXCEPTION 'call event: "%" is not a valid time: "%"', key, v USING ERRCODE = '22023';
    END;
    IF zone IS NULL THEN
        RAISE EXCEPTION 'call event: "%" needs "time_zone"', key USING ERRCODE = '22023';
    END IF;
    RETURN t AT TIME ZONE zone;
END
$$;

-- callback_date: the callback a rep scheduled, 'YYYY-MM-DD' or 'YYYY-MM-DD
-- HH:MM:SS' on PhoneBurner's clock (docs/call-events.md); its date is kept.
CREATE FUNCTION dialer._event_date(event jsonb, key text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v text := dialer._event_text(event, key);
BEGIN
    IF v IS NULL OR v LIKE '0000-00-00%' THEN
        RETURN NULL;
    END IF;
    IF v !~ '^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2}(\.\d+)?)?$' THEN
        RAISE EXCEPTION 'call event: "%" must be YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, not "%"', key, v
            USING ERRCODE = '22023';
    END IF;
    RETURN left(v, 10)::date;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RAISE EXCEPTION 'call event: "%" is not a valid date: "%"', key, v USING ERRCODE = '22023';
END
$$;

CREATE FUNCTION dialer._record_call_event(event jsonb)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind          text;
    source        text;
    account       text;
    received      timestamptz;
    zone          text;
    pb_call_id    text;
    ds_id         text;
    pb_contact    text;
    lead_id       text;
    sourceco_id   text;
    folder_id     text;
    custom_data   jsonb;
    given         text;
    given_session bigint;
    custom_session bigint;
    agent_name    text;
    agent_id      text;
    started       timestamptz;
    ended         timestamptz;
    duration      numeric;
    connected     boolean;
    disposition   text;
    outcome       text;
    callback_date date;
    key           text;
    event_id      bigint;
    contact       text;
    session       bigint;
    before        dialer.call_activity;
    after         dialer.call_activity;
    done_event    boolean;
    activity_at   timestamptz;
BEGIN
    -- 1. Shape. Anything not of the contract's shape is 22023: the daemon
    --    counts it as rejected and sets it aside instead of retrying.
    IF event IS NULL OR jsonb_typeof(event) <> 'object' THEN
        RAISE EXCEPTION 'call event must be a JSON object' USING ERRCODE = '22023';
    END IF;
    kind := dialer._event_text(event, 'event');
    IF kind IS NULL OR kind NOT IN ('api_calldone', 'api_callbegin', 'api_contact_displayed') THEN
        RAISE EXCEPTION 'call event: "event" must be api_calldone, api_callbegin or api_contact_displayed, not %',
            coalesce('"' || kind || '"', 'missing') USING ERRCODE = '22023';
    END IF;
    source := dialer._event_text(event, 'source');
    IF source IS NULL OR source NOT IN ('account', 'session') THEN
        RAISE EXCEPTION 'call event: "source" must be account or session, not %', coalesce('"' || source || '"', 'missing')
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        received := dialer._event_text(event, 'received_at')::timestamptz;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR invalid_parameter_value THEN
        RAISE EXCEPTION 'call event: "received_at" is not a timestamp: "%"', event ->> 'received_at'
            USING ERRCODE = '22023';
    END;
    IF received IS NULL THEN
        RAISE EXCEPTION 'call event: "received_at" is missing' USING ERRCODE = '22023';
    END IF;
    -- The PhoneBurner account whose account-level URL received it (the
    -- daemon adds it; the legacy account URL is the default credential). A
    -- session callback's account is its session's.
    account := dialer._event_text(event, 'credential');
    IF account !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'call event: "credential" is not a credential name: "%"', account USING ERRCODE = '22023';
    END IF;
    IF source = 'account' THEN
        account := coalesce(account, 'default');
    END IF;
    zone := dialer._event_text(event, 'time_zone');
    BEGIN
        PERFORM now() AT TIME ZONE zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        RAISE EXCEPTION 'call event: unknown "time_zone" "%"', zone USING ERRCODE = '22023';
    END;
    given := dialer._event_value(event, 'session_id', '{number}') #>> '{}';
    IF given !~ '^[0-9]{1,18}$' THEN
        RAISE EXCEPTION 'call event: "session_id" must be a positive whole number, not %', given
            USING ERRCODE = '22023';
    END IF;
    given_session := given::bigint;
    IF source = 'session' AND given_session IS NULL THEN
        RAISE EXCEPTION 'call event: a session callback needs "session_id"' USING ERRCODE = '22023';
    END IF;
    IF source = 'session' THEN
        account := coalesce(account, (SELECT s.phoneburner_credential FROM dialer.sessions s WHERE s.id = given_session));
    END IF;
    pb_call_id := dialer._event_id(event, 'call_id');
    ds_id := dialer._event_id(event, 'dial_session_id');
    pb_contact := dialer._event_id(event, 'phoneburner_contact_id');
    lead_id := dialer._event_id(event, 'lead_id');
    sourceco_id := dialer._event_id(event, 'sourceco_contact_id');
    folder_id := dialer._event_id(event, 'folder_id');
    agent_id := dialer._event_id(event, 'agent_id');
    agent_name := dialer._event_text(event, 'agent_name');
    custom_data := dialer._event_value(event, 'custom_data', '{object}');
    IF (custom_data ->> 'pgdialer_session_id') ~ '^\s*[0-9]{1,18}\s*$' THEN
        custom_session := (custom_data ->> 'pgdialer_session_id')::bigint;
    END IF;
    started := dialer._event_time(event, 'start_time', zone);
    ended := dialer._event_time(event, 'end_time', zone);
    duration := (dialer._event_value(event, 'duration_seconds', '{number}') #>> '{}')::numeric;
    IF duration < 0 OR duration > 2147483647 THEN
        RAISE EXCEPTION 'call event: "duration_seconds" out of range: %', duration USING ERRCODE = '22023';
    END IF;
    connected := (dialer._event_value(event, 'connected', '{boolean}') #>> '{}')::boolean;
    disposition := dialer._event_text(event, 'disposition');
    callback_date := dialer._event_date(event, 'callback_date');
    PERFORM dialer._event_value(event, 'notes', '{string}'), dialer._event_value(event, 'recording_url', '{string}'),
            dialer._event_value(event, 'phone', '{string}'), dialer._event_value(event, 'raw', '{object}');

    -- 2. Idempotency: a key seen before changes nothing.
    IF kind = 'api_contact_displayed' THEN
        IF ds_id IS NULL OR coalesce(pb_contact, lead_id) IS NULL THEN
            RAISE EXCEPTION 'call event: api_contact_displayed needs "dial_session_id" and "phoneburner_contact_id" or "lead_id"'
                USING ERRCODE = '22023';
        END IF;
        key := 'api_contact_displayed:' || ds_id || ':' || coalesce(pb_contact, lead_id);
    ELSE
        IF pb_call_id IS NULL THEN
            RAISE EXCEPTION 'call event: % needs "call_id"', kind USING ERRCODE = '22023';
        END IF;
        key := kind || ':' || pb_call_id;
    END IF;
    INSERT INTO dialer.webhook_events (idempotency_key, event, source, received_at, call_id, result, payload)
    VALUES (key, kind, source, received, pb_call_id, 'unmatched', event)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO event_id;
    IF event_id IS NULL THEN
        RETURN 'duplicate';
    END IF;

    -- 3. Our contact: lead_id, the sourceco_contact_id custom field, the
    --    PhoneBurner contact's link (within the account the event came
    --    from: PhoneBurner ids are an account's), or the call's other event.
    SELECT * INTO before FROM dialer.call_activity c WHERE c.call_id = pb_call_id FOR UPDATE;
    contact := coalesce(lead_id, sourceco_id,
                        (SELECT l.contact_id FROM dialer.contact_links l JOIN dialer.sessions s ON s.id = l.session_id
                         WHERE l.phoneburner_contact_id = pb_contact
                           AND (account IS NULL OR s.phoneburner_credential = account)
                         ORDER BY l.last_synced_at DESC, l.session_id DESC LIMIT 1),
                        before.contact_id);

    -- 4. Our session: from the callback URL, our custom_data, the folder,
    --    the PhoneBurner contact's link, or the call's other event.
    SELECT s.id INTO session FROM dialer.sessions s WHERE s.id = given_session;
    IF session IS NULL THEN
        SELECT s.id INTO session FROM dialer.sessions s
        WHERE s.id = custom_session AND (account IS NULL OR s.phoneburner_credential = account);
    END IF;
    IF session IS NULL AND folder_id IS NOT NULL THEN
        SELECT s.id INTO session FROM dialer.sessions s
        WHERE s.phoneburner_folder_id = folder_id AND (account IS NULL OR s.phoneburner_credential = account);
    END IF;
    IF session IS NULL AND pb_contact IS NOT NULL THEN
        SELECT l.session_id INTO session FROM dialer.contact_links l JOIN dialer.sessions s ON s.id = l.session_id
        WHERE l.phoneburner_contact_id = pb_contact AND (account IS NULL OR s.phoneburner_credential = account)
        ORDER BY l.last_synced_at DESC, l.session_id DESC LIMIT 1;
    END IF;
    session := coalesce(session, before.session_id);

    -- 5. The call's row. api_calldone's facts win; api_callbegin only fills
    --    what calldone left empty, so arrival order does not matter.
    IF kind <> 'api_contact_displayed' THEN
        done_event := kind = 'api_calldone';
        outcome := dialer.disposition_outcome(disposition);
        INSERT INTO dialer.call_activity AS c (
            call_id, session_id, dial_session_id, contact_id, phoneburner_contact_id, agent_name, agent_id,
            phone, started_at, ended_at, duration_seconds, connected, disposition, outcome, notes,
            recording_url, began_received_at, done_received_at, callback_date)
        VALUES (pb_call_id, session, ds_id, contact, pb_contact, agent_name, agent_id,
                dialer._event_text(event, 'phone'), started, ended, round(duration)::integer, connected,
                disposition, outcome, dialer._event_value(event, 'notes', '{string}') #>> '{}',
                dialer._event_text(event, 'recording_url'),
                CASE WHEN NOT done_event THEN received END, CASE WHEN done_event THEN received END,
                callback_date)
        ON CONFLICT (call_id) DO UPDATE SET
            session_id = CASE WHEN done_event THEN coalesce(excluded.session_id, c.session_id)
                              ELSE coalesce(c.session_id, excluded.session_id) END,
            dial_session_id = CASE WHEN done_event THEN coalesce(excluded.dial_session_id, c.dial_session_id)
                                   ELSE coalesce(c.dial_session_id, excluded.dial_session_id) END,
            contact_id = CASE WHEN done_event THEN coalesce(excluded.contact_id, c.contact_id)
                              ELSE coalesce(c.contact_id, excluded.contact_id) END,
            phoneburner_contact_id = CASE WHEN done_event THEN coalesce(excluded.phoneburner_contact_id, c.phoneburner_contact_id)
                                          ELSE coalesce(c.phoneburner_contact_id, excluded.phoneburner_contact_id) END,
            agent_name = CASE WHEN done_event THEN coalesce(excluded.agent_name, c.agent_name)
                              ELSE coalesce(c.agent_name, excluded.agent_name) END,
            agent_id = CASE WHEN done_event THEN coalesce(excluded.agent_id, c.agent_id)
                            ELSE coalesce(c.agent_id, excluded.agent_id) END,
            phone = CASE WHEN done_event THEN coalesce(excluded.phone, c.phone)
                         ELSE coalesce(c.phone, excluded.phone) END,
            started_at = CASE WHEN done_event THEN coalesce(excluded.started_at, c.started_at)
                              ELSE coalesce(c.started_at, excluded.started_at) END,
            ended_at = CASE WHEN done_event THEN coalesce(excluded.ended_at, c.ended_at)
                            ELSE coalesce(c.ended_at, excluded.ended_at) END,
            duration_seconds = CASE WHEN done_event THEN coalesce(excluded.duration_seconds, c.duration_seconds)
                                    ELSE coalesce(c.duration_seconds, excluded.duration_seconds) END,
            connected = CASE WHEN done_event THEN coalesce(excluded.connected, c.connected)
                             ELSE coalesce(c.connected, excluded.connected) END,
            disposition = CASE WHEN done_event THEN coalesce(excluded.disposition, c.disposition)
                               ELSE coalesce(c.disposition, excluded.disposition) END,
            outcome = CASE WHEN done_event THEN coalesce(excluded.outcome, c.outcome)
                           ELSE coalesce(c.outcome, excluded.outcome) END,
            notes = CASE WHEN done_event THEN coalesce(excluded.notes, c.notes)
                         ELSE coalesce(c.notes, excluded.notes) END,
            recording_url = CASE WHEN done_event THEN coalesce(excluded.recording_url, c.recording_url)
                                 ELSE coalesce(c.recording_url, excluded.recording_url) END,
            callback_date = CASE WHEN done_event THEN coalesce(excluded.callback_date, c.callback_date)
                                 ELSE coalesce(c.callback_date, excluded.callback_date) END,
            began_received_at = coalesce(c.began_received_at, excluded.began_received_at),
            done_received_at = coalesce(c.done_received_at, excluded.done_received_at),
            updated_at = now()
        RETURNING c.* INTO after;
        contact := after.contact_id;
        session := after.session_id;

        -- 6. Effects on the contact, when this event changed what they
        --    depend on (the other event of the call may have applied them).
        IF after.contact_id IS NOT NULL AND (before.call_id IS NULL
               OR (before.contact_id, before.outcome, before.started_at, before.ended_at, before.phone,
                   before.disposition, before.callback_date)
                  IS DISTINCT FROM (after.contact_id, after.outcome, after.started_at, after.ended_at, after.phone,
                                    after.disposition, after.callback_date)) THEN
            PERFORM dialer._apply_call_effects(after, event_id);
        END IF;

        -- 7. The session's last activity, and whose: never moved back by a
        --    late delivery of an earlier call.
        activity_at := coalesce(after.ended_at, after.started_at, received);
        UPDATE dialer.sessions s
        SET last_activity_at = activity_at,
            last_activity_by = coalesce(after.agent_name, after.agent_id, s.last_activity_by)
        WHERE s.id = session AND (s.last_activity_at IS NULL OR s.last_activity_at <= activity_at);
    END IF;

    UPDATE dialer.webhook_events w
    SET session_id = session, contact_id = contact,
        result = CASE WHEN contact IS NULL THEN 'unmatched' ELSE 'recorded' END
    WHERE w.id = event_id;
    RETURN CASE WHEN contact IS NULL THEN 'unmatched' ELSE 'recorded' END;
END
$$;

-- The daemon's call: record, then hand the call's effects to the write-back
-- hook with the daemon's rights (13_write_back.sql), in the same transaction.
CREATE FUNCTION dialer.record_call_event(event jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    result text := dialer._record_call_event(event);
BEGIN
    IF result <> 'duplicate' THEN
        PERFORM dialer.apply_writebacks();
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION dialer.record_call_event(jsonb) IS
'pgdialer-sync: record one normalized PhoneBurner webhook delivery (docs/call-events.md). Returns recorded, duplicate (its idempotency key was seen; nothing changes) or unmatched (kept for review, no contact found). 22023 when the event is not of the normalized shape. Write-back hook failures do not lose the event: they are kept in dialer.writeback_failures.';
