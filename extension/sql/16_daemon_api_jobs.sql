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
    stored   integer;
    holds    dialer.launch_window_holds[];
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
    -- Contacts whose number a frequency cap holds now stay out (31_frequency_caps.sql).
    verdicts := dialer._launch_frequency_caps(job_id, worker, verdicts);
    -- Contacts outside their calling window now stay out (30_calling_windows.sql).
    EXECUTE format(
        'SELECT coalesce(array_agg(ROW(0, c.id::text, w.status, w.opens_at, w.zone, w.rule, NULL)::dialer.launch_window_holds), ''{}'')
         FROM %s c JOIN unnest($1::text[]) AS l(id) ON l.id = c.id::text, dialer.calling_window(c, $2) w
         WHERE w.status <> ''callable''', relation)
    INTO holds
    USING plan.contact_ids,
          coalesce(nullif(current_setting('dialer.calling_window_clock', true), '')::timestamptz, now());
    PERFORM dialer._hold_outside_window(job_id, worker, verdicts, holds);
    stored := dialer._store_launch(job_id, worker, verdicts);
    PERFORM dialer._count_launch_refusals(job_id, worker);
    RETURN stored;
END
$$;

COMMENT ON FUNCTION dialer.prepare_launch(bigint, text) IS
'Daemon: re-check a launch job''s contacts against the rules and their calling windows (those outside stay out, dialer.launch_window_holds, unless a business-number exemption applies), reading the contact relation with the caller''s rights, and split those that pass into batches of at most 500. Returns the number to launch, or NULL when the lease was lost.';

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
        WHERE (v.category IS NULL
               OR (v.overridable AND EXISTS (
                       SELECT FROM dialer.overrides o JOIN dialer.push_jobs p ON p.id = o.job_id
                       WHERE p.session_id = job.session_id AND o.contact_id = v.contact_id
                         AND o.category = v.category)))
          AND NOT EXISTS (SELECT FROM dialer.launch_window_holds h  -- outside its calling window
                          WHERE h.job_id = job.id AND h.contact_id = v.contact_id AND h.exempted_by IS NULL)
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
                   || jsonb_build_object('not_found', linked - cardinality(verdicts),
                                         'outside_calling_window',
                                         (SELECT count(*) FROM dialer.launch_window_holds h
                                          WHERE h.job_id = job.id AND h.exempted_by IS NULL))
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
