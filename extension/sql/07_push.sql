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
           -- Only when the registry data was stale or undated (32_registry_scrubs.sql).
           || CASE WHEN j.registry_warning IS NOT NULL
                   THEN jsonb_build_object('registry_warning', j.registry_warning,
                                           'registry_scrubbed_at', j.registry_scrubbed_at)
                   ELSE '{}' END
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.id = push_status.job_id
$$;

COMMENT ON FUNCTION dialer.push_status(bigint) IS
'The progress modal: job_id, kind (push or launch), status, total, done, percent, step, counts (created, updated, skipped, failed, unknown, pending), excluded by category, session_id, session_name, error, launch_job_id (the launch a push''s auto_launch enqueued), dial_sessions (a launch''s batches); registry_warning and registry_scrubbed_at when the job was made with stale or undated registry data. NULL for an unknown job.';

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
