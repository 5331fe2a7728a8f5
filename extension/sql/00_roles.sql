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
