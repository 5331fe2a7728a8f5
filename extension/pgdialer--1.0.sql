-- pgdialer 1.0: calling-list rules for PhoneBurner pushes.
--
-- RELEASED: the install script of version 1.0 as released on 2026-12-03, kept
-- as it was so that CREATE EXTENSION pgdialer VERSION '1.0' and every upgrade
-- from it are reproducible. Never edit it: a schema change goes into
-- extension/sql/ (the newest version) and into an upgrade script
-- (extension/upgrades/). It was generated from these files, in this order:
--   extension/sql/00_roles.sql
--   extension/sql/00_types.sql
--   extension/sql/01_reps.sql
--   extension/sql/01_settings.sql
--   extension/sql/02_audit.sql
--   extension/sql/02_phone.sql
--   extension/sql/03_rules.sql
--   extension/sql/04_payload.sql
--   extension/sql/05_preview.sql
--   extension/sql/06_queue_tables.sql
--   extension/sql/07_push.sql
--   extension/sql/08_launch.sql
--   extension/sql/09_contact_state.sql
--   extension/sql/10_suppressions.sql
--   extension/sql/11_dispositions.sql
--   extension/sql/12_call_outcomes.sql
--   extension/sql/13_write_back.sql
--   extension/sql/14_session_manage.sql
--   extension/sql/15_dashboard.sql
--   extension/sql/16_daemon_api_jobs.sql
--   extension/sql/17_daemon_api_calls.sql
--   extension/sql/18_rep_time_zone.sql
--   extension/sql/19_filters.sql
--   extension/sql/20_lists.sql
--   extension/sql/21_segments.sql
--   extension/sql/22_entry_points.sql
--   extension/sql/23_list_size.sql
--   extension/sql/24_deals.sql
--   extension/sql/25_metrics.sql
--   extension/sql/26_smart_lists.sql
--   extension/sql/27_templates.sql
--   extension/sql/80_daemon_versions.sql
--   extension/sql/90_privileges.sql

\echo Use "CREATE EXTENSION pgdialer" to load this file. \quit

-- ==========================================================================
-- extension/sql/00_roles.sql
-- ==========================================================================

-- Roles: the five group roles pgdialer's privileges are granted to. They are
-- cluster-wide, NOLOGIN, and created here only when absent (a second
-- database, or a reinstall, finds them); DROP EXTENSION leaves them. Give
-- them to login roles:
--
--   dialer_analyst  read-only: the rules, previews, the dashboard views
--   dialer_rep      an analyst who dials: preview, push, launch, and manage
--                   the sessions the rep owns (dialer.reps says who is a rep)
--   dialer_app      the web application: a rep that may act for any rep by
--                   SET LOCAL dialer.acting_user (it authenticates its users)
--   dialer_admin    a rep who runs the team: reps, settings, configuration,
--                   the write-back hook, dispositions, suppressions, and any
--                   rep's sessions
--   dialer_sync     pgdialer-sync, and nothing else: the daemon's functions
--
-- Every privilege is granted in one place, 90_privileges.sql.

DO $$
DECLARE
    role_name text;
    member    text;
    parent    text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['dialer_analyst', 'dialer_rep', 'dialer_app', 'dialer_admin', 'dialer_sync'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;
    -- rep is an analyst; the app and admins are reps.
    FOR member, parent IN VALUES ('dialer_rep', 'dialer_analyst'), ('dialer_app', 'dialer_rep'),
                                 ('dialer_admin', 'dialer_rep') LOOP
        IF NOT pg_catalog.pg_has_role(member, parent, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', parent, member);
        END IF;
    END LOOP;
END
$$;

-- ==========================================================================
-- extension/sql/00_types.sql
-- ==========================================================================

-- Result types: the composite types the rules, the phone functions and the
-- preview return (dialer.exclusion, dialer.phone_info, dialer.list_verdict).
--
-- Used by: analysts and the app (as function results); the queue tables and
-- the push keep dialer.exclusion and dialer.list_verdict too.

-- Why a contact is held back from a push. NULL (no row) means ready.
CREATE TYPE dialer.exclusion AS (
    category    text,     -- do_not_call | invalid_phone | recently_contacted | missing_required_fields
    reason      text,     -- what the rep sees, e.g. 'Called 2 days ago'
    overridable boolean   -- may a rep force-include it (never for legal DNC)
);

CREATE TYPE dialer.phone_info AS (
    e164                 text,     -- '+19195550123' when valid
    valid                boolean,  -- libphonenumber IsValidNumber
    possible             boolean,  -- libphonenumber IsPossibleNumber (length only)
    number_type          text,     -- FIXED_LINE_OR_MOBILE, MOBILE, TOLL_FREE, ..., UNKNOWN
    region_code          text,     -- ISO 3166-1 alpha-2 the number belongs to
    national_format      text,     -- '(919) 555-0123'
    international_format text,     -- '+1 919-555-0123'
    location             text      -- offline geocoder, e.g. 'North Carolina'
);

-- One contact's verdict in a list (see dialer.classify_list).
CREATE TYPE dialer.list_verdict AS (
    list_position integer,  -- 1-based position in the array
    contact_id    text,     -- the row's id, as text
    category      text,     -- NULL when ready to push
    reason        text,
    overridable   boolean,
    payload       jsonb     -- dialer.payload of the row
);

-- ==========================================================================
-- extension/sql/01_reps.sql
-- ==========================================================================

-- Who acts: the reps, and how a call to pgdialer knows which rep it is for.
--
-- A rep who connects with their own login role is that rep. The web app
-- connects as one role (a member of dialer_app), authenticates its users
-- itself and names the rep for each transaction:
--   SET LOCAL dialer.acting_user = 'sarah@sourceco.example';
-- Only members of dialer_app may name someone else (42501 otherwise). A rep
-- must have an active row in dialer.reps to push, launch or own sessions
-- (42501 otherwise). Identity is the login (session_user): SET ROLE does not
-- change who acts.
--
-- Used by: admins (dialer.add_rep, dialer.update_rep); every function that
-- acts (dialer.acting_user, dialer.current_rep, dialer._is_admin).

CREATE TABLE dialer.reps (
    name                   text PRIMARY KEY CHECK (btrim(name) <> ''),  -- login role, or the app's user name
    display_name           text NOT NULL CHECK (btrim(display_name) <> ''),
    email                  text,
    -- The PhoneBurner account the rep dials from: the name of a credential
    -- pgdialer-sync holds (never the token itself; docs/daemon.md).
    phoneburner_credential text NOT NULL DEFAULT 'default'
                           CHECK (phoneburner_credential ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    active                 boolean NOT NULL DEFAULT true,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.reps', '');

COMMENT ON TABLE dialer.reps IS
'The reps: name (their login role, or the name the app gives in dialer.acting_user), display name, email, the PhoneBurner credential they dial from, active. Managed by admins with dialer.add_rep and dialer.update_rep.';

-- The rep acting: dialer.acting_user when the app set it, else the login.
CREATE FUNCTION dialer.acting_user()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    named text := nullif(current_setting('dialer.acting_user', true), '');
BEGIN
    IF named IS NULL OR named = session_user THEN
        RETURN session_user;
    END IF;
    -- A template run acts as its rep (27_templates.sql), whoever runs it.
    IF NOT pg_has_role(session_user, 'dialer_app', 'MEMBER') AND NOT dialer._template_run_acting(named) THEN
        RAISE EXCEPTION 'only the application may act for another rep: % is not a member of dialer_app', session_user
            USING ERRCODE = '42501', DETAIL = format('dialer.acting_user was set to "%s".', named),
                  HINT = 'Reset dialer.acting_user; a rep connects as themselves.';
    END IF;
    RETURN named;
END
$$;

COMMENT ON FUNCTION dialer.acting_user() IS
'Who acts: the dialer.acting_user setting when the login is a member of dialer_app (42501 for anyone else naming another rep), else session_user.';

-- Is the login an admin? (The app's login is not, whoever it acts for.)
CREATE FUNCTION dialer._is_admin()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_has_role(session_user, 'dialer_admin', 'MEMBER') $$;

-- 42501 unless the login is an admin.
CREATE FUNCTION dialer._require_admin(what text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT dialer._is_admin() THEN
        RAISE EXCEPTION 'only an admin may %', what
            USING ERRCODE = '42501', DETAIL = format('%s is not a member of dialer_admin.', session_user);
    END IF;
END
$$;

-- The acting rep's row: 42501 when they are not an active rep.
CREATE FUNCTION dialer.current_rep()
RETURNS dialer.reps
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who text := dialer.acting_user();
    rep dialer.reps;
BEGIN
    SELECT * INTO rep FROM dialer.reps r WHERE r.name = who;
    IF NOT FOUND THEN
        RAISE EXCEPTION '"%" is not a rep', who
            USING ERRCODE = '42501', HINT = 'An admin adds reps with dialer.add_rep(name, display_name, ...).';
    ELSIF NOT rep.active THEN
        RAISE EXCEPTION 'rep "%" is inactive', who USING ERRCODE = '42501';
    END IF;
    RETURN rep;
END
$$;

COMMENT ON FUNCTION dialer.current_rep() IS
'The acting rep''s row of dialer.reps; 42501 when the acting user is not an active rep.';

CREATE FUNCTION dialer.add_rep(name text, display_name text, email text DEFAULT NULL,
                               phoneburner_credential text DEFAULT 'default')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._require_admin('add reps');
    IF EXISTS (SELECT FROM dialer.reps r WHERE r.name = add_rep.name) THEN
        RAISE EXCEPTION 'rep "%" already exists', add_rep.name
            USING ERRCODE = '23505', HINT = 'Change it with dialer.update_rep.';
    END IF;
    INSERT INTO dialer.reps (name, display_name, email, phoneburner_credential)
    VALUES (add_rep.name, add_rep.display_name, add_rep.email, coalesce(add_rep.phoneburner_credential, 'default'));
    PERFORM dialer._audit('rep_added', 'rep', add_rep.name, details => jsonb_build_object(
        'display_name', add_rep.display_name, 'email', add_rep.email,
        'phoneburner_credential', coalesce(add_rep.phoneburner_credential, 'default')));
END
$$;

COMMENT ON FUNCTION dialer.add_rep(text, text, text, text) IS
'Admin: add a rep (their login role or the app''s name for them), dialing from the PhoneBurner credential named (default ''default'').';

-- NULL leaves a field as it is.
CREATE FUNCTION dialer.update_rep(name text, display_name text DEFAULT NULL, email text DEFAULT NULL,
                                  phoneburner_credential text DEFAULT NULL, active boolean DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before dialer.reps;
    after  dialer.reps;
BEGIN
    PERFORM dialer._require_admin('change reps');
    SELECT * INTO before FROM dialer.reps r WHERE r.name = update_rep.name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'rep "%" does not exist', update_rep.name USING ERRCODE = '22023';
    END IF;
    UPDATE dialer.reps r
    SET display_name = coalesce(update_rep.display_name, r.display_name),
        email = coalesce(update_rep.email, r.email),
        phoneburner_credential = coalesce(update_rep.phoneburner_credential, r.phoneburner_credential),
        active = coalesce(update_rep.active, r.active),
        updated_at = now()
    WHERE r.name = update_rep.name
    RETURNING * INTO after;
    PERFORM dialer._audit('rep_changed', 'rep', update_rep.name, details => jsonb_build_object(
        'from', to_jsonb(before) - '{created_at,updated_at}'::text[],
        'to', to_jsonb(after) - '{created_at,updated_at}'::text[]));
END
$$;

COMMENT ON FUNCTION dialer.update_rep(text, text, text, text, boolean) IS
'Admin: change a rep''s display name, email, PhoneBurner credential or active flag (NULL: unchanged). Sessions keep the account their folder was made in.';

-- ==========================================================================
-- extension/sql/01_settings.sql
-- ==========================================================================

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

-- ==========================================================================
-- extension/sql/02_audit.sql
-- ==========================================================================

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

-- Shared by every append-only table.
CREATE FUNCTION dialer._refuse_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
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

-- ==========================================================================
-- extension/sql/02_phone.sql
-- ==========================================================================

-- Phone numbers: E.164 normalization, what libphonenumber knows of a number,
-- and the trigger that keeps a stored E.164 column current.
--
-- Used by: analysts and the app (queries, generated columns and indexes, the
-- trigger on the contacts table).

CREATE FUNCTION dialer.e164(phone text, region text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164(text, text) IS
'The number in E.164 (+19195550123), exactly as libphonenumber''s Parse + IsValidNumber + Format(E164) give it; NULL when empty, unparseable or invalid. region NULL means dialer.default_region; an unknown region is an error (22023).';

CREATE FUNCTION dialer.e164_immutable(phone text, region text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164_immutable'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164_immutable(text, text) IS
'dialer.e164 with a required region, IMMUTABLE for generated columns and indexes. Recompute such columns (and REINDEX) after libphonenumber is upgraded: its metadata decides validity.';

CREATE FUNCTION dialer.phone_info(phone text, region text DEFAULT NULL)
RETURNS dialer.phone_info
AS 'MODULE_PATHNAME', 'pgdialer_phone_info'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.phone_info(text, text) IS
'What libphonenumber knows of a number: E.164, validity, type, region, formats and location. An unparseable number gives valid = possible = false.';

-- Keeps a stored E.164 column current, so the rules never re-parse:
--   CREATE TRIGGER contacts_phone_e164 BEFORE INSERT OR UPDATE OF phone ON contacts
--     FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();             -- phone -> phone_e164
--   ... EXECUTE FUNCTION dialer.maintain_phone_e164('mobile', 'mobile_e164');  -- other columns
CREATE FUNCTION dialer.maintain_phone_e164()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pgdialer_maintain_phone_e164'
LANGUAGE C;

COMMENT ON FUNCTION dialer.maintain_phone_e164() IS
'BEFORE INSERT OR UPDATE trigger: sets phone_e164 (or TG_ARGV[1]) to dialer.e164(phone) (or TG_ARGV[0]) in the session''s dialer.default_region.';

-- ==========================================================================
-- extension/sql/03_rules.sql
-- ==========================================================================

-- Exclusion rules: why a contact is held back from a push, and the
-- "Dialable Only" filter, with the planner support that makes them read only
-- the columns they need.
--
-- Every function that takes a contact (here, in 04_payload.sql and in
-- 05_preview.sql) accepts a row of any table, view or composite type, or an
-- anonymous record. Columns are read by name; a column the row does not have
-- reads as NULL. See docs/sql-reference.md for the column list and for mapping
-- differently named columns with a view.
--
-- Used by: analysts and the app (dialer.exclusion, dialer.is_dialable);
-- internal: the planner (dialer._rules_support and the _columns forms it
-- rewrites to).

-- Planner support: rewrites dialer.exclusion(c) / dialer.is_dialable(c) over
-- a table to pass only the columns the rules read, instead of the whole row.
CREATE FUNCTION dialer._rules_support(internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_rules_support'
LANGUAGE C STRICT;

-- The forms the support function rewrites to. Internal: column names first,
-- whether the table maintains phone_e164 itself (then a blank one means the
-- number does not normalize, and phone is not parsed again), then the columns.
CREATE FUNCTION dialer._exclusion_columns(columns text[], phone_e164_maintained boolean,
                                          min_days integer, as_of timestamptz, VARIADIC "any")
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._is_dialable_columns(columns text[], phone_e164_maintained boolean,
                                            VARIADIC "any")
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer.exclusion(contact record, min_days integer DEFAULT NULL,
                                 as_of timestamptz DEFAULT now())
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.exclusion(record, integer, timestamptz) IS
'Why a contact cannot be pushed, first match wins: do_not_call (also: the number is on dialer.suppressions), invalid_phone, recently_contacted (fewer than min_days whole days since last_call_attempt_at; NULL = dialer.min_days_between_calls), missing_required_fields. NULL when ready.';

CREATE FUNCTION dialer.is_dialable(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.is_dialable(record) IS
'"Dialable Only": not do-not-call or suppressed, and a phone that is present, not flagged invalid, normalizes and is not on dialer.suppressions. Recency does not matter.';

-- ==========================================================================
-- extension/sql/04_payload.sql
-- ==========================================================================

-- What gets pushed: the PhoneBurner contact built from a row, and the
-- call-prep line shown to the rep.
--
-- Used by: analysts and the app; the preview and the push snapshot
-- dialer.payload into the queue.

CREATE FUNCTION dialer.payload(contact record)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_payload'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.payload(record) IS
'The PhoneBurner contact for a row: first_name, last_name, company, phone (E.164), email, title, address, city, state, zip and custom_fields (sourceco_contact_id, contact_type, buyer_type, ...). All values are strings; NULL and blank values are omitted.';

CREATE FUNCTION dialer.talking_points(contact record)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_talking_points'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.talking_points(record) IS
'A call-prep line from last_deal_presented, last_deal_outcome, target_industries, target_ebitda_range and last_contact_outcome, then the active deals of the deals relation (dialer.configure_deals) that fit the buyer; only facts in the rows; at most 500 bytes. NULL when there is none.';

-- ==========================================================================
-- extension/sql/05_preview.sql
-- ==========================================================================

-- The push modal: the suggested session name, the dial time estimate, the
-- List Summary (dialer.preview, and dialer.preview_agg for very large lists)
-- and the per-contact verdicts behind it (dialer.classify_list).
--
-- Used by: the app (the push modal) and analysts; dialer.push and the
-- launch classify with dialer.classify_list.

CREATE FUNCTION dialer.session_name(contact_types text[], buyer_types text[],
                                    filters jsonb DEFAULT '{}', as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_session_name'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.session_name(text[], text[], jsonb, date) IS
'Suggested session name: Buyers/Sellers/Prospects/Contacts - buyer type - industry - state or region - Mon YYYY, e.g. ''Buyers - PE Firm - Business Services - Northeast - Feb 2026''.';

CREATE FUNCTION dialer.dial_time(contacts bigint, minutes_per_contact real DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_dial_time'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.dial_time(bigint, real) IS
'Estimated dial time: ''~N min'' under an hour, else hours to the nearest half (''~3.5 hours''). minutes_per_contact NULL means dialer.minutes_per_contact.';

CREATE FUNCTION dialer.preview(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.preview(anyarray, jsonb) IS
'The push modal''s List Summary for SELECT dialer.preview(array_agg(c)) FROM contacts c WHERE ...: total, ready, excluded, excluded_by_category, exclusions, estimated_dial_minutes, estimated_dial_time, suggested_session_name. Options: min_days, filters, as_of.';

-- The same summary as an aggregate, for very large lists: no array of every
-- row is built first.  SELECT dialer.preview_agg(c, '{"min_days": 14}') FROM contacts c WHERE ...
-- Over no rows it returns NULL, as aggregates do.
CREATE FUNCTION dialer._preview_step(state internal, contact anyelement, options jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_preview_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._preview_final(state internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview_final'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE dialer.preview_agg(contact anyelement, options jsonb) (
    SFUNC = dialer._preview_step,
    STYPE = internal,
    FINALFUNC = dialer._preview_final
);

COMMENT ON AGGREGATE dialer.preview_agg(anyelement, jsonb) IS
'dialer.preview as an aggregate over contact rows (ordered with ORDER BY inside the call); the options of the first row apply.';

CREATE FUNCTION dialer.classify_list(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS SETOF dialer.list_verdict
AS 'MODULE_PATHNAME', 'pgdialer_classify_list'
LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION dialer.classify_list(anyarray, jsonb) IS
'The rows behind dialer.preview: one per distinct contact in array order, with its exclusion (NULL category = ready), including "Duplicate number of ..." verdicts, and the payload that would be pushed. Same options as dialer.preview.';

-- ==========================================================================
-- extension/sql/06_queue_tables.sql
-- ==========================================================================

-- The push queue's tables: sessions, jobs, items, links, overrides and the
-- dial sessions of launches.
--
-- No role but the extension's owner writes these tables: reps and the app
-- go through dialer.push and friends, the daemon through its API
-- (90_privileges.sql). A push is enqueued in the caller's transaction (dialer.push, 07_push.sql)
-- and announced with NOTIFY dialer_push, delivered on commit. pgdialer-sync
-- claims jobs with FOR UPDATE SKIP LOCKED under a lease it renews; every
-- write it makes goes through its API (16_daemon_api_jobs.sql), which checks
-- that it still holds the lease. All tables are user data: pg_dump keeps
-- them (pg_extension_config_dump).
--
-- Used by: the functions of the other files (the app reads them through
-- dialer.push_status, dialer.sessions_overview and the dashboard views).

-- A durable dial session: ours, mapped to one PhoneBurner folder that reps
-- dial and that later pushes add to.
CREATE TABLE dialer.sessions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text NOT NULL CHECK (btrim(name) <> ''),
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'paused', 'completed', 'archived')),
    phoneburner_folder_id text UNIQUE,   -- set by the daemon before the first contact write
    -- The spec's "Assigned To": the rep whose session it is (its creator,
    -- reassignable by admins). Only the owner or an admin changes it,
    -- pushes into it, launches it or reads its login links.
    owner                 text NOT NULL REFERENCES dialer.reps (name),
    -- The PhoneBurner account its folder lives in: the owner's credential
    -- when the folder was made. Later pushes and launches use it.
    phoneburner_credential text,
    created_by            text NOT NULL, -- dialer.acting_user()
    created_by_role       text NOT NULL DEFAULT session_user,
    created_at            timestamptz NOT NULL DEFAULT now(),
    contact_count         integer NOT NULL DEFAULT 0,  -- contacts linked in PhoneBurner
    last_activity_at      timestamptz,
    last_activity_by      text,
    -- What the session is for, given at creation; it becomes the PhoneBurner
    -- folder's description when the daemon creates the folder.
    description           text
);
SELECT pg_catalog.pg_extension_config_dump('dialer.sessions', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.sessions', 'id'), '');

-- A job writes contacts into the session's folder (kind 'push') or creates
-- PhoneBurner dial sessions from the session's contacts (kind 'launch').
CREATE TABLE dialer.push_jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL DEFAULT 'push' CHECK (kind IN ('push', 'launch')),
    session_id        bigint NOT NULL REFERENCES dialer.sessions,
    launched_by_job   bigint REFERENCES dialer.push_jobs,  -- the push whose auto_launch made it
    status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'succeeded', 'partially_failed',
                                        'failed', 'cancelled')),
    options           jsonb NOT NULL DEFAULT '{}',  -- as given to dialer.push
    filters           jsonb,                        -- options.filters, for the smart default
    excluded          jsonb NOT NULL DEFAULT '{}',  -- held back at enqueue, by category
    total             integer NOT NULL DEFAULT 0,   -- items to push
    done              integer NOT NULL DEFAULT 0,   -- items with a final status
    step              text,                         -- what the daemon is doing, for the progress UI
    error             text,
    requested_by      text NOT NULL,                -- dialer.acting_user()
    -- The PhoneBurner account the job writes to (the session's, else its
    -- owner's credential), fixed at enqueue; pgdialer-sync reads the
    -- credential of that name.
    phoneburner_credential text NOT NULL,
    requested_by_role text NOT NULL DEFAULT session_user,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    run_at            timestamptz NOT NULL DEFAULT now(),  -- not before (retries back off)
    attempts          integer NOT NULL DEFAULT 0,
    max_attempts      integer NOT NULL DEFAULT 10,
    cancel_requested  boolean NOT NULL DEFAULT false,
    lease_owner       text,
    lease_expires_at  timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    -- Where the list came from, for the success metrics (25_metrics.sql):
    -- a query (manual), a template, a smart list, a saved list, a segment.
    list_source       text NOT NULL DEFAULT 'manual'
                      CHECK (list_source IN ('manual', 'template', 'smart_list', 'list', 'segment')),
    -- A push split by priority tier (split_by_tier): its tier, and the job
    -- dialer.push returned (the first tier's), shared by every tier's job.
    tier              integer CHECK (tier BETWEEN 1 AND 4),
    split_group       bigint REFERENCES dialer.push_jobs,
    CHECK ((status = 'running') = (lease_owner IS NOT NULL))
);
SELECT pg_catalog.pg_extension_config_dump('dialer.push_jobs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.push_jobs', 'id'), '');
CREATE INDEX sessions_by_owner ON dialer.sessions (owner);
CREATE INDEX push_jobs_claimable ON dialer.push_jobs (run_at) WHERE status = 'queued';
CREATE INDEX push_jobs_leased ON dialer.push_jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX push_jobs_by_session ON dialer.push_jobs (session_id, requested_at);

-- One row per contact to push, with the payload snapshot taken at enqueue.
CREATE TABLE dialer.push_items (
    job_id                 bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    list_position          integer NOT NULL,
    contact_id             text NOT NULL,
    payload                jsonb NOT NULL,
    exclusion              dialer.exclusion,  -- what was overridden to include it, if anything
    override_reason        text,
    status                 text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'created', 'updated', 'skipped', 'failed', 'unknown')),
    phoneburner_contact_id text,
    error                  text,
    attempts               integer NOT NULL DEFAULT 0,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, list_position),
    UNIQUE (job_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.push_items', '');

-- Membership: one PhoneBurner contact per (session, contact).
CREATE TABLE dialer.contact_links (
    session_id             bigint NOT NULL REFERENCES dialer.sessions,
    contact_id             text NOT NULL,
    phoneburner_contact_id text NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_synced_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.contact_links', '');
CREATE INDEX contact_links_by_phoneburner_id ON dialer.contact_links (phoneburner_contact_id);

-- The audit trail of forced includes: who, when, why, and what was
-- overridden. Append-only, like dialer.audit_log (which also has a row per
-- push with overrides).
CREATE TABLE dialer.overrides (
    job_id       bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    contact_id   text NOT NULL,
    category     text NOT NULL,
    reason       text NOT NULL,
    override_reason text NOT NULL,
    overridden_by text NOT NULL,
    overridden_by_role text NOT NULL DEFAULT session_user,
    overridden_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.overrides', '');
CREATE TRIGGER overrides_append_only BEFORE UPDATE OR DELETE ON dialer.overrides
    FOR EACH ROW EXECUTE FUNCTION dialer._refuse_change();
CREATE TRIGGER overrides_no_truncate BEFORE TRUNCATE ON dialer.overrides
    FOR EACH STATEMENT EXECUTE FUNCTION dialer._refuse_change();

-- PhoneBurner dial sessions are create-only, hold at most 500 contacts, take
-- tens of seconds to create and answer with a one-time login link. A launch
-- (08_launch.sql) is a job like a push (kind 'launch'); each batch of at
-- most 500 of its contacts becomes one dial session, a row here. A batch
-- request is never sent twice: one whose answer was lost is 'unknown' and
-- the rep is told.
CREATE TABLE dialer.dial_sessions (
    job_id                      bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    batch                       integer NOT NULL CHECK (batch >= 1),
    first_position              integer NOT NULL,  -- the job's items in this batch
    last_position               integer NOT NULL,
    contact_count               integer NOT NULL CHECK (contact_count BETWEEN 1 AND 500),
    status                      text NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'sending', 'created', 'unknown', 'failed')),
    phoneburner_dial_session_id text,
    skipped_contact_count       integer,
    login_link                  text,         -- one-time; erased when handed out or expired
    link_expires_at             timestamptz,
    link_handed_out_at          timestamptz,
    link_handed_out_to          text,
    error                       text,
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, batch)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.dial_sessions', '');
CREATE INDEX dial_sessions_live_links ON dialer.dial_sessions (link_expires_at) WHERE login_link IS NOT NULL;

COMMENT ON TABLE dialer.dial_sessions IS
'PhoneBurner dial sessions created by launch jobs, one per batch of at most 500 contacts.';

-- ==========================================================================
-- extension/sql/07_push.sql
-- ==========================================================================

-- Pushing contacts: the enqueue (dialer.push), its progress, cancelling it,
-- and the session pickers of the push modal.
--
-- Used by: the app (dialer.push, push_status, cancel, suggest_session,
-- sessions_overview; it listens on dialer_progress). The daemon works the
-- jobs through 16_daemon_api_jobs.sql.

-- ---------------------------------------------------------------------------
-- Enqueue
-- ---------------------------------------------------------------------------

-- dialer.push's options, checked: unknown keys and wrong types are errors.
CREATE FUNCTION dialer._push_options(options jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    unknown text;
    include_ids jsonb;
BEGIN
    IF options IS NULL THEN
        RETURN '{}';
    END IF;
    IF jsonb_typeof(options) <> 'object' THEN
        RAISE EXCEPTION 'push options must be a JSON object' USING ERRCODE = '22023';
    END IF;
    SELECT string_agg(format('"%s"', k), ', ') INTO unknown
    FROM jsonb_object_keys(options) AS k
    WHERE k NOT IN ('min_days', 'update_existing', 'include', 'override_reason', 'filters', 'auto_launch',
                    'split_by_tier', 'description', 'filter_applied_at');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown push option %', unknown USING ERRCODE = '22023',
            HINT = 'Valid options are min_days, update_existing, include, override_reason, filters, auto_launch, split_by_tier, description and filter_applied_at.';
    END IF;
    IF options ? 'split_by_tier' AND jsonb_typeof(options -> 'split_by_tier') <> 'boolean' THEN
        RAISE EXCEPTION 'options.split_by_tier must be true or false' USING ERRCODE = '22023';
    END IF;
    IF options ? 'description' AND (jsonb_typeof(options -> 'description') <> 'string'
                                    OR length(options ->> 'description') > 1000) THEN
        RAISE EXCEPTION 'options.description must be a text of at most 1000 characters' USING ERRCODE = '22023';
    END IF;
    IF options ? 'filter_applied_at' THEN
        IF jsonb_typeof(options -> 'filter_applied_at') <> 'string' THEN
            RAISE EXCEPTION 'options.filter_applied_at must be a timestamp string' USING ERRCODE = '22023';
        END IF;
        BEGIN
            PERFORM (options ->> 'filter_applied_at')::timestamptz;
        EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
            RAISE EXCEPTION 'options.filter_applied_at is not a timestamp: "%"', options ->> 'filter_applied_at'
                USING ERRCODE = '22023';
        END;
    END IF;
    IF options ? 'min_days' AND (jsonb_typeof(options -> 'min_days') <> 'number'
            OR (options ->> 'min_days')::numeric NOT BETWEEN 0 AND 365
            OR (options ->> 'min_days')::numeric <> trunc((options ->> 'min_days')::numeric)) THEN
        RAISE EXCEPTION 'options.min_days must be a whole number of days from 0 to 365' USING ERRCODE = '22023';
    END IF;
    IF options ? 'update_existing' AND jsonb_typeof(options -> 'update_existing') <> 'boolean' THEN
        RAISE EXCEPTION 'options.update_existing must be true or false' USING ERRCODE = '22023';
    END IF;
    IF options ? 'auto_launch' AND jsonb_typeof(options -> 'auto_launch') <> 'boolean' THEN
        RAISE EXCEPTION 'options.auto_launch must be true or false' USING ERRCODE = '22023';
    END IF;
    IF coalesce((options ->> 'auto_launch')::boolean, false) THEN
        PERFORM dialer._contact_relation('auto_launch');
    END IF;
    IF options ? 'filters' AND jsonb_typeof(options -> 'filters') <> 'object' THEN
        RAISE EXCEPTION 'options.filters must be a JSON object' USING ERRCODE = '22023';
    END IF;
    include_ids := options -> 'include';
    IF include_ids IS NOT NULL AND (jsonb_typeof(include_ids) <> 'array' OR EXISTS (
            SELECT FROM jsonb_array_elements(include_ids) e WHERE jsonb_typeof(e) NOT IN ('string', 'number'))) THEN
        RAISE EXCEPTION 'options.include must be an array of contact ids' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(coalesce(include_ids, '[]')) > 0
       AND coalesce(btrim(options ->> 'override_reason'), '') = '' THEN
        RAISE EXCEPTION 'options.override_reason is required when contacts are force-included'
            USING ERRCODE = '22023', HINT = 'Say why, e.g. "override_reason": "Urgent: deal closes Friday".';
    END IF;
    RETURN options;
END
$$;

-- The options dialer.classify_list takes, from checked push options.
CREATE FUNCTION dialer._classify_options(push_options jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('min_days', o -> 'min_days', 'filters', o -> 'filters'))
    FROM dialer._push_options(push_options) AS o
$$;

-- Contacts held back, by category: every excluded verdict not in `kept`.
CREATE FUNCTION dialer._excluded_by_category(verdicts dialer.list_verdict[], kept text[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT jsonb_build_object(
               'do_not_call', count(*) FILTER (WHERE v.category = 'do_not_call'),
               'invalid_phone', count(*) FILTER (WHERE v.category = 'invalid_phone'),
               'recently_contacted', count(*) FILTER (WHERE v.category = 'recently_contacted'),
               'missing_required_fields', count(*) FILTER (WHERE v.category = 'missing_required_fields'))
    FROM unnest(verdicts) v
    WHERE v.category IS NOT NULL AND v.contact_id <> ALL (kept)
$$;

-- A contact's payload with the session it is pushed into, as the custom
-- field session_name: the rep sees which list a contact came from.
CREATE FUNCTION dialer._with_session_name(payload jsonb, session_name text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN nullif(btrim(session_name), '') IS NULL THEN payload
                ELSE jsonb_set(payload, '{custom_fields}',
                               coalesce(payload -> 'custom_fields', '{}') || jsonb_build_object('session_name', session_name))
           END
$$;

-- The enqueue itself, from the verdicts of the list. (PL/pgSQL cannot take
-- arrays of anonymous records, so dialer.push classifies in SQL first.)
-- list_source says which entry point the list came from (the metrics).
CREATE FUNCTION dialer._enqueue_push(verdicts dialer.list_verdict[], session_name text,
                                     session_id bigint, options jsonb, list_source text DEFAULT 'manual')
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    t          record;
    part       dialer.list_verdict[];
    base_name  text;
    first_job  bigint;
    opts       jsonb := dialer._push_options(options);
    rep        dialer.reps := dialer.current_rep();
    actor      text := rep.name;
    included   text[];
    refused    record;
    session    dialer.sessions;
    job_id     bigint;
    item_count integer;
BEGIN
    IF cardinality(verdicts) = 0 THEN
        RAISE EXCEPTION 'nothing to push: the list is empty' USING ERRCODE = '22023';
    END IF;
    included := ARRAY(SELECT jsonb_array_elements_text(coalesce(opts -> 'include', '[]')));

    IF EXISTS (SELECT FROM unnest(verdicts) v WHERE v.contact_id IS NULL) THEN
        RAISE EXCEPTION 'every contact needs an id to be pushed' USING ERRCODE = '23502',
            HINT = 'The contact rows must have an "id" column with a value.';
    END IF;
    IF _enqueue_push.session_id IS NOT NULL AND opts ? 'description' THEN
        RAISE EXCEPTION 'options.description is for a new session; session % exists already', _enqueue_push.session_id
            USING ERRCODE = '22023';
    END IF;
    SELECT i AS id INTO refused FROM unnest(included) i
    WHERE i NOT IN (SELECT v.contact_id FROM unnest(verdicts) v) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot include contact %: it is not in the list', refused.id USING ERRCODE = '22023';
    END IF;
    SELECT v.contact_id, v.reason, v.category INTO refused FROM unnest(verdicts) v
    WHERE v.contact_id = ANY (included) AND v.category IS NOT NULL AND NOT v.overridable
    ORDER BY v.list_position LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'contact % cannot be included: % (%)', refused.contact_id, refused.reason, refused.category
            USING ERRCODE = '22023',
                  DETAIL = 'Legal do-not-call listings and numbers that do not normalize can never be overridden.';
    END IF;

    -- Split by priority tier: one new session and job per tier that has
    -- contacts to push, highest first, named "<name> - Tier N"; the first
    -- tier's job carries the list's exclusions and is the one returned.
    IF coalesce((opts ->> 'split_by_tier')::boolean, false) THEN
        IF _enqueue_push.session_id IS NOT NULL THEN
            RAISE EXCEPTION 'split_by_tier creates one new session per tier: session_id must be NULL'
                USING ERRCODE = '22023';
        END IF;
        base_name := coalesce(nullif(btrim(_enqueue_push.session_name), ''),
                              dialer.session_name(
                                  ARRAY(SELECT v.payload -> 'custom_fields' ->> 'contact_type' FROM unnest(verdicts) v),
                                  ARRAY(SELECT v.payload -> 'custom_fields' ->> 'buyer_type' FROM unnest(verdicts) v),
                                  coalesce(opts -> 'filters', '{}')));
        FOR t IN
            SELECT DISTINCT dialer.priority_tier(v.payload -> 'custom_fields' ->> 'engagement_score') AS n
            FROM unnest(verdicts) v WHERE v.category IS NULL OR v.contact_id = ANY (included)
            ORDER BY 1
        LOOP
            part := ARRAY(SELECT v FROM unnest(verdicts) v
                          WHERE ((v.category IS NULL OR v.contact_id = ANY (included))
                                 AND dialer.priority_tier(v.payload -> 'custom_fields' ->> 'engagement_score') = t.n)
                             OR (first_job IS NULL AND v.category IS NOT NULL AND v.contact_id <> ALL (included))
                          ORDER BY v.list_position);
            job_id := dialer._enqueue_push(
                part, base_name || ' - Tier ' || t.n, NULL,
                (opts - 'split_by_tier') || jsonb_build_object('include', to_jsonb(ARRAY(
                    SELECT v.contact_id FROM unnest(part) v WHERE v.contact_id = ANY (included)))),
                list_source);
            first_job := coalesce(first_job, job_id);
            UPDATE dialer.push_jobs j SET tier = t.n, split_group = first_job WHERE j.id = job_id;
        END LOOP;
        IF first_job IS NOT NULL THEN
            RETURN first_job;
        END IF;
        -- Nothing passes: one session, as without the split.
    END IF;

    IF _enqueue_push.session_id IS NULL THEN
        INSERT INTO dialer.sessions (name, owner, created_by, last_activity_at, last_activity_by, description)
        VALUES (coalesce(nullif(btrim(_enqueue_push.session_name), ''),
                         dialer.session_name(
                             ARRAY(SELECT v.payload -> 'custom_fields' ->> 'contact_type' FROM unnest(verdicts) v),
                             ARRAY(SELECT v.payload -> 'custom_fields' ->> 'buyer_type' FROM unnest(verdicts) v),
                             coalesce(opts -> 'filters', '{}'))),
                actor, actor, now(), actor, nullif(btrim(opts ->> 'description'), ''))
        RETURNING * INTO session;
        PERFORM dialer._audit('session_created', 'session', session.id::text,
                              details => jsonb_build_object('name', session.name, 'owner', session.owner));
    ELSE
        session := dialer._lock_session(_enqueue_push.session_id);
        PERFORM dialer._check_owner(session, 'push contacts into it');
        IF session.status IN ('completed', 'archived') THEN
            RAISE EXCEPTION 'session % is %; contacts can only be added to active or paused sessions',
                session.id, session.status USING ERRCODE = '55000';
        END IF;
        UPDATE dialer.sessions s SET last_activity_at = now(), last_activity_by = actor WHERE s.id = session.id;
    END IF;

    INSERT INTO dialer.push_jobs (session_id, options, filters, requested_by, excluded, phoneburner_credential,
                                  list_source)
    VALUES (session.id, opts, opts -> 'filters', actor, dialer._excluded_by_category(verdicts, included),
            dialer._session_credential(session), list_source)
    RETURNING id INTO job_id;

    INSERT INTO dialer.push_items (job_id, list_position, contact_id, payload, exclusion, override_reason)
    SELECT job_id, v.list_position, v.contact_id, dialer._with_session_name(v.payload, session.name),
           CASE WHEN v.category IS NOT NULL THEN ROW(v.category, v.reason, v.overridable)::dialer.exclusion END,
           CASE WHEN v.category IS NOT NULL THEN opts ->> 'override_reason' END
    FROM unnest(verdicts) v
    WHERE v.category IS NULL OR v.contact_id = ANY (included);
    GET DIAGNOSTICS item_count = ROW_COUNT;

    INSERT INTO dialer.overrides (job_id, contact_id, category, reason, override_reason, overridden_by)
    SELECT job_id, v.contact_id, v.category, v.reason, opts ->> 'override_reason', actor
    FROM unnest(verdicts) v
    WHERE v.category IS NOT NULL AND v.contact_id = ANY (included);

    PERFORM dialer._audit('push', 'job', job_id::text,
                          ARRAY(SELECT v.contact_id FROM unnest(verdicts) v
                                WHERE v.category IS NULL OR v.contact_id = ANY (included)
                                ORDER BY v.list_position),
                          details => jsonb_build_object('session_id', session.id, 'contacts', item_count,
                                                        'options', opts));
    IF cardinality(included) > 0 THEN
        PERFORM dialer._audit('override', 'job', job_id::text,
                              ARRAY(SELECT v.contact_id FROM unnest(verdicts) v
                                    WHERE v.category IS NOT NULL AND v.contact_id = ANY (included)
                                    ORDER BY v.list_position),
                              opts ->> 'override_reason',
                              jsonb_build_object('session_id', session.id, 'overridden', (
                                  SELECT jsonb_agg(jsonb_build_object('contact_id', v.contact_id,
                                                                      'category', v.category, 'reason', v.reason)
                                                   ORDER BY v.list_position)
                                  FROM unnest(verdicts) v
                                  WHERE v.category IS NOT NULL AND v.contact_id = ANY (included))));
    END IF;

    UPDATE dialer.push_jobs j SET total = item_count,
           step = 'Queued',
           status = CASE WHEN item_count = 0 AND NOT coalesce((opts ->> 'auto_launch')::boolean, false)
                         THEN 'succeeded' ELSE 'queued' END,
           finished_at = CASE WHEN item_count = 0 THEN now() END
    WHERE j.id = job_id;

    PERFORM pg_notify('dialer_push', job_id::text);
    RETURN job_id;
END
$$;

-- A definer function: the caller has read the rows already (they are its
-- argument), and classifying here means a rep cannot hand the enqueue
-- verdicts the rules did not give. The rep is checked in the enqueue.
CREATE FUNCTION dialer.push(contacts anyarray, session_name text DEFAULT NULL,
                            session_id bigint DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE sql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    -- The same verdicts the preview showed, then the enqueue.
    SELECT dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options)
$$;

COMMENT ON FUNCTION dialer.push(anyarray, text, bigint, jsonb) IS
'Enqueue a push of the contacts that pass the rules (plus force-included ones) into a session, in the caller''s transaction; pgdialer-sync is woken by NOTIFY dialer_push on commit. session_id NULL creates a session named session_name or the suggested name. Options: min_days, update_existing (default true), include + override_reason, filters, auto_launch, split_by_tier (one new session per priority tier, "<name> - Tier N"), description (of a new session), filter_applied_at (for the time-to-push metric). Returns the job id (with split_by_tier: the first tier''s).';

-- ---------------------------------------------------------------------------
-- Progress and sessions, for the app
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.push_status(job_id bigint)
RETURNS jsonb
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'job_id', j.id,
        'kind', j.kind,
        'status', j.status,
        'total', j.total,
        'done', j.done,
        'percent', CASE WHEN j.total = 0 THEN 100 ELSE floor(100.0 * j.done / j.total)::int END,
        'step', j.step,
        'counts', (SELECT jsonb_build_object(
                       'created', count(*) FILTER (WHERE i.status = 'created'),
                       'updated', count(*) FILTER (WHERE i.status = 'updated'),
                       'skipped', count(*) FILTER (WHERE i.status = 'skipped'),
                       'failed', count(*) FILTER (WHERE i.status = 'failed'),
                       'unknown', count(*) FILTER (WHERE i.status = 'unknown'),
                       'pending', count(*) FILTER (WHERE i.status = 'pending'))
                   FROM dialer.push_items i WHERE i.job_id = j.id),
        'excluded', j.excluded,
        'session_id', s.id,
        'session_name', s.name,
        'error', j.error,
        'launch_job_id', (SELECT l.id FROM dialer.push_jobs l WHERE l.launched_by_job = j.id),
        'dial_sessions', (SELECT jsonb_agg(jsonb_build_object(
                              'batch', d.batch, 'status', d.status, 'contacts', d.contact_count,
                              'skipped', d.skipped_contact_count,
                              'phoneburner_dial_session_id', d.phoneburner_dial_session_id,
                              'link_ready', d.login_link IS NOT NULL AND d.link_expires_at > now(),
                              'error', d.error) ORDER BY d.batch)
                          FROM dialer.dial_sessions d WHERE d.job_id = j.id))
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.id = push_status.job_id
$$;

COMMENT ON FUNCTION dialer.push_status(bigint) IS
'The progress modal: job_id, kind (push or launch), status, total, done, percent, step, counts (created, updated, skipped, failed, unknown, pending), excluded by category, session_id, session_name, error, launch_job_id (the launch a push''s auto_launch enqueued), dial_sessions (a launch''s batches). NULL for an unknown job.';

-- Cancel a push: a queued job stops at once; a running one stops at the
-- daemon's next lease renewal, keeping what was already written.
CREATE FUNCTION dialer.cancel(job_id bigint)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = cancel.job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % does not exist', cancel.job_id USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_owner((SELECT s FROM dialer.sessions s WHERE s.id = job.session_id), 'cancel its jobs');
    IF job.status IN ('queued', 'running') THEN
        PERFORM dialer._audit('cancel', 'job', job.id::text, details => jsonb_build_object(
            'session_id', job.session_id, 'kind', job.kind, 'status', job.status));
    END IF;
    IF job.status = 'queued' THEN
        UPDATE dialer.push_jobs j SET status = 'cancelled', finished_at = now(), step = 'Cancelled',
               error = format('cancelled by %s', dialer.acting_user())
        WHERE j.id = job.id;
        PERFORM dialer._notify_progress(job.id);
        RETURN true;
    ELSIF job.status = 'running' THEN
        UPDATE dialer.push_jobs j SET cancel_requested = true WHERE j.id = job.id;
        RETURN true;
    END IF;
    RETURN false;  -- already finished
END
$$;

COMMENT ON FUNCTION dialer.cancel(bigint) IS
'Cancel a push or launch of a session the acting rep owns (admins: any). Queued: cancelled now. Running: the daemon stops at its next lease renewal. Returns false when the job had already finished.';

-- The Smart Default: the rep's most recent active session pushed with the
-- same filters in the last 14 days.
CREATE FUNCTION dialer.suggest_session(filters jsonb)
RETURNS bigint
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.id
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.requested_by = dialer.acting_user()
      AND s.owner = dialer.acting_user()
      AND j.filters = suggest_session.filters
      AND j.requested_at > now() - interval '14 days'
      AND j.status <> 'cancelled'
      AND s.status = 'active'
    ORDER BY j.requested_at DESC, j.id DESC
    LIMIT 1
$$;

COMMENT ON FUNCTION dialer.suggest_session(jsonb) IS
'Smart default for "Add to Existing Session": the acting rep''s most recent active session of their own pushed with equal filters within 14 days, else NULL.';

-- The "Add to Existing Session" dropdown.
-- Every rep sees every session; is_mine picks the acting rep's own
-- ("my sessions"): WHERE is_mine.
CREATE VIEW dialer.sessions_overview AS
SELECT s.id, s.name, s.status, s.contact_count, s.last_activity_at, s.last_activity_by,
       s.created_by, s.created_at, s.phoneburner_folder_id,
       s.owner, r.display_name AS owner_name, s.owner = dialer.acting_user() AS is_mine
FROM dialer.sessions s JOIN dialer.reps r ON r.name = s.owner
WHERE s.status IN ('active', 'paused')
ORDER BY s.last_activity_at DESC NULLS LAST, s.id DESC;

COMMENT ON VIEW dialer.sessions_overview IS
'Sessions contacts can be added to, most recently active first, with contact count, last activity and owner (the spec''s Assigned To); is_mine: owned by the acting rep. Only the owner (or an admin) pushes into one.';

-- The progress modal's live feed: NOTIFY dialer_progress with the job's
-- status and percent (cancel here, and the daemon's API as it works).
CREATE FUNCTION dialer._notify_progress(job_id bigint)
RETURNS void
LANGUAGE sql
AS $$
    SELECT pg_notify('dialer_progress', jsonb_build_object(
        'job_id', j.id, 'status', j.status, 'total', j.total, 'done', j.done,
        'percent', CASE WHEN j.total = 0 THEN 100 ELSE floor(100.0 * j.done / j.total)::int END,
        'step', j.step)::text)
    FROM dialer.push_jobs j WHERE j.id = _notify_progress.job_id
$$;

-- ==========================================================================
-- extension/sql/08_launch.sql
-- ==========================================================================

-- Launch: PhoneBurner dial sessions from a session's contacts.
--
-- A launch is a job like a push (kind 'launch', queued in dialer.push_jobs):
-- the daemon re-checks the session's contacts against the rules when it
-- starts, splits them into batches of 500 and creates one dial session per
-- batch (dialer.dial_sessions), through 16_daemon_api_jobs.sql.
--
-- Used by: the app (dialer.launch, dialer.launch_link); a push with
-- auto_launch enqueues its launch through dialer._enqueue_launch.

-- Shared by dialer.launch and a push's auto_launch.
CREATE FUNCTION dialer._enqueue_launch(session_id bigint, min_days integer, requested_by text,
                                       launched_by_job bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    job_id bigint;
BEGIN
    INSERT INTO dialer.push_jobs (kind, session_id, launched_by_job, options, requested_by, step,
                                  phoneburner_credential)
    SELECT 'launch', s.id, _enqueue_launch.launched_by_job,
           jsonb_strip_nulls(jsonb_build_object('min_days', _enqueue_launch.min_days)),
           _enqueue_launch.requested_by, 'Queued', dialer._session_credential(s)
    FROM dialer.sessions s WHERE s.id = _enqueue_launch.session_id
    RETURNING id INTO job_id;
    PERFORM pg_notify('dialer_push', job_id::text);
    RETURN job_id;
END
$$;

CREATE FUNCTION dialer.launch(session_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(launch.session_id);
    actor   text := dialer._check_owner(session, 'launch it');
    job_id  bigint;
BEGIN
    IF session.status IN ('completed', 'archived') THEN
        RAISE EXCEPTION 'session % is %; only active or paused sessions can be launched',
            session.id, session.status USING ERRCODE = '55000';
    END IF;
    PERFORM dialer._contact_relation('launch');
    IF NOT EXISTS (SELECT FROM dialer.contact_links l WHERE l.session_id = session.id) THEN
        RAISE EXCEPTION 'session % has no contacts in PhoneBurner yet', session.id
            USING ERRCODE = '55000', HINT = 'Push contacts into the session first (dialer.push).';
    END IF;
    UPDATE dialer.sessions s SET last_activity_at = now(), last_activity_by = actor
    WHERE s.id = session.id;
    job_id := dialer._enqueue_launch(session.id,
                                     nullif(current_setting('dialer.min_days_between_calls', true), '')::integer,
                                     actor);
    PERFORM dialer._audit('launch', 'job', job_id::text, details => jsonb_build_object('session_id', session.id));
    RETURN job_id;
END
$$;

COMMENT ON FUNCTION dialer.launch(bigint) IS
'Enqueue a launch of a session the acting rep owns (admins: any; 42501 otherwise): pgdialer-sync re-checks its contacts against the rules and creates PhoneBurner dial sessions of at most 500 contacts. Returns the job id; follow it with dialer.push_status and take the login link with dialer.launch_link.';

-- The one-time login link of a launch (or of a push with auto_launch): the
-- first link not handed out yet, erased as it is returned. NULL while the
-- launch has not created a dial session yet. Links expire after 5 minutes.
-- Call again for the next batch's link when a launch made several.
CREATE FUNCTION dialer.launch_link(job_id bigint)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job       dialer.push_jobs;
    launch_id bigint;
    d         dialer.dial_sessions;
    actor     text;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = launch_link.job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % does not exist', launch_link.job_id USING ERRCODE = '22023';
    END IF;
    -- The link logs whoever opens it into the owner's PhoneBurner account.
    actor := dialer._check_owner((SELECT s FROM dialer.sessions s WHERE s.id = job.session_id),
                                 'read its login links');
    -- Expired links are erased, never left in the table.
    UPDATE dialer.dial_sessions s SET login_link = NULL
    WHERE s.login_link IS NOT NULL AND s.link_expires_at <= now();
    IF job.kind = 'launch' THEN
        launch_id := job.id;
    ELSE
        SELECT j.id INTO launch_id FROM dialer.push_jobs j WHERE j.launched_by_job = job.id;
        IF launch_id IS NULL THEN
            IF NOT coalesce((job.options ->> 'auto_launch')::boolean, false) THEN
                RAISE EXCEPTION 'job % is a push without auto_launch; it has no login link', job.id
                    USING ERRCODE = '22023', HINT = format('Launch the session with dialer.launch(%s).', job.session_id);
            ELSIF job.status IN ('failed', 'cancelled') THEN
                RAISE EXCEPTION 'push job % %; the session was not launched', job.id, job.status
                    USING ERRCODE = '55000';
            END IF;
            RETURN NULL;  -- the push has not finished yet
        END IF;
    END IF;

    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = launch_id AND s.login_link IS NOT NULL AND s.link_expires_at > now()
    ORDER BY s.batch LIMIT 1 FOR UPDATE;
    IF FOUND THEN
        UPDATE dialer.dial_sessions s
        SET login_link = NULL, link_handed_out_at = now(), link_handed_out_to = actor
        WHERE s.job_id = d.job_id AND s.batch = d.batch;
        PERFORM dialer._audit('link_read', 'job', launch_id::text, details => jsonb_build_object(
            'session_id', job.session_id, 'batch', d.batch,
            'phoneburner_dial_session_id', d.phoneburner_dial_session_id));
        RETURN d.login_link;
    END IF;

    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = launch_id;
    IF job.status IN ('queued', 'running') THEN
        RETURN NULL;  -- not created yet
    END IF;
    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = launch_id AND s.status = 'created' ORDER BY s.link_handed_out_at DESC NULLS LAST LIMIT 1;
    IF d.link_handed_out_at IS NOT NULL THEN
        RAISE EXCEPTION 'the login link of launch job % was already handed out to %', launch_id,
            d.link_handed_out_to
            USING ERRCODE = '55000',
                  DETAIL = format('Handed out at %s; PhoneBurner login links work once.', d.link_handed_out_at);
    ELSIF FOUND THEN
        RAISE EXCEPTION 'the login link of launch job % expired', launch_id
            USING ERRCODE = '55000', DETAIL = format('It expired at %s.', d.link_expires_at),
                  HINT = 'Login links last 5 minutes; launch the session again.';
    END IF;
    RAISE EXCEPTION 'launch job % created no dial session: %', launch_id, coalesce(job.error, job.status)
        USING ERRCODE = '55000';
END
$$;

COMMENT ON FUNCTION dialer.launch_link(bigint) IS
'The one-time PhoneBurner login link of a launch job (or of a push with auto_launch) of a session the acting rep owns (42501 otherwise), for the owner''s own PhoneBurner account; handed out once, erased and audited; NULL until ready; links expire 5 minutes after creation.';

-- ==========================================================================
-- extension/sql/09_contact_state.sql
-- ==========================================================================

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

-- ==========================================================================
-- extension/sql/10_suppressions.sql
-- ==========================================================================

-- Suppression list: numbers nobody may call, whoever the contact row says
-- they belong to. A listed number makes every contact that has it (stored
-- phone_e164, else the parsed phone) do_not_call, never overridable, reason
-- 'On the suppression list (<source>)'. The rules load this table once per
-- statement, never per row, so a change counts from the next statement on.
-- The rules read the numbers and their source through
-- dialer._suppressed_numbers(), with the extension owner's rights, so anyone
-- who may run them needs no grant on the table (a verdict tells whether a
-- number is listed anyway; the reason, who and which call are not shown).
--
-- Rows are added with dialer.add_suppression (reps, the app, admins) and
-- removed with dialer.remove_suppression (admins, with a reason); both are
-- audited. A call whose outcome is do_not_call adds its number
-- (12_call_outcomes.sql).
--
-- Used by: reps, the app and admins (add, remove); the rules.

CREATE TABLE dialer.suppressions (
    phone_e164 text PRIMARY KEY CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    source     text NOT NULL CHECK (source IN ('requested', 'registry', 'internal')),
    reason     text,
    added_by   text NOT NULL DEFAULT dialer.acting_user(),  -- the agent, for a call
    added_at   timestamptz NOT NULL DEFAULT now(),
    call_id    text                                           -- the PhoneBurner call it came from
);
SELECT pg_catalog.pg_extension_config_dump('dialer.suppressions', '');

COMMENT ON TABLE dialer.suppressions IS
'Numbers (E.164) that must not be called: asked on a call (source requested), a registry listing, or internal policy.';

-- The list as the rules load it (extension/src/suppression_cache.cpp).
CREATE FUNCTION dialer._suppressed_numbers(OUT phone_e164 text, OUT source text)
RETURNS SETOF record
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT s.phone_e164, s.source FROM dialer.suppressions s $$;

CREATE FUNCTION dialer.add_suppression(phone text, source text, reason text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number text := dialer.e164(phone);
    actor  text := dialer.acting_user();
BEGIN
    IF NOT dialer._is_admin() THEN
        actor := (dialer.current_rep()).name;
    END IF;
    IF number IS NULL THEN
        RAISE EXCEPTION 'cannot suppress "%": not a valid phone number', phone USING ERRCODE = '22023';
    END IF;
    IF source IS NULL OR source NOT IN ('requested', 'registry', 'internal') THEN
        RAISE EXCEPTION 'suppression source must be requested, registry or internal, not %',
            coalesce('"' || source || '"', 'NULL') USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by)
    VALUES (number, add_suppression.source, add_suppression.reason, actor)
    ON CONFLICT (phone_e164) DO NOTHING;  -- the first listing stays on record
    IF FOUND THEN
        PERFORM dialer._audit('suppression_added', 'suppression', number, reason => add_suppression.reason,
                              details => jsonb_build_object('source', add_suppression.source));
    END IF;
    RETURN number;
END
$$;

COMMENT ON FUNCTION dialer.add_suppression(text, text, text) IS
'Put a number on the suppression list (source requested, registry or internal): no contact with it is called again. Returns the number in E.164; a number already listed keeps its first listing. Audited.';

-- Removing a number lets it be called again: admins only, with a reason.
CREATE FUNCTION dialer.remove_suppression(phone text, reason text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number  text := coalesce(dialer.e164(phone), phone);
    removed dialer.suppressions;
BEGIN
    PERFORM dialer._require_admin('remove a number from the suppression list');
    IF coalesce(btrim(reason), '') = '' THEN
        RAISE EXCEPTION 'removing a suppression needs a reason' USING ERRCODE = '22023',
            HINT = 'Say why the number may be called again, e.g. ''Registry listing expired 2026-11-30''.';
    END IF;
    DELETE FROM dialer.suppressions s WHERE s.phone_e164 = number RETURNING * INTO removed;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dialer._audit('suppression_removed', 'suppression', number, reason => remove_suppression.reason,
                          details => to_jsonb(removed));
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.remove_suppression(text, text) IS
'Admin: take a number off the suppression list, with a reason (22023 without one). Returns false when it was not listed. Audited with the listing removed.';

-- ==========================================================================
-- extension/sql/11_dispositions.sql
-- ==========================================================================

-- Dispositions: PhoneBurner's disposition text is account-defined, so it is
-- mapped to a fixed set of outcomes that the stats and the write-back use.
-- Editing the map re-maps the calls already recorded and applies the effects
-- that changed (a disposition newly mapped to do_not_call must suppress the
-- numbers of the calls that had it). dialer.unmapped_dispositions, the texts
-- seen on calls that the map does not know, is in 12_call_outcomes.sql.
--
-- Used by: admins (dialer.map_disposition, dialer.remap_dispositions); the
-- call recording and the dashboard views (disposition_outcome,
-- call_connected).

CREATE TABLE dialer.disposition_map (
    disposition     text NOT NULL CHECK (btrim(disposition) <> ''),  -- as PhoneBurner shows it
    disposition_key text GENERATED ALWAYS AS (lower(btrim(disposition))) STORED,
    outcome         text CHECK (outcome IN ('connected', 'interested', 'qualified', 'meeting_set',
                                            'disqualified', 'no_answer', 'voicemail', 'wrong_number',
                                            'do_not_call', 'callback')),
    -- Shipped with the extension. An admin's row for the same text takes
    -- precedence, so defaults are never edited in place: pg_dump keeps only
    -- the admin's rows, and CREATE EXTENSION brings the defaults back.
    is_default      boolean NOT NULL DEFAULT false,
    updated_by      text NOT NULL DEFAULT dialer.acting_user(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (disposition_key, is_default),
    CHECK (is_default <= (outcome IS NOT NULL))  -- a NULL outcome (ignore it) is an admin's choice
);
SELECT pg_catalog.pg_extension_config_dump('dialer.disposition_map', 'WHERE NOT is_default');

COMMENT ON TABLE dialer.disposition_map IS
'PhoneBurner disposition text (matched trimmed and case-insensitively) -> outcome. Admin rows (is_default false) override the shipped defaults; an admin row with a NULL outcome marks a disposition as deliberately unmapped.';

INSERT INTO dialer.disposition_map (disposition, outcome, is_default, updated_by) VALUES
    ('Connected',          'connected',    true, 'pgdialer'),
    ('Contacted',          'connected',    true, 'pgdialer'),
    ('Spoke With Contact', 'connected',    true, 'pgdialer'),
    ('Interested',         'interested',   true, 'pgdialer'),
    ('Send Info',          'interested',   true, 'pgdialer'),
    ('Qualified',          'qualified',    true, 'pgdialer'),
    ('Appointment',        'meeting_set',  true, 'pgdialer'),
    ('Appointment Set',    'meeting_set',  true, 'pgdialer'),
    ('Meeting Set',        'meeting_set',  true, 'pgdialer'),
    ('Meeting Scheduled',  'meeting_set',  true, 'pgdialer'),
    ('Not Interested',     'disqualified', true, 'pgdialer'),
    ('Not a Fit',          'disqualified', true, 'pgdialer'),
    ('Disqualified',       'disqualified', true, 'pgdialer'),
    ('No Answer',          'no_answer',    true, 'pgdialer'),
    ('Busy',               'no_answer',    true, 'pgdialer'),
    ('Hung Up',            'no_answer',    true, 'pgdialer'),
    ('Left Message',       'voicemail',    true, 'pgdialer'),
    ('Left Voicemail',     'voicemail',    true, 'pgdialer'),
    ('Voicemail',          'voicemail',    true, 'pgdialer'),
    ('Answering Machine',  'voicemail',    true, 'pgdialer'),
    ('Wrong Number',       'wrong_number', true, 'pgdialer'),
    ('Bad Number',         'wrong_number', true, 'pgdialer'),
    ('Disconnected Number','wrong_number', true, 'pgdialer'),
    ('Do Not Call',        'do_not_call',  true, 'pgdialer'),
    ('DNC',                'do_not_call',  true, 'pgdialer'),
    ('Call Back',          'callback',     true, 'pgdialer'),
    ('Callback',           'callback',     true, 'pgdialer'),
    ('Call Back Later',    'callback',     true, 'pgdialer');

-- Editing a default in place would be lost by a dump and restore: say how.
CREATE FUNCTION dialer._keep_default_dispositions()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'disposition "%" is a shipped default and is not changed in place', OLD.disposition
        USING ERRCODE = '55000',
              HINT = format('Add your own row, which takes precedence: SELECT dialer.map_disposition(%L, ''<outcome>'') (NULL to leave it unmapped).',
                            OLD.disposition);
END
$$;

CREATE TRIGGER disposition_map_keep_defaults
    BEFORE UPDATE OR DELETE ON dialer.disposition_map
    FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION dialer._keep_default_dispositions();

-- The outcome of a disposition text: the admin's row, else the default.
CREATE FUNCTION dialer.disposition_outcome(disposition text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT m.outcome FROM dialer.disposition_map m
    WHERE m.disposition_key = lower(btrim(disposition_outcome.disposition))
    ORDER BY m.is_default
    LIMIT 1
$$;

COMMENT ON FUNCTION dialer.disposition_outcome(text) IS
'The outcome a PhoneBurner disposition text maps to (trimmed, case-insensitive; an admin''s row before the default), NULL when unmapped.';

-- Did a call reach someone? PhoneBurner's `connected` flag when it sent one,
-- else what the outcome implies (a conversation happened).
CREATE FUNCTION dialer.call_connected(connected boolean, outcome text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(connected, outcome IN ('connected', 'interested', 'qualified', 'meeting_set',
                                           'disqualified', 'wrong_number', 'do_not_call', 'callback'), false)
$$;

CREATE FUNCTION dialer.remap_dispositions(disposition text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed dialer.call_activity;
    n    integer := 0;
BEGIN
    PERFORM dialer._require_admin('re-map dispositions');
    FOR changed IN
        UPDATE dialer.call_activity c
        SET outcome = dialer.disposition_outcome(c.disposition), updated_at = now()
        WHERE c.disposition IS NOT NULL
          AND (remap_dispositions.disposition IS NULL
               OR lower(btrim(c.disposition)) = lower(btrim(remap_dispositions.disposition)))
          AND c.outcome IS DISTINCT FROM dialer.disposition_outcome(c.disposition)
        RETURNING c.*
    LOOP
        PERFORM dialer._apply_call_effects(changed, NULL);
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        -- The effects wait in dialer.writeback_queue for pgdialer-sync.
        PERFORM pg_notify('dialer_writeback', n::text);
    END IF;
    RETURN n;
END
$$;

COMMENT ON FUNCTION dialer.remap_dispositions(text) IS
'Admin: give recorded calls (of one disposition text, or all) the outcome the map now says, and queue its effects on their contacts for pgdialer-sync''s write-back (NOTIFY dialer_writeback). Returns the number of calls whose outcome changed.';

CREATE FUNCTION dialer.map_disposition(disposition text, outcome text)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous text;
BEGIN
    PERFORM dialer._require_admin('map dispositions');
    IF disposition IS NULL OR btrim(disposition) = '' THEN
        RAISE EXCEPTION 'a disposition text is required' USING ERRCODE = '22023';
    END IF;
    IF outcome IS NOT NULL AND outcome NOT IN ('connected', 'interested', 'qualified', 'meeting_set', 'disqualified',
                                               'no_answer', 'voicemail', 'wrong_number', 'do_not_call', 'callback') THEN
        RAISE EXCEPTION 'unknown outcome "%"', outcome USING ERRCODE = '22023',
            HINT = 'Outcomes: connected, interested, qualified, meeting_set, disqualified, no_answer, voicemail, wrong_number, do_not_call, callback (NULL: leave unmapped).';
    END IF;
    previous := dialer.disposition_outcome(map_disposition.disposition);
    INSERT INTO dialer.disposition_map AS m (disposition, outcome, updated_by)
    VALUES (btrim(map_disposition.disposition), map_disposition.outcome, dialer.acting_user())
    ON CONFLICT (disposition_key, is_default) DO UPDATE
        SET disposition = excluded.disposition, outcome = excluded.outcome,
            updated_by = excluded.updated_by, updated_at = now();
    PERFORM dialer._audit('disposition_mapped', 'disposition', btrim(map_disposition.disposition),
                          details => jsonb_build_object('from', previous, 'to', map_disposition.outcome));
    RETURN dialer.remap_dispositions(map_disposition.disposition);
END
$$;

COMMENT ON FUNCTION dialer.map_disposition(text, text) IS
'Admin: map a PhoneBurner disposition text to an outcome (NULL: deliberately unmapped), overriding any default, and re-map the calls already recorded with it. Returns the number of calls whose outcome changed.';

-- ==========================================================================
-- extension/sql/12_call_outcomes.sql
-- ==========================================================================

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
-- queued for the hook (13_write_back.sql).
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
                                                         'agent', agent));
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

-- ==========================================================================
-- extension/sql/13_write_back.sql
-- ==========================================================================

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

-- ==========================================================================
-- extension/sql/14_session_manage.sql
-- ==========================================================================

-- Session management: the spec's "+ New Session" and a session's settings.
--
-- The stored status is what a rep set: active, paused, completed, archived.
--   pause     active -> paused
--   resume    paused or completed -> active
--   complete  active or paused -> completed
--   delete    a session without contacts, jobs or calls is deleted; any other
--             is archived (its history stays). Archived is final.
-- Asking for the state a session is already in changes nothing. Unknown
-- sessions are 22023 (as in dialer.push and dialer.launch), transitions out
-- of archived and from completed to paused are 55000.
--
-- Ownership: a session belongs to the rep who created it (sessions.owner,
-- the spec's "Assigned To"); admins reassign it. Only the owner or an admin
-- renames, pauses, resumes, completes or deletes it (and pushes into it,
-- launches it, cancels its jobs and reads its login links: 07_push.sql,
-- 08_launch.sql); anyone else gets 42501. Every change is also a row of
-- dialer.audit_log.
--
-- Used by: the app (create, rename, pause, resume, complete, delete); admins
-- (assign); the dashboard's derived status (dialer.activity_status).

-- Who changed what, also after a session was deleted.
CREATE TABLE dialer.session_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL,   -- no foreign key: deleted sessions keep their trail
    action     text NOT NULL CHECK (action IN ('created', 'renamed', 'paused', 'resumed', 'completed',
                                               'archived', 'deleted', 'assigned')),
    detail     jsonb,             -- e.g. {"from": "old name", "to": "new name"}
    acted_by   text NOT NULL DEFAULT dialer.acting_user(),
    acted_at   timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.session_changes', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.session_changes', 'id'), '');
CREATE INDEX session_changes_by_session ON dialer.session_changes (session_id, acted_at);
CREATE TRIGGER session_changes_append_only BEFORE UPDATE OR DELETE ON dialer.session_changes
    FOR EACH ROW EXECUTE FUNCTION dialer._refuse_change();
CREATE TRIGGER session_changes_no_truncate BEFORE TRUNCATE ON dialer.session_changes
    FOR EACH STATEMENT EXECUTE FUNCTION dialer._refuse_change();

COMMENT ON TABLE dialer.session_changes IS
'Append-only trail of session management: created (by dialer.create_session), renamed, paused, resumed, completed, archived, deleted, assigned; who and when.';

-- The session, locked, or 22023 naming the id.
CREATE FUNCTION dialer._lock_session(session_id bigint)
RETURNS dialer.sessions
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions;
BEGIN
    SELECT * INTO session FROM dialer.sessions s WHERE s.id = _lock_session.session_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'session % does not exist', coalesce(_lock_session.session_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN session;
END
$$;

-- The acting user, if they may change the session: its owner (an active
-- rep) or an admin; else 42501 saying what was refused.
CREATE FUNCTION dialer._check_owner(session dialer.sessions, what text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    actor text;
BEGIN
    IF session.id IS NULL THEN
        RETURN NULL;  -- the caller reports the unknown session
    END IF;
    IF dialer._is_admin() THEN
        RETURN dialer.acting_user();
    END IF;
    actor := (dialer.current_rep()).name;
    IF session.owner <> actor THEN
        RAISE EXCEPTION 'session % belongs to %; only its owner or an admin may %', session.id, session.owner, what
            USING ERRCODE = '42501';
    END IF;
    RETURN actor;
END
$$;

-- The PhoneBurner account a session's jobs use: the one its folder was made
-- in, else its owner's credential.
CREATE FUNCTION dialer._session_credential(session dialer.sessions)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(session.phoneburner_credential,
                    (SELECT r.phoneburner_credential FROM dialer.reps r WHERE r.name = session.owner))
$$;

-- A session change: its row in session_changes and in the audit log.
CREATE FUNCTION dialer._log_session_change(session_id bigint, action text, detail jsonb)
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO dialer.session_changes (session_id, action, detail) VALUES (session_id, action, detail);
    SELECT dialer._audit('session_' || action, 'session', session_id::text, details => detail);
$$;

CREATE FUNCTION dialer.create_session(name text, description text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := (dialer.current_rep()).name;
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a session needs a name' USING ERRCODE = '22023';
    END IF;
    IF length(create_session.description) > 1000 THEN
        RAISE EXCEPTION 'a session description has at most 1000 characters' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.sessions AS s (name, owner, created_by, last_activity_at, last_activity_by, description)
    VALUES (btrim(create_session.name), actor, actor, now(), actor, nullif(btrim(create_session.description), ''))
    RETURNING s.id INTO id;
    PERFORM dialer._log_session_change(id, 'created', jsonb_build_object('name', btrim(create_session.name)));
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_session(text, text) IS
'The spec''s "+ New Session": an empty active session, owned by the acting rep, to push contacts into later, with an optional description (it becomes the PhoneBurner folder''s). Returns its id.';

-- "View in PhoneBurner": the session's folder in the owner's PhoneBurner
-- web app. PhoneBurner documents no web address for a folder; its contacts
-- list filtered by folder (category_id, the one filter its API honours for
-- folders) is the closest one, and the owner must be logged in to their
-- account to open it (docs/phoneburner.md). NULL until the daemon has made
-- the folder. Owner or admin, like the login links.
CREATE FUNCTION dialer.phoneburner_link(session_id bigint)
RETURNS text
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions;
BEGIN
    SELECT * INTO session FROM dialer.sessions s WHERE s.id = phoneburner_link.session_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'session % does not exist', phoneburner_link.session_id USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_owner(session, 'open it in PhoneBurner');
    IF session.phoneburner_folder_id IS NULL THEN
        RETURN NULL;
    END IF;
    -- PhoneBurner's folder ids are digits; anything else is percent-encoded.
    RETURN 'https://www.phoneburner.com/contacts?category_id=' || (
        SELECT string_agg(CASE WHEN c.ch ~ '^[A-Za-z0-9._~-]$' THEN c.ch
                               ELSE upper(regexp_replace(encode(convert_to(c.ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
                          END, '' ORDER BY c.n)
        FROM regexp_split_to_table(session.phoneburner_folder_id, '') WITH ORDINALITY AS c (ch, n));
END
$$;

COMMENT ON FUNCTION dialer.phoneburner_link(bigint) IS
'"View in PhoneBurner": the web address of the session''s folder in its owner''s PhoneBurner account (the contacts list filtered by the folder: the best PhoneBurner''s documented API allows), NULL before the folder exists. The session''s owner or an admin.';

CREATE FUNCTION dialer.rename_session(session_id bigint, name text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(rename_session.session_id);
BEGIN
    PERFORM dialer._check_owner(session, 'rename it');
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a session needs a name' USING ERRCODE = '22023';
    END IF;
    IF session.status = 'archived' THEN
        RAISE EXCEPTION 'session % is archived; it cannot be renamed', session.id USING ERRCODE = '55000';
    END IF;
    IF session.name = btrim(rename_session.name) THEN
        RETURN;
    END IF;
    UPDATE dialer.sessions s SET name = btrim(rename_session.name) WHERE s.id = session.id;
    PERFORM dialer._log_session_change(session.id, 'renamed',
                                       jsonb_build_object('from', session.name, 'to', btrim(rename_session.name)));
END
$$;

COMMENT ON FUNCTION dialer.rename_session(bigint, text) IS
'Rename a session (not an archived one). The PhoneBurner folder keeps its name.';

-- One stored-status transition, logged; the others are thin wrappers.
CREATE FUNCTION dialer._set_session_status(session_id bigint, target text, allowed_from text[], action text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(_set_session_status.session_id);
BEGIN
    PERFORM dialer._check_owner(session, 'change its status');
    IF session.status = target THEN
        RETURN target;  -- already there: nothing to do
    END IF;
    IF session.status = 'completed' AND session.status <> ALL (allowed_from) THEN
        RAISE EXCEPTION 'session % is completed; it cannot be %', session.id, action
            USING ERRCODE = '55000', HINT = 'Resume it first (dialer.resume_session).';
    ELSIF session.status <> ALL (allowed_from) THEN
        RAISE EXCEPTION 'session % is %; it cannot be %', session.id, session.status, action
            USING ERRCODE = '55000';
    END IF;
    UPDATE dialer.sessions s SET status = target WHERE s.id = session.id;
    PERFORM dialer._log_session_change(session.id, action, jsonb_build_object('from', session.status));
    RETURN target;
END
$$;

CREATE FUNCTION dialer.pause_session(session_id bigint)
RETURNS text
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT dialer._set_session_status(session_id, 'paused', '{active}', 'paused') $$;

CREATE FUNCTION dialer.resume_session(session_id bigint)
RETURNS text
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT dialer._set_session_status(session_id, 'active', '{paused,completed}', 'resumed') $$;

CREATE FUNCTION dialer.complete_session(session_id bigint)
RETURNS text
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT dialer._set_session_status(session_id, 'completed', '{active,paused}', 'completed') $$;

COMMENT ON FUNCTION dialer.pause_session(bigint) IS 'active -> paused. Returns the status.';
COMMENT ON FUNCTION dialer.resume_session(bigint) IS 'paused or completed -> active. Returns the status.';
COMMENT ON FUNCTION dialer.complete_session(bigint) IS 'active or paused -> completed (no more contacts can be added). Returns the status.';

CREATE FUNCTION dialer.delete_session(session_id bigint)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(delete_session.session_id);
BEGIN
    PERFORM dialer._check_owner(session, 'delete it');
    IF session.status = 'archived' THEN
        RETURN 'archived';
    END IF;
    IF EXISTS (SELECT FROM dialer.push_jobs j WHERE j.session_id = session.id AND j.status IN ('queued', 'running')) THEN
        RAISE EXCEPTION 'session % has a push or launch in progress', session.id
            USING ERRCODE = '55000', HINT = 'Cancel it first (dialer.cancel) or wait for it to finish.';
    END IF;
    IF EXISTS (SELECT FROM dialer.contact_links l WHERE l.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.push_jobs j WHERE j.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.call_activity c WHERE c.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.webhook_events w WHERE w.session_id = session.id) THEN
        -- It has a history: keep it, out of the way.
        UPDATE dialer.sessions s SET status = 'archived' WHERE s.id = session.id;
        PERFORM dialer._log_session_change(session.id, 'archived', jsonb_build_object('from', session.status));
        RETURN 'archived';
    END IF;
    DELETE FROM dialer.sessions s WHERE s.id = session.id;
    PERFORM dialer._log_session_change(session.id, 'deleted',
                                       jsonb_build_object('name', session.name, 'from', session.status));
    RETURN 'deleted';
END
$$;

COMMENT ON FUNCTION dialer.delete_session(bigint) IS
'Delete a session: one with contacts, jobs or calls is archived (returns ''archived''), an empty one is deleted (''deleted''). Refused (55000) while a push or launch is in progress. PhoneBurner''s folder is not touched.';

-- Admin: give a session to another rep. Its folder stays in the PhoneBurner
-- account it was made in, so a rep dialing from another account cannot take
-- a session that already has one (their launch link would log them into
-- someone else's account).
CREATE FUNCTION dialer.assign_session(session_id bigint, rep text, reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(assign_session.session_id);
    target  dialer.reps;
BEGIN
    PERFORM dialer._require_admin('reassign sessions');
    SELECT * INTO target FROM dialer.reps r WHERE r.name = assign_session.rep;
    IF NOT FOUND OR NOT target.active THEN
        RAISE EXCEPTION '"%" is not an active rep', assign_session.rep USING ERRCODE = '22023';
    END IF;
    IF session.owner = target.name THEN
        RETURN;
    END IF;
    IF session.phoneburner_folder_id IS NOT NULL
       AND session.phoneburner_credential IS DISTINCT FROM target.phoneburner_credential THEN
        RAISE EXCEPTION 'session % lives in PhoneBurner account "%", and % dials from "%"', session.id,
            session.phoneburner_credential, target.name, target.phoneburner_credential
            USING ERRCODE = '55000',
                  HINT = 'Give it to a rep of the same account, or push its contacts into a new session of theirs.';
    END IF;
    IF EXISTS (SELECT FROM dialer.push_jobs j WHERE j.session_id = session.id AND j.status IN ('queued', 'running')) THEN
        RAISE EXCEPTION 'session % has a push or launch in progress', session.id USING ERRCODE = '55000';
    END IF;
    UPDATE dialer.sessions s SET owner = target.name WHERE s.id = session.id;
    INSERT INTO dialer.session_changes (session_id, action, detail)
    VALUES (session.id, 'assigned', jsonb_build_object('from', session.owner, 'to', target.name));
    PERFORM dialer._audit('session_assigned', 'session', session.id::text, reason => reason,
                          details => jsonb_build_object('from', session.owner, 'to', target.name));
END
$$;

COMMENT ON FUNCTION dialer.assign_session(bigint, text, text) IS
'Admin: make another active rep the session''s owner (Assigned To). 55000 when its PhoneBurner folder lives in another account than the rep''s, or while a job of it runs.';

-- The derived activity_status the dashboard groups by: completed when every
-- contact was dialed, paused after dialer.configuration.session_idle_days
-- without activity, else the stored status.
CREATE FUNCTION dialer.activity_status(status text, total_contacts bigint, dialed bigint,
                                       last_activity_at timestamptz, as_of timestamptz DEFAULT now())
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN status <> 'active' THEN status
        WHEN total_contacts > 0 AND dialed >= total_contacts THEN 'completed'
        WHEN last_activity_at < as_of - make_interval(days => coalesce(
                 (SELECT c.session_idle_days FROM dialer.configuration c), 7)) THEN 'paused'
        ELSE 'active' END
$$;

COMMENT ON FUNCTION dialer.activity_status(text, bigint, bigint, timestamptz, timestamptz) IS
'A session''s derived status: its stored status unless active; an active one whose every contact was dialed is completed, one idle for session_idle_days (dialer.configure_session_idle_days) is paused.';

-- ==========================================================================
-- extension/sql/15_dashboard.sql
-- ==========================================================================

-- Dashboard views: the Session Tracking Dashboard and the Session Detail
-- Page (contacts, performance, recent activity, export). Names, company and
-- phone come from the payload snapshot of the contact's latest push into
-- that session (no read of the app table).
-- Counting rules, in one place:
--   a session's contacts  its links (pushed into PhoneBurner) plus any contact
--                         a call of the session was matched to
--   dialed                contacts with at least one call
--   connected             contacts with a call that connected (PhoneBurner's
--                         flag, else an outcome that implies a conversation)
--   interested, qualified, meetings set, disqualified
--                         contacts with at least one call of that outcome
--   talk time             duration of the session's connected calls
--   dispositions          calls by disposition text
--
-- Used by: the app (the session pages) and analysts.

CREATE VIEW dialer.session_contacts AS
SELECT m.session_id,
       m.contact_id,
       nullif(concat_ws(' ', p.payload ->> 'first_name', p.payload ->> 'last_name'), '') AS name,
       p.payload ->> 'first_name' AS first_name,
       p.payload ->> 'last_name' AS last_name,
       p.payload ->> 'company' AS company,
       p.payload ->> 'title' AS title,
       p.payload ->> 'phone' AS phone,
       p.payload ->> 'email' AS email,
       CASE WHEN k.attempts = 0 THEN 'pending'
            ELSE coalesce(latest.outcome,
                          CASE WHEN dialer.call_connected(latest.connected, NULL) THEN 'connected' ELSE 'dialed' END)
       END AS status,
       latest.call_at AS last_call_at,
       latest.disposition AS last_disposition,
       latest.outcome AS last_outcome,
       coalesce(latest.agent_name, latest.agent_id) AS last_agent,
       latest.notes AS last_notes,
       latest.recording_url AS last_recording_url,
       k.attempts,
       k.connected,
       k.talk_time_seconds,
       k.outcomes,
       m.phoneburner_contact_id,
       m.added_at
FROM (
    SELECT l.session_id, l.contact_id, l.phoneburner_contact_id, l.created_at AS added_at
    FROM dialer.contact_links l
    UNION ALL
    SELECT c.session_id, c.contact_id, max(c.phoneburner_contact_id), min(c.created_at)
    FROM dialer.call_activity c
    WHERE c.session_id IS NOT NULL AND c.contact_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM dialer.contact_links l
                      WHERE l.session_id = c.session_id AND l.contact_id = c.contact_id)
    GROUP BY c.session_id, c.contact_id
) m
LEFT JOIN LATERAL (
    SELECT i.payload
    FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = m.contact_id
    WHERE j.session_id = m.session_id
    ORDER BY j.id DESC
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS attempts,
           coalesce(bool_or(dialer.call_connected(c.connected, c.outcome)), false) AS connected,
           coalesce(sum(c.duration_seconds) FILTER (WHERE dialer.call_connected(c.connected, c.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce(array_agg(DISTINCT c.outcome) FILTER (WHERE c.outcome IS NOT NULL), '{}') AS outcomes
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
) k ON true
LEFT JOIN LATERAL (
    SELECT c.*, coalesce(c.started_at, c.ended_at, c.created_at) AS call_at
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
    ORDER BY coalesce(c.started_at, c.ended_at, c.created_at) DESC, c.call_id DESC
    LIMIT 1
) latest ON true
ORDER BY m.session_id, k.attempts = 0, latest.call_at DESC, name, m.contact_id;

COMMENT ON VIEW dialer.session_contacts IS
'The Session Detail Page''s contact list: per session and contact, name, company, phone, status (pending, or the latest call''s outcome, else connected or dialed), last call, attempts, connected, talk time, outcomes seen. Called contacts first, most recent first.';

CREATE VIEW dialer.session_stats AS
SELECT s.id AS session_id,
       s.name,
       s.status,
       dialer.activity_status(s.status, sc.total_contacts, sc.dialed, s.last_activity_at) AS activity_status,
       sc.total_contacts,
       sc.dialed,
       sc.connected,
       sc.interested,
       sc.qualified,
       sc.meetings_set,
       sc.disqualified,
       CASE WHEN sc.dialed > 0 THEN round(100.0 * sc.connected / sc.dialed, 1) END AS connection_rate,
       calls.calls,
       calls.talk_time_seconds,
       make_interval(secs => calls.talk_time_seconds) AS talk_time,
       s.last_activity_at,
       s.last_activity_by,
       s.created_by,
       s.created_at,
       s.phoneburner_folder_id,
       calls.dispositions,
       calls.outcomes,
       s.owner  -- the spec's Assigned To
FROM dialer.sessions s
CROSS JOIN LATERAL (
    SELECT count(*) AS total_contacts,
           count(*) FILTER (WHERE c.attempts > 0) AS dialed,
           count(*) FILTER (WHERE c.connected) AS connected,
           count(*) FILTER (WHERE 'interested' = ANY (c.outcomes)) AS interested,
           count(*) FILTER (WHERE 'qualified' = ANY (c.outcomes)) AS qualified,
           count(*) FILTER (WHERE 'meeting_set' = ANY (c.outcomes)) AS meetings_set,
           count(*) FILTER (WHERE 'disqualified' = ANY (c.outcomes)) AS disqualified
    FROM dialer.session_contacts c
    WHERE c.session_id = s.id
) sc
CROSS JOIN LATERAL (
    SELECT count(*) AS calls,
           coalesce(sum(a.duration_seconds) FILTER (WHERE dialer.call_connected(a.connected, a.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce((SELECT jsonb_object_agg(d.disposition, d.calls)
                     FROM (SELECT min(btrim(a2.disposition)) AS disposition, count(*) AS calls
                           FROM dialer.call_activity a2
                           WHERE a2.session_id = s.id AND a2.disposition IS NOT NULL
                           GROUP BY lower(btrim(a2.disposition))) d), '{}') AS dispositions,
           coalesce((SELECT jsonb_object_agg(o.outcome, o.calls)
                     FROM (SELECT a3.outcome, count(*) AS calls
                           FROM dialer.call_activity a3
                           WHERE a3.session_id = s.id AND a3.outcome IS NOT NULL
                           GROUP BY a3.outcome) o), '{}') AS outcomes
    FROM dialer.call_activity a
    WHERE a.session_id = s.id
) calls
ORDER BY s.last_activity_at DESC NULLS LAST, s.id DESC;

COMMENT ON VIEW dialer.session_stats IS
'The Session Tracking Dashboard and a session''s Performance panel: total contacts, dialed, connected, interested, qualified, meetings set, disqualified, connection rate (% of dialed), calls, talk time, last activity and by whom, stored status and derived activity_status, calls by disposition and by outcome. All sessions, archived included; most recently active first.';

CREATE VIEW dialer.session_activity AS
SELECT a.* FROM (
    SELECT c.session_id,
           coalesce(c.started_at, c.ended_at, c.created_at) AS occurred_at,
           'call'::text AS kind,
           coalesce(c.agent_name, c.agent_id) AS actor,
           format('%s called %s', coalesce(c.agent_name, c.agent_id, 'Someone'),
                  coalesce(p.name || coalesce(' (' || p.company || ')', ''),
                           'contact ' || c.contact_id, 'an unmatched contact')) AS description,
           concat_ws(' • ',
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) THEN 'Connected' ELSE 'Not connected' END,
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) AND c.duration_seconds IS NOT NULL
                          THEN format('%s:%s talk time', c.duration_seconds / 60,
                                      lpad((c.duration_seconds % 60)::text, 2, '0')) END,
                     c.disposition) AS detail,
           c.contact_id,
           p.name AS contact_name,
           p.company,
           c.call_id,
           NULL::bigint AS job_id,
           dialer.call_connected(c.connected, c.outcome) AS connected,
           c.duration_seconds,
           c.disposition,
           c.outcome,
           c.notes,
           c.recording_url
    FROM dialer.call_activity c
    LEFT JOIN LATERAL (
        SELECT nullif(concat_ws(' ', i.payload ->> 'first_name', i.payload ->> 'last_name'), '') AS name,
               i.payload ->> 'company' AS company
        FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = c.contact_id
        WHERE j.session_id = c.session_id
        ORDER BY j.id DESC
        LIMIT 1
    ) p ON true
    WHERE c.session_id IS NOT NULL
    UNION ALL
    SELECT j.session_id, j.requested_at, j.kind, j.requested_by,
           format('%s %s %s contact%s', j.requested_by,
                  CASE j.kind WHEN 'push' THEN 'pushed' ELSE 'launched' END,
                  j.total, CASE WHEN j.total = 1 THEN '' ELSE 's' END),
           j.status || coalesce(': ' || j.error, ''),
           NULL, NULL, NULL, NULL, j.id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.push_jobs j
    UNION ALL
    SELECT s.id, s.created_at, 'session', s.created_by, format('%s created the session', s.created_by), s.name,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.sessions s
    UNION ALL
    SELECT g.session_id, g.acted_at, 'session', g.acted_by,
           format('%s %s the session', g.acted_by, g.action),
           CASE g.action WHEN 'renamed' THEN format('"%s" → "%s"', g.detail ->> 'from', g.detail ->> 'to') END,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.session_changes g
    WHERE g.action NOT IN ('created', 'deleted')  -- creation comes from the session row itself
) a
ORDER BY a.occurred_at DESC, a.kind, a.call_id DESC, a.job_id DESC;

COMMENT ON VIEW dialer.session_activity IS
'The Session Detail Page''s Recent Activity, newest first: calls (who called whom, connected, talk time, disposition, notes, recording), pushes and launches, and session changes, with a ready-made description and detail line.';

-- The spec's [Export] on the Session Detail Page, for
--   COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER)
CREATE FUNCTION dialer.session_export(session_id bigint)
RETURNS TABLE (contact_id text, first_name text, last_name text, company text, title text, phone text,
               email text, status text, last_call_at timestamptz, last_disposition text, last_outcome text,
               last_agent text, attempts integer, connected boolean, talk_time_seconds integer,
               last_notes text, last_recording_url text, phoneburner_contact_id text)
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM dialer.sessions s WHERE s.id = session_export.session_id) THEN
        RAISE EXCEPTION 'session % does not exist', coalesce(session_export.session_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT c.contact_id, c.first_name, c.last_name, c.company, c.title, c.phone, c.email, c.status,
           c.last_call_at, c.last_disposition, c.last_outcome, c.last_agent, c.attempts, c.connected,
           c.talk_time_seconds, c.last_notes, c.last_recording_url, c.phoneburner_contact_id
    FROM dialer.session_contacts c
    WHERE c.session_id = session_export.session_id
    ORDER BY c.attempts = 0, c.last_call_at DESC, c.name, c.contact_id;  -- as on the page
END
$$;

COMMENT ON FUNCTION dialer.session_export(bigint) IS
'A session''s contacts as the Detail Page''s [Export] gives them, in its order: for COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER). 22023 for an unknown session.';

-- ==========================================================================
-- extension/sql/16_daemon_api_jobs.sql
-- ==========================================================================

-- The daemon's API for jobs: pgdialer-sync claims, works and finishes push
-- and launch jobs only through these functions; it holds no business SQL.
-- A worker id names one daemon process (host/pid/random); every write after
-- the claim checks that worker still holds the lease, and a worker that lost
-- it writes nothing.
--
-- Used by: the daemon only (dialer.claim_push_job, renew_push_lease,
-- release_push_job, fail_push_attempt, finish_push_job, set_push_step,
-- set_session_folder, push_job_session, push_job_items, record_push_item,
-- job_counts, prepare_launch, launch_batches, launch_batch_contacts,
-- record_dial_session); the _-prefixed ones are its internals.
--
-- A job's life, each step decided here and nowhere else:
--   queued --claim--> running --finish--> succeeded | partially_failed | failed | cancelled
--   running --release (shutdown: the attempt is given back)--> queued
--   running --failed attempt--> queued after a backoff while attempts are
--     left, else closed (dialer._retry_in is the rule; a daemon that dies
--     fails its attempt when its lease expires).
-- The statuses are push_jobs' CHECK (06_queue_tables.sql); the daemon's
-- copies of them are tested against it.

-- ---------------------------------------------------------------------------
-- Leases
-- ---------------------------------------------------------------------------

-- The lease predicate, written once: the job is running under worker's lease.
-- Takes the row, so a locking caller's recheck (READ COMMITTED re-reads a
-- row another transaction changed while it waited) sees the current owner.
CREATE FUNCTION dialer._leased_by(job dialer.push_jobs, worker text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$ SELECT job.status = 'running' AND job.lease_owner = worker $$;

-- Whether worker holds the job's lease, for reads that lock nothing.
CREATE FUNCTION dialer._holds_lease(job_id bigint, worker text)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (SELECT FROM dialer.push_jobs j
                   WHERE j.id = _holds_lease.job_id AND dialer._leased_by(j, _holds_lease.worker))
$$;

-- The job locked for a write, if worker holds its lease; otherwise NULL (all
-- fields null: test .id), and the caller writes nothing. Every write of the
-- daemon API after the claim goes through it.
CREATE FUNCTION dialer._lock_leased_job(job_id bigint, worker text)
RETURNS dialer.push_jobs
LANGUAGE sql
AS $$
    SELECT j.* FROM dialer.push_jobs j
    WHERE j.id = _lock_leased_job.job_id AND dialer._leased_by(j, _lock_leased_job.worker)
    FOR UPDATE
$$;

-- The retry rule, written once: how long until a job whose attempt failed
-- runs again, or NULL when it is out of attempts and must be closed. The
-- caller may know better how long to wait (`retry_in`: PhoneBurner refused
-- the token, or a lease already expired); otherwise the backoff grows with
-- the square of the attempts: 5 s, 20 s, 45 s, ... at most 10 minutes.
CREATE FUNCTION dialer._retry_in(job dialer.push_jobs, retry_in interval DEFAULT NULL)
RETURNS interval
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN job.attempts < job.max_attempts
                THEN coalesce(retry_in, make_interval(secs => least(600, 5 * job.attempts * job.attempts)))
           END
$$;

-- ---------------------------------------------------------------------------
-- Claims and pushes
-- ---------------------------------------------------------------------------

-- Claim the next job: a queued one whose time has come, or a running one
-- whose lease expired (its daemon died). SKIP LOCKED lets several daemons
-- share the queue without waiting on each other.
CREATE FUNCTION dialer.claim_push_job(worker text, lease_seconds integer DEFAULT 30)
RETURNS SETOF dialer.push_jobs
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stranded dialer.push_jobs;
BEGIN
    -- Login links are one-time and short-lived: drop expired ones as we pass.
    UPDATE dialer.dial_sessions d SET login_link = NULL
    WHERE d.login_link IS NOT NULL AND d.link_expires_at <= now();

    -- A job whose lease expired failed that attempt (its daemon died or
    -- hung). With attempts left it is taken over at once below (the expired
    -- lease was the wait); otherwise it is closed rather than claimed again
    -- forever (e.g. a job that crashes its worker every time). A launch
    -- batch left 'sending' may have been created: it becomes 'unknown' and
    -- is never re-sent.
    FOR stranded IN
        SELECT * FROM dialer.push_jobs c
        WHERE c.status = 'running' AND c.lease_expires_at < clock_timestamp()
          AND dialer._retry_in(c, interval '0') IS NULL
        ORDER BY c.id
        FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE dialer.dial_sessions d
        SET status = 'unknown', updated_at = now(),
            error = 'the daemon stopped while creating this dial session: check PhoneBurner before launching again'
        WHERE d.job_id = stranded.id AND d.status = 'sending';
        PERFORM dialer._close_job(stranded, format(
            'gave up after %s attempts: the daemon working on it (%s) stopped before finishing',
            stranded.attempts, stranded.lease_owner), interrupted => true);
    END LOOP;

    -- One job per session at a time, in the order they were enqueued: a
    -- job waits while an earlier job of its session is open (queued, backing
    -- off or running). Run side by side, two pushes into one session would
    -- each find a contact missing from the folder and create it twice, or
    -- each make the session a folder. Safe under concurrent claims: an
    -- earlier job stops blocking only once its final status is committed.
    RETURN QUERY
    UPDATE dialer.push_jobs j
    SET status = 'running', lease_owner = claim_push_job.worker,
        lease_expires_at = clock_timestamp() + make_interval(secs => claim_push_job.lease_seconds),
        attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
        step = coalesce(j.step, 'Queued')
    WHERE j.id = (
        SELECT c.id FROM dialer.push_jobs c
        WHERE ((c.status = 'queued' AND c.run_at <= clock_timestamp())
               OR (c.status = 'running' AND c.lease_expires_at < clock_timestamp()
                   AND dialer._retry_in(c, interval '0') IS NOT NULL))
          AND NOT EXISTS (SELECT FROM dialer.push_jobs e
                          WHERE e.session_id = c.session_id AND e.id < c.id
                            AND e.status IN ('queued', 'running'))
        ORDER BY c.run_at, c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING j.*;
END
$$;

COMMENT ON FUNCTION dialer.claim_push_job(text, integer) IS
'Daemon: claim one queued job (or one whose lease expired and has attempts left) for worker, leased for lease_seconds; a session''s jobs run one at a time, in order. No row when there is nothing to do. Closes expired jobs with no attempts left.';

-- Renew the lease. Returns the job's status as the daemon should see it:
-- 'running' to go on, 'cancel' when a cancel was requested, NULL when the
-- lease was lost (another daemon took over) and the daemon must stop writing.
CREATE FUNCTION dialer.renew_push_lease(job_id bigint, worker text, lease_seconds integer DEFAULT 30)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(renew_push_lease.job_id, renew_push_lease.worker);
BEGIN
    IF job.id IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE dialer.push_jobs j
    SET lease_expires_at = clock_timestamp() + make_interval(secs => renew_push_lease.lease_seconds)
    WHERE j.id = job.id;
    RETURN CASE WHEN job.cancel_requested THEN 'cancel' ELSE 'running' END;
END
$$;

-- What the step text says, published at each change.
CREATE FUNCTION dialer.set_push_step(job_id bigint, worker text, step text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(set_push_step.job_id, set_push_step.worker);
BEGIN
    IF job.id IS NULL THEN
        RETURN false;
    END IF;
    IF job.step IS DISTINCT FROM set_push_step.step THEN
        UPDATE dialer.push_jobs j SET step = set_push_step.step WHERE j.id = job.id;
        PERFORM dialer._notify_progress(job.id);
    END IF;
    RETURN true;
END
$$;

-- The session's PhoneBurner folder, committed before the first contact write.
CREATE FUNCTION dialer.set_session_folder(job_id bigint, worker text, folder_id text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT dialer._holds_lease(set_session_folder.job_id, set_session_folder.worker) THEN
        RETURN false;
    END IF;
    -- The folder lives in the account of the job's credential from now on.
    UPDATE dialer.sessions s
    SET phoneburner_folder_id = set_session_folder.folder_id, phoneburner_credential = j.phoneburner_credential
    FROM dialer.push_jobs j
    WHERE j.id = set_session_folder.job_id AND s.id = j.session_id
      AND (s.phoneburner_folder_id, s.phoneburner_credential)
          IS DISTINCT FROM (set_session_folder.folder_id, j.phoneburner_credential);
    RETURN true;
END
$$;

-- The items still to do, with the PhoneBurner contact already linked to the
-- session if any (update or skip instead of create).
CREATE FUNCTION dialer.push_job_items(job_id bigint, worker text,
                                      after_position integer DEFAULT 0, max_items integer DEFAULT NULL)
RETURNS TABLE (list_position integer, contact_id text, payload jsonb, status text,
               phoneburner_contact_id text, attempts integer)
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    -- Paged by list position so a daemon holds one page of payloads at a
    -- time, however long the list.
    SELECT i.list_position, i.contact_id, i.payload, i.status,
           coalesce(i.phoneburner_contact_id, l.phoneburner_contact_id), i.attempts
    FROM dialer.push_items i
    JOIN dialer.push_jobs j ON j.id = i.job_id
    LEFT JOIN dialer.contact_links l ON l.session_id = j.session_id AND l.contact_id = i.contact_id
    WHERE i.job_id = push_job_items.job_id AND i.status IN ('pending', 'unknown')
      AND i.list_position > push_job_items.after_position
      AND dialer._holds_lease(push_job_items.job_id, push_job_items.worker)
    ORDER BY i.list_position
    LIMIT push_job_items.max_items
$$;

COMMENT ON FUNCTION dialer.push_job_items(bigint, text, integer, integer) IS
'Daemon: the job''s open items (pending or unknown) after list position after_position, at most max_items (NULL: all), while worker holds the lease.';

-- Record one item's outcome. created/updated link the contact to the
-- session. Progress is published each time another 10% is done.
CREATE FUNCTION dialer._record_push_item(job_id bigint, worker text, list_position integer,
                                         status text, phoneburner_contact_id text DEFAULT NULL,
                                         error text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    item      dialer.push_items;
    job       dialer.push_jobs;
    was_final boolean;
    linked_now boolean;
    is_final  boolean := _record_push_item.status IN ('created', 'updated', 'skipped', 'failed');
BEGIN
    IF _record_push_item.status NOT IN ('pending', 'created', 'updated', 'skipped', 'failed', 'unknown') THEN
        RAISE EXCEPTION 'unknown item status "%"', _record_push_item.status USING ERRCODE = '22023';
    END IF;
    IF _record_push_item.status IN ('created', 'updated') AND _record_push_item.phoneburner_contact_id IS NULL THEN
        RAISE EXCEPTION 'a % item needs its PhoneBurner contact id', _record_push_item.status USING ERRCODE = '22004';
    END IF;
    job := dialer._lock_leased_job(_record_push_item.job_id, _record_push_item.worker);
    IF job.id IS NULL THEN
        RETURN false;  -- lease lost: write nothing
    END IF;
    SELECT * INTO item FROM dialer.push_items i
    WHERE i.job_id = _record_push_item.job_id AND i.list_position = _record_push_item.list_position FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % has no item at position %', _record_push_item.job_id,
            _record_push_item.list_position USING ERRCODE = '22023';
    END IF;
    was_final := item.status IN ('created', 'updated', 'skipped', 'failed');

    UPDATE dialer.push_items i
    SET status = _record_push_item.status,
        phoneburner_contact_id = coalesce(_record_push_item.phoneburner_contact_id, i.phoneburner_contact_id),
        error = _record_push_item.error, attempts = i.attempts + 1, updated_at = now()
    WHERE i.job_id = _record_push_item.job_id AND i.list_position = _record_push_item.list_position;

    IF _record_push_item.status IN ('created', 'updated') THEN
        -- xmax = 0 only on a freshly inserted row: a new member of the session.
        INSERT INTO dialer.contact_links AS l (session_id, contact_id, phoneburner_contact_id)
        VALUES (job.session_id, item.contact_id, _record_push_item.phoneburner_contact_id)
        ON CONFLICT (session_id, contact_id) DO UPDATE
            SET phoneburner_contact_id = excluded.phoneburner_contact_id, last_synced_at = now()
        RETURNING l.xmax = 0 INTO linked_now;
        UPDATE dialer.sessions s
        SET contact_count = s.contact_count + CASE WHEN linked_now THEN 1 ELSE 0 END,
            last_activity_at = now()
        WHERE s.id = job.session_id;
        -- The spec's API flow writes the PhoneBurner id back to the contact:
        -- through the write-back hook (a failure is kept, not raised).
        PERFORM dialer._writeback(item.contact_id,
                                  jsonb_build_object('phoneburner_contact_id', _record_push_item.phoneburner_contact_id,
                                                     'phoneburner_last_sync_at', now()),
                                  push_job_id => job.id);
    END IF;

    IF is_final AND NOT was_final THEN
        UPDATE dialer.push_jobs j SET done = j.done + 1 WHERE j.id = job.id;
        IF floor(10.0 * (job.done + 1) / greatest(job.total, 1)) > floor(10.0 * job.done / greatest(job.total, 1)) THEN
            PERFORM dialer._notify_progress(job.id);
        END IF;
    END IF;
    RETURN true;
END
$$;

-- The daemon's call: record, then hand the write-back to the hook with the
-- daemon's rights (13_write_back.sql), in the same transaction.
CREATE FUNCTION dialer.record_push_item(job_id bigint, worker text, list_position integer,
                                        status text, phoneburner_contact_id text DEFAULT NULL,
                                        error text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    recorded boolean := dialer._record_push_item(job_id, worker, list_position, status,
                                                 phoneburner_contact_id, error);
BEGIN
    IF recorded AND status IN ('created', 'updated') THEN
        PERFORM dialer.apply_writebacks();
    END IF;
    RETURN recorded;
END
$$;

COMMENT ON FUNCTION dialer.record_push_item(bigint, text, integer, text, text, text) IS
'Daemon: record one item''s outcome (created, updated, skipped, failed, unknown) while holding the lease; false when the lease was lost and nothing was written.';

-- Close a job (locked by the caller): succeeded, partially_failed or failed
-- from its items, failed outright with `fail_job` (a precondition of the
-- whole push did not hold), or cancelled. Items a failed job never got to
-- say why: `failed` when the daemon knows it never sent them, `unknown` when
-- the job was `interrupted` (its daemon died, or stopped on an error while
-- requests were in flight) and a write may have landed unrecorded. Unknown
-- items make the session's next push read the folder back first.
CREATE FUNCTION dialer._close_job(job dialer.push_jobs, error text, fail_job boolean DEFAULT false,
                                  interrupted boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    ok        integer;
    bad       integer;
    open_     integer;
    abandoned integer := 0;
    outcome   text;
BEGIN
    IF _close_job.error IS NOT NULL AND NOT job.cancel_requested THEN
        UPDATE dialer.push_items i
        SET status = CASE WHEN _close_job.interrupted THEN 'unknown' ELSE 'failed' END,
            error = CASE WHEN _close_job.interrupted THEN 'Not confirmed: ' ELSE 'Not pushed: ' END
                    || _close_job.error,
            updated_at = now()
        WHERE i.job_id = job.id AND i.status = 'pending';
        GET DIAGNOSTICS abandoned = ROW_COUNT;
        IF _close_job.interrupted THEN
            abandoned := 0;  -- unknown is not a final status
        END IF;
    END IF;
    SELECT count(*) FILTER (WHERE i.status IN ('created', 'updated', 'skipped')),
           count(*) FILTER (WHERE i.status = 'failed'),
           count(*) FILTER (WHERE i.status IN ('pending', 'unknown'))
    INTO ok, bad, open_
    FROM dialer.push_items i WHERE i.job_id = job.id;
    outcome := CASE
        WHEN job.cancel_requested THEN 'cancelled'
        WHEN _close_job.fail_job THEN 'failed'
        WHEN _close_job.error IS NOT NULL AND ok = 0 THEN 'failed'
        WHEN _close_job.error IS NOT NULL OR bad > 0 OR open_ > 0 THEN
            CASE WHEN ok > 0 THEN 'partially_failed' ELSE 'failed' END
        ELSE 'succeeded' END;
    UPDATE dialer.push_jobs j
    SET status = outcome, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(),
        done = j.done + abandoned, error = coalesce(_close_job.error, j.error),
        step = CASE outcome WHEN 'succeeded' THEN 'Done' WHEN 'cancelled' THEN 'Cancelled' ELSE 'Finished with errors' END
    WHERE j.id = job.id;
    PERFORM dialer._notify_progress(job.id);
    -- The spec's auto-start: launch once the contacts are in PhoneBurner.
    IF job.kind = 'push' AND coalesce((job.options ->> 'auto_launch')::boolean, false)
       AND outcome IN ('succeeded', 'partially_failed') THEN
        PERFORM dialer._enqueue_launch(job.session_id, (job.options ->> 'min_days')::integer,
                                       job.requested_by, job.id);
    END IF;
    RETURN outcome;
END
$$;

-- Finish the job while still holding the lease.
CREATE FUNCTION dialer.finish_push_job(job_id bigint, worker text, error text DEFAULT NULL,
                                       fail_job boolean DEFAULT false, interrupted boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(finish_push_job.job_id, finish_push_job.worker);
BEGIN
    IF job.id IS NULL THEN
        RETURN NULL;  -- lease lost: someone else finishes it
    END IF;
    RETURN dialer._close_job(job, finish_push_job.error, finish_push_job.fail_job, finish_push_job.interrupted);
END
$$;

COMMENT ON FUNCTION dialer.finish_push_job(bigint, text, text, boolean, boolean) IS
'Daemon: finish the job while holding the lease; returns its final status, or NULL when the lease was lost. fail_job: failed whatever the items say. interrupted: open items may have been written (they become unknown, not failed).';

-- Put a locked job back in the queue to run after `wait`; NULL `wait`
-- gives the attempt back too (a shutdown is nobody's failure).
CREATE FUNCTION dialer._requeue_job(job dialer.push_jobs, error text, wait interval)
RETURNS void
LANGUAGE sql
AS $$
    UPDATE dialer.push_jobs j
    SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL,
        attempts = CASE WHEN _requeue_job.wait IS NULL THEN greatest(j.attempts - 1, 0) ELSE j.attempts END,
        run_at = clock_timestamp() + coalesce(_requeue_job.wait, interval '0'),
        error = coalesce(_requeue_job.error, j.error),
        step = CASE WHEN _requeue_job.wait IS NULL THEN j.step ELSE 'Waiting to retry' END
    WHERE j.id = (_requeue_job.job).id
$$;

-- Give a job back without spending an attempt (graceful shutdown), or
-- hold it back `retry_in` whatever its attempts (PhoneBurner refused the
-- token: not the job's failure). A failed attempt goes through
-- dialer.fail_push_attempt instead.
CREATE FUNCTION dialer.release_push_job(job_id bigint, worker text, error text DEFAULT NULL,
                                        retry_in interval DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(release_push_job.job_id, release_push_job.worker);
BEGIN
    IF job.id IS NULL THEN
        RETURN NULL;  -- lease lost
    END IF;
    PERFORM dialer._requeue_job(job, release_push_job.error, release_push_job.retry_in);
    RETURN true;
END
$$;

-- An attempt failed (PhoneBurner unreachable after its retries, a database
-- error, a bug): the job runs again after the backoff (or `retry_in`) while
-- it has attempts left, else it is closed as dialer.finish_push_job would
-- with `error`, `fail_job` and `interrupted`.
CREATE FUNCTION dialer.fail_push_attempt(job_id bigint, worker text, error text,
                                         retry_in interval DEFAULT NULL, fail_job boolean DEFAULT false,
                                         interrupted boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job  dialer.push_jobs := dialer._lock_leased_job(fail_push_attempt.job_id, fail_push_attempt.worker);
    wait interval;
BEGIN
    IF job.id IS NULL THEN
        RETURN NULL;  -- lease lost: someone else decides
    END IF;
    wait := dialer._retry_in(job, fail_push_attempt.retry_in);
    IF wait IS NULL THEN
        RETURN dialer._close_job(job, fail_push_attempt.error, fail_push_attempt.fail_job,
                                 fail_push_attempt.interrupted);
    END IF;
    PERFORM dialer._requeue_job(job, fail_push_attempt.error, wait);
    RETURN 'retrying';
END
$$;

COMMENT ON FUNCTION dialer.fail_push_attempt(bigint, text, text, interval, boolean, boolean) IS
'Daemon: an attempt of the job failed with error. Returns ''retrying'' when the job runs again (after retry_in, or the backoff), its final status when it was out of attempts and is closed (fail_job and interrupted as for finish_push_job), or NULL when the lease was lost.';

-- The whole queue by kind and status: the daemon's /metrics (pgdialer_queue_jobs).
CREATE FUNCTION dialer.job_counts(OUT kind text, OUT status text, OUT jobs bigint)
RETURNS SETOF record
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT j.kind, j.status, count(*) FROM dialer.push_jobs j GROUP BY j.kind, j.status ORDER BY 1, 2
$$;

-- The session a claimed job writes into: its id, name and PhoneBurner folder.
CREATE FUNCTION dialer.push_job_session(job_id bigint, worker text,
    OUT session_id bigint, OUT session_name text, OUT phoneburner_folder_id text,
    OUT update_existing boolean, OUT unknown_items integer, OUT session_description text)
RETURNS SETOF record
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    -- unknown_items: writes into this session, by this job or an earlier
    -- one, whose outcome was lost and that no later write resolved; the
    -- daemon reads the folder back before writing anything when there are any.
    SELECT s.id, s.name, s.phoneburner_folder_id, coalesce((j.options ->> 'update_existing')::boolean, true),
           (SELECT count(*)::integer
            FROM dialer.push_jobs sj JOIN dialer.push_items i ON i.job_id = sj.id
            WHERE sj.session_id = s.id AND sj.kind = 'push' AND i.status = 'unknown'
              AND NOT EXISTS (SELECT FROM dialer.contact_links l
                              WHERE l.session_id = s.id AND l.contact_id = i.contact_id)),
           s.description
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.id = push_job_session.job_id AND dialer._holds_lease(push_job_session.job_id, push_job_session.worker)
$$;

-- ---------------------------------------------------------------------------
-- Launches (jobs of kind 'launch', see 08_launch.sql)
-- ---------------------------------------------------------------------------

-- Daemon: re-check the session's contacts now, from the configured contact
-- relation, and split those that pass into batches of 500. Contacts whose
-- exclusion was overridden in this session for the same reason stay in.
-- Returns the number of contacts to launch (the stored batches on a later
-- attempt), or NULL when the lease was lost. The contact relation is the
-- app's: it is read here with the caller's rights (the daemon's role), never
-- the extension owner's; the steps before and after are definer functions.
CREATE FUNCTION dialer.prepare_launch(job_id bigint, worker text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    plan     record;
    relation regclass;
    verdicts dialer.list_verdict[];
BEGIN
    SELECT * INTO plan FROM dialer._launch_plan(job_id, worker);
    IF plan.leased_job IS NULL OR plan.prepared IS NOT NULL THEN
        RETURN plan.prepared;  -- lease lost (NULL), or prepared by an earlier attempt
    END IF;
    relation := dialer._contact_relation('launch');
    EXECUTE format(
        'SELECT coalesce(array_agg(v ORDER BY v.list_position), ''{}'')
         FROM dialer.classify_list(ARRAY(SELECT c FROM %s c
                                         JOIN unnest($1::text[], $2::integer[]) AS l(id, linked) ON l.id = c.id::text
                                         ORDER BY l.linked, c.id), $3) AS v', relation)
    INTO verdicts
    USING plan.contact_ids, plan.link_order, plan.classify_options;
    RETURN dialer._store_launch(job_id, worker, verdicts);
END
$$;

COMMENT ON FUNCTION dialer.prepare_launch(bigint, text) IS
'Daemon: re-check a launch job''s contacts against the rules, reading the contact relation with the caller''s rights, and split those that pass into batches of at most 500. Returns the number to launch, or NULL when the lease was lost.';

-- The launch's session contacts with the order they were linked in (equal
-- for one push's contacts, which then go by id), and the rules' options; or
-- `prepared`, the stored total, when an earlier attempt prepared it.
CREATE FUNCTION dialer._launch_plan(job_id bigint, worker text, OUT leased_job bigint, OUT prepared integer,
                                    OUT contact_ids text[], OUT link_order integer[], OUT classify_options jsonb)
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(_launch_plan.job_id, _launch_plan.worker);
BEGIN
    IF job.id IS NULL THEN
        RETURN;
    END IF;
    IF job.kind <> 'launch' THEN
        RAISE EXCEPTION 'job % is not a launch job', job.id USING ERRCODE = '22023';
    END IF;
    leased_job := job.id;
    IF EXISTS (SELECT FROM dialer.dial_sessions d WHERE d.job_id = job.id) THEN
        prepared := job.total;
        RETURN;
    END IF;
    SELECT coalesce(array_agg(l.contact_id), '{}'), coalesce(array_agg(l.linked), '{}')
    INTO contact_ids, link_order
    FROM (SELECT k.contact_id, dense_rank() OVER (ORDER BY k.created_at)::integer AS linked
          FROM dialer.contact_links k WHERE k.session_id = job.session_id) l;
    classify_options := jsonb_strip_nulls(jsonb_build_object('min_days', job.options -> 'min_days'));
END
$$;

-- Store the re-checked verdicts as the launch's items and batches.
CREATE FUNCTION dialer._store_launch(job_id bigint, worker text, verdicts dialer.list_verdict[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job    dialer.push_jobs := dialer._lock_leased_job(_store_launch.job_id, _store_launch.worker);
    linked integer;
    n      integer;
BEGIN
    IF job.id IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM dialer.dial_sessions d WHERE d.job_id = job.id) THEN
        RETURN job.total;
    END IF;
    SELECT count(*) INTO linked FROM dialer.contact_links l WHERE l.session_id = job.session_id;

    WITH kept AS (
        SELECT v.*, row_number() OVER (ORDER BY v.list_position)::integer AS position
        FROM unnest(verdicts) v
        WHERE v.category IS NULL
           OR (v.overridable AND EXISTS (
                   SELECT FROM dialer.overrides o JOIN dialer.push_jobs p ON p.id = o.job_id
                   WHERE p.session_id = job.session_id AND o.contact_id = v.contact_id
                     AND o.category = v.category))
    )
    INSERT INTO dialer.push_items (job_id, list_position, contact_id, payload, exclusion, phoneburner_contact_id)
    SELECT job.id, k.position, k.contact_id,
           dialer._with_session_name(k.payload, (SELECT s.name FROM dialer.sessions s WHERE s.id = job.session_id)),
           CASE WHEN k.category IS NOT NULL THEN ROW(k.category, k.reason, k.overridable)::dialer.exclusion END,
           l.phoneburner_contact_id
    FROM kept k
    JOIN dialer.contact_links l ON l.session_id = job.session_id AND l.contact_id = k.contact_id;
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO dialer.dial_sessions (job_id, batch, first_position, last_position, contact_count)
    SELECT job.id, (i.list_position - 1) / 500 + 1, min(i.list_position), max(i.list_position), count(*)
    FROM dialer.push_items i WHERE i.job_id = job.id
    GROUP BY (i.list_position - 1) / 500 + 1;

    UPDATE dialer.push_jobs j
    SET total = n,
        excluded = dialer._excluded_by_category(
                       verdicts, ARRAY(SELECT i.contact_id FROM dialer.push_items i WHERE i.job_id = job.id))
                   || jsonb_build_object('not_found', linked - cardinality(verdicts))
    WHERE j.id = job.id;
    RETURN n;
END
$$;

-- Daemon: the batches of a launch job (after dialer.prepare_launch).
CREATE FUNCTION dialer.launch_batches(job_id bigint, worker text)
RETURNS TABLE (batch integer, batch_count integer, status text, first_position integer,
               last_position integer, contact_count integer, session_id bigint, session_name text)
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT d.batch, count(*) OVER ()::integer, d.status, d.first_position, d.last_position, d.contact_count,
           s.id, s.name
    FROM dialer.dial_sessions d
    JOIN dialer.push_jobs j ON j.id = d.job_id
    JOIN dialer.sessions s ON s.id = j.session_id
    WHERE d.job_id = launch_batches.job_id AND dialer._holds_lease(launch_batches.job_id, launch_batches.worker)
    ORDER BY d.batch
$$;

-- Daemon: the contacts of one batch, in order, with the payload read at launch.
CREATE FUNCTION dialer.launch_batch_contacts(job_id bigint, worker text, batch integer)
RETURNS TABLE (contact_id text, payload jsonb)
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT i.contact_id, i.payload
    FROM dialer.dial_sessions d
    JOIN dialer.push_items i ON i.job_id = d.job_id
                            AND i.list_position BETWEEN d.first_position AND d.last_position
    WHERE d.job_id = launch_batch_contacts.job_id AND d.batch = launch_batch_contacts.batch
      AND dialer._holds_lease(launch_batch_contacts.job_id, launch_batch_contacts.worker)
    ORDER BY i.list_position
$$;

-- Daemon: record a batch's state. 'sending' is committed before the request
-- goes out, so a batch found 'sending' by a later attempt is never re-sent;
-- it becomes 'unknown'. 'pending' puts a batch back (the request was never
-- sent or was refused before PhoneBurner acted). created/unknown/failed are
-- final and set the batch's items alike.
CREATE FUNCTION dialer.record_dial_session(job_id bigint, worker text, batch integer, status text,
                                           phoneburner_dial_session_id text DEFAULT NULL,
                                           skipped_contact_count integer DEFAULT NULL,
                                           login_link text DEFAULT NULL, error text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job    dialer.push_jobs;
    d      dialer.dial_sessions;
    closed integer;
BEGIN
    IF record_dial_session.status NOT IN ('pending', 'sending', 'created', 'unknown', 'failed') THEN
        RAISE EXCEPTION 'unknown dial session status "%"', record_dial_session.status USING ERRCODE = '22023';
    END IF;
    job := dialer._lock_leased_job(record_dial_session.job_id, record_dial_session.worker);
    IF job.id IS NULL THEN
        RETURN false;
    END IF;
    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = job.id AND s.batch = record_dial_session.batch FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'launch job % has no batch %', job.id, record_dial_session.batch USING ERRCODE = '22023';
    END IF;
    IF d.status IN ('created', 'unknown', 'failed') THEN
        RAISE EXCEPTION 'batch % of launch job % is already %', d.batch, job.id, d.status USING ERRCODE = '55000';
    END IF;

    UPDATE dialer.dial_sessions s
    SET status = record_dial_session.status,
        phoneburner_dial_session_id = record_dial_session.phoneburner_dial_session_id,
        skipped_contact_count = record_dial_session.skipped_contact_count,
        login_link = record_dial_session.login_link,
        link_expires_at = CASE WHEN record_dial_session.login_link IS NOT NULL THEN now() + interval '5 minutes' END,
        error = record_dial_session.error, updated_at = now()
    WHERE s.job_id = d.job_id AND s.batch = d.batch;

    IF record_dial_session.status IN ('created', 'unknown', 'failed') THEN
        -- PhoneBurner keeps the first contacts and skips the tail (never with
        -- batches of 500, but its count is what the rep sees).
        UPDATE dialer.push_items i
        SET status = CASE
                WHEN record_dial_session.status <> 'created' THEN record_dial_session.status
                WHEN i.list_position > d.last_position - coalesce(record_dial_session.skipped_contact_count, 0)
                    THEN 'skipped'
                ELSE 'created' END,
            error = CASE
                WHEN record_dial_session.status <> 'created' THEN record_dial_session.error
                WHEN i.list_position > d.last_position - coalesce(record_dial_session.skipped_contact_count, 0)
                    THEN 'PhoneBurner skipped it (dial session full)' END,
            attempts = i.attempts + 1, updated_at = now()
        WHERE i.job_id = job.id AND i.list_position BETWEEN d.first_position AND d.last_position;
        SELECT count(*) INTO closed FROM dialer.push_items i
        WHERE i.job_id = job.id AND i.list_position BETWEEN d.first_position AND d.last_position
          AND i.status IN ('created', 'skipped', 'failed');
        UPDATE dialer.push_jobs j SET done = j.done + closed WHERE j.id = job.id;
        PERFORM dialer._notify_progress(job.id);
    END IF;
    RETURN true;
END
$$;

-- ==========================================================================
-- extension/sql/17_daemon_api_calls.sql
-- ==========================================================================

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

-- ==========================================================================
-- extension/sql/18_rep_time_zone.sql
-- ==========================================================================

-- Each rep's time zone, for what is "today" to them: the smart list
-- "Callback Due Today" and the filter language's on_date and relative dates
-- on date columns (19_filters.sql). A rep's day is theirs wherever the call
-- comes from (the app, a template the daemon runs with the rep's rights), so
-- it is kept on dialer.reps; a rep without one, and a caller who is not a
-- rep, get the session's TimeZone.
--
-- Used by: the filter language; admins and reps (dialer.set_rep_time_zone).

ALTER TABLE dialer.reps ADD COLUMN time_zone text;

COMMENT ON COLUMN dialer.reps.time_zone IS
'The rep''s IANA time zone (e.g. America/New_York) for "today" in smart lists and filters; NULL: the session TimeZone. Set with dialer.set_rep_time_zone.';

-- The acting rep's time zone, else the session's. A definer step: analysts
-- and PUBLIC compile filters without reading dialer.reps.
CREATE FUNCTION dialer.rep_time_zone()
RETURNS text
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT r.time_zone FROM dialer.reps r WHERE r.name = dialer.acting_user() AND r.active),
                    current_setting('TimeZone'))
$$;

COMMENT ON FUNCTION dialer.rep_time_zone() IS
'The acting rep''s time zone (dialer.reps.time_zone), else the session TimeZone.';

CREATE FUNCTION dialer.rep_today()
RETURNS date
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (now() AT TIME ZONE dialer.rep_time_zone())::date $$;

COMMENT ON FUNCTION dialer.rep_today() IS
'Today''s date in the acting rep''s time zone (dialer.rep_time_zone).';

-- The rep themself or an admin; NULL goes back to the session TimeZone.
CREATE FUNCTION dialer.set_rep_time_zone(rep text, time_zone text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before text;
BEGIN
    IF NOT dialer._is_admin() AND (dialer.current_rep()).name IS DISTINCT FROM set_rep_time_zone.rep THEN
        RAISE EXCEPTION 'only an admin may set another rep''s time zone' USING ERRCODE = '42501';
    END IF;
    SELECT r.time_zone INTO before FROM dialer.reps r WHERE r.name = set_rep_time_zone.rep FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'rep "%" does not exist', set_rep_time_zone.rep USING ERRCODE = '22023';
    END IF;
    IF time_zone IS NOT NULL AND NOT EXISTS (SELECT FROM pg_timezone_names z WHERE z.name = set_rep_time_zone.time_zone) THEN
        RAISE EXCEPTION 'unknown time zone "%"', time_zone USING ERRCODE = '22023',
            HINT = 'Use an IANA name such as America/New_York (SELECT name FROM pg_timezone_names).';
    END IF;
    UPDATE dialer.reps r SET time_zone = set_rep_time_zone.time_zone, updated_at = now()
    WHERE r.name = set_rep_time_zone.rep;
    PERFORM dialer._audit('rep_changed', 'rep', set_rep_time_zone.rep, details => jsonb_build_object(
        'from', jsonb_build_object('time_zone', before), 'to', jsonb_build_object('time_zone', time_zone)));
END
$$;

COMMENT ON FUNCTION dialer.set_rep_time_zone(text, text) IS
'Set a rep''s time zone (an IANA name; NULL: the session TimeZone): the rep themself or an admin. Audited.';

-- ==========================================================================
-- extension/sql/19_filters.sql
-- ==========================================================================

-- The filter language of segments (21_segments.sql): a jsonb tree, validated
-- when saved and compiled here to a parameterised WHERE clause over the
-- contact relation registered with dialer.configure. The language is
-- specified in docs/sql-reference.md ("The filter language").
--
--   {"and": [node, ...]}  {"or": [node, ...]}  {"not": node}
--   {"field": "engagement_score", "op": "gt", "value": 75}
--   {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 90}}
--   {"is_dialable": true}  {"never_contacted": true}  {"called_this_week": true}
--   {"called_within_days": 30}
--
-- No SQL text is ever stored or taken from the filter. Fields are a closed
-- list (the documented contact columns); each becomes c.<column> through
-- format('%I'); operators are a closed list mapped to fixed SQL; every value
-- travels as an element of one text[] parameter ($1) and is cast to the
-- column's own type (format_type from the catalogue), so a value can never
-- become SQL and an index on the column applies.
--
-- Why PL/pgSQL and not a C++ core: the compiler's whole job is catalogue
-- lookups (the relation's columns and types), identifier quoting and binding
-- values, which format('%I'), format_type and EXECUTE ... USING do directly;
-- a C++ core would need all of that handed in and an SPI layer to bind a
-- variable number of parameters, for no gain in safety. The statement runs
-- as a one-shot plan with the parameter's value known (PL/pgSQL marks USING
-- values constant), so each run gets a custom plan and the planner folds
-- ($1[k])::type into a constant where the cast is immutable (numbers, text):
-- the same plan as the filter written by hand. Casts to timestamptz and date
-- are STABLE: the planner estimates with their values, but the executor
-- parses them again on every row it filters (a known cost on full scans).
--
-- Used by: 21_segments.sql (validate when saved, compile when run),
-- 22_entry_points.sql; analysts (dialer.validate_filter, dialer.filter_sql).

-- The fields a filter may name, and what kind of value each takes.
--   text     strings       id    string or number
--   number   numbers       bool  true/false
--   time     a date/timestamp string, or {"days_ago": N} / {"days_from_now": N}
--   list     arrays of strings (text[] columns)
CREATE FUNCTION dialer.filter_fields()
RETURNS TABLE (field text, kind text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('id', 'id'),
           ('contact_type', 'text'), ('first_name', 'text'), ('last_name', 'text'), ('company', 'text'),
           ('title', 'text'), ('email', 'text'), ('phone', 'text'), ('phone_e164', 'text'),
           ('address_line1', 'text'), ('city', 'text'), ('state', 'text'), ('zip', 'text'),
           ('do_not_call', 'bool'), ('do_not_call_reason', 'text'), ('do_not_call_source', 'text'),
           ('suppressed', 'bool'), ('phone_number_invalid', 'bool'), ('phone_invalid_reason', 'text'),
           ('last_call_attempt_at', 'time'), ('last_contact_method', 'text'), ('last_contact_outcome', 'text'),
           ('buyer_type', 'text'), ('aum', 'text'), ('fund_size', 'text'), ('target_ebitda_range', 'text'),
           ('target_industries', 'list'), ('target_geographies', 'list'),
           ('engagement_score', 'number'), ('relationship_strength', 'text'), ('active_deals_count', 'number'),
           ('last_deal_presented', 'text'), ('last_deal_outcome', 'text'), ('call_talking_points', 'text'),
           ('preferred_contact_time', 'text'), ('assistant_name', 'text'), ('assistant_phone', 'text'),
           ('contact_owner', 'text'), ('contact_source', 'text'), ('industry', 'text'),
           ('created_at', 'time'), ('next_action_type', 'text'), ('next_action_date', 'time'),
           ('last_disposition', 'text')
$$;

COMMENT ON FUNCTION dialer.filter_fields() IS
'The fields a segment filter may name (the documented contact columns) and the kind of value each takes: text, id, number, bool, time, list.';

-- The operators, and the kinds of field each applies to.
CREATE FUNCTION dialer._filter_operator_kinds(op text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE op
        WHEN 'eq' THEN '{text,id,number,bool,time}'
        WHEN 'ne' THEN '{text,id,number,bool,time}'
        WHEN 'lt' THEN '{text,number,time}'
        WHEN 'lte' THEN '{text,number,time}'
        WHEN 'gt' THEN '{text,number,time}'
        WHEN 'gte' THEN '{text,number,time}'
        WHEN 'in' THEN '{text,id,number}'
        WHEN 'not_in' THEN '{text,id,number}'
        WHEN 'contains' THEN '{text}'
        WHEN 'starts_with' THEN '{text}'
        WHEN 'has_any' THEN '{list}'
        WHEN 'has_all' THEN '{list}'
        WHEN 'is_null' THEN '{text,id,number,bool,time,list}'
        WHEN 'is_not_null' THEN '{text,id,number,bool,time,list}'
        WHEN 'on_date' THEN '{time}'
    END::text[]
$$;

-- 22023 with the filter's path in the detail.
CREATE FUNCTION dialer._filter_error(message text, path text, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '22023', DETAIL = format('At %s of the filter.', path),
        HINT = coalesce(hint, 'The filter language is in docs/sql-reference.md, "The filter language".');
END
$$;

-- One scalar value of a field, checked against its kind, as the text the
-- parameter carries. Relative dates become a timestamp (or a date, for a
-- date column) now; `column_type` is NULL when only validating.
CREATE FUNCTION dialer._filter_value(kind text, field text, value jsonb, column_type text, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    days jsonb;
    sign integer;
    moment timestamptz;
BEGIN
    IF value IS NULL OR jsonb_typeof(value) = 'null' THEN
        PERFORM dialer._filter_error(format('field "%s" needs a value', field), path,
                                     'Use the operators is_null and is_not_null for missing values.');
    END IF;
    IF kind = 'text' AND jsonb_typeof(value) = 'string'
       OR kind = 'id' AND jsonb_typeof(value) IN ('string', 'number')
       OR kind = 'number' AND jsonb_typeof(value) = 'number'
       OR kind = 'bool' AND jsonb_typeof(value) = 'boolean'
       OR kind = 'list' AND jsonb_typeof(value) = 'string' THEN
        -- When compiling, a value the column's type cannot take (an id "abc"
        -- for a bigint id) is the filter's error, not the query's.
        IF column_type IS NOT NULL AND kind IN ('text', 'id') THEN
            BEGIN
                EXECUTE format('SELECT ($1)::%s', CASE WHEN column_type LIKE '%[]' THEN 'text' ELSE column_type END)
                    USING value #>> '{}';
            EXCEPTION WHEN data_exception THEN
                PERFORM dialer._filter_error(format('value of field "%s" is not a valid %s: %s', field, column_type,
                                                    value::text), path);
            END;
        END IF;
        RETURN value #>> '{}';
    END IF;
    IF kind = 'time' AND jsonb_typeof(value) = 'string' THEN
        BEGIN
            PERFORM (value #>> '{}')::timestamptz;
        EXCEPTION WHEN data_exception THEN
            PERFORM dialer._filter_error(format('value of field "%s" is not a date or timestamp: %s',
                                                field, value::text), path);
        END;
        RETURN value #>> '{}';
    END IF;
    IF kind = 'time' AND jsonb_typeof(value) = 'object' THEN
        IF (SELECT count(*) FROM jsonb_object_keys(value)) = 1 AND (value ? 'days_ago' OR value ? 'days_from_now') THEN
            days := coalesce(value -> 'days_ago', value -> 'days_from_now');
            sign := CASE WHEN value ? 'days_ago' THEN -1 ELSE 1 END;
            IF jsonb_typeof(days) = 'number' AND (days #>> '{}')::numeric BETWEEN 0 AND 36500
               AND (days #>> '{}')::numeric = trunc((days #>> '{}')::numeric) THEN
                IF column_type = 'date' THEN
                    RETURN to_char(dialer.rep_today() + sign * (days #>> '{}')::integer, 'YYYY-MM-DD');
                END IF;
                moment := now() + sign * (days #>> '{}')::integer * interval '1 day';
                RETURN to_char(moment, 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
            END IF;
        END IF;
        PERFORM dialer._filter_error(format('value of field "%s" must be a date, or {"days_ago": N} or '
                                            '{"days_from_now": N} with N a whole number from 0 to 36500, not %s',
                                            field, value::text), path);
    END IF;
    PERFORM dialer._filter_error(format('value of field "%s" must be %s, not %s', field,
                                        CASE kind WHEN 'text' THEN 'a string' WHEN 'id' THEN 'a string or a number'
                                                  WHEN 'number' THEN 'a number' WHEN 'bool' THEN 'true or false'
                                                  WHEN 'list' THEN 'a string' ELSE 'a date' END,
                                        value::text), path);
    RETURN NULL;
END
$$;

-- The calendar day a value of on_date names, as 'YYYY-MM-DD': a date
-- string, or {"days_ago": N} / {"days_from_now": N} from the acting rep's
-- today.
CREATE FUNCTION dialer._filter_day(field text, value jsonb, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF jsonb_typeof(value) = 'string' THEN
        BEGIN
            RETURN to_char((value #>> '{}')::date, 'YYYY-MM-DD');
        EXCEPTION WHEN data_exception THEN
            NULL;
        END;
    ELSIF jsonb_typeof(value) = 'object' THEN
        RETURN dialer._filter_value('time', field, value, 'date', path);
    END IF;
    PERFORM dialer._filter_error(format('operator "on_date" of field "%s" takes a date, or {"days_ago": N} or '
                                        '{"days_from_now": N} ({"days_ago": 0} is today), not %s',
                                        field, coalesce(value::text, 'nothing')), path);
    RETURN NULL;
END
$$;

-- Midnight starting `day` in the acting rep's time zone, as a value of a
-- timestamp column's type: with the offset for timestamptz, the wall-clock
-- time for timestamp without time zone.
CREATE FUNCTION dialer._day_start(day date, column_type text)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN column_type = 'timestamp with time zone'
                THEN to_char(day::timestamp AT TIME ZONE dialer.rep_time_zone() AT TIME ZONE 'UTC',
                             'YYYY-MM-DD"T"HH24:MI:SS"+00"')
                ELSE to_char(day, 'YYYY-MM-DD') END
$$;

-- A LIKE pattern matching `value` literally.
CREATE FUNCTION dialer._like_literal(value text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT replace(replace(replace(value, '\', '\\'), '%', '\%'), '_', '\_') $$;

-- The walker: validates one node and, when `relation` is given, compiles it
-- to SQL over the row alias c, appending its values to `params` (the query's
-- $1, a text[]). With relation NULL it only validates (sql is NULL).
CREATE FUNCTION dialer._filter_sql(node jsonb, relation regclass, INOUT params text[], path text,
                                   depth integer, OUT sql text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    keys      text[];
    key       text;
    child     record;
    parts     text[] := '{}';
    part      text;
    field_name     text;
    op        text;
    kind      text;
    value     jsonb;
    col       text;
    col_type  text;   -- format_type of the column, e.g. integer, text[], timestamp with time zone
    is_array  boolean;
    is_integral_type boolean;
    param     text;   -- ($1[k])::type
    elements  text[];
    days      jsonb;
    last_call text;
    week_from text;
    week_to   text;
    compile   boolean := relation IS NOT NULL;
BEGIN
    IF depth > 32 THEN
        PERFORM dialer._filter_error('filter is nested too deeply (more than 32 levels)', path);
    END IF;
    IF node IS NULL OR jsonb_typeof(node) <> 'object' THEN
        PERFORM dialer._filter_error(format('a filter node must be a JSON object, not %s',
                                            coalesce(node::text, 'NULL')), path);
    END IF;
    keys := ARRAY(SELECT jsonb_object_keys(node) ORDER BY 1);

    -- and / or: a list of nodes (empty: every contact / none)
    IF keys = '{and}' OR keys = '{or}' THEN
        key := keys[1];
        IF jsonb_typeof(node -> key) <> 'array' THEN
            PERFORM dialer._filter_error(format('"%s" takes an array of filters', key), path);
        END IF;
        FOR child IN SELECT e, o FROM jsonb_array_elements(node -> key) WITH ORDINALITY AS x(e, o) LOOP
            SELECT f.params, f.sql INTO params, part
            FROM dialer._filter_sql(child.e, relation, params, format('%s.%s[%s]', path, key, child.o), depth + 1) f;
            parts := parts || part;
        END LOOP;
        IF compile THEN
            sql := CASE WHEN cardinality(parts) = 0 THEN CASE key WHEN 'and' THEN 'true' ELSE 'false' END
                        ELSE '(' || array_to_string(parts, CASE key WHEN 'and' THEN ' AND ' ELSE ' OR ' END) || ')' END;
        END IF;
        RETURN;
    END IF;
    IF keys = '{not}' THEN
        SELECT f.params, f.sql INTO params, part
        FROM dialer._filter_sql(node -> 'not', relation, params, path || '.not', depth + 1) f;
        sql := CASE WHEN compile THEN format('(NOT %s)', part) END;
        RETURN;
    END IF;

    -- The quick filters, on last_call_attempt_at and the rules.
    IF cardinality(keys) = 1 AND keys[1] IN ('is_dialable', 'never_contacted', 'called_this_week') THEN
        key := keys[1];
        IF jsonb_typeof(node -> key) <> 'boolean' THEN
            PERFORM dialer._filter_error(format('"%s" takes true or false', key), path);
        END IF;
        IF compile THEN
            IF key = 'is_dialable' THEN
                sql := 'dialer.is_dialable(c)';
            ELSE
                last_call := dialer._filter_column(relation, 'last_call_attempt_at', path);
                IF key = 'never_contacted' THEN
                    sql := format('c.%I IS NULL', 'last_call_attempt_at');
                ELSE
                    -- Monday 00:00 of this week and of the next, in the session time zone.
                    week_from := to_char(date_trunc('week', now()), 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
                    week_to := to_char(date_trunc('week', now()) + interval '7 days', 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
                    params := params || week_from || week_to;
                    sql := format('(c.%1$I >= ($1[%2$s])::%3$s AND c.%1$I < ($1[%4$s])::%3$s)', 'last_call_attempt_at',
                                  cardinality(params) - 1, last_call, cardinality(params));
                END IF;
            END IF;
            IF NOT (node ->> key)::boolean THEN
                sql := format('(NOT %s)', sql);
            END IF;
        END IF;
        RETURN;
    END IF;
    IF keys = '{called_within_days}' THEN
        days := node -> 'called_within_days';
        IF jsonb_typeof(days) <> 'number' OR (days #>> '{}')::numeric NOT BETWEEN 1 AND 36500
           OR (days #>> '{}')::numeric <> trunc((days #>> '{}')::numeric) THEN
            PERFORM dialer._filter_error('"called_within_days" takes a whole number of days from 1 to 36500', path);
        END IF;
        IF compile THEN
            last_call := dialer._filter_column(relation, 'last_call_attempt_at', path);
            params := params || dialer._filter_value('time', 'last_call_attempt_at',
                                                     jsonb_build_object('days_ago', days), last_call, path);
            sql := format('c.%I >= ($1[%s])::%s', 'last_call_attempt_at', cardinality(params), last_call);
        END IF;
        RETURN;
    END IF;

    -- {"field": ..., "op": ..., "value": ...}
    IF NOT (keys <@ '{field,op,value}' AND keys @> '{field,op}') THEN
        SELECT k INTO key FROM unnest(keys) k
        WHERE k NOT IN ('field', 'op', 'value', 'and', 'or', 'not', 'is_dialable', 'never_contacted',
                        'called_this_week', 'called_within_days')
        ORDER BY 1 LIMIT 1;
        IF key IS NOT NULL THEN
            PERFORM dialer._filter_error(format('unknown filter key "%s"', key), path);
        END IF;
        PERFORM dialer._filter_error(format('a filter node is one of {"and": [...]}, {"or": [...]}, {"not": {...}}, '
                                            '{"field", "op", "value"} or a quick filter, not one with the keys %s',
                                            coalesce(nullif(array_to_string(keys, ', '), ''), '(none)')), path);
    END IF;
    IF jsonb_typeof(node -> 'field') <> 'string' THEN
        PERFORM dialer._filter_error('"field" must be a string', path);
    END IF;
    IF jsonb_typeof(node -> 'op') <> 'string' THEN
        PERFORM dialer._filter_error('"op" must be a string', path);
    END IF;
    field_name := node ->> 'field';
    op := node ->> 'op';
    value := node -> 'value';
    SELECT f.kind INTO kind FROM dialer.filter_fields() f WHERE f.field = field_name;
    IF kind IS NULL THEN
        PERFORM dialer._filter_error(format('unknown filter field "%s"', field_name), path,
                                     'The fields are the contact columns of docs/sql-reference.md: SELECT * FROM dialer.filter_fields().');
    END IF;
    IF dialer._filter_operator_kinds(op) IS NULL THEN
        PERFORM dialer._filter_error(format('unknown filter operator "%s"', op), path,
                                     'The operators are eq, ne, lt, lte, gt, gte, in, not_in, contains, starts_with, has_any, has_all, on_date, is_null and is_not_null.');
    END IF;
    IF kind <> ALL (dialer._filter_operator_kinds(op)) THEN
        PERFORM dialer._filter_error(format('operator "%s" does not apply to field "%s" (%s)', op, field_name, kind), path);
    END IF;

    IF compile THEN
        col_type := dialer._filter_column(relation, field_name, path);
        is_array := col_type LIKE '%[]';
        IF kind = 'list' AND NOT is_array THEN
            RAISE EXCEPTION 'field "%" of % must be an array column to be filtered with "%", not %',
                field_name, relation, op, col_type USING ERRCODE = '42804';
        END IF;
        col := format('c.%I', field_name);
    END IF;

    IF op IN ('is_null', 'is_not_null') THEN
        IF value IS NOT NULL THEN
            PERFORM dialer._filter_error(format('operator "%s" takes no value', op), path);
        END IF;
        sql := CASE WHEN compile THEN format('%s %s', col, CASE op WHEN 'is_null' THEN 'IS NULL' ELSE 'IS NOT NULL' END) END;
        RETURN;
    END IF;

    IF op IN ('in', 'not_in', 'has_any', 'has_all') THEN
        IF op IN ('has_any', 'has_all') AND jsonb_typeof(value) = 'string' THEN
            value := jsonb_build_array(value);
        END IF;
        IF value IS NULL OR jsonb_typeof(value) <> 'array' OR jsonb_array_length(value) = 0 THEN
            PERFORM dialer._filter_error(format('operator "%s" takes a non-empty array of values', op), path);
        END IF;
        elements := ARRAY(SELECT dialer._filter_value(kind, field_name, e, col_type, format('%s.value[%s]', path, o))
                          FROM jsonb_array_elements(value) WITH ORDINALITY AS x(e, o) ORDER BY o);
        IF NOT compile THEN
            RETURN;
        END IF;
        -- One parameter element per value, each cast to the column's (element)
        -- type, in an ARRAY[...] as the parser makes of IN (a, b): a cast of
        -- the array's text form would go through array_in, which is only
        -- STABLE, so the planner would not fold it into a constant.
        param := format('ARRAY[%s]', (SELECT string_agg(format('($1[%s])::%s', cardinality(params) + o,
                                                               CASE WHEN is_array THEN 'text' ELSE col_type END), ', ')
                                      FROM generate_series(1, cardinality(elements)) o));
        IF is_array THEN
            param := format('%s::%s', param, col_type);
        END IF;
        params := params || elements;
        sql := CASE op
            WHEN 'in' THEN format('%s = ANY (%s)', col, param)
            WHEN 'not_in' THEN format('(%1$s IS NULL OR %1$s <> ALL (%2$s))', col, param)
            WHEN 'has_any' THEN format('%s && %s', col, param)
            ELSE format('%s @> %s', col, param) END;
        RETURN;
    END IF;

    -- on_date: the column falls on that calendar day. A relative value
    -- counts days from today in the acting rep's time zone (dialer.rep_today,
    -- 18_rep_time_zone.sql), {"days_ago": 0} being today; a timestamp column
    -- matches from that day's midnight to the next, in that time zone.
    IF op = 'on_date' THEN
        part := dialer._filter_day(field_name, value, path || '.value');
        IF compile THEN
            IF col_type = 'date' THEN
                params := params || part;
                sql := format('%s = ($1[%s])::date', col, cardinality(params));
            ELSE
                params := params || dialer._day_start(part::date, col_type) || dialer._day_start(part::date + 1, col_type);
                sql := format('(%1$s >= ($1[%2$s])::%3$s AND %1$s < ($1[%4$s])::%3$s)', col, cardinality(params) - 1,
                              col_type, cardinality(params));
            END IF;
        END IF;
        RETURN;
    END IF;

    IF op IN ('contains', 'starts_with') THEN
        part := dialer._filter_value(kind, field_name, value, col_type, path || '.value');
        IF compile THEN
            params := params || (CASE op WHEN 'contains' THEN '%' ELSE '' END || dialer._like_literal(part) || '%');
            sql := format('%s ILIKE ($1[%s])::text', col, cardinality(params));
        END IF;
        RETURN;
    END IF;

    -- eq, ne, lt, lte, gt, gte
    part := dialer._filter_value(kind, field_name, value, col_type, path || '.value');
    IF NOT compile THEN
        RETURN;
    END IF;
    params := params || part;
    -- A fractional number against an integer column compares as numeric (the
    -- column is widened), so 75.5 is not rounded; whole numbers keep the
    -- column's type, and its index.
    is_integral_type := col_type IN ('smallint', 'integer', 'bigint');
    param := format('($1[%s])::%s', cardinality(params),
                    CASE WHEN kind = 'number' AND is_integral_type AND part::numeric <> trunc(part::numeric)
                         THEN 'numeric' ELSE col_type END);
    sql := CASE op
        WHEN 'eq' THEN format('%s = %s', col, param)
        WHEN 'ne' THEN format('%s IS DISTINCT FROM %s', col, param)
        WHEN 'lt' THEN format('%s < %s', col, param)
        WHEN 'lte' THEN format('%s <= %s', col, param)
        WHEN 'gt' THEN format('%s > %s', col, param)
        ELSE format('%s >= %s', col, param) END;
END
$$;

-- The type of a column of the contact relation (format_type, safe to put in
-- SQL: it comes from the catalogue); 42703 when the relation lacks it.
CREATE FUNCTION dialer._filter_column(relation regclass, field text, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    col_type text;
BEGIN
    SELECT format_type(a.atttypid, a.atttypmod) INTO col_type
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = relation AND a.attname = field AND a.attnum > 0 AND NOT a.attisdropped;
    IF col_type IS NULL THEN
        RAISE EXCEPTION 'the contact relation % has no column "%"', relation, field
            USING ERRCODE = '42703', DETAIL = format('The filter names it at %s.', path);
    END IF;
    RETURN col_type;
END
$$;

CREATE FUNCTION dialer.validate_filter(filter jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._filter_sql(filter, NULL, '{}', '$', 1);
    RETURN filter;
END
$$;

COMMENT ON FUNCTION dialer.validate_filter(jsonb) IS
'Check a filter of the filter language (docs/sql-reference.md): returns it, or raises 22023 naming the unknown field, operator or bad value and where it is.';

-- The WHERE clause of a filter over `relation` AS c, and its one parameter
-- ($1, a text[]). Callers add their own parameters from $2.
CREATE FUNCTION dialer.filter_sql(filter jsonb, relation regclass DEFAULT NULL,
                                  OUT where_clause text, OUT params text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    relation := coalesce(relation, dialer._contact_relation('a segment'));
    SELECT f.sql, f.params INTO where_clause, params FROM dialer._filter_sql(filter, relation, '{}', '$', 1) f;
END
$$;

COMMENT ON FUNCTION dialer.filter_sql(jsonb, regclass) IS
'The parameterised WHERE clause a filter compiles to over relation AS c (default: the configured contact relation), with its parameter $1 (text[]): SELECT ... FROM relation c WHERE <where_clause>, executed USING params.';

-- ---------------------------------------------------------------------------
-- The Quick Filters bar, for WHERE clauses over rows of any type (with
-- dialer.is_dialable, 03_rules.sql). In a segment the same filters are
-- {"never_contacted": true} and {"called_this_week": true}.
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.never_contacted(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_never_contacted'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.never_contacted(record) IS
'"Never Contacted": the row''s last_call_attempt_at is NULL (or it has no such column).';

CREATE FUNCTION dialer.called_this_week(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_called_this_week'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.called_this_week(record) IS
'"Called This Week": last_call_attempt_at falls in this week, Monday 00:00 to next Monday 00:00 in the session time zone.';

-- ==========================================================================
-- extension/sql/20_lists.sql
-- ==========================================================================

-- Static lists (the spec's "Add to List"): a named set of contact ids, owned
-- by the rep who made it, private to them or shared with the team.
--
-- Ownership as for sessions (14_session_manage.sql): only the owner (an
-- active rep) or an admin renames it, shares it, adds or removes contacts,
-- or deletes it; anyone else gets 42501. Reading a list (its members, a
-- preview, a count, an export, a push of it) is for its owner, admins, and
-- everyone when it is shared. Every change is a row of dialer.audit_log
-- (object_type 'list').
--
-- Members are contact ids as text (as dialer.push_items keeps them), so a
-- list works with any id type; they are matched to the contact relation with
-- the id column's own type (22_entry_points.sql), so its index applies.
--
-- Used by: the app (the list pages, "Add to List", "Push List to Dialer");
-- analysts (shared lists); 22_entry_points.sql (preview, push, export).

CREATE TABLE dialer.lists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    owner       text NOT NULL REFERENCES dialer.reps (name),
    shared      boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL DEFAULT dialer.acting_user(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.lists', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.lists', 'id'), '');
CREATE INDEX lists_by_owner ON dialer.lists (owner);

COMMENT ON TABLE dialer.lists IS
'Static lists of contacts: name, description, owner (a rep), shared (readable by everyone; else by its owner and admins). Changed only through dialer.create_list, rename_list, share_list, add_to_list, remove_from_list, delete_list.';

CREATE TABLE dialer.list_members (
    list_id    bigint NOT NULL REFERENCES dialer.lists (id) ON DELETE CASCADE,
    contact_id text NOT NULL,
    added_by   text NOT NULL DEFAULT dialer.acting_user(),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.list_members', '');

COMMENT ON TABLE dialer.list_members IS
'The contacts of each list, by id (text), with who added them and when.';

-- ---------------------------------------------------------------------------
-- Who may read and change a list or a segment (21_segments.sql uses these)
-- ---------------------------------------------------------------------------

-- 42501 unless the acting user may read it: shared, theirs, or an admin.
CREATE FUNCTION dialer._check_readable(object_type text, object_id bigint, owner text, shared boolean)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT (shared OR owner = dialer.acting_user() OR dialer._is_admin()) THEN
        RAISE EXCEPTION '% % is private to %', object_type, object_id, owner
            USING ERRCODE = '42501', HINT = 'Its owner may share it (shared => true).';
    END IF;
END
$$;

-- The acting user, if they may change it: its owner (an active rep) or an
-- admin; else 42501 saying what was refused.
CREATE FUNCTION dialer._check_collection_owner(object_type text, object_id bigint, owner text, what text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    actor text;
BEGIN
    IF dialer._is_admin() THEN
        RETURN dialer.acting_user();
    END IF;
    actor := (dialer.current_rep()).name;
    IF owner <> actor THEN
        RAISE EXCEPTION '% % belongs to %; only its owner or an admin may %', object_type, object_id, owner, what
            USING ERRCODE = '42501';
    END IF;
    RETURN actor;
END
$$;

-- The list, locked, or 22023 naming the id.
CREATE FUNCTION dialer._lock_list(list_id bigint)
RETURNS dialer.lists
LANGUAGE plpgsql
AS $$
DECLARE
    list dialer.lists;
BEGIN
    SELECT * INTO list FROM dialer.lists l WHERE l.id = _lock_list.list_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'list % does not exist', coalesce(_lock_list.list_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    RETURN list;
END
$$;

-- A contact id from an array element: a row's "id" (any row type), else the
-- element itself (an array of ids of any type).
CREATE FUNCTION dialer._element_id(element jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE jsonb_typeof(element) WHEN 'object' THEN element ->> 'id' ELSE element #>> '{}' END
$$;

-- ---------------------------------------------------------------------------
-- Lists
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.create_list(name text, shared boolean DEFAULT false, description text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := (dialer.current_rep()).name;
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a list needs a name' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.lists AS l (name, description, owner, shared, created_by)
    VALUES (btrim(create_list.name), create_list.description, actor, coalesce(create_list.shared, false), actor)
    RETURNING l.id INTO id;
    PERFORM dialer._audit('list_created', 'list', id::text, details => jsonb_build_object(
        'name', btrim(create_list.name), 'shared', coalesce(create_list.shared, false)));
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_list(text, boolean, text) IS
'A new empty list owned by the acting rep (shared: readable by everyone). Returns its id.';

CREATE FUNCTION dialer.rename_list(list_id bigint, name text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists := dialer._lock_list(rename_list.list_id);
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'rename it');
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a list needs a name' USING ERRCODE = '22023';
    END IF;
    UPDATE dialer.lists l SET name = btrim(rename_list.name), updated_at = now() WHERE l.id = list.id;
    PERFORM dialer._audit('list_renamed', 'list', list.id::text,
                          details => jsonb_build_object('from', list.name, 'to', btrim(rename_list.name)));
END
$$;

COMMENT ON FUNCTION dialer.rename_list(bigint, text) IS 'Rename a list (its owner or an admin).';

CREATE FUNCTION dialer.share_list(list_id bigint, shared boolean)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists := dialer._lock_list(share_list.list_id);
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'share it');
    IF shared IS NULL THEN
        RAISE EXCEPTION 'shared must be true or false' USING ERRCODE = '22023';
    END IF;
    UPDATE dialer.lists l SET shared = share_list.shared, updated_at = now() WHERE l.id = list.id;
    PERFORM dialer._audit('list_shared', 'list', list.id::text,
                          details => jsonb_build_object('from', list.shared, 'to', share_list.shared));
END
$$;

COMMENT ON FUNCTION dialer.share_list(bigint, boolean) IS
'Share a list with everyone (true) or make it private to its owner and admins (false) (its owner or an admin).';

CREATE FUNCTION dialer.delete_list(list_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list    dialer.lists := dialer._lock_list(delete_list.list_id);
    members bigint;
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'delete it');
    SELECT count(*) INTO members FROM dialer.list_members m WHERE m.list_id = list.id;
    DELETE FROM dialer.lists l WHERE l.id = list.id;
    PERFORM dialer._audit('list_deleted', 'list', list.id::text,
                          details => jsonb_build_object('name', list.name, 'owner', list.owner, 'contacts', members));
END
$$;

COMMENT ON FUNCTION dialer.delete_list(bigint) IS 'Delete a list and its members (its owner or an admin). Pushes made from it stay.';

-- Add or remove ids (the writing half of add_to_list / remove_from_list).
CREATE FUNCTION dialer._change_list_members(list_id bigint, contact_ids text[], adding boolean)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list    dialer.lists := dialer._lock_list(_change_list_members.list_id);
    changed text[];
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner,
                                           CASE WHEN adding THEN 'add contacts to it' ELSE 'remove contacts from it' END);
    IF EXISTS (SELECT FROM unnest(contact_ids) i WHERE i IS NULL OR btrim(i) = '') THEN
        RAISE EXCEPTION 'every contact needs an id to be in a list' USING ERRCODE = '23502',
            HINT = 'The contact rows must have an "id" column with a value.';
    END IF;
    IF adding THEN
        WITH added AS (
            INSERT INTO dialer.list_members AS m (list_id, contact_id)
            SELECT DISTINCT list.id, i FROM unnest(contact_ids) i
            ON CONFLICT DO NOTHING
            RETURNING m.contact_id)
        SELECT coalesce(array_agg(a.contact_id ORDER BY a.contact_id), '{}') INTO changed FROM added a;
    ELSE
        WITH removed AS (
            DELETE FROM dialer.list_members m WHERE m.list_id = list.id AND m.contact_id = ANY (contact_ids)
            RETURNING m.contact_id)
        SELECT coalesce(array_agg(r.contact_id ORDER BY r.contact_id), '{}') INTO changed FROM removed r;
    END IF;
    IF cardinality(changed) > 0 THEN
        UPDATE dialer.lists l SET updated_at = now() WHERE l.id = list.id;
        PERFORM dialer._audit(CASE WHEN adding THEN 'list_contacts_added' ELSE 'list_contacts_removed' END,
                              'list', list.id::text, changed,
                              details => jsonb_build_object('contacts', cardinality(changed)));
    END IF;
    RETURN cardinality(changed);
END
$$;

-- `contacts`: rows of any type (their "id"), or ids of any type. SQL, not
-- PL/pgSQL: PL/pgSQL cannot take arrays of anonymous records; and through
-- to_jsonb, since unnest cannot expand them either.
CREATE FUNCTION dialer.add_to_list(list_id bigint, contacts anyarray)
RETURNS integer
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT dialer._change_list_members(list_id,
                                       ARRAY(SELECT dialer._element_id(e) FROM jsonb_array_elements(to_jsonb(contacts)) e), true)
$$;

COMMENT ON FUNCTION dialer.add_to_list(bigint, anyarray) IS
'"Add to List": add contacts, given as rows (array_agg(c)) or as ids (ARRAY[1, 2] or ''{1,2}''::text[]), to a list (its owner or an admin). Returns how many were not in it yet.';

CREATE FUNCTION dialer.remove_from_list(list_id bigint, contacts anyarray)
RETURNS integer
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT dialer._change_list_members(list_id,
                                       ARRAY(SELECT dialer._element_id(e) FROM jsonb_array_elements(to_jsonb(contacts)) e), false)
$$;

COMMENT ON FUNCTION dialer.remove_from_list(bigint, anyarray) IS
'Remove contacts, given as rows or ids, from a list (its owner or an admin). Returns how many were in it.';

-- The member ids of a list the acting user may read (22023 unknown, 42501
-- private). A definer step: the entry points read the contacts themselves,
-- with their caller's rights.
CREATE FUNCTION dialer._list_member_ids(list_id bigint)
RETURNS text[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists;
BEGIN
    SELECT * INTO list FROM dialer.lists l WHERE l.id = _list_member_ids.list_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'list % does not exist', coalesce(_list_member_ids.list_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_readable('list', list.id, list.owner, list.shared);
    RETURN ARRAY(SELECT m.contact_id FROM dialer.list_members m WHERE m.list_id = list.id ORDER BY m.contact_id);
END
$$;

-- The lists page: what the acting user may read, with their member counts.
CREATE VIEW dialer.lists_overview AS
SELECT l.id, l.name, l.description, l.owner, r.display_name AS owner_name, l.shared,
       (SELECT count(*) FROM dialer.list_members m WHERE m.list_id = l.id) AS contacts,
       l.created_at, l.updated_at, l.owner = dialer.acting_user() AS is_mine
FROM dialer.lists l JOIN dialer.reps r ON r.name = l.owner
WHERE l.shared OR l.owner = dialer.acting_user() OR dialer._is_admin()
ORDER BY l.updated_at DESC, l.id DESC;

COMMENT ON VIEW dialer.lists_overview IS
'The lists the acting user may read (shared ones, their own; admins: all), most recently changed first: id, name, description, owner, owner_name, shared, contacts, created_at, updated_at, is_mine.';

-- ==========================================================================
-- extension/sql/21_segments.sql
-- ==========================================================================

-- Segments (dynamic lists): a filter of the filter language (19_filters.sql),
-- validated when saved and run against the current contact relation each
-- time it is read. Owned and shared like lists (20_lists.sql); every change
-- is audited (object_type 'segment').
--
-- Used by: the app (the segments pages, "Push List to Dialer" on a segment),
-- analysts (shared segments); 22_entry_points.sql.

CREATE TABLE dialer.segments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    filter      jsonb NOT NULL,   -- checked by dialer.validate_filter when saved
    owner       text REFERENCES dialer.reps (name),  -- NULL: a built-in smart list
    shared      boolean NOT NULL DEFAULT false,
    -- The smart lists installed with the extension (26_smart_lists.sql): no
    -- owner, shared with everyone, changed by admins only, never deleted.
    builtin     boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL DEFAULT dialer.acting_user(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (builtin = (owner IS NULL)),
    CHECK (shared OR NOT builtin)
);
-- The built-in rows are made by CREATE EXTENSION itself, so a dump keeps
-- only the others (a restore would otherwise insert them twice).
SELECT pg_catalog.pg_extension_config_dump('dialer.segments', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.segments', 'id'), '');
CREATE INDEX segments_by_owner ON dialer.segments (owner);

COMMENT ON TABLE dialer.segments IS
'Dynamic lists: name, description, filter (the filter language of docs/sql-reference.md), owner, shared, builtin (the smart lists: no owner, shared, admins change them). Changed only through dialer.create_segment, update_segment, delete_segment.';

CREATE FUNCTION dialer._lock_segment(segment_id bigint)
RETURNS dialer.segments
LANGUAGE plpgsql
AS $$
DECLARE
    segment dialer.segments;
BEGIN
    SELECT * INTO segment FROM dialer.segments s WHERE s.id = _lock_segment.segment_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'segment % does not exist', coalesce(_lock_segment.segment_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN segment;
END
$$;

CREATE FUNCTION dialer.create_segment(name text, filter jsonb, shared boolean DEFAULT false,
                                      description text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := (dialer.current_rep()).name;
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a segment needs a name' USING ERRCODE = '22023';
    END IF;
    PERFORM dialer.validate_filter(filter);
    INSERT INTO dialer.segments AS s (name, description, filter, owner, shared, created_by)
    VALUES (btrim(create_segment.name), create_segment.description, filter, actor,
            coalesce(create_segment.shared, false), actor)
    RETURNING s.id INTO id;
    PERFORM dialer._audit('segment_created', 'segment', id::text, details => jsonb_build_object(
        'name', btrim(create_segment.name), 'filter', filter, 'shared', coalesce(create_segment.shared, false)));
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_segment(text, jsonb, boolean, text) IS
'A segment owned by the acting rep: a filter of the filter language, validated now (22023 naming an unknown field or operator). Returns its id.';

-- NULL leaves a field as it is.
CREATE FUNCTION dialer.update_segment(segment_id bigint, name text DEFAULT NULL, filter jsonb DEFAULT NULL,
                                      shared boolean DEFAULT NULL, description text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before dialer.segments := dialer._lock_segment(update_segment.segment_id);
    after  dialer.segments;
BEGIN
    IF before.builtin THEN
        PERFORM dialer._require_admin(format('change the smart list "%s"', before.name));
        IF NOT coalesce(update_segment.shared, true) THEN
            RAISE EXCEPTION 'smart list % is shared with everyone; it cannot be made private', before.id
                USING ERRCODE = '22023';
        END IF;
    ELSE
        PERFORM dialer._check_collection_owner('segment', before.id, before.owner, 'change it');
    END IF;
    IF name IS NOT NULL AND btrim(name) = '' THEN
        RAISE EXCEPTION 'a segment needs a name' USING ERRCODE = '22023';
    END IF;
    IF filter IS NOT NULL THEN
        PERFORM dialer.validate_filter(filter);
    END IF;
    UPDATE dialer.segments s
    SET name = coalesce(btrim(update_segment.name), s.name),
        filter = coalesce(update_segment.filter, s.filter),
        shared = coalesce(update_segment.shared, s.shared),
        description = coalesce(update_segment.description, s.description),
        updated_at = now()
    WHERE s.id = before.id
    RETURNING * INTO after;
    PERFORM dialer._audit(CASE WHEN before.builtin THEN 'smart_list_changed' ELSE 'segment_changed' END,
                          'segment', before.id::text, details => jsonb_build_object(
        'from', to_jsonb(before) - '{created_at,updated_at,created_by}'::text[],
        'to', to_jsonb(after) - '{created_at,updated_at,created_by}'::text[]));
END
$$;

COMMENT ON FUNCTION dialer.update_segment(bigint, text, jsonb, boolean, text) IS
'Change a segment''s name, filter (validated), shared flag or description (its owner or an admin; a smart list: an admin, audited as smart_list_changed; NULL: unchanged).';

CREATE FUNCTION dialer.delete_segment(segment_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    segment dialer.segments := dialer._lock_segment(delete_segment.segment_id);
BEGIN
    IF segment.builtin THEN
        RAISE EXCEPTION 'smart list % ("%") is installed with pgdialer and cannot be deleted', segment.id, segment.name
            USING ERRCODE = '42501', HINT = 'An admin may change its filter with dialer.update_segment.';
    END IF;
    PERFORM dialer._check_collection_owner('segment', segment.id, segment.owner, 'delete it');
    DELETE FROM dialer.segments s WHERE s.id = segment.id;
    PERFORM dialer._audit('segment_deleted', 'segment', segment.id::text, details => jsonb_build_object(
        'name', segment.name, 'owner', segment.owner, 'filter', segment.filter));
END
$$;

COMMENT ON FUNCTION dialer.delete_segment(bigint) IS 'Delete a segment (its owner or an admin; never a built-in smart list).';

-- The filter of a segment the acting user may read (22023 unknown, 42501
-- private). A definer step: the segment is run with the caller's rights.
CREATE FUNCTION dialer._segment_filter(segment_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    segment dialer.segments;
BEGIN
    SELECT * INTO segment FROM dialer.segments s WHERE s.id = _segment_filter.segment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'segment % does not exist', coalesce(_segment_filter.segment_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_readable('segment', segment.id, segment.owner, segment.shared);
    RETURN segment.filter;
END
$$;

CREATE VIEW dialer.segments_overview AS
SELECT s.id, s.name, s.description, s.filter, s.owner, r.display_name AS owner_name, s.shared,
       s.created_at, s.updated_at, coalesce(s.owner = dialer.acting_user(), false) AS is_mine, s.builtin
FROM dialer.segments s LEFT JOIN dialer.reps r ON r.name = s.owner
WHERE s.shared OR s.owner = dialer.acting_user() OR dialer._is_admin()
ORDER BY s.updated_at DESC, s.id DESC;

COMMENT ON VIEW dialer.segments_overview IS
'The segments the acting user may read (shared ones, their own; admins: all): id, name, description, filter, owner, owner_name, shared, created_at, updated_at, is_mine, builtin (a smart list). Counts: dialer.dialable_count(segment_id => id).';

-- ==========================================================================
-- extension/sql/22_entry_points.sql
-- ==========================================================================

-- The spec's entry points as single calls: preview and push by explicit
-- contact ids (the bulk bar's "Push selected", which overrides filters), by
-- deal ("Deal -> Contacts -> Push", over a deal-contacts relation registered
-- with dialer.configure_deal_contacts), by list and by segment; the members
-- or rows of a list or segment; the "243 dialable of 312" count; and the
-- bulk bar's [Export CSV] (dialer.list_export). The anyarray forms
-- (dialer.preview, dialer.push) remain the entry point for any query.
--
-- Each reads the contact relation registered with dialer.configure with the
-- caller's rights (these functions are SECURITY INVOKER: whoever calls them
-- must be able to SELECT the contacts, as for dialer.preview), through one
-- statement built by dialer._source_query: the relation and column names from
-- the catalogue, quoted; every value (ids, a deal id, a segment's values) in
-- the parameter $1. What the caller may not read itself (a list's members, a
-- segment's filter, the deal-contacts relation's name) comes from definer
-- steps that check who asks. Previews and pushes then go through
-- dialer.preview and dialer.push unchanged: the same rules, exclusions and
-- checks as any push.
--
-- Used by: the app (one call per box of the spec), analysts.

-- The deal-contacts relation: which contacts belong to which deal. Added
-- here rather than in 01_settings.sql so dialer.configure keeps its signature.
ALTER TABLE dialer.configuration ADD COLUMN deal_contacts_relation regclass;

CREATE FUNCTION dialer.configure_deal_contacts(deal_contacts_relation regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing text;
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    SELECT string_agg(format('"%s"', n), ' and ') INTO missing
    FROM unnest(ARRAY['deal_id', 'contact_id']) n
    WHERE NOT EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = deal_contacts_relation AND a.attname = n AND a.attnum > 0
                        AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'deal-contacts relation % has no % column', deal_contacts_relation, missing
            USING ERRCODE = '42703', HINT = 'It needs a deal_id and a contact_id column (a view can rename them).';
    END IF;
    INSERT INTO dialer.configuration AS c (deal_contacts_relation, updated_by)
    VALUES (deal_contacts_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET deal_contacts_relation = excluded.deal_contacts_relation, updated_at = now(),
            updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'deal_contacts_relation',
                          details => jsonb_build_object('deal_contacts_relation', deal_contacts_relation::text));
END
$$;

COMMENT ON FUNCTION dialer.configure_deal_contacts(regclass) IS
'Admin: tell pgdialer which table or view links deals to contacts (columns deal_id and contact_id), for dialer.preview_deal and dialer.push_deal.';

CREATE FUNCTION dialer._deal_contacts_relation()
RETURNS regclass
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass := (SELECT c.deal_contacts_relation FROM dialer.configuration c);
BEGIN
    IF relation IS NULL THEN
        RAISE EXCEPTION 'pushing by deal needs the deal-contacts relation: call dialer.configure_deal_contacts first'
            USING ERRCODE = '55000';
    END IF;
    RETURN relation;
END
$$;

-- The FROM ... WHERE of the contacts of a source over the contact relation
-- AS c, and its parameter $1 (text[]). kind: 'list' (ref: its id),
-- 'segment' (its id), 'contacts' (ref: a text[] of ids, as text), 'deal'
-- (ref: the deal's id).
CREATE FUNCTION dialer._source_query(kind text, ref text, OUT from_where text, OUT params text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation  regclass := dialer._contact_relation(
                  CASE kind WHEN 'contacts' THEN 'reading contacts by id' ELSE format('reading a %s''s contacts', kind) END);
    id_type   text := dialer._filter_column(relation, 'id', 'id');
    deals     regclass;
    condition text;
BEGIN
    CASE kind
    WHEN 'list' THEN
        params := ARRAY[dialer._list_member_ids(ref::bigint)::text];
        condition := format('c.id = ANY (($1[1])::%s[])', id_type);
    WHEN 'contacts' THEN
        params := ARRAY[ref];
        condition := format('c.id = ANY (($1[1])::%s[])', id_type);
    WHEN 'segment' THEN
        SELECT f.where_clause, f.params INTO condition, params
        FROM dialer.filter_sql(dialer._segment_filter(ref::bigint), relation) f;
    WHEN 'deal' THEN
        deals := dialer._deal_contacts_relation();
        params := ARRAY[ref];
        condition := format('c.id IN (SELECT (d.contact_id)::%s FROM %s AS d WHERE d.deal_id = ($1[1])::%s)',
                            id_type, deals, dialer._filter_column(deals, 'deal_id', 'deal_id'));
    END CASE;
    from_where := format('%s AS c WHERE %s', relation, condition);
END
$$;

-- Explicit ids (any scalar type) as the text of a text[].
CREATE FUNCTION dialer._id_array(contact_ids anyarray)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (SELECT t.typtype FROM pg_type a JOIN pg_type t ON t.oid = a.typelem WHERE a.oid = pg_typeof(contact_ids)) = 'c' THEN
        RAISE EXCEPTION 'contact_ids must be an array of ids, not of rows' USING ERRCODE = '42804',
            HINT = 'For rows use dialer.preview(array_agg(c)) and dialer.push(array_agg(c), ...).';
    END IF;
    RETURN ARRAY(SELECT x::text FROM unnest(contact_ids) x)::text;
END
$$;

-- One of list_id / segment_id, as a source.
CREATE FUNCTION dialer._list_or_segment(list_id bigint, segment_id bigint, OUT kind text, OUT ref text)
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF (list_id IS NULL) = (segment_id IS NULL) THEN
        RAISE EXCEPTION 'give exactly one of list_id and segment_id' USING ERRCODE = '22023';
    END IF;
    kind := CASE WHEN list_id IS NOT NULL THEN 'list' ELSE 'segment' END;
    ref := coalesce(list_id, segment_id)::text;
END
$$;

-- ---------------------------------------------------------------------------
-- Preview and push, per source
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer._preview_source(kind text, ref text, options jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    result jsonb;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT dialer.preview(array_agg(c ORDER BY c.id), $2) FROM %s', q.from_where)
        INTO result USING q.params, coalesce(options, '{}');
    RETURN result;
END
$$;

-- dialer.push with the entry point's list_source (dialer.push_jobs, for the
-- metrics): a definer step like dialer.push, which classifies the rows itself.
-- The source is a label the caller chooses among the entry points' names, not
-- a right: the rep, the rules and the checks are those of any push.
CREATE FUNCTION dialer._push_with_source(contacts anyarray, session_name text, session_id bigint, options jsonb,
                                         list_source text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF list_source IS NULL OR list_source NOT IN ('manual', 'list', 'segment', 'smart_list') THEN
        RAISE EXCEPTION 'list_source must be manual, list, segment or smart_list, not %', coalesce(list_source, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options, list_source);
END
$$;

-- The list_source of a push from a source: a list, a segment, a smart list
-- (a built-in segment); ids and deals are a manual selection.
CREATE FUNCTION dialer._source_list_source(kind text, ref text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE kind
        WHEN 'list' THEN 'list'
        WHEN 'segment' THEN CASE WHEN (SELECT s.builtin FROM dialer.segments_overview s WHERE s.id = ref::bigint)
                                 THEN 'smart_list' ELSE 'segment' END
        ELSE 'manual' END
$$;

CREATE FUNCTION dialer._push_source(kind text, ref text, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    job_id bigint;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT dialer._push_with_source(array_agg(c ORDER BY c.id), $2, $3, $4, $5) FROM %s', q.from_where)
        INTO job_id USING q.params, session_name, session_id, coalesce(options, '{}'),
                          dialer._source_list_source(kind, ref);
    RETURN job_id;
END
$$;

CREATE FUNCTION dialer.preview_list(list_id bigint, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('list', list_id::text, options) $$;
CREATE FUNCTION dialer.push_list(list_id bigint, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                 options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('list', list_id::text, session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_segment(segment_id bigint, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('segment', segment_id::text, options) $$;
CREATE FUNCTION dialer.push_segment(segment_id bigint, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                    options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('segment', segment_id::text, session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_contacts(contact_ids anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('contacts', dialer._id_array(contact_ids), options) $$;
CREATE FUNCTION dialer.push_contacts(contact_ids anyarray, session_name text DEFAULT NULL,
                                     session_id bigint DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('contacts', dialer._id_array(contact_ids), session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_deal(deal_id text, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('deal', deal_id, options) $$;
CREATE FUNCTION dialer.push_deal(deal_id text, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                 options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('deal', deal_id, session_name, session_id, options) $$;

COMMENT ON FUNCTION dialer.preview_list(bigint, jsonb) IS 'dialer.preview of a list''s contacts (read from the contact relation). Options as dialer.preview.';
COMMENT ON FUNCTION dialer.push_list(bigint, text, bigint, jsonb) IS '"Push List to Dialer": dialer.push of a list''s contacts. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_segment(bigint, jsonb) IS 'dialer.preview of the contacts a segment''s filter selects now.';
COMMENT ON FUNCTION dialer.push_segment(bigint, text, bigint, jsonb) IS 'dialer.push of the contacts a segment''s filter selects now. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_contacts(anyarray, jsonb) IS 'dialer.preview of the contacts with these ids (the bulk bar''s selection).';
COMMENT ON FUNCTION dialer.push_contacts(anyarray, text, bigint, jsonb) IS '"Push selected": dialer.push of the contacts with these ids, whatever the filters. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_deal(text, jsonb) IS 'dialer.preview of a deal''s contacts (dialer.configure_deal_contacts).';
COMMENT ON FUNCTION dialer.push_deal(text, text, bigint, jsonb) IS '"Push All to Dialer" on a deal: dialer.push of its contacts. Returns the job id.';

-- ---------------------------------------------------------------------------
-- Members, rows, counts
-- ---------------------------------------------------------------------------

-- The ids of the contacts of a source that exist in the contact relation.
CREATE FUNCTION dialer._source_ids(kind text, ref text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q record;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    RETURN QUERY EXECUTE format('SELECT c.id::text FROM %s ORDER BY c.id', q.from_where) USING q.params;
END
$$;

-- The rows of a source, typed as the contact relation's rows.
CREATE FUNCTION dialer._source_rows(kind text, ref text, row_type anyelement)
RETURNS SETOF anyelement
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q record;
    relation regclass := dialer._contact_relation(
                  CASE kind WHEN 'contacts' THEN 'reading contacts by id' ELSE format('reading a %s''s contacts', kind) END);
BEGIN
    IF pg_typeof(row_type) <> (SELECT c.reltype FROM pg_class c WHERE c.oid = relation)::regtype THEN
        RAISE EXCEPTION 'row_type must be the contact relation''s row type (NULL::%), not %', relation, pg_typeof(row_type)
            USING ERRCODE = '42804';
    END IF;
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    RETURN QUERY EXECUTE format('SELECT c.* FROM %s ORDER BY c.id', q.from_where) USING q.params;
END
$$;

CREATE FUNCTION dialer.list_contacts(list_id bigint)
RETURNS SETOF text LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT dialer._source_ids('list', list_id::text) $$;
CREATE FUNCTION dialer.list_contacts(list_id bigint, row_type anyelement)
RETURNS SETOF anyelement LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT * FROM dialer._source_rows('list', list_id::text, row_type) $$;
CREATE FUNCTION dialer.segment_contacts(segment_id bigint)
RETURNS SETOF text LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT dialer._source_ids('segment', segment_id::text) $$;
CREATE FUNCTION dialer.segment_contacts(segment_id bigint, row_type anyelement)
RETURNS SETOF anyelement LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT * FROM dialer._source_rows('segment', segment_id::text, row_type) $$;

COMMENT ON FUNCTION dialer.list_contacts(bigint) IS 'The ids of a list''s contacts found in the contact relation, in id order.';
COMMENT ON FUNCTION dialer.list_contacts(bigint, anyelement) IS 'A list''s contact rows: SELECT * FROM dialer.list_contacts(1, NULL::contacts).';
COMMENT ON FUNCTION dialer.segment_contacts(bigint) IS 'The ids of the contacts a segment selects now, in id order.';
COMMENT ON FUNCTION dialer.segment_contacts(bigint, anyelement) IS 'The contact rows a segment selects now: SELECT * FROM dialer.segment_contacts(1, NULL::contacts).';

-- "243 dialable of 312 total", for a query's rows, a list or a segment.
CREATE FUNCTION dialer.dialable_count(contacts anyarray)
RETURNS TABLE (dialable bigint, total bigint, summary text)
LANGUAGE sql STABLE
AS $$
    SELECT n.dialable, n.total, format('%s dialable of %s total', n.dialable, n.total)
    -- By subscript, not unnest: unnest cannot expand an array of anonymous records.
    FROM (SELECT count(*) FILTER (WHERE dialer.is_dialable(contacts[i])) AS dialable, count(*) AS total
          FROM generate_subscripts(contacts, 1) AS i) n
$$;

CREATE FUNCTION dialer.dialable_count(list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL)
RETURNS TABLE (dialable bigint, total bigint, summary text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    q record;
BEGIN
    SELECT * INTO s FROM dialer._list_or_segment(list_id, segment_id);
    SELECT * INTO q FROM dialer._source_query(s.kind, s.ref);
    EXECUTE format('SELECT count(*) FILTER (WHERE dialer.is_dialable(c)), count(*) FROM %s', q.from_where)
        INTO dialable, total USING q.params;
    summary := format('%s dialable of %s total', dialable, total);
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION dialer.dialable_count(anyarray) IS
'The "Dialable Only" count of a query''s rows: dialable, total and "243 dialable of 312 total".';
COMMENT ON FUNCTION dialer.dialable_count(bigint, bigint) IS
'The "Dialable Only" count of a list (list_id => ...) or a segment (segment_id => ...): dialable, total, summary.';

-- ---------------------------------------------------------------------------
-- [Export CSV]
-- ---------------------------------------------------------------------------

-- The payload flattened: one text column per key of dialer.payload and of its
-- custom_fields, after the verdict dialer.preview gives the contact.
CREATE FUNCTION dialer.list_export(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS TABLE (list_position integer, contact_id text, excluded_category text, excluded_reason text,
               first_name text, last_name text, company text, phone text, email text, title text,
               address text, city text, state text, zip text, contact_type text, buyer_type text, aum text,
               fund_size text, target_ebitda_range text, target_sectors text, target_geographies text,
               last_contact_date text, last_contact_method text, last_contact_outcome text,
               engagement_score text, relationship_strength text, active_deals_count text,
               last_deal_presented text, last_deal_outcome text, call_talking_points text,
               preferred_contact_time text, assistant_name text, assistant_phone text, contact_owner text,
               contact_source text)
LANGUAGE sql STABLE
AS $$
    SELECT v.list_position, v.contact_id, v.category, v.reason,
           p ->> 'first_name', p ->> 'last_name', p ->> 'company', p ->> 'phone', p ->> 'email', p ->> 'title',
           p ->> 'address', p ->> 'city', p ->> 'state', p ->> 'zip', f ->> 'contact_type', f ->> 'buyer_type',
           f ->> 'aum', f ->> 'fund_size', f ->> 'target_ebitda_range', f ->> 'target_sectors',
           f ->> 'target_geographies', f ->> 'last_contact_date', f ->> 'last_contact_method',
           f ->> 'last_contact_outcome', f ->> 'engagement_score', f ->> 'relationship_strength',
           f ->> 'active_deals_count', f ->> 'last_deal_presented', f ->> 'last_deal_outcome',
           f ->> 'call_talking_points', f ->> 'preferred_contact_time', f ->> 'assistant_name',
           f ->> 'assistant_phone', f ->> 'contact_owner', f ->> 'contact_source'
    FROM dialer.classify_list(contacts, options) AS v,
         LATERAL (SELECT v.payload AS p, v.payload -> 'custom_fields' AS f) AS x
    ORDER BY v.list_position
$$;

CREATE FUNCTION dialer.list_export(list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                   options jsonb DEFAULT '{}')
RETURNS TABLE (list_position integer, contact_id text, excluded_category text, excluded_reason text,
               first_name text, last_name text, company text, phone text, email text, title text,
               address text, city text, state text, zip text, contact_type text, buyer_type text, aum text,
               fund_size text, target_ebitda_range text, target_sectors text, target_geographies text,
               last_contact_date text, last_contact_method text, last_contact_outcome text,
               engagement_score text, relationship_strength text, active_deals_count text,
               last_deal_presented text, last_deal_outcome text, call_talking_points text,
               preferred_contact_time text, assistant_name text, assistant_phone text, contact_owner text,
               contact_source text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    q record;
BEGIN
    SELECT * INTO s FROM dialer._list_or_segment(list_id, segment_id);
    SELECT * INTO q FROM dialer._source_query(s.kind, s.ref);
    RETURN QUERY EXECUTE format(
        'SELECT e.* FROM (SELECT array_agg(c ORDER BY c.id) AS a FROM %s) AS l, dialer.list_export(l.a, $2) AS e',
        q.from_where) USING q.params, coalesce(options, '{}');
END
$$;

COMMENT ON FUNCTION dialer.list_export(anyarray, jsonb) IS
'[Export CSV] of a query''s rows: the verdict (excluded_category, excluded_reason; NULL = ready) and the payload''s fields flattened, one text column each. COPY (SELECT * FROM dialer.list_export(...)) TO STDOUT (FORMAT csv, HEADER).';
COMMENT ON FUNCTION dialer.list_export(bigint, bigint, jsonb) IS
'[Export CSV] of a list (list_id => ...) or a segment (segment_id => ...), as dialer.list_export(anyarray).';

-- ==========================================================================
-- extension/sql/23_list_size.sql
-- ==========================================================================

-- List size guidance: the spec's "Optimal List Size" (50-100 contacts: a
-- 1-2 day campaign; 100-200: a full week; 200+: split into multiple sessions
-- by priority tier). The limit is an admin setting
-- (dialer.configure_list_size, 01_settings.sql, default 200); dialer.preview
-- says when a list is over it and proposes the split (the C++ core,
-- extension/core/preview.cpp); dialer.push's option split_by_tier pushes one
-- session per tier (07_push.sql).
--
-- Priority tiers are bands of the contact's engagement_score, highest
-- first: 1 = 75 and up, 2 = 50 to under 75, 3 = 25 to under 50, 4 = under
-- 25, no score or not a number. One definition, in the core
-- (extension/core/priority_tier.cpp), used by both.
--
-- Used by: the app (the push modal), analysts; dialer.push.

CREATE FUNCTION dialer.priority_tier(engagement_score text)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgdialer_priority_tier'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.priority_tier(text) IS
'The priority tier of an engagement score: 1 (75 and up), 2 (50-74), 3 (25-49), 4 (under 25, none, or not a number). dialer.preview proposes, and dialer.push with split_by_tier makes, one session per tier.';

-- ==========================================================================
-- extension/sql/24_deals.sql
-- ==========================================================================

-- Deals: the app's table of deals, registered with dialer.configure_deals,
-- so the talking points name the active deals that fit a buyer ("2 active
-- deals match: Acme HVAC (Southeast, $4M EBITDA), ..."). The matching is the
-- C++ core's (extension/core/deals.cpp, talking_points.cpp); the glue reads
-- the active deals once per statement (extension/src/deals_cache.cpp)
-- through dialer._active_deals, with the caller's rights: the deals are the
-- app's, and whoever reads talking points or pushes needs SELECT on them.
--
-- Columns read by name: name, sector, geography, ebitda (a number, US
-- dollars), status (a deal is active when its status is 'active', trimmed,
-- any case).
--
-- Used by: admins (dialer.configure_deals); dialer.talking_points,
-- dialer.payload and so dialer.push and launches.

CREATE FUNCTION dialer.configure_deals(deal_relation regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing  text;
    previous regclass := (SELECT c.deal_relation FROM dialer.configuration c);
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    IF deal_relation IS NOT NULL THEN
        SELECT string_agg(format('"%s"', col), ', ' ORDER BY ord) INTO missing
        FROM unnest(ARRAY['name', 'sector', 'geography', 'ebitda', 'status']) WITH ORDINALITY AS w (col, ord)
        WHERE NOT EXISTS (SELECT FROM pg_attribute a
                          WHERE a.attrelid = deal_relation AND a.attname = w.col AND NOT a.attisdropped);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'deal relation % has no column %', deal_relation, missing
                USING ERRCODE = '42703',
                      HINT = 'The deals relation needs name, sector, geography, ebitda and status; map other names with a view.';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_attribute a
                       WHERE a.attrelid = deal_relation AND a.attname = 'ebitda' AND NOT a.attisdropped
                         AND a.atttypid IN ('numeric'::regtype, 'integer'::regtype, 'bigint'::regtype,
                                            'smallint'::regtype, 'real'::regtype, 'double precision'::regtype)) THEN
            RAISE EXCEPTION 'deal relation %: column "ebitda" must be a number (US dollars)', deal_relation
                USING ERRCODE = '42804';
        END IF;
    END IF;
    INSERT INTO dialer.configuration AS c (deal_relation, updated_by)
    VALUES (deal_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET deal_relation = excluded.deal_relation, updated_at = now(), updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'deal_relation',
                          details => jsonb_build_object('from', previous::text, 'to', deal_relation::text));
END
$$;

COMMENT ON FUNCTION dialer.configure_deals(regclass) IS
'Admin: the table or view of the app''s deals (columns name, sector, geography, ebitda in US dollars, status), so dialer.talking_points adds the active deals that fit a buyer; NULL stops it. Audited.';

-- The configured deals relation (definer: no grant on dialer.configuration
-- needed), NULL when none.
CREATE FUNCTION dialer._deal_relation()
RETURNS regclass
LANGUAGE sql STABLE PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.deal_relation FROM dialer.configuration c $$;

-- The active deals, read with the caller's rights; no rows without a deals
-- relation. Called by the C++ glue once per statement.
CREATE FUNCTION dialer._active_deals(OUT name text, OUT sector text, OUT geography text, OUT ebitda numeric)
RETURNS SETOF record
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    relation regclass := dialer._deal_relation();
BEGIN
    IF relation IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        $q$SELECT d.name::text, d.sector::text, d.geography::text, d.ebitda::numeric FROM %s d
            WHERE lower(btrim(d.status::text)) = 'active' AND nullif(btrim(d.name::text), '') IS NOT NULL$q$,
        relation);
END
$$;

-- ==========================================================================
-- extension/sql/25_metrics.sql
-- ==========================================================================

-- Success metrics: the spec's "Success Metrics (Track These)" as views.
--
--   dialer.metrics_push_time        per push job: filter applied -> every
--                                   contact in PhoneBurner (target < 60 s),
--                                   and the list prep time
--   dialer.metrics_rep_weeks        lists pushed per rep per week (target 3+),
--                                   with the week's average times
--   dialer.metrics_push_quality     per push: % of contacts with valid phones
--                                   (target > 95%), % excluded as recently
--                                   contacted (healthy 10-20%)
--   dialer.metrics_connection_rate  connection rate per session, per rep and
--                                   per list source
--
-- A push is what one dialer.push call made: one job, or the jobs of a push
-- split by tier (split_group). "Filter applied" is options.filter_applied_at
-- when the app sends it (the moment the rep applied the list's filters),
-- else the push call itself. Weeks start on Monday, in the session time zone.
--
-- Used by: analysts, reps, admins (read-only views over the queue and call
-- tables; 90_privileges.sql grants them to dialer_analyst).

CREATE VIEW dialer.metrics_push_time AS
SELECT j.id AS job_id,
       coalesce(j.split_group, j.id) AS push_id,
       j.session_id,
       j.requested_by,
       j.list_source,
       j.status,
       j.total AS contacts,
       coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at) AS filter_applied_at,
       j.options ? 'filter_applied_at' AS filter_time_given,
       j.requested_at,
       -- Every contact is in PhoneBurner once the job succeeded (an empty
       -- push: at the call).
       CASE WHEN j.status = 'succeeded' THEN coalesce(j.finished_at, j.requested_at) END AS all_in_phoneburner_at,
       CASE WHEN j.status = 'succeeded' THEN
           round(extract(epoch FROM coalesce(j.finished_at, j.requested_at)
                 - coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at))::numeric, 1)
       END AS seconds_to_phoneburner,
       60 AS target_seconds,
       CASE WHEN j.status = 'succeeded' THEN
           extract(epoch FROM coalesce(j.finished_at, j.requested_at)
                   - coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at)) < 60
       END AS met_target,
       -- List prep: from the filters applied to the push call (the spec's
       -- "average list prep time", 15 min by CSV, target 1.5 min).
       CASE WHEN j.options ? 'filter_applied_at' THEN
           round(extract(epoch FROM j.requested_at - (j.options ->> 'filter_applied_at')::timestamptz)::numeric, 1)
       END AS prep_seconds
FROM dialer.push_jobs j
WHERE j.kind = 'push' AND j.status <> 'cancelled';

COMMENT ON VIEW dialer.metrics_push_time IS
'Per push job: seconds from the filter applied (options.filter_applied_at, else the push call) to every contact in PhoneBurner (the job succeeded), against the spec''s 60 s target; prep_seconds from the filter applied to the push call.';

CREATE VIEW dialer.metrics_rep_weeks AS
SELECT t.requested_by AS rep,
       (date_trunc('week', t.requested_at))::date AS week,
       count(DISTINCT t.push_id) AS lists_pushed,
       3 AS target_lists,
       count(DISTINCT t.push_id) >= 3 AS met_target,
       count(*) AS jobs,
       sum(t.contacts) AS contacts,
       round(avg(t.seconds_to_phoneburner), 1) AS avg_seconds_to_phoneburner,
       round(avg(t.prep_seconds), 1) AS avg_prep_seconds
FROM dialer.metrics_push_time t
GROUP BY t.requested_by, (date_trunc('week', t.requested_at))::date
ORDER BY week DESC, rep;

COMMENT ON VIEW dialer.metrics_rep_weeks IS
'Lists pushed per rep per week (Monday, session time zone) against the spec''s 3+ target, with the week''s contacts and average time to PhoneBurner and list prep time.';

CREATE VIEW dialer.metrics_push_quality AS
WITH pushes AS (
    SELECT coalesce(j.split_group, j.id) AS push_id,
           min(j.requested_by) AS requested_by,
           min(j.requested_at) AS requested_at,
           min(j.list_source) AS list_source,
           sum(j.total) AS pushed,
           sum(coalesce((j.excluded ->> 'recently_contacted')::bigint, 0)) AS recently_contacted,
           sum(coalesce((j.excluded ->> 'invalid_phone')::bigint, 0)) AS invalid_phone,
           sum(coalesce((j.excluded ->> 'do_not_call')::bigint, 0)
               + coalesce((j.excluded ->> 'missing_required_fields')::bigint, 0)) AS other_excluded
    FROM dialer.push_jobs j
    WHERE j.kind = 'push' AND j.status <> 'cancelled'
    GROUP BY coalesce(j.split_group, j.id)
), called AS (
    -- The push's contacts that were called since, and those a call showed
    -- to have a wrong number ("flagged invalid after the first call attempt").
    SELECT coalesce(j.split_group, j.id) AS push_id,
           count(DISTINCT a.contact_id) AS called,
           count(DISTINCT a.contact_id) FILTER (WHERE a.outcome = 'wrong_number') AS wrong_number
    FROM dialer.push_jobs j
    JOIN dialer.push_items i ON i.job_id = j.id
    JOIN dialer.call_activity a ON a.session_id = j.session_id AND a.contact_id = i.contact_id
                               AND coalesce(a.started_at, a.ended_at, a.created_at) >= j.requested_at
    WHERE j.kind = 'push' AND j.status <> 'cancelled'
    GROUP BY coalesce(j.split_group, j.id)
)
SELECT p.push_id, p.requested_by, p.requested_at, p.list_source,
       p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded AS contacts,
       p.pushed,
       p.invalid_phone AS excluded_invalid_phone,
       coalesce(c.called, 0) AS called,
       coalesce(c.wrong_number, 0) AS wrong_number_after_call,
       round(100.0 * (p.pushed + p.recently_contacted + p.other_excluded - coalesce(c.wrong_number, 0))
             / nullif(p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded, 0), 1) AS valid_phone_pct,
       95 AS valid_phone_target_pct,
       p.recently_contacted AS excluded_recently_contacted,
       round(100.0 * p.recently_contacted
             / nullif(p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded, 0), 1) AS recently_contacted_pct,
       CASE WHEN p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded = 0 THEN NULL
            WHEN 100.0 * p.recently_contacted / (p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded) < 10
            THEN 'low'
            WHEN 100.0 * p.recently_contacted / (p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded) > 20
            THEN 'high'
            ELSE 'healthy' END AS recently_contacted_band
FROM pushes p LEFT JOIN called c ON c.push_id = p.push_id
ORDER BY p.requested_at DESC, p.push_id DESC;

COMMENT ON VIEW dialer.metrics_push_quality IS
'Per push: % of the list''s contacts with a valid phone (not excluded as invalid, not found to be a wrong number on a call since; target > 95%) and % excluded as recently contacted, with recently_contacted_band low (< 10%: risk of contact fatigue), healthy (10-20%) or high (> 20%: lists not refreshed).';

CREATE VIEW dialer.metrics_connection_rate AS
WITH calls AS (
    SELECT a.call_id, a.session_id, s.owner,
           dialer.call_connected(a.connected, a.outcome) AS connected,
           -- The list source of the latest push that put this contact in
           -- this session; calls of contacts never pushed count as manual.
           coalesce((SELECT j.list_source FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id
                     WHERE j.session_id = a.session_id AND j.kind = 'push' AND i.contact_id = a.contact_id
                     ORDER BY j.requested_at DESC, j.id DESC LIMIT 1), 'manual') AS list_source
    FROM dialer.call_activity a JOIN dialer.sessions s ON s.id = a.session_id
)
SELECT 'session' AS dimension, c.session_id::text AS key, count(*) AS calls,
       count(*) FILTER (WHERE c.connected) AS connected,
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1) AS connection_rate
FROM calls c GROUP BY c.session_id
UNION ALL
SELECT 'rep', c.owner, count(*), count(*) FILTER (WHERE c.connected),
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1)
FROM calls c GROUP BY c.owner
UNION ALL
SELECT 'list_source', c.list_source, count(*), count(*) FILTER (WHERE c.connected),
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1)
FROM calls c GROUP BY c.list_source;

COMMENT ON VIEW dialer.metrics_connection_rate IS
'Connection rate (% of calls connected, dialer.call_connected) by dimension: session (key: its id), rep (the session''s owner) and list_source (manual, template, smart_list, list, segment: of the push that put the contact in the session).';

-- ==========================================================================
-- extension/sql/26_smart_lists.sql
-- ==========================================================================

-- The five smart lists of the spec ("Smart Lists (Pre-built Segments)"),
-- installed with the extension as built-in segments (21_segments.sql: no
-- owner, shared with everyone, changed by admins only, audited as
-- smart_list_changed, never deleted), and dialer.suggested_lists(): each with
-- its live counts, in one call and one scan of the contact relation.
--
-- What each reads (the contact columns of docs/sql-reference.md):
--   Inactive Buyers (90+ Days)  buyers (contact_type 'buyer') with engagement
--                               over 50, not do_not_call, last called over
--                               90 days ago (or never, and created over 90
--                               days ago)
--   High Engagement             engagement over 75, called within 30 days
--   Callback Due Today          next_action_type 'call', next_action_date
--                               today in the acting rep's time zone
--                               (18_rep_time_zone.sql)
--   New This Month              created within the last 30 days
--   Passed on Deals             last_disposition 'Not a Fit', given over 180
--                               days ago: the write-back sets last_disposition
--                               with last_call_attempt_at, the call that gave
--                               it, so that column says when
--
-- Used by: the app (the "Suggested lists" box), analysts; 22_entry_points.sql
-- (a push of a smart list has list_source 'smart_list').

-- The five, as shipped, in the spec's order; nothing when they are there
-- already. Run once below by CREATE EXTENSION (a test that empties
-- dialer.segments runs it again); no role is granted it.
CREATE FUNCTION dialer._install_smart_lists()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF EXISTS (SELECT FROM dialer.segments s WHERE s.builtin) THEN
        RETURN;
    END IF;
    INSERT INTO dialer.segments (name, description, filter, owner, shared, builtin, created_by)
    SELECT v.name, v.description, dialer.validate_filter(v.filter::jsonb), NULL, true, true, 'pgdialer'
FROM (VALUES
    (1, 'Inactive Buyers (90+ Days)',
     'Buyers with engagement over 50, not on do-not-call, not called in 90+ days.',
     '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
               {"field": "engagement_score", "op": "gt", "value": 50},
               {"field": "do_not_call", "op": "ne", "value": true},
               {"or": [{"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 90}},
                       {"and": [{"never_contacted": true},
                                {"field": "created_at", "op": "lt", "value": {"days_ago": 90}}]}]}]}'),
    (2, 'High Engagement',
     'Engagement score over 75, called within the last 30 days.',
     '{"and": [{"field": "engagement_score", "op": "gt", "value": 75}, {"called_within_days": 30}]}'),
    (3, 'Callback Due Today',
     'A callback (next action "call") due today in your time zone.',
     '{"and": [{"field": "next_action_type", "op": "eq", "value": "call"},
               {"field": "next_action_date", "op": "on_date", "value": {"days_ago": 0}}]}'),
    (4, 'New This Month',
     'Contacts created in the last 30 days.',
     '{"field": "created_at", "op": "gte", "value": {"days_ago": 30}}'),
    (5, 'Passed on Deals',
     'Last call''s disposition "Not a Fit", more than 180 days ago: worth a new look.',
     '{"and": [{"field": "last_disposition", "op": "eq", "value": "Not a Fit"},
               {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 180}}]}')
) AS v (n, name, description, filter)
    ORDER BY v.n;
END
$fn$;

SELECT dialer._install_smart_lists();

-- The smart lists with their counts now, in their order. Runs with the
-- caller's rights over the contact relation (as dialer.dialable_count); the
-- filters come from dialer.segments_overview (the smart lists are shared).
-- All five are counted in one scan: each filter's WHERE becomes a column,
-- and dialer.is_dialable runs once per row that some list selects. A list
-- whose filter names a column the relation lacks gets NULL counts.
CREATE FUNCTION dialer.suggested_lists()
RETURNS TABLE (segment_id bigint, name text, description text, contacts bigint, dialable bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass := (SELECT c.contact_relation FROM dialer.configuration c);
    lists    record;
    params   text[] := '{}';
    condition text;
    ids      bigint[] := '{}';
    matches  text[] := '{}';
    counted  bigint[];
    dialables bigint[];
    k        integer;
BEGIN
    IF relation IS NOT NULL THEN
        FOR lists IN SELECT s.id, s.filter FROM dialer.segments_overview s WHERE s.builtin ORDER BY s.id LOOP
            BEGIN
                SELECT f.params, f.sql INTO params, condition FROM dialer._filter_sql(lists.filter, relation, params, '$', 1) f;
                ids := ids || lists.id;
                matches := matches || condition;
            EXCEPTION WHEN undefined_column OR datatype_mismatch THEN
                NULL;  -- counted as NULL below
            END;
        END LOOP;
    END IF;
    IF cardinality(ids) > 0 THEN
        EXECUTE format(
            'SELECT ARRAY[%s], ARRAY[%s] FROM (SELECT %s, CASE WHEN %s THEN dialer.is_dialable(c) END AS d '
            'FROM %s AS c WHERE %s) AS m',
            (SELECT string_agg(format('count(*) FILTER (WHERE m%s)', i), ', ') FROM generate_series(1, cardinality(ids)) i),
            (SELECT string_agg(format('count(*) FILTER (WHERE m%s AND d)', i), ', ') FROM generate_series(1, cardinality(ids)) i),
            (SELECT string_agg(format('%s AS m%s', matches[i], i), ', ') FROM generate_series(1, cardinality(ids)) i),
            array_to_string(matches, ' OR '), relation, array_to_string(matches, ' OR '))
            INTO counted, dialables USING params;
    END IF;
    FOR lists IN SELECT s.id, s.name, s.description FROM dialer.segments_overview s WHERE s.builtin ORDER BY s.id LOOP
        segment_id := lists.id;
        name := lists.name;
        description := lists.description;
        k := array_position(ids, lists.id);
        contacts := CASE WHEN relation IS NULL THEN 0 WHEN k IS NOT NULL THEN counted[k] END;
        dialable := CASE WHEN relation IS NULL THEN 0 WHEN k IS NOT NULL THEN dialables[k] END;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION dialer.suggested_lists() IS
'The five smart lists with live counts, in one call and one scan: segment_id, name, description, contacts, dialable (0 before dialer.configure; NULL for a list whose filter names a column the contact relation lacks). Push one with dialer.push_segment(segment_id).';

-- ==========================================================================
-- extension/sql/27_templates.sql
-- ==========================================================================

-- List templates on a schedule: "push segment X into a new session named
-- 'Callbacks {Month} {Year}' every first Monday at 08:00 New York time, for
-- Sarah". A template names a source (a list or a segment), a session name
-- pattern, a schedule, the rep it is assigned to (the owner of the sessions
-- it makes), push options, and whether each run makes a new session or adds
-- to the same one.
--
-- Schedules are jsonb, checked when saved (22023 naming what is wrong):
--   {"every": "day",   "at": "08:00", "time_zone": "America/New_York"}
--   {"every": "week",  "weekday": "monday", "at": ..., "time_zone": ...}
--   {"every": "month", "day": 15, ...}            (day 29-31: the month's last day when shorter)
--   {"every": "month", "weekday": "monday", "week": "first", ...}  (first .. fourth, last)
-- dialer._next_run(schedule, after) is the first due time strictly after
-- `after`: a local date and time in the schedule's time zone, made a
-- timestamptz with AT TIME ZONE, so DST is the time zone database's. The rule
-- for the two odd local times is PostgreSQL's: a local time that does not
-- exist (spring forward, 02:30 in New York) is read with the offset before
-- the change, so it runs an hour later on the wall clock (03:30 EDT); one
-- that happens twice (fall back, 01:30) is read with the offset after the
-- change (01:30 standard time): a run at most once a day either way.
--
-- Exactly once per due time: dialer.run_due_templates, which the daemon
-- calls every few seconds, locks due templates with FOR UPDATE SKIP LOCKED,
-- moves next_run to the first due time after now() and records the run (a
-- unique (template, due_at) row) in the same transaction as the push it
-- enqueues. Several daemons skip each other's templates; a daemon that dies
-- mid-run rolls all of it back; a template whose due times passed while no
-- daemon ran runs once (the oldest missed due time is recorded) and then
-- waits for its next due time after now.
--
-- A run acts as the assigned rep: the session's owner and the credential its
-- jobs use are the rep's, the rep must be able to read the list or segment,
-- and an inactive rep's template is not run (the run says so). The contact
-- relation is read with the extension owner's rights (the daemon's role need
-- not read it). dialer.acting_user() names the rep only inside the run:
-- a row of dialer.template_runs of this backend's transaction, still
-- 'running', is what lets it (dialer._template_run_acting), and nobody but
-- the definer functions here writes that table.
--
-- Push jobs made by a template have list_source 'template'. Every change is
-- a row of dialer.audit_log (object_type 'template'); every run is a row of
-- dialer.template_runs.
--
-- Used by: the app (the templates page: create, edit, enable, "Run now",
-- "Preview next run"); the daemon (dialer.run_due_templates).

CREATE TABLE dialer.list_templates (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL CHECK (btrim(name) <> ''),
    -- The source: a list or a segment. NULL both when it was deleted (the
    -- template's runs then fail saying so).
    list_id              bigint REFERENCES dialer.lists ON DELETE SET NULL,
    segment_id           bigint REFERENCES dialer.segments ON DELETE SET NULL,
    session_name_pattern text NOT NULL CHECK (btrim(session_name_pattern) <> ''),
    schedule             jsonb NOT NULL,
    assigned_to          text NOT NULL REFERENCES dialer.reps (name),
    push_options         jsonb NOT NULL DEFAULT '{}',
    -- true: every run pushes into one session (made by the first run).
    same_session         boolean NOT NULL DEFAULT false,
    session_id           bigint REFERENCES dialer.sessions ON DELETE SET NULL,
    enabled              boolean NOT NULL DEFAULT true,
    next_run             timestamptz,
    last_run_at          timestamptz,
    last_job_id          bigint REFERENCES dialer.push_jobs ON DELETE SET NULL,
    last_result          text,
    last_error           text,
    created_by           text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(list_id, segment_id) <= 1)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.list_templates', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.list_templates', 'id'), '');
CREATE INDEX list_templates_due ON dialer.list_templates (next_run) WHERE enabled;
CREATE INDEX list_templates_by_rep ON dialer.list_templates (assigned_to);

COMMENT ON TABLE dialer.list_templates IS
'List templates: a list or segment pushed on a schedule into a session named from a pattern, owned by the rep it is assigned to. Changed only through dialer.create_template, update_template, enable_template, disable_template, delete_template; run by dialer.run_due_templates (the daemon) and dialer.run_template_now.';

-- Every run of a template: due_at is the due time it ran for (NULL: run by
-- hand); unique per template, so a due time runs at most once.
CREATE TABLE dialer.template_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    template_id bigint NOT NULL REFERENCES dialer.list_templates ON DELETE CASCADE,
    due_at      timestamptz,
    run_at      timestamptz NOT NULL DEFAULT now(),
    run_by      text NOT NULL,      -- the daemon's worker id, or who ran it by hand
    rep         text NOT NULL,      -- the rep it ran as
    session_name text,
    job_id      bigint REFERENCES dialer.push_jobs ON DELETE SET NULL,
    -- queued: a push job was enqueued; empty: the source had no contacts;
    -- skipped: not run (inactive rep); failed: error says why.
    -- running only inside the run's own transaction.
    result      text NOT NULL CHECK (result IN ('running', 'queued', 'empty', 'skipped', 'failed')),
    error       text,
    backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
    xact        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (template_id, due_at)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.template_runs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.template_runs', 'id'), '');

COMMENT ON TABLE dialer.template_runs IS
'One row per template run: template_id, due_at (NULL for a run by hand), run_at, run_by (worker id or user), rep, session_name, job_id, result (queued, empty, skipped, failed), error.';

-- Whether a template run of this very transaction acts as `rep`
-- (dialer.acting_user asks when someone not in dialer_app names a rep).
CREATE FUNCTION dialer._template_run_acting(rep text)
RETURNS boolean
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM dialer.template_runs r
                   WHERE r.result = 'running' AND r.rep = _template_run_acting.rep
                     AND r.backend_pid = pg_backend_pid() AND r.xact = pg_current_xact_id_if_assigned())
$$;

-- ---------------------------------------------------------------------------
-- Schedules
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer._weekday_number(weekday text)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
    SELECT array_position(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
                          lower(weekday))
$$;

-- A schedule, checked and normalised (22023 naming what is wrong).
CREATE FUNCTION dialer._check_schedule(schedule jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    every   text;
    unknown text;
    at_time time;
    tz      text;
    result  jsonb;
BEGIN
    IF schedule IS NULL OR jsonb_typeof(schedule) <> 'object' THEN
        RAISE EXCEPTION 'a schedule must be a JSON object' USING ERRCODE = '22023',
            HINT = 'For example {"every": "week", "weekday": "monday", "at": "08:00", "time_zone": "America/New_York"}.';
    END IF;
    SELECT string_agg(format('"%s"', k), ', ') INTO unknown
    FROM jsonb_object_keys(schedule) k WHERE k NOT IN ('every', 'weekday', 'day', 'week', 'at', 'time_zone');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown schedule key %', unknown USING ERRCODE = '22023',
            HINT = 'Valid keys are every, weekday, day, week, at and time_zone.';
    END IF;
    every := schedule ->> 'every';
    IF every IS NULL OR every NOT IN ('day', 'week', 'month') THEN
        RAISE EXCEPTION 'schedule.every must be "day", "week" or "month", not %', coalesce(schedule ->> 'every', 'missing')
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(schedule -> 'at') IS DISTINCT FROM 'string' OR (schedule ->> 'at') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' THEN
        RAISE EXCEPTION 'schedule.at must be a local time "HH:MM" (00:00 to 23:59), not %', coalesce(schedule ->> 'at', 'missing')
            USING ERRCODE = '22023';
    END IF;
    at_time := (schedule ->> 'at')::time;
    tz := schedule ->> 'time_zone';
    IF tz IS NULL OR NOT EXISTS (SELECT FROM pg_timezone_names n WHERE n.name = tz) THEN
        RAISE EXCEPTION 'schedule.time_zone must be a time zone name such as "America/New_York", not %', coalesce(tz, 'missing')
            USING ERRCODE = '22023';
    END IF;
    result := jsonb_build_object('every', every, 'at', to_char(at_time, 'HH24:MI'), 'time_zone', tz);

    IF schedule ? 'weekday' AND dialer._weekday_number(schedule ->> 'weekday') IS NULL THEN
        RAISE EXCEPTION 'schedule.weekday must be monday .. sunday, not %', schedule ->> 'weekday' USING ERRCODE = '22023';
    END IF;
    CASE every
    WHEN 'day' THEN
        IF schedule ?| ARRAY['weekday', 'day', 'week'] THEN
            RAISE EXCEPTION 'a daily schedule takes only at and time_zone' USING ERRCODE = '22023';
        END IF;
    WHEN 'week' THEN
        IF NOT schedule ? 'weekday' OR schedule ?| ARRAY['day', 'week'] THEN
            RAISE EXCEPTION 'a weekly schedule needs a weekday (and no day or week)' USING ERRCODE = '22023';
        END IF;
        result := result || jsonb_build_object('weekday', lower(schedule ->> 'weekday'));
    WHEN 'month' THEN
        IF schedule ? 'day' THEN
            IF schedule ?| ARRAY['weekday', 'week'] THEN
                RAISE EXCEPTION 'a monthly schedule has either a day or a weekday and week, not both' USING ERRCODE = '22023';
            END IF;
            IF jsonb_typeof(schedule -> 'day') <> 'number' OR (schedule ->> 'day') !~ '^[0-9]+$'
               OR (schedule ->> 'day')::integer NOT BETWEEN 1 AND 31 THEN
                RAISE EXCEPTION 'schedule.day must be a day of the month, 1 to 31, not %', schedule -> 'day'
                    USING ERRCODE = '22023';
            END IF;
            result := result || jsonb_build_object('day', (schedule ->> 'day')::integer);
        ELSE
            IF NOT (schedule ? 'weekday' AND schedule ? 'week') THEN
                RAISE EXCEPTION 'a monthly schedule needs a day, or a weekday and a week ("first Monday")'
                    USING ERRCODE = '22023';
            END IF;
            IF coalesce(schedule ->> 'week', '') NOT IN ('first', 'second', 'third', 'fourth', 'last') THEN
                RAISE EXCEPTION 'schedule.week must be first, second, third, fourth or last, not %', schedule -> 'week'
                    USING ERRCODE = '22023';
            END IF;
            result := result || jsonb_build_object('weekday', lower(schedule ->> 'weekday'), 'week', schedule ->> 'week');
        END IF;
    END CASE;
    RETURN result;
END
$$;

-- Whether a local date is one of the schedule's days.
CREATE FUNCTION dialer._schedule_day(schedule jsonb, d date)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE schedule ->> 'every'
        WHEN 'day' THEN true
        WHEN 'week' THEN extract(isodow FROM d) = dialer._weekday_number(schedule ->> 'weekday')
        ELSE CASE
            WHEN schedule ? 'day' THEN
                extract(day FROM d) = least((schedule ->> 'day')::integer,
                                            extract(day FROM date_trunc('month', d) + interval '1 month - 1 day'))
            ELSE extract(isodow FROM d) = dialer._weekday_number(schedule ->> 'weekday')
                 AND CASE schedule ->> 'week'
                         WHEN 'last' THEN extract(month FROM d + 7) <> extract(month FROM d)
                         ELSE (extract(day FROM d)::integer - 1) / 7 + 1
                              = array_position(ARRAY['first', 'second', 'third', 'fourth'], schedule ->> 'week')
                     END
            END
    END
$$;

CREATE FUNCTION dialer._next_run(schedule jsonb, after timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s     jsonb := dialer._check_schedule(schedule);
    tz    text := s ->> 'time_zone';
    start date := (after AT TIME ZONE tz)::date - 1;
BEGIN
    -- Every schedule has a day within 62 days (a monthly one on the 31st
    -- falls on the last day of shorter months).
    RETURN (SELECT (d::date + (s ->> 'at')::time) AT TIME ZONE tz
            FROM generate_series(start, start + 63, interval '1 day') d
            WHERE dialer._schedule_day(s, d::date) AND (d::date + (s ->> 'at')::time) AT TIME ZONE tz > after
            ORDER BY d LIMIT 1);
END
$$;

COMMENT ON FUNCTION dialer._next_run(jsonb, timestamptz) IS
'The first due time of a template schedule strictly after `after` (22023 for a bad schedule). Nonexistent local times (spring forward) are read with the offset before the change, ambiguous ones (fall back) with the offset after it.';

-- A session name from a pattern, for a run due at `due` in time zone tz:
-- {Month} (January), {Year} (2027), {Date} (2027-01-04), {Quarter} (Q1).
CREATE FUNCTION dialer.template_session_name(pattern text, due timestamptz, time_zone text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d       date := (due AT TIME ZONE time_zone)::date;
    name    text;
    unknown text;
BEGIN
    IF pattern IS NULL OR btrim(pattern) = '' THEN
        RAISE EXCEPTION 'a session name pattern must not be empty' USING ERRCODE = '22023';
    END IF;
    name := replace(replace(replace(replace(pattern,
                '{Month}', to_char(d, 'FMMonth')), '{Year}', to_char(d, 'YYYY')),
                '{Date}', to_char(d, 'YYYY-MM-DD')), '{Quarter}', 'Q' || to_char(d, 'Q'));
    unknown := substring(name FROM '\{[^{}]*\}');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown placeholder % in session name pattern', unknown USING ERRCODE = '22023',
            HINT = 'Placeholders are {Month}, {Year}, {Date} and {Quarter}.';
    END IF;
    RETURN name;
END
$$;

COMMENT ON FUNCTION dialer.template_session_name(text, timestamptz, text) IS
'A template''s session name for a run due at `due`: {Month}, {Year}, {Date} (YYYY-MM-DD), {Quarter} (Q1..Q4) in the schedule''s time zone; 22023 for any other {placeholder}.';

-- A template's push options: those of dialer.push that make sense without a
-- person choosing contacts (no include, override_reason, filters).
CREATE FUNCTION dialer._template_options(push_options jsonb, same_session boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    opts    jsonb := dialer._push_options(push_options);
    refused text;
BEGIN
    SELECT string_agg(format('"%s"', k), ', ') INTO refused
    FROM jsonb_object_keys(opts) k WHERE k NOT IN ('min_days', 'update_existing', 'auto_launch', 'split_by_tier', 'description');
    IF refused IS NOT NULL THEN
        RAISE EXCEPTION 'push option % is not for templates', refused USING ERRCODE = '22023',
            HINT = 'Templates take min_days, update_existing, auto_launch, split_by_tier and description.';
    END IF;
    IF same_session AND coalesce((opts ->> 'split_by_tier')::boolean, false) THEN
        RAISE EXCEPTION 'split_by_tier makes new sessions each run: it cannot go with same_session' USING ERRCODE = '22023';
    END IF;
    RETURN opts;
END
$$;

-- ---------------------------------------------------------------------------
-- Managing templates (owner or admin; audited)
-- ---------------------------------------------------------------------------

-- The template locked for a change by the acting user (its rep or an admin).
CREATE FUNCTION dialer._template_for_change(template_id bigint, what text)
RETURNS dialer.list_templates
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates;
BEGIN
    SELECT * INTO t FROM dialer.list_templates lt WHERE lt.id = _template_for_change.template_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'template % does not exist', coalesce(template_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_collection_owner('template', t.id, t.assigned_to, what);
    RETURN t;
END
$$;

-- Who the template is for: the acting rep, or any active rep when an admin says.
CREATE FUNCTION dialer._template_rep(assigned_to text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF assigned_to IS NULL OR assigned_to = dialer.acting_user() THEN
        RETURN (dialer.current_rep()).name;
    END IF;
    PERFORM dialer._require_admin('assign a template to another rep');
    IF NOT EXISTS (SELECT FROM dialer.reps r WHERE r.name = assigned_to AND r.active) THEN
        RAISE EXCEPTION 'rep % does not exist or is inactive', assigned_to USING ERRCODE = '22023';
    END IF;
    RETURN assigned_to;
END
$$;

-- The source checked: exactly one, and readable by the acting user.
CREATE FUNCTION dialer._check_template_source(list_id bigint, segment_id bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    src record := dialer._list_or_segment(list_id, segment_id);
BEGIN
    IF src.kind = 'list' THEN
        PERFORM dialer._list_member_ids(list_id);
    ELSE
        PERFORM dialer._segment_filter(segment_id);
    END IF;
END
$$;

CREATE FUNCTION dialer.create_template(name text, session_name_pattern text, schedule jsonb,
                                       list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                       assigned_to text DEFAULT NULL, push_options jsonb DEFAULT '{}',
                                       same_session boolean DEFAULT false, enabled boolean DEFAULT true)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rep text := dialer._template_rep(create_template.assigned_to);
    s   jsonb := dialer._check_schedule(create_template.schedule);
    t   dialer.list_templates;
BEGIN
    PERFORM dialer._check_template_source(create_template.list_id, create_template.segment_id);
    PERFORM dialer.template_session_name(create_template.session_name_pattern, now(), s ->> 'time_zone');
    INSERT INTO dialer.list_templates (name, list_id, segment_id, session_name_pattern, schedule, assigned_to,
                                       push_options, same_session, enabled, next_run, created_by)
    VALUES (create_template.name, create_template.list_id, create_template.segment_id,
            create_template.session_name_pattern, s, rep,
            dialer._template_options(create_template.push_options, create_template.same_session),
            create_template.same_session, create_template.enabled,
            CASE WHEN create_template.enabled THEN dialer._next_run(s, now()) END, dialer.acting_user())
    RETURNING * INTO t;
    PERFORM dialer._audit('template_created', 'template', t.id::text, details => jsonb_build_object(
        'name', t.name, 'assigned_to', t.assigned_to, 'list_id', t.list_id, 'segment_id', t.segment_id,
        'schedule', t.schedule, 'push_options', t.push_options, 'same_session', t.same_session));
    RETURN t.id;
END
$$;

COMMENT ON FUNCTION dialer.create_template(text, text, jsonb, bigint, bigint, text, jsonb, boolean, boolean) IS
'Create a list template: one of list_id / segment_id, a session name pattern ({Month}, {Year}, {Date}, {Quarter}), a schedule (jsonb), the rep it runs as (default: the acting rep; another rep: admins), push options (min_days, update_existing, auto_launch, split_by_tier, description), same_session. Returns its id.';

-- NULL arguments keep what is there. A new source replaces the old one.
CREATE FUNCTION dialer.update_template(template_id bigint, name text DEFAULT NULL,
                                       session_name_pattern text DEFAULT NULL, schedule jsonb DEFAULT NULL,
                                       list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                       assigned_to text DEFAULT NULL, push_options jsonb DEFAULT NULL,
                                       same_session boolean DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates := dialer._template_for_change(update_template.template_id, 'change it');
    new dialer.list_templates;
BEGIN
    new := t;
    new.name := coalesce(update_template.name, t.name);
    new.session_name_pattern := coalesce(update_template.session_name_pattern, t.session_name_pattern);
    new.schedule := dialer._check_schedule(coalesce(update_template.schedule, t.schedule));
    IF update_template.list_id IS NOT NULL OR update_template.segment_id IS NOT NULL THEN
        PERFORM dialer._check_template_source(update_template.list_id, update_template.segment_id);
        new.list_id := update_template.list_id;
        new.segment_id := update_template.segment_id;
    END IF;
    IF update_template.assigned_to IS NOT NULL AND update_template.assigned_to <> t.assigned_to THEN
        PERFORM dialer._require_admin('assign a template to another rep');
        new.assigned_to := dialer._template_rep(update_template.assigned_to);
    END IF;
    new.same_session := coalesce(update_template.same_session, t.same_session);
    new.push_options := dialer._template_options(coalesce(update_template.push_options, t.push_options), new.same_session);
    PERFORM dialer.template_session_name(new.session_name_pattern, now(), new.schedule ->> 'time_zone');
    IF new.schedule <> t.schedule AND t.enabled THEN
        new.next_run := dialer._next_run(new.schedule, now());
    END IF;
    -- A new rep or a new session mode starts a new session.
    IF new.assigned_to <> t.assigned_to OR NOT new.same_session THEN
        new.session_id := NULL;
    END IF;
    UPDATE dialer.list_templates lt
    SET name = new.name, session_name_pattern = new.session_name_pattern, schedule = new.schedule,
        list_id = new.list_id, segment_id = new.segment_id, assigned_to = new.assigned_to,
        push_options = new.push_options, same_session = new.same_session, session_id = new.session_id,
        next_run = new.next_run, updated_at = now()
    WHERE lt.id = t.id;
    PERFORM dialer._audit('template_updated', 'template', t.id::text, details => jsonb_build_object(
        'name', new.name, 'assigned_to', new.assigned_to, 'list_id', new.list_id, 'segment_id', new.segment_id,
        'schedule', new.schedule, 'push_options', new.push_options, 'same_session', new.same_session,
        'session_name_pattern', new.session_name_pattern));
END
$$;

COMMENT ON FUNCTION dialer.update_template(bigint, text, text, jsonb, bigint, bigint, text, jsonb, boolean) IS
'Change a template (its rep or an admin; another rep: admins). NULL arguments keep what is there; a new schedule recomputes next_run.';

-- Enabling computes the next due time from now: a template disabled for a
-- month does not run for the month it missed.
CREATE FUNCTION dialer.enable_template(template_id bigint, enabled boolean DEFAULT true)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(enable_template.template_id,
                                   CASE WHEN enable_template.enabled THEN 'enable it' ELSE 'disable it' END);
    due timestamptz := CASE WHEN enable_template.enabled THEN dialer._next_run(t.schedule, now()) END;
BEGIN
    UPDATE dialer.list_templates lt SET enabled = enable_template.enabled, next_run = due, updated_at = now()
    WHERE lt.id = t.id;
    PERFORM dialer._audit(CASE WHEN enable_template.enabled THEN 'template_enabled' ELSE 'template_disabled' END,
                          'template', t.id::text, details => jsonb_build_object('next_run', due));
    RETURN due;
END
$$;

CREATE FUNCTION dialer.disable_template(template_id bigint)
RETURNS void
LANGUAGE sql
AS $$ SELECT dialer.enable_template(template_id, false) $$;

CREATE FUNCTION dialer.delete_template(template_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(delete_template.template_id, 'delete it');
BEGIN
    DELETE FROM dialer.list_templates lt WHERE lt.id = t.id;
    PERFORM dialer._audit('template_deleted', 'template', t.id::text,
                          details => jsonb_build_object('name', t.name, 'assigned_to', t.assigned_to));
END
$$;

COMMENT ON FUNCTION dialer.enable_template(bigint, boolean) IS 'Enable (or, with false, disable) a template; returns its next run (NULL when disabled).';
COMMENT ON FUNCTION dialer.disable_template(bigint) IS 'Disable a template: it keeps its runs and settings and stops running.';
COMMENT ON FUNCTION dialer.delete_template(bigint) IS 'Delete a template and its run history (its rep or an admin; the audit log keeps the deletion).';

-- ---------------------------------------------------------------------------
-- Running
-- ---------------------------------------------------------------------------

-- A run is split by whose rights each step needs. The steps that write
-- pgdialer's tables are definer functions (_start_template_run,
-- _claim_due_templates, _push_template, _finish_template_run); the step that
-- reads the contact relation (_run_template, _push_template_source) runs with
-- the caller's rights, as every entry point does: the daemon's login for
-- scheduled runs, whoever clicks "Run now" for a run by hand.

-- The run row, 'running' until _finish_template_run: it is what lets
-- dialer.acting_user name the rep in this transaction. NULL when this due
-- time ran already. An inactive rep's run is recorded skipped at once.
CREATE FUNCTION dialer._open_template_run(t dialer.list_templates, due timestamptz, run_by text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run dialer.template_runs;
BEGIN
    INSERT INTO dialer.template_runs (template_id, due_at, run_by, rep, result)
    VALUES (t.id, due, run_by, t.assigned_to, 'running')
    ON CONFLICT (template_id, due_at) DO NOTHING
    RETURNING * INTO run;
    IF run.id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT (SELECT r.active FROM dialer.reps r WHERE r.name = t.assigned_to) THEN
        RETURN dialer._close_template_run(run, 'skipped', NULL, format('rep %s is inactive: the template was not run',
                                                                       t.assigned_to), NULL);
    ELSIF t.list_id IS NULL AND t.segment_id IS NULL THEN
        RETURN dialer._close_template_run(run, 'failed', NULL, 'its list or segment was deleted', NULL);
    END IF;
    RETURN run;
END
$$;

-- Records a run's outcome, on the run and on its template, and audits it.
CREATE FUNCTION dialer._close_template_run(run dialer.template_runs, result text, job_id bigint, error text,
                                           session_name text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE dialer.template_runs r
    SET result = _close_template_run.result, job_id = _close_template_run.job_id, error = _close_template_run.error,
        session_name = _close_template_run.session_name
    WHERE r.id = run.id
    RETURNING * INTO run;
    UPDATE dialer.list_templates lt
    SET last_run_at = run.run_at, last_job_id = run.job_id, last_result = run.result, last_error = run.error,
        session_id = CASE WHEN lt.same_session AND lt.session_id IS NULL AND run.job_id IS NOT NULL
                          THEN (SELECT j.session_id FROM dialer.push_jobs j WHERE j.id = run.job_id)
                          ELSE lt.session_id END
    WHERE lt.id = run.template_id;
    PERFORM dialer._audit('template_run', 'template', run.template_id::text, details => jsonb_build_object(
        'run_id', run.id, 'due_at', run.due_at, 'rep', run.rep, 'result', run.result, 'job_id', run.job_id,
        'error', run.error));
    RETURN run;
END
$$;

-- What the invoker step needs of a template and its open run.
CREATE TYPE dialer.template_run_step AS (
    run_id       bigint,
    result       text,      -- 'running': to run; else the run's outcome already
    error        text,
    rep          text,
    kind         text,      -- 'list' or 'segment'
    ref          text,
    session_name text,
    session_id   bigint,    -- same_session's session once made
    options      jsonb
);

CREATE FUNCTION dialer._run_step(t dialer.list_templates, run dialer.template_runs)
RETURNS dialer.template_run_step
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ROW(run.id, run.result, run.error, t.assigned_to,
               CASE WHEN t.list_id IS NOT NULL THEN 'list' ELSE 'segment' END,
               coalesce(t.list_id, t.segment_id)::text,
               dialer.template_session_name(t.session_name_pattern, coalesce(run.due_at, run.run_at),
                                            t.schedule ->> 'time_zone'),
               CASE WHEN t.same_session THEN t.session_id END,
               -- options.description is for a new session only.
               CASE WHEN t.same_session AND t.session_id IS NOT NULL THEN t.push_options - 'description'
                    ELSE t.push_options END)::dialer.template_run_step
$$;

-- The daemon's claim: the due templates locked (until the caller's
-- transaction ends), each one's next_run moved past now, and its run opened.
-- A template another daemon is running is skipped; once that one commits,
-- next_run is past now() and the row no longer qualifies (READ COMMITTED
-- re-checks a row that changed under the lock).
CREATE FUNCTION dialer._claim_due_templates(worker text, max_templates integer)
RETURNS SETOF dialer.template_run_step
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates;
    run dialer.template_runs;
BEGIN
    IF worker IS NULL OR btrim(worker) = '' THEN
        RAISE EXCEPTION 'worker must name the daemon' USING ERRCODE = '22023';
    END IF;
    FOR t IN
        SELECT * FROM dialer.list_templates lt
        WHERE lt.enabled AND lt.next_run <= now()
        ORDER BY lt.next_run, lt.id
        LIMIT max_templates
        FOR UPDATE SKIP LOCKED
    LOOP
        -- Missed due times are not run one by one: the next is after now.
        UPDATE dialer.list_templates lt SET next_run = dialer._next_run(t.schedule, greatest(now(), t.next_run))
        WHERE lt.id = t.id;
        run := dialer._open_template_run(t, t.next_run, worker);
        IF run.id IS NOT NULL THEN
            RETURN NEXT dialer._run_step(t, run);
        END IF;
    END LOOP;
END
$$;

-- "Run now": the template locked and its run opened, for its rep or an admin.
CREATE FUNCTION dialer._start_template_run(template_id bigint)
RETURNS dialer.template_run_step
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(_start_template_run.template_id, 'run it');
BEGIN
    RETURN dialer._run_step(t, dialer._open_template_run(t, NULL, dialer.acting_user()));
END
$$;

-- dialer.push for a template run: list_source 'template', only as the rep
-- of a run open in this transaction (42501 otherwise).
CREATE FUNCTION dialer._push_template(contacts anyarray, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT dialer._template_run_acting(dialer.acting_user()) THEN
        RAISE EXCEPTION 'only a template run may push as a template' USING ERRCODE = '42501';
    END IF;
    RETURN dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options, 'template');
END
$$;

-- dialer._push_source for a template run, with the caller's rights over the
-- contact relation; NULL rather than an error for a source with no contacts.
CREATE FUNCTION dialer._push_template_source(kind text, ref text, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    job_id bigint;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT CASE WHEN x.rows IS NOT NULL THEN dialer._push_template(x.rows, $2, $3, $4) END
                    FROM (SELECT array_agg(c ORDER BY c.id) AS rows FROM %s) x', q.from_where)
        INTO job_id USING q.params, session_name, session_id, options;
    RETURN job_id;
END
$$;

-- Records a run's outcome: only a run open in this transaction.
CREATE FUNCTION dialer._finish_template_run(run_id bigint, result text, job_id bigint, error text, session_name text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run dialer.template_runs;
BEGIN
    SELECT * INTO run FROM dialer.template_runs r
    WHERE r.id = _finish_template_run.run_id AND r.result = 'running'
      AND r.backend_pid = pg_backend_pid() AND r.xact = pg_current_xact_id_if_assigned();
    IF NOT FOUND OR _finish_template_run.result NOT IN ('queued', 'empty', 'failed') THEN
        RAISE EXCEPTION 'no template run % is open in this transaction', run_id USING ERRCODE = '42501';
    END IF;
    RETURN dialer._close_template_run(run, _finish_template_run.result, _finish_template_run.job_id,
                                      _finish_template_run.error, _finish_template_run.session_name);
END
$$;

-- One opened run, as its rep, with the caller's rights over the contacts.
-- Errors of the push are the run's outcome, not the caller's: the run is
-- recorded whatever happens.
CREATE FUNCTION dialer._run_template(step dialer.template_run_step)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous text := current_setting('dialer.acting_user', true);
    job      bigint;
BEGIN
    IF step.result <> 'running' THEN
        RETURN NULL;  -- closed when it was opened (skipped)
    END IF;
    BEGIN
        PERFORM set_config('dialer.acting_user', step.rep, true);
        job := dialer._push_template_source(step.kind, step.ref, step.session_name, step.session_id, step.options);
        PERFORM set_config('dialer.acting_user', coalesce(previous, ''), true);
    EXCEPTION WHEN OTHERS THEN
        RETURN dialer._finish_template_run(step.run_id, 'failed', NULL, SQLERRM, step.session_name);
    END;
    RETURN dialer._finish_template_run(step.run_id, CASE WHEN job IS NULL THEN 'empty' ELSE 'queued' END, job, NULL,
                                       step.session_name);
END
$$;

-- The daemon's step: run every due template once. Returns how many ran.
CREATE FUNCTION dialer.run_due_templates(worker text, max_templates integer DEFAULT 20)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    step dialer.template_run_step;
    ran  integer := 0;
BEGIN
    FOR step IN SELECT * FROM dialer._claim_due_templates(worker, max_templates) LOOP
        IF step.result = 'running' THEN
            PERFORM dialer._run_template(step);
        END IF;
        ran := ran + 1;
    END LOOP;
    RETURN ran;
END
$$;

COMMENT ON FUNCTION dialer.run_due_templates(text, integer) IS
'The daemon: run the templates that are due (at most max_templates), each once per due time, as their reps, reading the contact relation with the caller''s rights; push jobs get list_source ''template''. Returns how many ran.';

CREATE FUNCTION dialer.run_template_now(template_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    step dialer.template_run_step := dialer._start_template_run(run_template_now.template_id);
    run  dialer.template_runs;
BEGIN
    IF step.result = 'running' THEN
        run := dialer._run_template(step);
        RETURN jsonb_build_object('run_id', run.id, 'result', run.result, 'job_id', run.job_id,
                                  'session_name', run.session_name, 'error', run.error);
    END IF;
    RETURN jsonb_build_object('run_id', step.run_id, 'result', step.result, 'job_id', NULL,
                              'session_name', NULL, 'error', step.error);
END
$$;

COMMENT ON FUNCTION dialer.run_template_now(bigint) IS
'"Run now": run a template by hand (its rep or an admin), as its rep, leaving its schedule alone. Returns {run_id, result (queued, empty, skipped, failed), job_id, session_name, error}.';

-- What the template's next run would push: the preview of its source with
-- its options, with the caller's rights over the contact relation.
CREATE FUNCTION dialer._template_for_preview(template_id bigint)
RETURNS dialer.list_templates
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates;
BEGIN
    SELECT * INTO t FROM dialer.list_templates lt WHERE lt.id = _template_for_preview.template_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'template % does not exist', coalesce(template_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    IF NOT (t.assigned_to = dialer.acting_user() OR dialer._is_admin()) THEN
        RAISE EXCEPTION 'template % belongs to %; only its rep or an admin may preview it', t.id, t.assigned_to
            USING ERRCODE = '42501';
    END IF;
    IF t.list_id IS NULL AND t.segment_id IS NULL THEN
        RAISE EXCEPTION 'template %''s list or segment was deleted', t.id USING ERRCODE = '55000';
    END IF;
    RETURN t;
END
$$;

CREATE FUNCTION dialer.preview_template(template_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates := dialer._template_for_preview(preview_template.template_id);
    due timestamptz := coalesce(t.next_run, dialer._next_run(t.schedule, now()));
BEGIN
    RETURN jsonb_build_object(
        'template_id', t.id, 'next_run', due, 'enabled', t.enabled, 'assigned_to', t.assigned_to,
        'session_name', CASE WHEN t.same_session AND t.session_id IS NOT NULL
                             THEN (SELECT s.name FROM dialer.sessions s WHERE s.id = t.session_id)
                             ELSE dialer.template_session_name(t.session_name_pattern, due, t.schedule ->> 'time_zone') END,
        'session_id', CASE WHEN t.same_session THEN t.session_id END,
        'preview', dialer._preview_source(CASE WHEN t.list_id IS NOT NULL THEN 'list' ELSE 'segment' END,
                                          coalesce(t.list_id, t.segment_id)::text,
                                          -- the push options a preview knows
                                          jsonb_strip_nulls(jsonb_build_object('min_days', t.push_options -> 'min_days'))));
END
$$;

COMMENT ON FUNCTION dialer.preview_template(bigint) IS
'"Preview next run": {template_id, next_run, enabled, assigned_to, session_name, session_id, preview (dialer.preview of its source now, with its options)}.';

-- ---------------------------------------------------------------------------
-- For the app
-- ---------------------------------------------------------------------------

CREATE VIEW dialer.templates_overview AS
SELECT t.id, t.name, t.list_id, t.segment_id, coalesce(l.name, s.name) AS source_name, t.session_name_pattern,
       t.schedule, t.assigned_to, r.display_name AS assigned_to_name, r.active AS rep_active, t.push_options,
       t.same_session, t.session_id, t.enabled, t.next_run, t.last_run_at, t.last_job_id, t.last_result, t.last_error,
       t.created_by, t.created_at, t.updated_at
FROM dialer.list_templates t
JOIN dialer.reps r ON r.name = t.assigned_to
LEFT JOIN dialer.lists l ON l.id = t.list_id
LEFT JOIN dialer.segments s ON s.id = t.segment_id
WHERE t.assigned_to = dialer.acting_user() OR dialer._is_admin()
ORDER BY t.next_run NULLS LAST, t.id;

COMMENT ON VIEW dialer.templates_overview IS
'The templates of the acting rep (admins: all), soonest first: settings, next_run, and the last run (last_run_at, last_job_id, last_result, last_error).';

CREATE VIEW dialer.template_run_history AS
SELECT r.id, r.template_id, t.name AS template_name, r.due_at, r.run_at, r.run_by, r.rep, r.session_name,
       r.job_id, r.result, r.error
FROM dialer.template_runs r
JOIN dialer.list_templates t ON t.id = r.template_id
WHERE t.assigned_to = dialer.acting_user() OR dialer._is_admin()
ORDER BY r.run_at DESC, r.id DESC;

COMMENT ON VIEW dialer.template_run_history IS
'Every run of the templates the acting user may see, newest first: due_at (NULL: by hand), run_at, run_by, rep, session_name, job_id, result, error.';

-- ==========================================================================
-- extension/sql/80_daemon_versions.sql
-- ==========================================================================

-- The version handshake between the extension and pgdialer-sync. Each side
-- knows which versions of the other it works with:
--   - the daemon knows the range of extension versions it supports, reads
--     pg_extension at start and after every reconnect, and exits 78 (a
--     configuration error: systemd does not restart it) on any other; it
--     tells daemon_hello that range, so the refusal is on record here too;
--   - the extension knows the oldest daemon it supports
--     (dialer.minimum_daemon_version()); dialer.daemon_hello records every
--     daemon that connects and tells it that minimum, so a daemon too old
--     for this schema refuses to run too, and an admin sees it in
--     dialer.daemon_versions even after it stopped.
--
-- Used by: the daemon (daemon_hello, once per connection); admins and
-- analysts read dialer.daemon_versions.

-- The oldest pgdialer-sync this version of the extension works with: the
-- first daemon that calls every daemon function the way this schema defines
-- them. Raise it when a daemon function's signature or meaning changes.
CREATE FUNCTION dialer.minimum_daemon_version()
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '1.0.0';

COMMENT ON FUNCTION dialer.minimum_daemon_version() IS
'The oldest pgdialer-sync version this extension version works with; an older daemon refuses to run.';

-- Dotted version strings compared as numbers: 1.10 is after 1.9. Anything
-- that is not digits and dots raises 22023 (a daemon sends its own version,
-- so that is a bug, not input to tolerate).
CREATE FUNCTION dialer._version_number(version text)
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF version !~ '^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$' THEN
        RAISE EXCEPTION 'invalid version "%"', version
            USING ERRCODE = '22023', HINT = 'A version is numbers separated by dots, such as 1.0.0.';
    END IF;
    RETURN string_to_array(version, '.')::integer[];
END
$$;

-- One row per daemon (worker id) that connected: its version, what it
-- found, and when it was first and last seen. Kept after the daemon stops,
-- so a too-old daemon that refused to run is still visible.
CREATE TABLE dialer.daemons_seen (
    worker_id         text PRIMARY KEY,
    daemon_version    text NOT NULL,
    extension_version text NOT NULL,          -- what the daemon found installed
    supports_from     text NOT NULL,          -- the daemon's range of extension versions:
    supports_below    text NOT NULL,          --   from <= version < below
    login_role        text NOT NULL,          -- the role it connected as
    client_address    inet,                   -- NULL over a Unix socket
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    connections       bigint NOT NULL DEFAULT 1
);
SELECT pg_catalog.pg_extension_config_dump('dialer.daemons_seen', '');
CREATE INDEX daemons_seen_by_time ON dialer.daemons_seen (last_seen_at);

COMMENT ON TABLE dialer.daemons_seen IS
'Every pgdialer-sync process that connected (by worker id), with its version and when it was first and last seen; written by dialer.daemon_hello. Read it through dialer.daemon_versions.';

-- The daemon's first call on every connection. Records it and returns the
-- oldest daemon version this extension supports; the daemon compares and
-- refuses to run when it is older (or when this extension's version is
-- outside supports_from .. supports_below, which it checked already).
CREATE FUNCTION dialer.daemon_hello(daemon_version text, worker_id text, supports_from text,
                                    supports_below text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    installed text;
BEGIN
    PERFORM dialer._version_number(daemon_version), dialer._version_number(supports_from),
            dialer._version_number(supports_below);
    IF worker_id IS NULL OR worker_id = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'a worker id is 1 to 200 characters'
            USING ERRCODE = '22023';
    END IF;
    SELECT e.extversion INTO installed FROM pg_catalog.pg_extension e WHERE e.extname = 'pgdialer';
    INSERT INTO dialer.daemons_seen AS d
           (worker_id, daemon_version, extension_version, supports_from, supports_below, login_role,
            client_address)
    VALUES (worker_id, daemon_version, installed, supports_from, supports_below, session_user,
            inet_client_addr())
    ON CONFLICT ON CONSTRAINT daemons_seen_pkey DO UPDATE
       SET daemon_version = EXCLUDED.daemon_version,
           extension_version = EXCLUDED.extension_version,
           supports_from = EXCLUDED.supports_from,
           supports_below = EXCLUDED.supports_below,
           login_role = EXCLUDED.login_role,
           client_address = EXCLUDED.client_address,
           last_seen_at = now(),
           connections = d.connections + 1;
    RETURN dialer.minimum_daemon_version();
END
$$;

COMMENT ON FUNCTION dialer.daemon_hello(text, text, text, text) IS
'The daemon''s handshake (once per connection): records its version and the extension versions it supports under its worker id, and returns dialer.minimum_daemon_version().';

-- What an admin reads: every daemon seen, newest first, and whether it works
-- with the extension installed now, both ways: the extension supports the
-- daemon (its version is at least the minimum) and the daemon supports the
-- extension (the installed version is inside the daemon's range).
CREATE VIEW dialer.daemon_versions AS
SELECT d.worker_id,
       d.daemon_version,
       dialer._version_number(d.daemon_version) >= dialer._version_number(dialer.minimum_daemon_version())
       AND dialer._version_number(e.extversion) >= dialer._version_number(d.supports_from)
       AND dialer._version_number(e.extversion) < dialer._version_number(d.supports_below)
           AS supported,
       d.supports_from || ' <= version < ' || d.supports_below AS extension_versions_supported,
       d.extension_version AS extension_version_seen,
       d.login_role,
       d.client_address,
       d.first_seen_at,
       d.last_seen_at,
       d.connections
  FROM dialer.daemons_seen d
 CROSS JOIN pg_catalog.pg_extension e
 WHERE e.extname = 'pgdialer'
 ORDER BY d.last_seen_at DESC, d.worker_id;

COMMENT ON VIEW dialer.daemon_versions IS
'Every pgdialer-sync seen, newest first: its version, whether it works with the extension installed now (supported = false: upgrade the daemon, or the extension, per docs), the extension versions it supports, the one it found, who it connected as, and when.';

-- ==========================================================================
-- extension/sql/90_privileges.sql
-- ==========================================================================

-- Privileges, all in one place and last (numbered to stay last as files are
-- added): who may run what (the roles are
-- 00_roles.sql). Nothing is PUBLIC's but the pure rules; no role but the
-- extension's owner may write a table directly. Every write goes through a
-- function; those that write what their caller may not are SECURITY DEFINER
-- with search_path pinned to pg_catalog, pg_temp and schema-qualified names,
-- and check the caller's role and ownership themselves (01_reps.sql,
-- 14_session_manage.sql). Functions called only from inside those need no
-- grant at all.
--
-- What the roles need outside this schema is the installer's to grant
-- (docs/sql-reference.md, "Roles and privileges"): the daemon's login role
-- reads the contact relation (launch re-checks, shared numbers) and writes
-- what the write-back hook writes; reps read the contacts they preview.

REVOKE ALL ON ALL TABLES IN SCHEMA dialer FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA dialer FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA dialer FROM PUBLIC;
GRANT USAGE ON SCHEMA dialer TO PUBLIC;

-- ---------------------------------------------------------------------------
-- PUBLIC: the pure rules (they read the suppression list through
-- dialer._suppressed_numbers, and write nothing).
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.e164(text, text), dialer.e164_immutable(text, text), dialer.phone_info(text, text),
    dialer.maintain_phone_e164(),
    dialer.exclusion(record, integer, timestamptz), dialer.is_dialable(record),
    dialer._rules_support(internal), dialer._exclusion_columns(text[], boolean, integer, timestamptz, "any"),
    dialer._is_dialable_columns(text[], boolean, "any"), dialer._suppressed_numbers(),
    dialer.session_name(text[], text[], jsonb, date), dialer.dial_time(bigint, real),
    dialer.payload(record), dialer.talking_points(record),
    dialer.preview(anyarray, jsonb), dialer.preview_agg(anyelement, jsonb),
    dialer._preview_step(internal, anyelement, jsonb), dialer._preview_final(internal),
    dialer.classify_list(anyarray, jsonb),
    dialer.priority_tier(text), dialer._list_size_limit(), dialer._deal_relation(), dialer._active_deals(),
    dialer.never_contacted(record), dialer.called_this_week(record),
    dialer.filter_fields(), dialer.validate_filter(jsonb), dialer.dialable_count(anyarray),
    dialer.list_export(anyarray, jsonb),
    dialer._next_run(jsonb, timestamptz), dialer._check_schedule(jsonb), dialer._schedule_day(jsonb, date),
    dialer._weekday_number(text), dialer.template_session_name(text, timestamptz, text),
    dialer._template_run_acting(text),
    dialer.minimum_daemon_version(), dialer._version_number(text)
TO PUBLIC;

-- The filter language's internal steps (19_filters.sql) are pure and run with
-- the caller's rights wherever a filter is validated or compiled.
GRANT EXECUTE ON FUNCTION
    dialer._filter_operator_kinds(text), dialer._filter_error(text, text, text),
    dialer._filter_value(text, text, jsonb, text, text), dialer._like_literal(text),
    dialer._filter_sql(jsonb, regclass, text[], text, integer), dialer._filter_column(regclass, text, text),
    dialer._filter_day(text, jsonb, text), dialer._day_start(date, text),
    dialer.rep_time_zone(), dialer.rep_today()
TO PUBLIC;

-- ---------------------------------------------------------------------------
-- dialer_analyst: read-only. The dashboard views (they read the tables with
-- the owner's rights), the small tables the views' functions read, and
-- contact_state (which the app joins into its contact relation).
-- ---------------------------------------------------------------------------
GRANT SELECT ON dialer.sessions_overview, dialer.session_stats, dialer.session_contacts,
                dialer.session_activity, dialer.unmapped_dispositions,
                dialer.configuration, dialer.disposition_map, dialer.reps, dialer.contact_state,
                dialer.metrics_push_time, dialer.metrics_rep_weeks, dialer.metrics_push_quality,
                dialer.metrics_connection_rate
TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.acting_user(), dialer.current_rep(),
    dialer.activity_status(text, bigint, bigint, timestamptz, timestamptz),
    dialer.call_connected(boolean, text), dialer.disposition_outcome(text),
    dialer.session_export(bigint)
TO dialer_analyst;

-- Lists and segments, read (20_lists.sql, 21_segments.sql, 22_entry_points.sql):
-- shared ones, and their own. These run with the caller's rights over the
-- contact relation; the definer steps check who may read which list or
-- segment.
GRANT SELECT ON dialer.lists_overview, dialer.segments_overview TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.filter_sql(jsonb, regclass),
    dialer.preview_list(bigint, jsonb), dialer.preview_segment(bigint, jsonb),
    dialer.preview_contacts(anyarray, jsonb), dialer.preview_deal(text, jsonb),
    dialer.list_contacts(bigint), dialer.list_contacts(bigint, anyelement),
    dialer.segment_contacts(bigint), dialer.segment_contacts(bigint, anyelement),
    dialer.dialable_count(bigint, bigint), dialer.list_export(bigint, bigint, jsonb),
    dialer._is_admin(), dialer._contact_relation(text), dialer._deal_contacts_relation(),
    dialer._list_member_ids(bigint), dialer._segment_filter(bigint),
    dialer._source_query(text, text), dialer._id_array(anyarray), dialer._list_or_segment(bigint, bigint),
    dialer._preview_source(text, text, jsonb), dialer._source_ids(text, text),
    dialer._source_rows(text, text, anyelement)
TO dialer_analyst;
-- The smart lists with their counts (26_smart_lists.sql): read like segments.
GRANT EXECUTE ON FUNCTION dialer.suggested_lists() TO dialer_analyst;

-- ---------------------------------------------------------------------------
-- dialer_rep (and so dialer_app and dialer_admin): push, launch, and their
-- own sessions; ownership is checked inside.
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.push(anyarray, text, bigint, jsonb), dialer.push_status(bigint), dialer.cancel(bigint),
    dialer.suggest_session(jsonb),
    dialer.launch(bigint), dialer.launch_link(bigint),
    dialer.create_session(text, text), dialer.rename_session(bigint, text), dialer.pause_session(bigint),
    dialer.resume_session(bigint), dialer.complete_session(bigint), dialer.delete_session(bigint),
    dialer.add_suppression(text, text, text), dialer.phoneburner_link(bigint),
    dialer.create_list(text, boolean, text), dialer.rename_list(bigint, text), dialer.share_list(bigint, boolean),
    dialer.delete_list(bigint), dialer.add_to_list(bigint, anyarray), dialer.remove_from_list(bigint, anyarray),
    dialer.create_segment(text, jsonb, boolean, text),
    dialer.update_segment(bigint, text, jsonb, boolean, text), dialer.delete_segment(bigint),
    dialer.push_list(bigint, text, bigint, jsonb), dialer.push_segment(bigint, text, bigint, jsonb),
    dialer.push_contacts(anyarray, text, bigint, jsonb), dialer.push_deal(text, text, bigint, jsonb),
    dialer._push_source(text, text, text, bigint, jsonb),
    dialer._push_with_source(anyarray, text, bigint, jsonb, text), dialer._source_list_source(text, text),
    dialer.set_rep_time_zone(text, text)
TO dialer_rep;

-- List templates (27_templates.sql): reps manage and run their own (admins
-- anyone's, checked inside); the preview reads the contacts with the
-- caller's rights.
GRANT SELECT ON dialer.templates_overview, dialer.template_run_history TO dialer_rep;
GRANT EXECUTE ON FUNCTION
    dialer.create_template(text, text, jsonb, bigint, bigint, text, jsonb, boolean, boolean),
    dialer.update_template(bigint, text, text, jsonb, bigint, bigint, text, jsonb, boolean),
    dialer.enable_template(bigint, boolean), dialer.disable_template(bigint), dialer.delete_template(bigint),
    dialer.run_template_now(bigint), dialer.preview_template(bigint), dialer._template_for_preview(bigint),
    dialer._start_template_run(bigint), dialer._run_template(dialer.template_run_step),
    dialer._push_template_source(text, text, text, bigint, jsonb), dialer._push_template(anyarray, text, bigint, jsonb),
    dialer._finish_template_run(bigint, text, bigint, text, text)
TO dialer_rep;

-- ---------------------------------------------------------------------------
-- dialer_admin: the team's settings, and reading the trails. (The functions
-- also check dialer_admin themselves.)
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.add_rep(text, text, text, text), dialer.update_rep(text, text, text, text, boolean),
    dialer.configure(regclass), dialer.configure_writeback(regprocedure, text),
    dialer.configure_session_idle_days(integer), dialer.configure_list_size(integer),
    dialer.configure_deals(regclass),
    dialer.map_disposition(text, text), dialer.remap_dispositions(text), dialer.retry_writebacks(),
    dialer.remove_suppression(text, text), dialer.assign_session(bigint, text, text),
    dialer.configure_deal_contacts(regclass)
TO dialer_admin;
GRANT SELECT ON dialer.lists, dialer.list_members, dialer.segments, dialer.list_templates, dialer.template_runs
TO dialer_admin;
GRANT SELECT ON dialer.audit_log, dialer.overrides, dialer.session_changes, dialer.suppressions,
                dialer.writeback_failures, dialer.writeback_queue, dialer.webhook_events, dialer.call_activity,
                dialer.daemon_versions
TO dialer_admin;

-- ---------------------------------------------------------------------------
-- dialer_sync: exactly the daemon's API (16_daemon_api_jobs.sql,
-- 17_daemon_api_calls.sql), and what its invoker-rights parts call: the
-- write-back (13_write_back.sql) and the launch re-check, which read the
-- app's relation and run the app's hook with the daemon's own rights, and the
-- list templates' step (27_templates.sql), which reads the contacts with them too.
-- ---------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    dialer.claim_push_job(text, integer), dialer.renew_push_lease(bigint, text, integer),
    dialer.set_push_step(bigint, text, text), dialer.set_session_folder(bigint, text, text),
    dialer.push_job_session(bigint, text), dialer.push_job_items(bigint, text, integer, integer),
    dialer.record_push_item(bigint, text, integer, text, text, text),
    dialer._record_push_item(bigint, text, integer, text, text, text),
    dialer.finish_push_job(bigint, text, text, boolean, boolean),
    dialer.release_push_job(bigint, text, text, interval),
    dialer.fail_push_attempt(bigint, text, text, interval, boolean, boolean),
    dialer.job_counts(),
    dialer.prepare_launch(bigint, text), dialer._launch_plan(bigint, text), dialer._store_launch(bigint, text, dialer.list_verdict[]),
    dialer.launch_batches(bigint, text), dialer.launch_batch_contacts(bigint, text, integer),
    dialer.record_dial_session(bigint, text, integer, text, text, integer, text, text),
    dialer.record_call_event(jsonb), dialer._record_call_event(jsonb),
    dialer.apply_writebacks(integer), dialer._take_writebacks(integer),
    dialer._writeback_outcome(dialer.writeback_queue, text, text, text, text), dialer._writeback_hook(),
    dialer._writeback_callable(text),
    dialer._contact_relation(text), dialer._contacts_with_number(text, text),
    dialer.write_contact_state(text, jsonb),
    dialer.run_due_templates(text, integer), dialer._claim_due_templates(text, integer),
    dialer._run_template(dialer.template_run_step), dialer._push_template_source(text, text, text, bigint, jsonb),
    dialer._push_template(anyarray, text, bigint, jsonb), dialer._finish_template_run(bigint, text, bigint, text, text),
    dialer._source_query(text, text), dialer._list_member_ids(bigint), dialer._segment_filter(bigint),
    dialer.filter_sql(jsonb, regclass),
    dialer.daemon_hello(text, text, text, text)
TO dialer_sync;
