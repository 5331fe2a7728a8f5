-- 1.1 changes two launch functions of 16_daemon_api_jobs.sql (calling windows,
-- 30_calling_windows.sql; frequency caps, 31_frequency_caps.sql):
-- dialer.prepare_launch asks each contact's calling window and frequency cap,
-- and dialer._store_launch leaves those held out. (The function calls
-- dialer._launch_frequency_caps, which the 31 step creates: PL/pgSQL resolves
-- calls when it runs, not when it is created.) Copies of
-- their 1.1 definitions, kept equal to 16_daemon_api_jobs.sql.

CREATE OR REPLACE FUNCTION dialer.prepare_launch(job_id bigint, worker text)
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

-- Store the re-checked verdicts as the launch's items and batches.
CREATE OR REPLACE FUNCTION dialer._store_launch(job_id bigint, worker text, verdicts dialer.list_verdict[])
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
