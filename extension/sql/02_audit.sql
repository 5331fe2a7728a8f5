-- The audit trail: one append-only row per thing a person did through
-- pgdialer (pushes, overrides, session changes, launches, link reads,
-- suppressions, dispositions, the hook and the configuration, reps). No role
-- may change or remove a row: UPDATE, DELETE and TRUNCATE raise 42501 for
-- everyone, the extension's owner and admins included, and pg_dump keeps it.
-- dialer.overrides and dialer.session_changes are protected the same way.
--
-- Used by: every writing function (through dialer._audit); admins and
-- analysts read it.

CREATE TABLE dialer.audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    acted_at    timestamptz NOT NULL DEFAULT now(),
    acted_by    text NOT NULL,                   -- the rep (dialer.acting_user())
    login_role  text NOT NULL DEFAULT session_user,  -- who connected (the app, for its users)
    action      text NOT NULL,                   -- e.g. push, override, session_paused, link_read
    object_type text NOT NULL,                   -- session, job, suppression, rep, configuration, ...
    object_id   text,
    contact_ids text[],                          -- the contacts concerned, if any
    reason      text,                            -- the person's reason, when one is asked for
    details     jsonb
);
SELECT pg_catalog.pg_extension_config_dump('dialer.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.audit_log', 'id'), '');
CREATE INDEX audit_log_by_object ON dialer.audit_log (object_type, object_id, acted_at);
CREATE INDEX audit_log_by_actor ON dialer.audit_log (acted_by, acted_at);

COMMENT ON TABLE dialer.audit_log IS
'Append-only audit trail: who (acted_by, the rep; login_role, who connected), when, what (action on object_type/object_id), which contacts, why (reason), and details. UPDATE, DELETE and TRUNCATE are refused for everyone.';

-- Shared by every append-only table. The one exception: a DELETE made by
-- dialer.purge_records (33_retention.sql), which removes rows past the
-- retention period, admins only, and audits itself. The call stack says
-- whether that function is running: a name nobody else can take (the schema
-- is the extension's), and one no role can set, unlike a setting.
CREATE FUNCTION dialer._refuse_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF stack ~ '(^|\n)PL/pgSQL function dialer\.purge_records\(interval,boolean\) line [0-9]+ at SQL statement(\n|$)' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '%.% is append-only: its rows cannot be changed or removed', TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '42501', HINT = 'It is the audit trail; add a row that says what changed instead.';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON dialer.audit_log
    FOR EACH ROW EXECUTE FUNCTION dialer._refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON dialer.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION dialer._refuse_change();

-- One audit row. Called by the SECURITY DEFINER functions that act.
CREATE FUNCTION dialer._audit(action text, object_type text, object_id text, contact_ids text[] DEFAULT NULL,
                              reason text DEFAULT NULL, details jsonb DEFAULT NULL)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO dialer.audit_log (acted_by, action, object_type, object_id, contact_ids, reason, details)
    VALUES (dialer.acting_user(), _audit.action, _audit.object_type, _audit.object_id, _audit.contact_ids,
            _audit.reason, _audit.details)
$$;
