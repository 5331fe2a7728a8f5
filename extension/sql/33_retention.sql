-- Retention: push, override, call and suppression records are kept at least
-- five years (the TSR's recordkeeping period and the five years a company's
-- do-not-call request is honored; docs/retention.md). Nothing in pgdialer
-- removes them on its own; dialer.purge_records removes the ones older than
-- a period of at least five years, admins only, and audits what it removed.
-- It is the one controlled exception to the append-only trails
-- (dialer.audit_log, dialer.overrides, dialer.session_changes refuse every
-- other UPDATE and DELETE, 02_audit.sql).
--
-- What goes, for a cutoff of now() - older_than:
--   push_jobs       finished jobs (not queued or running) requested before the
--                   cutoff, with their items, overrides and dial sessions, unless
--                   a kept job points at them (auto-launch, tier split)
--   overrides       forced includes made before the cutoff
--   call_activity   calls that ended (else started, else were recorded) before it
--   webhook_events  deliveries received before it
--   suppressions    listings added before it; a registry listing only when its
--                   newest registry data is older too; never a requested
--                   opt-out younger than five years
--   audit_log, session_changes  rows written before it
-- Sessions, contacts, links, the write-back tables and dialer.registry_scrubs
-- are not records here.
--
-- Used by: admins.

CREATE FUNCTION dialer.retention_period()
RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT interval '5 years' $$;

COMMENT ON FUNCTION dialer.retention_period() IS
'5 years: the shortest time push, override, call and suppression records are kept (TSR recordkeeping; company do-not-call requests are honored 5 years). dialer.purge_records refuses a shorter one.';

CREATE FUNCTION dialer.purge_records(older_than interval DEFAULT interval '5 years', dry_run boolean DEFAULT true)
RETURNS TABLE (record_type text, records bigint)
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cutoff   timestamptz := now() - older_than;
    -- A requested opt-out is honored five years whatever older_than says.
    optout   timestamptz := now() - dialer.retention_period();
    counts   jsonb := '{}';
    n        bigint;
    jobs     bigint[];
BEGIN
    PERFORM dialer._require_admin('purge records');
    IF older_than IS NULL OR dry_run IS NULL THEN
        RAISE EXCEPTION 'purge_records needs older_than and dry_run' USING ERRCODE = '22023';
    END IF;
    IF cutoff > now() - dialer.retention_period() THEN
        RAISE EXCEPTION 'records are kept at least %: cannot purge those younger than %',
            dialer.retention_period(), older_than USING ERRCODE = '22023',
            HINT = 'Call dialer.purge_records with older_than of at least 5 years.';
    END IF;

    -- Finished jobs before the cutoff; a job another kept job points at stays.
    jobs := ARRAY(
        WITH RECURSIVE old AS (
            SELECT j.id FROM dialer.push_jobs j
            WHERE j.requested_at < cutoff AND j.status NOT IN ('queued', 'running')),
        held AS (
            SELECT o.id FROM old o
            WHERE EXISTS (SELECT FROM dialer.push_jobs k
                          WHERE (k.launched_by_job = o.id OR k.split_group = o.id) AND k.id <> o.id
                            AND k.id NOT IN (SELECT id FROM old))
            UNION
            SELECT o.id FROM old o JOIN dialer.push_jobs k ON k.launched_by_job = o.id OR k.split_group = o.id
            JOIN held h ON h.id = k.id WHERE o.id <> k.id)
        SELECT o.id FROM old o WHERE o.id NOT IN (SELECT id FROM held) ORDER BY 1);

    counts := jsonb_build_object(
        'push_jobs', cardinality(jobs),
        'push_items', (SELECT count(*) FROM dialer.push_items i WHERE i.job_id = ANY (jobs)),
        'overrides', (SELECT count(*) FROM dialer.overrides o WHERE o.job_id = ANY (jobs) OR o.overridden_at < cutoff),
        'dial_sessions', (SELECT count(*) FROM dialer.dial_sessions d WHERE d.job_id = ANY (jobs)),
        'call_activity', (SELECT count(*) FROM dialer.call_activity c
                          WHERE coalesce(c.ended_at, c.started_at, c.created_at) < cutoff),
        'webhook_events', (SELECT count(*) FROM dialer.webhook_events w WHERE w.received_at < cutoff),
        'suppressions', (SELECT count(*) FROM dialer.suppressions s
                         WHERE greatest(s.added_at, s.registry_scrubbed_at) < cutoff
                           AND NOT (s.source = 'requested' AND s.added_at >= optout)),
        'audit_log', (SELECT count(*) FROM dialer.audit_log a WHERE a.acted_at < cutoff),
        'session_changes', (SELECT count(*) FROM dialer.session_changes c WHERE c.acted_at < cutoff));

    IF NOT dry_run THEN
        -- Each DELETE is a statement of this function of its own: the
        -- append-only triggers let exactly these through (02_audit.sql).
        DELETE FROM dialer.overrides o WHERE o.job_id = ANY (jobs) OR o.overridden_at < cutoff;
        DELETE FROM dialer.push_jobs j WHERE j.id = ANY (jobs);  -- items and dial sessions cascade
        DELETE FROM dialer.call_activity c WHERE coalesce(c.ended_at, c.started_at, c.created_at) < cutoff;
        DELETE FROM dialer.webhook_events w WHERE w.received_at < cutoff;
        DELETE FROM dialer.suppressions s
        WHERE greatest(s.added_at, s.registry_scrubbed_at) < cutoff
          AND NOT (s.source = 'requested' AND s.added_at >= optout);
        DELETE FROM dialer.audit_log a WHERE a.acted_at < cutoff;
        DELETE FROM dialer.session_changes c WHERE c.acted_at < cutoff;
        PERFORM dialer._audit('records_purged', 'retention', NULL,
                              details => jsonb_build_object('older_than', older_than::text, 'cutoff', cutoff,
                                                            'removed', counts));
    END IF;

    RETURN QUERY SELECT e.key, e.value::bigint FROM jsonb_each_text(counts) e ORDER BY e.key;
END
$$;

COMMENT ON FUNCTION dialer.purge_records(interval, boolean) IS
'Admin: remove push (with items, overrides, dial sessions), override, call, webhook, suppression, audit and session-change records older than older_than (at least 5 years; 22023 otherwise). dry_run (the default) only counts. Never removes a requested opt-out younger than 5 years, a registry listing confirmed by newer registry data, or a queued or running job. Returns the count per record type; a real purge is audited (records_purged).';
