-- Success metrics: the spec's "Success Metrics (Track These)" as views.
--
--   dialer.metrics_push_time        per push job: filter applied -> every
--                                   contact in PhoneBurner (target < 60 s),
--                                   and the list prep time
--   dialer.metrics_rep_weeks        lists pushed per rep per week (target 3+),
--                                   with the week's average times
--   dialer.metrics_push_quality     per push: % of contacts with valid phones
--                                   (target > 95%), % excluded as recently
--                                   contacted (healthy 10-20%)
--   dialer.metrics_connection_rate  connection rate per session, per rep and
--                                   per list source
--
-- A push is what one dialer.push call made: one job, or the jobs of a push
-- split by tier (split_group). "Filter applied" is options.filter_applied_at
-- when the app sends it (the moment the rep applied the list's filters),
-- else the push call itself. Weeks start on Monday, in the session time zone.
--
-- Used by: analysts, reps, admins (read-only views over the queue and call
-- tables; 90_privileges.sql grants them to dialer_analyst).

CREATE VIEW dialer.metrics_push_time AS
SELECT j.id AS job_id,
       coalesce(j.split_group, j.id) AS push_id,
       j.session_id,
       j.requested_by,
       j.list_source,
       j.status,
       j.total AS contacts,
       coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at) AS filter_applied_at,
       j.options ? 'filter_applied_at' AS filter_time_given,
       j.requested_at,
       -- Every contact is in PhoneBurner once the job succeeded (an empty
       -- push: at the call).
       CASE WHEN j.status = 'succeeded' THEN coalesce(j.finished_at, j.requested_at) END AS all_in_phoneburner_at,
       CASE WHEN j.status = 'succeeded' THEN
           round(extract(epoch FROM coalesce(j.finished_at, j.requested_at)
                 - coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at))::numeric, 1)
       END AS seconds_to_phoneburner,
       60 AS target_seconds,
       CASE WHEN j.status = 'succeeded' THEN
           extract(epoch FROM coalesce(j.finished_at, j.requested_at)
                   - coalesce((j.options ->> 'filter_applied_at')::timestamptz, j.requested_at)) < 60
       END AS met_target,
       -- List prep: from the filters applied to the push call (the spec's
       -- "average list prep time", 15 min by CSV, target 1.5 min).
       CASE WHEN j.options ? 'filter_applied_at' THEN
           round(extract(epoch FROM j.requested_at - (j.options ->> 'filter_applied_at')::timestamptz)::numeric, 1)
       END AS prep_seconds
FROM dialer.push_jobs j
WHERE j.kind = 'push' AND j.status <> 'cancelled';

COMMENT ON VIEW dialer.metrics_push_time IS
'Per push job: seconds from the filter applied (options.filter_applied_at, else the push call) to every contact in PhoneBurner (the job succeeded), against the spec''s 60 s target; prep_seconds from the filter applied to the push call.';

CREATE VIEW dialer.metrics_rep_weeks AS
SELECT t.requested_by AS rep,
       (date_trunc('week', t.requested_at))::date AS week,
       count(DISTINCT t.push_id) AS lists_pushed,
       3 AS target_lists,
       count(DISTINCT t.push_id) >= 3 AS met_target,
       count(*) AS jobs,
       sum(t.contacts) AS contacts,
       round(avg(t.seconds_to_phoneburner), 1) AS avg_seconds_to_phoneburner,
       round(avg(t.prep_seconds), 1) AS avg_prep_seconds
FROM dialer.metrics_push_time t
GROUP BY t.requested_by, (date_trunc('week', t.requested_at))::date
ORDER BY week DESC, rep;

COMMENT ON VIEW dialer.metrics_rep_weeks IS
'Lists pushed per rep per week (Monday, session time zone) against the spec''s 3+ target, with the week''s contacts and average time to PhoneBurner and list prep time.';

CREATE VIEW dialer.metrics_push_quality AS
WITH pushes AS (
    SELECT coalesce(j.split_group, j.id) AS push_id,
           min(j.requested_by) AS requested_by,
           min(j.requested_at) AS requested_at,
           min(j.list_source) AS list_source,
           sum(j.total) AS pushed,
           sum(coalesce((j.excluded ->> 'recently_contacted')::bigint, 0)) AS recently_contacted,
           sum(coalesce((j.excluded ->> 'invalid_phone')::bigint, 0)) AS invalid_phone,
           sum(coalesce((j.excluded ->> 'do_not_call')::bigint, 0)
               + coalesce((j.excluded ->> 'missing_required_fields')::bigint, 0)) AS other_excluded
    FROM dialer.push_jobs j
    WHERE j.kind = 'push' AND j.status <> 'cancelled'
    GROUP BY coalesce(j.split_group, j.id)
), called AS (
    -- The push's contacts that were called since, and those a call showed
    -- to have a wrong number ("flagged invalid after the first call attempt").
    SELECT coalesce(j.split_group, j.id) AS push_id,
           count(DISTINCT a.contact_id) AS called,
           count(DISTINCT a.contact_id) FILTER (WHERE a.outcome = 'wrong_number') AS wrong_number
    FROM dialer.push_jobs j
    JOIN dialer.push_items i ON i.job_id = j.id
    JOIN dialer.call_activity a ON a.session_id = j.session_id AND a.contact_id = i.contact_id
                               AND coalesce(a.started_at, a.ended_at, a.created_at) >= j.requested_at
    WHERE j.kind = 'push' AND j.status <> 'cancelled'
    GROUP BY coalesce(j.split_group, j.id)
)
SELECT p.push_id, p.requested_by, p.requested_at, p.list_source,
       p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded AS contacts,
       p.pushed,
       p.invalid_phone AS excluded_invalid_phone,
       coalesce(c.called, 0) AS called,
       coalesce(c.wrong_number, 0) AS wrong_number_after_call,
       round(100.0 * (p.pushed + p.recently_contacted + p.other_excluded - coalesce(c.wrong_number, 0))
             / nullif(p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded, 0), 1) AS valid_phone_pct,
       95 AS valid_phone_target_pct,
       p.recently_contacted AS excluded_recently_contacted,
       round(100.0 * p.recently_contacted
             / nullif(p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded, 0), 1) AS recently_contacted_pct,
       CASE WHEN p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded = 0 THEN NULL
            WHEN 100.0 * p.recently_contacted / (p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded) < 10
            THEN 'low'
            WHEN 100.0 * p.recently_contacted / (p.pushed + p.recently_contacted + p.invalid_phone + p.other_excluded) > 20
            THEN 'high'
            ELSE 'healthy' END AS recently_contacted_band
FROM pushes p LEFT JOIN called c ON c.push_id = p.push_id
ORDER BY p.requested_at DESC, p.push_id DESC;

COMMENT ON VIEW dialer.metrics_push_quality IS
'Per push: % of the list''s contacts with a valid phone (not excluded as invalid, not found to be a wrong number on a call since; target > 95%) and % excluded as recently contacted, with recently_contacted_band low (< 10%: risk of contact fatigue), healthy (10-20%) or high (> 20%: lists not refreshed).';

CREATE VIEW dialer.metrics_connection_rate AS
WITH calls AS (
    SELECT a.call_id, a.session_id, s.owner,
           dialer.call_connected(a.connected, a.outcome) AS connected,
           -- The list source of the latest push that put this contact in
           -- this session; calls of contacts never pushed count as manual.
           coalesce((SELECT j.list_source FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id
                     WHERE j.session_id = a.session_id AND j.kind = 'push' AND i.contact_id = a.contact_id
                     ORDER BY j.requested_at DESC, j.id DESC LIMIT 1), 'manual') AS list_source
    FROM dialer.call_activity a JOIN dialer.sessions s ON s.id = a.session_id
)
SELECT 'session' AS dimension, c.session_id::text AS key, count(*) AS calls,
       count(*) FILTER (WHERE c.connected) AS connected,
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1) AS connection_rate
FROM calls c GROUP BY c.session_id
UNION ALL
SELECT 'rep', c.owner, count(*), count(*) FILTER (WHERE c.connected),
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1)
FROM calls c GROUP BY c.owner
UNION ALL
SELECT 'list_source', c.list_source, count(*), count(*) FILTER (WHERE c.connected),
       round(100.0 * count(*) FILTER (WHERE c.connected) / count(*), 1)
FROM calls c GROUP BY c.list_source;

COMMENT ON VIEW dialer.metrics_connection_rate IS
'Connection rate (% of calls connected, dialer.call_connected) by dimension: session (key: its id), rep (the session''s owner) and list_source (manual, template, smart_list, list, segment: of the push that put the contact in the session).';
