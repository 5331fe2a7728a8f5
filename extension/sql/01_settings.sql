-- Settings: who acts, and the one-row dialer.configuration with the contact
-- relation, the write-back hook and the session idle days (a table, so
-- pg_dump keeps them). The per-session settings dialer.default_region,
-- dialer.min_days_between_calls, dialer.minutes_per_contact and
-- dialer.acting_user are PostgreSQL settings that the module registers
-- (extension/src/settings.cpp).
--
-- Used by: admins, once at setup (dialer.configure, configure_writeback,
-- configure_session_idle_days); the app (SET LOCAL dialer.acting_user); the
-- other files (dialer.acting_user, dialer._contact_relation).

-- Who acts: the app connects as one role and names the rep with
-- SET LOCAL dialer.acting_user = 'sarah@sourceco.example'.
CREATE FUNCTION dialer.acting_user()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('dialer.acting_user', true), ''), session_user::text) $$;

COMMENT ON FUNCTION dialer.acting_user() IS
'The rep the application acts for: the dialer.acting_user setting, else session_user.';

-- The app's contact relation, so later steps (launch re-checks) can re-read
-- current rows, and the other settings. One row.
CREATE TABLE dialer.configuration (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    contact_relation  regclass,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        text NOT NULL DEFAULT dialer.acting_user(),
    -- The write-back hook is stored as its signature text, e.g.
    -- 'dialer.write_contact_state(text, jsonb)', and cast to regprocedure when
    -- used: pg_upgrade refuses clusters with regprocedure columns in user tables
    -- (their OIDs do not survive), so the column cannot be of that type.
    -- NULL means the default, dialer.write_contact_state.
    writeback_hook    text,
    session_idle_days integer NOT NULL DEFAULT 7 CHECK (session_idle_days BETWEEN 1 AND 365)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.configuration', '');

CREATE FUNCTION dialer.configure(contact_relation regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_attribute
                   WHERE attrelid = contact_relation AND attname = 'id' AND NOT attisdropped) THEN
        RAISE EXCEPTION 'contact relation % has no "id" column', contact_relation
            USING ERRCODE = '42703',
                  HINT = 'Point dialer.configure at a table or a view with the columns the rules read (docs/sql-reference.md, "Contact rows").';
    END IF;
    INSERT INTO dialer.configuration AS c (contact_relation, updated_by)
    VALUES (contact_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET contact_relation = excluded.contact_relation, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure(regclass) IS
'Tell pgdialer which table or view holds the contacts (read again at launch).';

-- The configured contact relation, or a clear error naming what needs it.
CREATE FUNCTION dialer._contact_relation(needed_by text)
RETURNS regclass
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    relation regclass;
BEGIN
    SELECT c.contact_relation INTO relation FROM dialer.configuration c;
    IF relation IS NULL THEN
        RAISE EXCEPTION '% needs the contact relation: call dialer.configure first', needed_by
            USING ERRCODE = '55000',
                  HINT = 'A launch re-checks current contact rows, e.g. SELECT dialer.configure(''contacts'').';
    END IF;
    RETURN relation;
END
$$;

-- Point the write-back at the app's own function. It must be
-- hook(contact_id text, changes jsonb) RETURNS void; NULL restores the default.
CREATE FUNCTION dialer.configure_writeback(hook regprocedure)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    fn        record;
    signature text;
BEGIN
    IF hook IS NOT NULL THEN
        SELECT p.proname, n.nspname,
               p.prokind = 'f' AND NOT p.proretset AND p.prorettype = 'void'::regtype AND p.pronargs = 2
               AND p.proargtypes[0] = 'text'::regtype AND p.proargtypes[1] = 'jsonb'::regtype AS fits
        INTO fn
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.oid = hook;
        IF NOT fn.fits THEN
            RAISE EXCEPTION 'write-back hook % has the wrong signature', hook
                USING ERRCODE = '22023',
                      HINT = 'It must be a function hook(contact_id text, changes jsonb) RETURNS void.';
        END IF;
        signature := format('%I.%I(text, jsonb)', fn.nspname, fn.proname);
    END IF;
    INSERT INTO dialer.configuration AS c (writeback_hook, updated_by)
    VALUES (signature, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET writeback_hook = excluded.writeback_hook, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure_writeback(regprocedure) IS
'Set the write-back hook, a function hook(contact_id text, changes jsonb) RETURNS void that applies calls'' and pushes'' effects to the app''s contacts; NULL means dialer.write_contact_state.';

-- The derived activity_status calls a session "paused" after this many days
-- without activity.
CREATE FUNCTION dialer.configure_session_idle_days(days integer)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF days IS NULL OR days NOT BETWEEN 1 AND 365 THEN
        RAISE EXCEPTION 'session idle days must be from 1 to 365, not %', coalesce(days::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.configuration AS c (session_idle_days, updated_by)
    VALUES (days, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET session_idle_days = excluded.session_idle_days, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure_session_idle_days(integer) IS
'After how many days without activity an active session shows as paused in activity_status (1..365, default 7).';
