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
