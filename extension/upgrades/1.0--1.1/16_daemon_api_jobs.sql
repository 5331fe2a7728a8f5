-- 16_daemon_api_jobs.sql in 1.1: dialer.prepare_launch holds back the contacts
-- whose number a frequency cap holds (31_frequency_caps.sql).
CREATE OR REPLACE FUNCTION dialer.prepare_launch(job_id bigint, worker text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    plan     record;
    relation regclass;
    verdicts dialer.list_verdict[];
    stored   integer;
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
    stored := dialer._store_launch(job_id, worker, verdicts);
    PERFORM dialer._count_launch_refusals(job_id, worker);
    RETURN stored;
END
$$;
