-- Dashboard views: the Session Tracking Dashboard and the Session Detail
-- Page (contacts, performance, recent activity, export). Names, company and
-- phone come from the payload snapshot of the contact's latest push into
-- that session (no read of the app table).
-- Counting rules, in one place:
--   a session's contacts  its links (pushed into PhoneBurner) plus any contact
--                         a call of the session was matched to
--   dialed                contacts with at least one call
--   connected             contacts with a call that connected (PhoneBurner's
--                         flag, else an outcome that implies a conversation)
--   interested, qualified, meetings set, disqualified
--                         contacts with at least one call of that outcome
--   talk time             duration of the session's connected calls
--   dispositions          calls by disposition text
--
-- Used by: the app (the session pages) and analysts.

CREATE VIEW dialer.session_contacts AS
SELECT m.session_id,
       m.contact_id,
       nullif(concat_ws(' ', p.payload ->> 'first_name', p.payload ->> 'last_name'), '') AS name,
       p.payload ->> 'first_name' AS first_name,
       p.payload ->> 'last_name' AS last_name,
       p.payload ->> 'company' AS company,
       p.payload ->> 'title' AS title,
       p.payload ->> 'phone' AS phone,
       p.payload ->> 'email' AS email,
       CASE WHEN k.attempts = 0 THEN 'pending'
            ELSE coalesce(latest.outcome,
                          CASE WHEN dialer.call_connected(latest.connected, NULL) THEN 'connected' ELSE 'dialed' END)
       END AS status,
       latest.call_at AS last_call_at,
       latest.disposition AS last_disposition,
       latest.outcome AS last_outcome,
       coalesce(latest.agent_name, latest.agent_id) AS last_agent,
       latest.notes AS last_notes,
       latest.recording_url AS last_recording_url,
       k.attempts,
       k.connected,
       k.talk_time_seconds,
       k.outcomes,
       m.phoneburner_contact_id,
       m.added_at
FROM (
    SELECT l.session_id, l.contact_id, l.phoneburner_contact_id, l.created_at AS added_at
    FROM dialer.contact_links l
    UNION ALL
    SELECT c.session_id, c.contact_id, max(c.phoneburner_contact_id), min(c.created_at)
    FROM dialer.call_activity c
    WHERE c.session_id IS NOT NULL AND c.contact_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM dialer.contact_links l
                      WHERE l.session_id = c.session_id AND l.contact_id = c.contact_id)
    GROUP BY c.session_id, c.contact_id
) m
LEFT JOIN LATERAL (
    SELECT i.payload
    FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = m.contact_id
    WHERE j.session_id = m.session_id
    ORDER BY j.id DESC
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS attempts,
           coalesce(bool_or(dialer.call_connected(c.connected, c.outcome)), false) AS connected,
           coalesce(sum(c.duration_seconds) FILTER (WHERE dialer.call_connected(c.connected, c.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce(array_agg(DISTINCT c.outcome) FILTER (WHERE c.outcome IS NOT NULL), '{}') AS outcomes
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
) k ON true
LEFT JOIN LATERAL (
    SELECT c.*, coalesce(c.started_at, c.ended_at, c.created_at) AS call_at
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
    ORDER BY coalesce(c.started_at, c.ended_at, c.created_at) DESC, c.call_id DESC
    LIMIT 1
) latest ON true
ORDER BY m.session_id, k.attempts = 0, latest.call_at DESC, name, m.contact_id;

COMMENT ON VIEW dialer.session_contacts IS
'The Session Detail Page''s contact list: per session and contact, name, company, phone, status (pending, or the latest call''s outcome, else connected or dialed), last call, attempts, connected, talk time, outcomes seen. Called contacts first, most recent first.';

CREATE VIEW dialer.session_stats AS
SELECT s.id AS session_id,
       s.name,
       s.status,
       dialer.activity_status(s.status, sc.total_contacts, sc.dialed, s.last_activity_at) AS activity_status,
       sc.total_contacts,
       sc.dialed,
       sc.connected,
       sc.interested,
       sc.qualified,
       sc.meetings_set,
       sc.disqualified,
       CASE WHEN sc.dialed > 0 THEN round(100.0 * sc.connected / sc.dialed, 1) END AS connection_rate,
       calls.calls,
       calls.talk_time_seconds,
       make_interval(secs => calls.talk_time_seconds) AS talk_time,
       s.last_activity_at,
       s.last_activity_by,
       s.created_by,
       s.created_at,
       s.phoneburner_folder_id,
       calls.dispositions,
       calls.outcomes,
       s.owner  -- the spec's Assigned To
FROM dialer.sessions s
CROSS JOIN LATERAL (
    SELECT count(*) AS total_contacts,
           count(*) FILTER (WHERE c.attempts > 0) AS dialed,
           count(*) FILTER (WHERE c.connected) AS connected,
           count(*) FILTER (WHERE 'interested' = ANY (c.outcomes)) AS interested,
           count(*) FILTER (WHERE 'qualified' = ANY (c.outcomes)) AS qualified,
           count(*) FILTER (WHERE 'meeting_set' = ANY (c.outcomes)) AS meetings_set,
           count(*) FILTER (WHERE 'disqualified' = ANY (c.outcomes)) AS disqualified
    FROM dialer.session_contacts c
    WHERE c.session_id = s.id
) sc
CROSS JOIN LATERAL (
    SELECT count(*) AS calls,
           coalesce(sum(a.duration_seconds) FILTER (WHERE dialer.call_connected(a.connected, a.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce((SELECT jsonb_object_agg(d.disposition, d.calls)
                     FROM (SELECT min(btrim(a2.disposition)) AS disposition, count(*) AS calls
                           FROM dialer.call_activity a2
                           WHERE a2.session_id = s.id AND a2.disposition IS NOT NULL
                           GROUP BY lower(btrim(a2.disposition))) d), '{}') AS dispositions,
           coalesce((SELECT jsonb_object_agg(o.outcome, o.calls)
                     FROM (SELECT a3.outcome, count(*) AS calls
                           FROM dialer.call_activity a3
                           WHERE a3.session_id = s.id AND a3.outcome IS NOT NULL
                           GROUP BY a3.outcome) o), '{}') AS outcomes
    FROM dialer.call_activity a
    WHERE a.session_id = s.id
) calls
ORDER BY s.last_activity_at DESC NULLS LAST, s.id DESC;

COMMENT ON VIEW dialer.session_stats IS
'The Session Tracking Dashboard and a session''s Performance panel: total contacts, dialed, connected, interested, qualified, meetings set, disqualified, connection rate (% of dialed), calls, talk time, last activity and by whom, stored status and derived activity_status, calls by disposition and by outcome. All sessions, archived included; most recently active first.';

CREATE VIEW dialer.session_activity AS
SELECT a.* FROM (
    SELECT c.session_id,
           coalesce(c.started_at, c.ended_at, c.created_at) AS occurred_at,
           'call'::text AS kind,
           coalesce(c.agent_name, c.agent_id) AS actor,
           format('%s called %s', coalesce(c.agent_name, c.agent_id, 'Someone'),
                  coalesce(p.name || coalesce(' (' || p.company || ')', ''),
                           'contact ' || c.contact_id, 'an unmatched contact')) AS description,
           concat_ws(' • ',
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) THEN 'Connected' ELSE 'Not connected' END,
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) AND c.duration_seconds IS NOT NULL
                          THEN format('%s:%s talk time', c.duration_seconds / 60,
                                      lpad((c.duration_seconds % 60)::text, 2, '0')) END,
                     c.disposition) AS detail,
           c.contact_id,
           p.name AS contact_name,
           p.company,
           c.call_id,
           NULL::bigint AS job_id,
           dialer.call_connected(c.connected, c.outcome) AS connected,
           c.duration_seconds,
           c.disposition,
           c.outcome,
           c.notes,
           c.recording_url
    FROM dialer.call_activity c
    LEFT JOIN LATERAL (
        SELECT nullif(concat_ws(' ', i.payload ->> 'first_name', i.payload ->> 'last_name'), '') AS name,
               i.payload ->> 'company' AS company
        FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = c.contact_id
        WHERE j.session_id = c.session_id
        ORDER BY j.id DESC
        LIMIT 1
    ) p ON true
    WHERE c.session_id IS NOT NULL
    UNION ALL
    SELECT j.session_id, j.requested_at, j.kind, j.requested_by,
           format('%s %s %s contact%s', j.requested_by,
                  CASE j.kind WHEN 'push' THEN 'pushed' ELSE 'launched' END,
                  j.total, CASE WHEN j.total = 1 THEN '' ELSE 's' END),
           j.status || coalesce(': ' || j.error, ''),
           NULL, NULL, NULL, NULL, j.id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.push_jobs j
    UNION ALL
    SELECT s.id, s.created_at, 'session', s.created_by, format('%s created the session', s.created_by), s.name,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.sessions s
    UNION ALL
    SELECT g.session_id, g.acted_at, 'session', g.acted_by,
           format('%s %s the session', g.acted_by, g.action),
           CASE g.action WHEN 'renamed' THEN format('"%s" → "%s"', g.detail ->> 'from', g.detail ->> 'to') END,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.session_changes g
    WHERE g.action NOT IN ('created', 'deleted')  -- creation comes from the session row itself
) a
ORDER BY a.occurred_at DESC, a.kind, a.call_id DESC, a.job_id DESC;

COMMENT ON VIEW dialer.session_activity IS
'The Session Detail Page''s Recent Activity, newest first: calls (who called whom, connected, talk time, disposition, notes, recording), pushes and launches, and session changes, with a ready-made description and detail line.';

-- The spec's [Export] on the Session Detail Page, for
--   COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER)
CREATE FUNCTION dialer.session_export(session_id bigint)
RETURNS TABLE (contact_id text, first_name text, last_name text, company text, title text, phone text,
               email text, status text, last_call_at timestamptz, last_disposition text, last_outcome text,
               last_agent text, attempts integer, connected boolean, talk_time_seconds integer,
               last_notes text, last_recording_url text, phoneburner_contact_id text)
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM dialer.sessions s WHERE s.id = session_export.session_id) THEN
        RAISE EXCEPTION 'session % does not exist', coalesce(session_export.session_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT c.contact_id, c.first_name, c.last_name, c.company, c.title, c.phone, c.email, c.status,
           c.last_call_at, c.last_disposition, c.last_outcome, c.last_agent, c.attempts, c.connected,
           c.talk_time_seconds, c.last_notes, c.last_recording_url, c.phoneburner_contact_id
    FROM dialer.session_contacts c
    WHERE c.session_id = session_export.session_id
    ORDER BY c.attempts = 0, c.last_call_at DESC, c.name, c.contact_id;  -- as on the page
END
$$;

COMMENT ON FUNCTION dialer.session_export(bigint) IS
'A session''s contacts as the Detail Page''s [Export] gives them, in its order: for COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER). 22023 for an unknown session.';
