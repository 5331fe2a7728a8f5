-- The five smart lists of the spec ("Smart Lists (Pre-built Segments)"),
-- installed with the extension as built-in segments (21_segments.sql: no
-- owner, shared with everyone, changed by admins only, audited as
-- smart_list_changed, never deleted), and dialer.suggested_lists(): each with
-- its live counts, in one call and one scan of the contact relation.
--
-- What each reads (the contact columns of docs/sql-reference.md):
--   Inactive Buyers (90+ Days)  buyers (contact_type 'buyer') with engagement
--                               over 50, not do_not_call, last called over
--                               90 days ago (or never, and created over 90
--                               days ago)
--   High Engagement             engagement over 75, called within 30 days
--   Callback Due Today          next_action_type 'call', next_action_date
--                               today in the acting rep's time zone
--                               (18_rep_time_zone.sql)
--   New This Month              created within the last 30 days
--   Passed on Deals             last_disposition 'Not a Fit', given over 180
--                               days ago: the write-back sets last_disposition
--                               with last_call_attempt_at, the call that gave
--                               it, so that column says when
--
-- Used by: the app (the "Suggested lists" box), analysts; 22_entry_points.sql
-- (a push of a smart list has list_source 'smart_list').

-- The five, as shipped, in the spec's order; nothing when they are there
-- already. Run once below by CREATE EXTENSION (a test that empties
-- dialer.segments runs it again); no role is granted it.
CREATE FUNCTION dialer._install_smart_lists()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF EXISTS (SELECT FROM dialer.segments s WHERE s.builtin) THEN
        RETURN;
    END IF;
    INSERT INTO dialer.segments (name, description, filter, owner, shared, builtin, created_by)
    SELECT v.name, v.description, dialer.validate_filter(v.filter::jsonb), NULL, true, true, 'pgdialer'
FROM (VALUES
    (1, 'Inactive Buyers (90+ Days)',
     'Buyers with engagement over 50, not on do-not-call, not called in 90+ days.',
     '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
               {"field": "engagement_score", "op": "gt", "value": 50},
               {"field": "do_not_call", "op": "ne", "value": true},
               {"or": [{"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 90}},
                       {"and": [{"never_contacted": true},
                                {"field": "created_at", "op": "lt", "value": {"days_ago": 90}}]}]}]}'),
    (2, 'High Engagement',
     'Engagement score over 75, called within the last 30 days.',
     '{"and": [{"field": "engagement_score", "op": "gt", "value": 75}, {"called_within_days": 30}]}'),
    (3, 'Callback Due Today',
     'A callback (next action "call") due today in your time zone.',
     '{"and": [{"field": "next_action_type", "op": "eq", "value": "call"},
               {"field": "next_action_date", "op": "on_date", "value": {"days_ago": 0}}]}'),
    (4, 'New This Month',
     'Contacts created in the last 30 days.',
     '{"field": "created_at", "op": "gte", "value": {"days_ago": 30}}'),
    (5, 'Passed on Deals',
     'Last call''s disposition "Not a Fit", more than 180 days ago: worth a new look.',
     '{"and": [{"field": "last_disposition", "op": "eq", "value": "Not a Fit"},
               {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 180}}]}')
) AS v (n, name, description, filter)
    ORDER BY v.n;
END
$fn$;

SELECT dialer._install_smart_lists();

-- The smart lists with their counts now, in their order. Runs with the
-- caller's rights over the contact relation (as dialer.dialable_count); the
-- filters come from dialer.segments_overview (the smart lists are shared).
-- All five are counted in one scan: each filter's WHERE becomes a column,
-- and dialer.is_dialable runs once per row that some list selects. A list
-- whose filter names a column the relation lacks gets NULL counts.
CREATE FUNCTION dialer.suggested_lists()
RETURNS TABLE (segment_id bigint, name text, description text, contacts bigint, dialable bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass := (SELECT c.contact_relation FROM dialer.configuration c);
    lists    record;
    params   text[] := '{}';
    condition text;
    ids      bigint[] := '{}';
    matches  text[] := '{}';
    counted  bigint[];
    dialables bigint[];
    k        integer;
BEGIN
    IF relation IS NOT NULL THEN
        FOR lists IN SELECT s.id, s.filter FROM dialer.segments_overview s WHERE s.builtin ORDER BY s.id LOOP
            BEGIN
                SELECT f.params, f.sql INTO params, condition FROM dialer._filter_sql(lists.filter, relation, params, '$', 1) f;
                ids := ids || lists.id;
                matches := matches || condition;
            EXCEPTION WHEN undefined_column OR datatype_mismatch THEN
                NULL;  -- counted as NULL below
            END;
        END LOOP;
    END IF;
    IF cardinality(ids) > 0 THEN
        EXECUTE format(
            'SELECT ARRAY[%s], ARRAY[%s] FROM (SELECT %s, CASE WHEN %s THEN dialer.is_dialable(c) END AS d '
            'FROM %s AS c WHERE %s) AS m',
            (SELECT string_agg(format('count(*) FILTER (WHERE m%s)', i), ', ') FROM generate_series(1, cardinality(ids)) i),
            (SELECT string_agg(format('count(*) FILTER (WHERE m%s AND d)', i), ', ') FROM generate_series(1, cardinality(ids)) i),
            (SELECT string_agg(format('%s AS m%s', matches[i], i), ', ') FROM generate_series(1, cardinality(ids)) i),
            array_to_string(matches, ' OR '), relation, array_to_string(matches, ' OR '))
            INTO counted, dialables USING params;
    END IF;
    FOR lists IN SELECT s.id, s.name, s.description FROM dialer.segments_overview s WHERE s.builtin ORDER BY s.id LOOP
        segment_id := lists.id;
        name := lists.name;
        description := lists.description;
        k := array_position(ids, lists.id);
        contacts := CASE WHEN relation IS NULL THEN 0 WHEN k IS NOT NULL THEN counted[k] END;
        dialable := CASE WHEN relation IS NULL THEN 0 WHEN k IS NOT NULL THEN dialables[k] END;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION dialer.suggested_lists() IS
'The five smart lists with live counts, in one call and one scan: segment_id, name, description, contacts, dialable (0 before dialer.configure; NULL for a list whose filter names a column the contact relation lacks). Push one with dialer.push_segment(segment_id).';
