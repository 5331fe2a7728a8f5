-- The spec's Session Tracking Dashboard, drawn from dialer.session_stats.
-- Groups by the derived activity_status (what a rep sees), newest activity first.
\pset format unaligned
\pset tuples_only on
\pset footer off
CREATE FUNCTION pg_temp.ago(t timestamptz) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN t IS NULL THEN 'never'
                WHEN now() - t < interval '1 minute' THEN 'just now'
                WHEN now() - t < interval '1 hour' THEN extract(minute FROM now() - t)::int || ' min ago'
                WHEN now() - t < interval '2 hours' THEN '1 hour ago'
                WHEN now() - t < interval '1 day' THEN extract(hour FROM now() - t)::int || ' hours ago'
                ELSE to_char(t, 'Mon FMDD') END
$$;
CREATE FUNCTION pg_temp.duration(seconds bigint) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN coalesce(seconds, 0) < 3600 THEN coalesce(seconds, 0) / 60 || 'm'
                ELSE seconds / 3600 || 'h ' || seconds % 3600 / 60 || 'm' END
$$;
WITH s AS (
    SELECT st.*, r.display_name AS owner_name,
           CASE activity_status WHEN 'active' THEN 1 WHEN 'paused' THEN 2 WHEN 'completed' THEN 3 ELSE 4 END AS grp
    FROM dialer.session_stats st LEFT JOIN dialer.reps r ON r.name = st.owner
    WHERE st.status <> 'archived'
), card AS (
    SELECT grp, last_activity_at, session_id, concat_ws(E'\n',
        '  ┌' || repeat('─', 72) || '┐',
        format('  │  %-70s│', left(name, 70)),
        format('  │  %-70s│', left('Assigned to ' || coalesce(owner_name, owner), 70)),
        format('  │  %-70s│', left(concat_ws(' • ',
            total_contacts || ' contacts', dialed || ' dialed', connected || ' connected',
            -- the spec's card shows the furthest stage reached
            CASE WHEN meetings_set = 1 THEN '1 meeting set'
                 WHEN meetings_set > 1 THEN meetings_set || ' meetings set'
                 WHEN qualified > 0 THEN qualified || ' qualified'
                 WHEN interested > 0 THEN interested || ' interested' END), 70)),
        format('  │  %-70s│', left('Last activity: ' || pg_temp.ago(last_activity_at)
                                   || coalesce(' • ' || last_activity_by, ''), 70)),
        format('  │  %-70s│', left(concat_ws(' • ', 'Connection rate ' || coalesce(connection_rate || '%', '-'),
                                               'Talk time ' || pg_temp.duration(talk_time_seconds)), 70)),
        format('  │  %-70s│', '[View in Phoneburner]  [Add More Contacts]  [View Stats]'),
        '  └' || repeat('─', 72) || '┘') AS text
    FROM s
)
SELECT concat_ws(E'\n',
    '  Phoneburner Dial Sessions                                  [+ New Session]',
    '',
    (SELECT string_agg(g.header || E'\n' || coalesce(g.cards, ''), E'\n' ORDER BY g.grp)
     FROM (SELECT grp.grp,
                  format('  %s %s Sessions (%s)', grp.icon, grp.label,
                         (SELECT count(*) FROM s WHERE s.grp = grp.grp)) AS header,
                  CASE WHEN grp.grp = 1 THEN
                       (SELECT string_agg(c.text, E'\n' ORDER BY c.last_activity_at DESC NULLS LAST, c.session_id)
                        FROM card c WHERE c.grp = 1) END AS cards
           FROM (VALUES (1, '🔴', 'Active'), (2, '⏸', 'Paused'), (3, '✅', 'Completed')) AS grp(grp, icon, label)) g));
