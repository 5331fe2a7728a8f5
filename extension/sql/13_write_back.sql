-- The write-back: a call's and a push's effects on the app's contacts go
-- through one hook function (dialer.configure_writeback, 01_settings.sql; by
-- default dialer.write_contact_state, 09_contact_state.sql). A hook that
-- fails never loses the event: the failure is kept and can be retried.
--
-- The hook is the app's code, so it runs only with the rights of
-- pgdialer-sync's role, never with the extension owner's: the functions
-- that record pushes and calls (SECURITY DEFINER) only queue what is to be
-- written (dialer.writeback_queue), and dialer.apply_writebacks, which runs
-- with its caller's rights and only the daemon may call, hands each change
-- to the hook. The daemon applies the queue in the same transaction as the
-- event that made it, and again when woken by NOTIFY dialer_writeback
-- (after an admin re-maps dispositions or retries failures).
--
-- Used by: admins (dialer.retry_writebacks, dialer.writeback_failures); the
-- daemon (dialer.apply_writebacks); internal: dialer._writeback queues.

-- A hook call that failed. The event that caused it is kept either way; these
-- rows say what did not reach the contact, and dialer.retry_writebacks()
-- applies them once the hook is fixed.
CREATE TABLE dialer.writeback_failures (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id       text NOT NULL,
    changes          jsonb NOT NULL,
    hook             text NOT NULL,
    sqlstate         text NOT NULL,
    error            text NOT NULL,
    webhook_event_id bigint,           -- the delivery it came from, or
    push_job_id      bigint,           -- the push
    failed_at        timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 1,
    resolved_at      timestamptz,
    resolved_by      text
);
SELECT pg_catalog.pg_extension_config_dump('dialer.writeback_failures', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.writeback_failures', 'id'), '');
CREATE INDEX writeback_failures_open ON dialer.writeback_failures (id) WHERE resolved_at IS NULL;

COMMENT ON TABLE dialer.writeback_failures IS
'Write-back hook calls that raised an error; the event is recorded regardless. Fix the hook, then SELECT dialer.retry_writebacks().';

-- Changes waiting for the hook. A row names one contact, or, with
-- shared_number, every contact of the contact relation with that number but
-- except_contact (looked up with the daemon's rights when applied).
CREATE TABLE dialer.writeback_queue (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id       text,
    shared_number    text,
    except_contact   text,
    changes          jsonb NOT NULL,
    webhook_event_id bigint,
    push_job_id      bigint,
    failure_id       bigint REFERENCES dialer.writeback_failures,  -- a retry of that failure
    queued_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((contact_id IS NULL) <> (shared_number IS NULL))
);
SELECT pg_catalog.pg_extension_config_dump('dialer.writeback_queue', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.writeback_queue', 'id'), '');

-- Queue a change for one contact (or, with shared_number, for the others
-- with that number). Called by the recording functions; never raises.
CREATE FUNCTION dialer._writeback(contact_id text, changes jsonb,
                                  webhook_event_id bigint DEFAULT NULL, push_job_id bigint DEFAULT NULL,
                                  shared_number text DEFAULT NULL)
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO dialer.writeback_queue (contact_id, shared_number, except_contact, changes, webhook_event_id,
                                        push_job_id)
    VALUES (CASE WHEN shared_number IS NULL THEN contact_id END, shared_number,
            CASE WHEN shared_number IS NOT NULL THEN contact_id END, changes, webhook_event_id, push_job_id)
$$;

-- The configured hook's signature, e.g. 'app.write_back(text, jsonb)'.
CREATE FUNCTION dialer._writeback_hook()
RETURNS text
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT c.writeback_hook FROM dialer.configuration c), 'dialer.write_contact_state(text, jsonb)')
$$;

-- The name to call a hook by, checked again at each use: it must still
-- exist and still not be SECURITY DEFINER (dialer.configure_writeback says
-- why).
CREATE FUNCTION dialer._writeback_callable(signature text)
RETURNS text
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    hook regprocedure := signature::regprocedure;
    fn   record;
BEGIN
    SELECT n.nspname, p.proname, p.prosecdef INTO fn
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = hook;
    IF fn.prosecdef AND hook <> 'dialer.write_contact_state(text, jsonb)'::regprocedure THEN
        RAISE EXCEPTION 'write-back hook % is SECURITY DEFINER; it must run with pgdialer-sync''s rights', signature
            USING ERRCODE = '42501';
    END IF;
    RETURN format('%I.%I', fn.nspname, fn.proname);
END
$$;

-- Take up to max_items queued changes (skipping those another transaction
-- is applying); they leave the queue when the caller commits.
CREATE FUNCTION dialer._take_writebacks(max_items integer)
RETURNS SETOF dialer.writeback_queue
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM dialer.writeback_queue q
    WHERE q.id IN (SELECT w.id FROM dialer.writeback_queue w ORDER BY w.id LIMIT max_items FOR UPDATE SKIP LOCKED)
    RETURNING q.*
$$;

-- The outcome of one hook call: a retried failure is resolved or counted
-- again; a new failure is kept (with the first error on its webhook event).
CREATE FUNCTION dialer._writeback_outcome(item dialer.writeback_queue, contact_id text, hook text,
                                          sqlstate text, error text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF item.failure_id IS NOT NULL THEN
        UPDATE dialer.writeback_failures w
        SET attempts = w.attempts + 1,
            sqlstate = coalesce(_writeback_outcome.sqlstate, w.sqlstate),
            error = coalesce(_writeback_outcome.error, w.error),
            resolved_at = CASE WHEN _writeback_outcome.error IS NULL THEN now() END,
            resolved_by = CASE WHEN _writeback_outcome.error IS NULL THEN session_user END
        WHERE w.id = item.failure_id;
    ELSIF error IS NOT NULL THEN
        INSERT INTO dialer.writeback_failures (contact_id, changes, hook, sqlstate, error, webhook_event_id,
                                               push_job_id)
        VALUES (_writeback_outcome.contact_id, item.changes, hook, _writeback_outcome.sqlstate,
                _writeback_outcome.error, item.webhook_event_id, item.push_job_id);
        UPDATE dialer.webhook_events w
        SET writeback_error = format('%s (SQLSTATE %s)', _writeback_outcome.error, _writeback_outcome.sqlstate)
        WHERE w.id = item.webhook_event_id AND w.writeback_error IS NULL;
    END IF;
END
$$;

-- Hand queued changes to the hook, with the caller's rights (the daemon's
-- role: grant it what the hook writes). A hook error is kept in
-- dialer.writeback_failures with a WARNING, never raised. Returns the number
-- of queued changes taken (0: the queue is empty).
CREATE FUNCTION dialer.apply_writebacks(max_items integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    item    dialer.writeback_queue;
    hook    text;
    contact text;
    state   text;
    msg     text;
    taken   integer := 0;
BEGIN
    FOR item IN SELECT * FROM dialer._take_writebacks(max_items) LOOP
        taken := taken + 1;
        hook := dialer._writeback_hook();
        FOR contact IN
            SELECT item.contact_id WHERE item.shared_number IS NULL
            UNION ALL
            SELECT c FROM dialer._contacts_with_number(item.shared_number, item.except_contact) c
            WHERE item.shared_number IS NOT NULL
        LOOP
            BEGIN
                -- The argument types pick the (text, jsonb) overload.
                EXECUTE format('SELECT %s($1, $2)', dialer._writeback_callable(hook)) USING contact, item.changes;
                IF item.failure_id IS NOT NULL THEN
                    PERFORM dialer._writeback_outcome(item, contact, hook, NULL, NULL);
                END IF;
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
                PERFORM dialer._writeback_outcome(item, contact, hook, state, msg);
                RAISE WARNING 'write-back hook % failed for contact %: % (SQLSTATE %)', hook, contact, msg, state
                    USING HINT = 'Kept in dialer.writeback_failures; fix the hook, then SELECT dialer.retry_writebacks().';
            END;
        END LOOP;
    END LOOP;
    RETURN taken;
END
$$;

COMMENT ON FUNCTION dialer.apply_writebacks(integer) IS
'pgdialer-sync: hand up to max_items queued changes to the write-back hook, with the caller''s rights; failures are kept in dialer.writeback_failures. Returns the number of changes taken, 0 when the queue is empty.';

-- Admin: queue every unresolved failure again; pgdialer-sync applies them
-- (the hook runs only with its rights) when woken by NOTIFY dialer_writeback.
CREATE FUNCTION dialer.retry_writebacks()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    PERFORM dialer._require_admin('retry write-backs');
    INSERT INTO dialer.writeback_queue (contact_id, changes, webhook_event_id, push_job_id, failure_id)
    SELECT w.contact_id, w.changes, w.webhook_event_id, w.push_job_id, w.id
    FROM dialer.writeback_failures w
    WHERE w.resolved_at IS NULL
      AND NOT EXISTS (SELECT FROM dialer.writeback_queue q WHERE q.failure_id = w.id)
    ORDER BY w.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        PERFORM pg_notify('dialer_writeback', n::text);
        PERFORM dialer._audit('writebacks_retried', 'configuration', 'writeback_hook',
                              details => jsonb_build_object('failures', n));
    END IF;
    RETURN n;
END
$$;

COMMENT ON FUNCTION dialer.retry_writebacks() IS
'Admin: queue every unresolved dialer.writeback_failures row again, oldest first; pgdialer-sync applies them with its rights (NOTIFY dialer_writeback) and resolves those that now succeed. Returns how many were queued. Changes carry their call time, so a late retry does not overwrite a newer outcome (with the default hook).';
