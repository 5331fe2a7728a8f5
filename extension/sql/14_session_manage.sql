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
