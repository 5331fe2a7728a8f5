-- push_status tells the app when a job was made with stale or undated registry data (32_registry_scrubs.sql).
CREATE OR REPLACE FUNCTION dialer.push_status(job_id bigint)
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
