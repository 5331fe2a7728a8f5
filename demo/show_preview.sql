-- Prints the push modal for one filtered list, the way a rep would see it.
--
--   psql -v title='PE buyers in the Northeast' \
--        -v where="contact_type = 'buyer' AND state = 'NY'" \
--        -v options='{"filters": {"state": "NY"}}' \
--        -v shown=5 -f demo/show_preview.sql
--
-- title    a heading for the list
-- where    the list's filter: a WHERE condition on sourceco.contacts c
-- options  dialer.preview options (min_days, filters, as_of); default '{}'
-- shown    how many excluded contacts to name per category; default 5

\if :{?options}
\else
  \set options '{}'
\endif
\if :{?shown}
\else
  \set shown 5
\endif

-- One pass over the list: the modal's summary, plus the "Dialable Only" count.
SELECT dialer.preview(array_agg(c ORDER BY c.id), :'options') AS preview,
       count(*) FILTER (WHERE dialer.is_dialable(c)) AS dialable,
       count(*) AS listed
FROM sourceco.contacts c
WHERE :where
\gset

\pset format unaligned
\pset tuples_only on
\pset footer off

WITH p AS (SELECT :'preview'::jsonb AS j),
category(ord, key, label) AS (VALUES
    (1, 'do_not_call',             '🚫 Suppressed - Do Not Call'),
    (2, 'invalid_phone',           '📞 Invalid Phone Number'),
    (3, 'recently_contacted',      '🕒 Recently Contacted'),
    (4, 'missing_required_fields', '👤 Missing Required Fields')),
-- The excluded contacts, numbered within their category in list order.
excluded AS (
    SELECT e ->> 'category' AS category,
           row_number() OVER (PARTITION BY e ->> 'category' ORDER BY n) AS k,
           count(*) OVER (PARTITION BY e ->> 'category') AS of,
           format('• %s%s - %s',
                  coalesce(e ->> 'name', '(no name)'),
                  coalesce(' (' || (e ->> 'company') || ')', ''),
                  e ->> 'reason') AS line
    FROM p, jsonb_array_elements(p.j -> 'exclusions') WITH ORDINALITY AS x(e, n)
),
lines(section, ord, k, line) AS (
    -- List Summary
    SELECT 1, 0, 0, '  📊 List Summary' FROM p
    UNION ALL SELECT 1, 1, 0, format('     ✓ %s contacts ready to push', j ->> 'ready') FROM p
    UNION ALL SELECT 1, 2, 0, format('     ⚠ %s contacts excluded%s', j ->> 'excluded',
                                     CASE WHEN (j ->> 'excluded')::int > 0
                                          THEN ' (see details below)' ELSE '' END) FROM p
    UNION ALL SELECT 1, 3, 0, format('     🕒 Estimated dial time: %s', j ->> 'estimated_dial_time') FROM p
    UNION ALL SELECT 1, 4, 0, format('     🎯 Suggested session name: %s',
                                     j ->> 'suggested_session_name') FROM p
    UNION ALL SELECT 1, 5, 0, '' FROM p
    UNION ALL SELECT 1, 6, 0, format('  ☎  Dialable Only: %s dialable of %s total',
                                     :dialable, :listed) FROM p
    UNION ALL SELECT 1, 7, 0, '' FROM p
    -- Counts by category
    UNION ALL SELECT 2, 0, 0, '  Excluded by category' FROM p
    UNION ALL SELECT 2, c.ord, 0,
                     format('     %-24s %6s', c.key, j -> 'excluded_by_category' ->> c.key)
              FROM p, category c
    UNION ALL SELECT 2, 9, 0, '' FROM p
    -- Details, grouped like the modal's "Excluded Contacts" box
    UNION ALL SELECT 3, 0, 0, format('  ⚠ Excluded Contacts (%s)', j ->> 'excluded') FROM p
    UNION ALL SELECT 3, c.ord, 0, format('     %s (%s)', c.label, j -> 'excluded_by_category' ->> c.key)
              FROM p, category c
              WHERE (j -> 'excluded_by_category' ->> c.key)::int > 0
    UNION ALL SELECT 3, c.ord, e.k, '       ' || e.line
              FROM excluded e JOIN category c ON c.key = e.category
              WHERE e.k <= :shown
    UNION ALL SELECT 3, c.ord, :shown + 1, format('       ... [+%s more]', e.of - :shown)
              FROM excluded e JOIN category c ON c.key = e.category
              WHERE e.k = 1 AND e.of > :shown
)
SELECT line FROM lines ORDER BY section, ord, k;

\pset format aligned
\pset tuples_only off
\pset footer on
