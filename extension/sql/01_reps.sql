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
