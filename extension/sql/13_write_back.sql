-- The write-back: a call's and a push's effects on the app's contacts go
-- through one hook function (dialer.configure_writeback, 01_settings.sql; by
-- default dialer.write_contact_state, 09_contact_state.sql). A hook that
-- fails never loses the event: the failure is kept and can be retried.
--
-- Used by: admins (dialer.retry_writebacks, dialer.writeback_failures);
-- internal: dialer._writeback is called by the daemon's API as it records
-- pushes and calls.

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

-- Call the configured hook (errors propagate).
CREATE FUNCTION dialer._call_hook(contact_id text, changes jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    hook regprocedure := coalesce((SELECT c.writeback_hook FROM dialer.configuration c),
                                  'dialer.write_contact_state(text, jsonb)')::regprocedure;
    fn   record;
BEGIN
    SELECT n.nspname, p.proname INTO fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = hook;
    -- The argument types pick the (text, jsonb) overload.
    EXECUTE format('SELECT %I.%I($1, $2)', fn.nspname, fn.proname) USING contact_id, changes;
END
$$;

-- Call the hook, and if it fails keep the failure instead of losing the
-- event: a row in dialer.writeback_failures and a WARNING. Returns NULL on
-- success, else the error.
CREATE FUNCTION dialer._writeback(contact_id text, changes jsonb,
                                  webhook_event_id bigint DEFAULT NULL, push_job_id bigint DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    state text;
    msg   text;
    hook  text;
BEGIN
    BEGIN
        PERFORM dialer._call_hook(_writeback.contact_id, _writeback.changes);
        RETURN NULL;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    hook := coalesce((SELECT c.writeback_hook FROM dialer.configuration c), 'dialer.write_contact_state(text, jsonb)');
    INSERT INTO dialer.writeback_failures (contact_id, changes, hook, sqlstate, error, webhook_event_id, push_job_id)
    VALUES (_writeback.contact_id, _writeback.changes, hook, state, msg,
            _writeback.webhook_event_id, _writeback.push_job_id);
    RAISE WARNING 'write-back hook % failed for contact %: % (SQLSTATE %)', hook, _writeback.contact_id, msg, state
        USING HINT = 'Kept in dialer.writeback_failures; fix the hook, then SELECT dialer.retry_writebacks().';
    RETURN format('%s (SQLSTATE %s)', msg, state);
END
$$;

CREATE FUNCTION dialer.retry_writebacks()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    f     dialer.writeback_failures;
    done  integer := 0;
    state text;
    msg   text;
BEGIN
    FOR f IN SELECT * FROM dialer.writeback_failures w WHERE w.resolved_at IS NULL ORDER BY w.id FOR UPDATE LOOP
        BEGIN
            PERFORM dialer._call_hook(f.contact_id, f.changes);
            UPDATE dialer.writeback_failures w
            SET resolved_at = now(), resolved_by = dialer.acting_user(), attempts = w.attempts + 1
            WHERE w.id = f.id;
            done := done + 1;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            UPDATE dialer.writeback_failures w
            SET attempts = w.attempts + 1, sqlstate = state, error = msg WHERE w.id = f.id;
        END;
    END LOOP;
    RETURN done;
END
$$;

COMMENT ON FUNCTION dialer.retry_writebacks() IS
'Apply the write-back hook again to every unresolved dialer.writeback_failures row, oldest first; returns how many now succeeded. Changes carry their call time, so a late retry does not overwrite a newer outcome (with the default hook).';
