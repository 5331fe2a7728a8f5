-- The spec's Session Detail Page for session :session, from dialer.session_stats,
-- dialer.session_contacts and dialer.session_activity.
\pset format unaligned
\pset tuples_only on
\pset footer off
CREATE FUNCTION pg_temp.ago(t timestamptz) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN t IS NULL THEN '-'
                WHEN now() - t < interval '1 minute' THEN 'just now'
                WHEN now() - t < interval '1 hour' THEN extract(minute FROM now() - t)::int || ' min ago'
                WHEN now() - t < interval '1 day' THEN extract(hour FROM now() - t)::int || 'h ago'
                ELSE to_char(t, 'Mon FMDD') END
$$;
SELECT concat_ws(E'\n',
    format('  %-58s [Settings]', left(name, 58)),
    format('  Created by %s • %s • Assigned to %s', created_by, to_char(created_at, 'Mon FMDD, YYYY'),
           coalesce((SELECT r.display_name FROM dialer.reps r WHERE r.name = owner), owner)),
    '',
    '  Performance',
    format('    Total Contacts: %-8s Dialed: %-8s Connected: %s', total_contacts, dialed, connected),
    format('    Connection Rate: %-7s Talk Time: %s', coalesce(connection_rate || '%', '-'),
           CASE WHEN coalesce(talk_time_seconds, 0) < 3600 THEN coalesce(talk_time_seconds, 0) / 60 || 'm'
                ELSE talk_time_seconds / 3600 || 'h ' || talk_time_seconds % 3600 / 60 || 'm' END),
    format('    Qualified: %-9s Meetings Set: %-4s Disqualified: %s', qualified, meetings_set, disqualified),
    format('    Dispositions: %s', (SELECT string_agg(format('%s %s', value, key), ', ' ORDER BY value::int DESC, key)
                                   FROM jsonb_each_text(dispositions))))
FROM dialer.session_stats WHERE session_id = :session;

\echo
\echo '  Contacts in Session                                  [+ Add Contacts] [Export]'
SELECT format('    %-2s %-22s %-28s %-13s %s',
              CASE WHEN status = 'pending' THEN '·' WHEN connected THEN '✔' ELSE '○' END,
              left(name, 22), left(coalesce(company, ''), 28), initcap(replace(status, '_', ' ')),
              pg_temp.ago(last_call_at))
FROM (SELECT *, row_number() OVER () AS k FROM dialer.session_contacts WHERE session_id = :session) c
WHERE k <= 8;
SELECT format('    ... [%s more]', count(*) - 8) FROM dialer.session_contacts WHERE session_id = :session
HAVING count(*) > 8;

\echo
\echo '  Recent Activity'
SELECT format(E'    %s • %s\n        %s%s', pg_temp.ago(occurred_at), description, detail,
              coalesce(E'\n        ' || left(replace(notes, E'\n', ' / '), 70), ''))
FROM dialer.session_activity WHERE session_id = :session AND kind = 'call'
ORDER BY occurred_at DESC LIMIT 4;
