-- Settings: the one-row dialer.configuration with the contact relation, the
-- write-back hook and the session idle days (a table, so pg_dump keeps
-- them). Only admins change it, and every change is audited. The
-- per-session settings dialer.default_region, dialer.min_days_between_calls,
-- dialer.minutes_per_contact and dialer.acting_user are PostgreSQL settings
-- that the module registers (extension/src/settings.cpp); who acts is
-- 01_reps.sql.
--
-- Used by: admins, once at setup (dialer.configure, configure_writeback,
-- configure_session_idle_days); the other files (dialer._contact_relation).

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
    session_idle_days integer NOT NULL DEFAULT 7 CHECK (session_idle_days BETWEEN 1 AND 365),
    -- The list size guidance: a preview with more ready contacts says so
    -- and proposes a split by priority tier (23_list_size.sql).
    list_size_limit   integer NOT NULL DEFAULT 200 CHECK (list_size_limit BETWEEN 1 AND 100000),
    -- The app's deals, for the deal-aware talking points (24_deals.sql).
    deal_relation     regclass
);
SELECT pg_catalog.pg_extension_config_dump('dialer.configuration', '');

CREATE FUNCTION dialer.configure(contact_relation regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
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
    PERFORM dialer._audit('configured', 'configuration', 'contact_relation',
                          details => jsonb_build_object('contact_relation', contact_relation::text));
END
$$;

COMMENT ON FUNCTION dialer.configure(regclass) IS
'Tell pgdialer which table or view holds the contacts (read again at launch).';

-- The configured contact relation, or a clear error naming what needs it
-- (NULL needed_by: NULL when none is configured). A definer function, so the
-- daemon's role needs no read of the table; the relation itself is always
-- read with the caller's rights.
CREATE FUNCTION dialer._contact_relation(needed_by text)
RETURNS regclass
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass;
BEGIN
    SELECT c.contact_relation INTO relation FROM dialer.configuration c;
    IF relation IS NULL AND needed_by IS NOT NULL THEN
        RAISE EXCEPTION '% needs the contact relation: call dialer.configure first', needed_by
            USING ERRCODE = '55000',
                  HINT = 'A launch re-checks current contact rows, e.g. SELECT dialer.configure(''contacts'').';
    END IF;
    RETURN relation;
END
$$;

-- Point the write-back at the app's own function. It must be
-- hook(contact_id text, changes jsonb) RETURNS void; NULL restores the default.
-- The hook only ever runs in pgdialer-sync's transactions, with the rights
-- of the daemon's role (13_write_back.sql), so it may not be SECURITY
-- DEFINER: that would run it with its owner's rights instead.
CREATE FUNCTION dialer.configure_writeback(hook regprocedure, reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fn        record;
    signature text;
    previous  text := (SELECT c.writeback_hook FROM dialer.configuration c);
BEGIN
    PERFORM dialer._require_admin('set the write-back hook');
    IF hook IS NOT NULL THEN
        SELECT p.proname, n.nspname, p.prosecdef,
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
        IF fn.prosecdef AND hook <> 'dialer.write_contact_state(text, jsonb)'::regprocedure THEN
            RAISE EXCEPTION 'write-back hook % is SECURITY DEFINER', hook
                USING ERRCODE = '42501',
                      DETAIL = 'The hook must run with the rights of pgdialer-sync''s role, not its owner''s.',
                      HINT = 'Make it SECURITY INVOKER and grant the daemon''s role what it writes (docs/sql-reference.md, "Write-back").';
        END IF;
        signature := format('%I.%I(text, jsonb)', fn.nspname, fn.proname);
    END IF;
    INSERT INTO dialer.configuration AS c (writeback_hook, updated_by)
    VALUES (signature, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET writeback_hook = excluded.writeback_hook, updated_at = now(), updated_by = excluded.updated_by;
    PERFORM dialer._audit('hook_set', 'configuration', 'writeback_hook', reason => reason,
                          details => jsonb_build_object('from', previous, 'to', signature));
END
$$;

COMMENT ON FUNCTION dialer.configure_writeback(regprocedure, text) IS
'Admin: set the write-back hook, a function hook(contact_id text, changes jsonb) RETURNS void that applies calls'' and pushes'' effects to the app''s contacts; NULL means dialer.write_contact_state.';

-- The derived activity_status calls a session "paused" after this many days
-- without activity.
CREATE FUNCTION dialer.configure_session_idle_days(days integer)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    IF days IS NULL OR days NOT BETWEEN 1 AND 365 THEN
        RAISE EXCEPTION 'session idle days must be from 1 to 365, not %', coalesce(days::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.configuration AS c (session_idle_days, updated_by)
    VALUES (days, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET session_idle_days = excluded.session_idle_days, updated_at = now(), updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'session_idle_days',
                          details => jsonb_build_object('session_idle_days', days));
END
$$;

COMMENT ON FUNCTION dialer.configure_session_idle_days(integer) IS
'After how many days without activity an active session shows as paused in activity_status (1..365, default 7).';

-- The spec's "Optimal List Size": over this many ready contacts a preview
-- says so and proposes a split by priority tier (23_list_size.sql).
CREATE FUNCTION dialer.configure_list_size(contacts integer)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous integer := (SELECT c.list_size_limit FROM dialer.configuration c);
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    IF contacts IS NULL OR contacts NOT BETWEEN 1 AND 100000 THEN
        RAISE EXCEPTION 'the list size limit must be from 1 to 100000 contacts, not %', coalesce(contacts::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.configuration AS c (list_size_limit, updated_by)
    VALUES (contacts, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET list_size_limit = excluded.list_size_limit, updated_at = now(), updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'list_size_limit',
                          details => jsonb_build_object('from', coalesce(previous, 200), 'to', contacts));
END
$$;

COMMENT ON FUNCTION dialer.configure_list_size(integer) IS
'Admin: over how many ready contacts dialer.preview says the list is large and proposes a split by priority tier (1..100000, default 200, the spec''s "200+ contacts: split into multiple sessions by priority tier").';

-- The limit, for dialer.preview (which everyone may run): a definer
-- function, so nobody needs a grant on dialer.configuration for it.
CREATE FUNCTION dialer._list_size_limit()
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT c.list_size_limit FROM dialer.configuration c), 200)
$$;
