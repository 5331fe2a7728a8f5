-- Segments: a filter validated when saved, run against the current contacts
-- each time it is read; owner and sharing as for lists; members, rows, count,
-- preview and push by segment id; the audit trail.
CREATE SCHEMA test_segments;
SET search_path TO test_segments;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE ROLE segments_sarah LOGIN IN ROLE dialer_rep;
CREATE ROLE segments_mike LOGIN IN ROLE dialer_rep;
CREATE ROLE segments_analyst LOGIN IN ROLE dialer_analyst;
CREATE ROLE segments_admin LOGIN IN ROLE dialer_admin;
CREATE TABLE contacts (id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, phone text,
                       state text, engagement_score integer, do_not_call boolean NOT NULL DEFAULT false,
                       last_call_attempt_at timestamptz);
INSERT INTO contacts VALUES
    (1, 'buyer', 'Ann', 'Lee', '(919) 555-0101', 'NY', 80, false, now() - interval '100 days'),
    (2, 'buyer', 'Bob', 'Ray', '(919) 555-0102', 'NY', 90, true, NULL),
    (3, 'buyer', 'Cy', 'Orr', NULL, 'NY', 70, false, NULL),
    (4, 'buyer', 'Di', 'Fox', '(919) 555-0104', 'CT', 60, false, now() - interval '2 days'),
    (5, 'seller', 'Ed', 'Poe', '(919) 555-0105', 'NY', 95, false, NULL);
GRANT USAGE ON SCHEMA test_segments TO PUBLIC;
GRANT SELECT ON contacts TO PUBLIC;
SELECT dialer.add_rep('segments_sarah', 'Sarah Johnson');
SELECT dialer.add_rep('segments_mike', 'Mike Chen');

-- Before a contact relation is registered a segment can be saved, not run.
SET SESSION AUTHORIZATION segments_sarah;
SELECT dialer.create_segment('NY buyers', '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
                                                    {"field": "state", "op": "eq", "value": "NY"}]}') AS ny \gset
SELECT dialer.segment_contacts(:ny);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT dialer.configure('contacts');

-- Validated when saved: 22023 naming the field or operator; nothing is stored.
SET SESSION AUTHORIZATION segments_sarah;
\set VERBOSITY default
SELECT dialer.create_segment('Bad', '{"field": "salary", "op": "gt", "value": 1}');
SELECT dialer.create_segment('Bad', '{"or": [{"field": "state", "op": "matches", "value": "N.*"}]}');
\set VERBOSITY terse
SELECT dialer.create_segment('', '{"is_dialable": true}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_segment('Null', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.update_segment(:ny, filter => '{"field": "state", "op": "eq"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT id, name, filter FROM dialer.segments_overview;

-- Members, rows, the count, a preview: what the filter selects now.
SELECT dialer.segment_contacts(:ny);
SELECT id, first_name FROM dialer.segment_contacts(:ny, NULL::contacts);
SELECT dialer.segment_contacts(:ny, NULL::dialer.reps);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.dialable_count(segment_id => :ny);
SELECT p -> 'total' AS total, p -> 'ready' AS ready, p -> 'excluded_by_category' AS excluded
FROM dialer.preview_segment(:ny) p;
SELECT dialer.preview_segment(:ny, '{"min_days": 200}') -> 'excluded_by_category' -> 'recently_contacted' AS with_options;
RESET SESSION AUTHORIZATION;
UPDATE contacts SET state = 'NY' WHERE id = 4;
SET SESSION AUTHORIZATION segments_sarah;
SELECT dialer.segment_contacts(:ny) AS after_a_move;
-- Changing the filter (validated), the name; NULL keeps a field.
SELECT dialer.update_segment(:ny, name => 'Engaged NY buyers',
    filter => '{"and": [{"field": "contact_type", "op": "eq", "value": "buyer"},
                        {"field": "state", "op": "eq", "value": "NY"},
                        {"field": "engagement_score", "op": "gte", "value": 70}, {"never_contacted": false}]}');
SELECT dialer.segment_contacts(:ny);

-- Pushing a segment: a normal push of those contacts (exclusions as always).
SELECT dialer.push_segment(:ny, 'Engaged NY') AS job \gset
SELECT s ->> 'total' AS pushed, s ->> 'session_name' AS session_name FROM dialer.push_status(:job) s;
SELECT dialer.create_segment('Nobody', '{"field": "state", "op": "eq", "value": "ZZ"}') AS nobody \gset
SELECT dialer.push_segment(:nobody);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.dialable_count(segment_id => :nobody);

-- Private: Mike neither sees it nor runs it; shared: he runs it, and cannot change it.
SET SESSION AUTHORIZATION segments_mike;
SELECT count(*) AS mike_sees FROM dialer.segments_overview;
SELECT dialer.segment_contacts(:ny);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION segments_sarah;
SELECT dialer.update_segment(:ny, shared => true);
SET SESSION AUTHORIZATION segments_mike;
SELECT name, owner, shared, is_mine FROM dialer.segments_overview;
SELECT dialer.segment_contacts(:ny);
SELECT dialer.update_segment(:ny, name => 'Mine');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_segment(:ny);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_segment('Mike''s own', '{"called_within_days": 7}') AS mikes \gset
SET SESSION AUTHORIZATION segments_analyst;
SELECT name FROM dialer.segments_overview ORDER BY id;
SELECT * FROM dialer.dialable_count(segment_id => :ny);
SELECT dialer.segment_contacts(:mikes);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_segment('x', '{"is_dialable": true}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- An admin changes and deletes anyone's segments.
SET SESSION AUTHORIZATION segments_admin;
SELECT name, owner FROM dialer.segments_overview ORDER BY id;
SELECT dialer.segment_contacts(:mikes) AS admin_reads_private;
SELECT dialer.update_segment(:mikes, description => 'Checked by an admin');
SELECT dialer.delete_segment(:mikes);
SELECT dialer.delete_segment(:mikes);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;

SELECT action, acted_by, object_id, details - 'from' - 'to' - 'filter' AS details,
       details -> 'to' ->> 'name' AS new_name
FROM dialer.audit_log WHERE object_type = 'segment' ORDER BY id;

\i sql/include/reset.sql
DROP SCHEMA test_segments CASCADE;
DROP OWNED BY segments_sarah, segments_mike, segments_analyst, segments_admin;
DROP ROLE segments_sarah, segments_mike, segments_analyst, segments_admin;
RESET search_path;
