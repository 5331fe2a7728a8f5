-- The entry points as single calls: by explicit ids ("Push selected"), by
-- deal (the deal-contacts relation), by list and by segment (lists.sql and
-- segments.sql test those further); the "dialable of total" count of a
-- query; the bulk bar's [Export CSV] for a list, a segment and a query.
CREATE SCHEMA test_entry_points;
SET search_path TO test_entry_points;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE TABLE contacts (id bigint PRIMARY KEY, contact_type text, buyer_type text, first_name text, last_name text,
                       company text, phone text, email text, do_not_call boolean NOT NULL DEFAULT false,
                       do_not_call_source text, last_call_attempt_at timestamptz, target_industries text[],
                       engagement_score integer);
INSERT INTO contacts VALUES
    (1, 'buyer', 'PE Firm', 'Ann', 'Lee', 'Acme, "The" Fund', '(919) 555-0101', 'ann@acme.example', false, NULL,
     NULL, '{HVAC,Dental}', 80),
    (2, 'buyer', 'PE Firm', 'Bob', 'Ray', 'Beta', '(919) 555-0102', NULL, true, 'registry', NULL, NULL, 40),
    (3, 'buyer', 'PE Firm', 'Cy', 'Orr', 'Gamma', '(919) 555-0103', NULL, false, NULL, now() - interval '1 day', NULL, 70),
    (4, 'seller', NULL, 'Di', NULL, 'Delta', '(919) 555-0104', NULL, false, NULL, NULL, NULL, NULL),
    (5, 'buyer', 'Strategic', 'Ed', 'Poe', 'Epsilon', NULL, NULL, false, NULL, NULL, NULL, 55);
-- Deals and their contacts, as the CRM keeps them (deal ids are text here).
CREATE TABLE deal_contacts (deal_id text, contact_id bigint, role text);
INSERT INTO deal_contacts VALUES ('D-1', 1, 'buyer'), ('D-1', 2, 'buyer'), ('D-1', 3, 'buyer'), ('D-2', 4, 'seller');
SET dialer.acting_user = 'sarah@sourceco.example';

-- Nothing runs before the contact relation is registered.
SELECT dialer.preview_contacts(ARRAY[1]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure('contacts');

-- By explicit ids: the bulk bar's selection, whatever the filters. Ids of any
-- type; ids not in the contact relation are not contacts.
SELECT p -> 'total' AS total, p -> 'ready' AS ready FROM dialer.preview_contacts(ARRAY[1, 2, 3, 99]) p;
SELECT dialer.preview_contacts('{1,4}'::text[], '{"as_of": "2026-02-20"}') -> 'suggested_session_name' AS name_from_rows;
SELECT dialer.preview_contacts(array_agg(c)) FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview_contacts(ARRAY['x']);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push_contacts(ARRAY[1, 2, 3], 'Selected', NULL,
                            '{"include": ["3"], "override_reason": "Asked to be called back"}') AS selected_job \gset
SELECT s ->> 'total' AS pushed, s -> 'excluded' AS excluded FROM dialer.push_status(:selected_job) s;
SELECT contact_id, override_reason FROM dialer.overrides ORDER BY contact_id;
-- The push path checks exactly as dialer.push: legal DNC cannot be forced in.
SELECT dialer.push_contacts(ARRAY[1, 2], NULL, NULL, '{"include": ["2"], "override_reason": "Please"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push_contacts(ARRAY[99]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push_contacts(ARRAY[1], NULL, NULL, '{"bogus": 1}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- By deal: needs the deal-contacts relation (admins register it).
SELECT dialer.preview_deal('D-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE not_deals (deal_id text);
SELECT dialer.configure_deal_contacts('not_deals');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_deal_contacts('deal_contacts');
SELECT deal_contacts_relation FROM dialer.configuration;
SELECT p -> 'total' AS total, p -> 'ready' AS ready, p -> 'suggested_session_name' AS name
FROM dialer.preview_deal('D-1', '{"as_of": "2026-02-20"}') p;
SELECT dialer.preview_deal('D-404') -> 'total' AS unknown_deal;
SELECT dialer.preview_deal('D-1'' OR true --') -> 'total' AS quoted_deal_id;
SELECT dialer.push_deal('D-1', 'Acme HVAC buyers') AS deal_job \gset
SELECT s ->> 'total' AS pushed, s ->> 'session_name' AS session_name FROM dialer.push_status(:deal_job) s;
-- A view can map other column names (and an integer deal id is cast).
CREATE VIEW deal_links AS SELECT substr(deal_id, 3)::integer AS deal_id, contact_id::text AS contact_id FROM deal_contacts;
SELECT dialer.configure_deal_contacts('deal_links');
SELECT dialer.preview_deal('2') -> 'total' AS deal_2;
SELECT dialer.preview_deal('two');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- "243 dialable of 312": for any query.
SELECT * FROM dialer.dialable_count((SELECT array_agg(c) FROM contacts c));
SELECT (dialer.dialable_count(array_agg(c))).summary FROM contacts c WHERE c.contact_type = 'buyer';
SELECT (dialer.dialable_count(NULL::contacts[])).summary AS no_rows;
SELECT (dialer.dialable_count(array_agg(r))).summary AS anonymous_rows
FROM (VALUES (1, '(919) 555-0101'), (2, NULL)) AS r(id, phone);
SELECT count(*) AS exported_anonymous_rows
FROM (SELECT array_agg(r) AS a FROM (VALUES (1, '(919) 555-0101', 'Ann', 'Lee')) AS r(id, phone, first_name, last_name)) q,
     dialer.list_export(q.a) e;
SELECT * FROM dialer.dialable_count(list_id => 1, segment_id => 1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.dialable_count();
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The quick filters in WHERE, and in a segment.
SELECT id FROM contacts c WHERE dialer.is_dialable(c) AND dialer.never_contacted(c) ORDER BY id;
SELECT id FROM contacts c WHERE dialer.called_this_week(c) ORDER BY id;
SELECT dialer.create_segment('Dialable, never called', '{"and": [{"is_dialable": true}, {"never_contacted": true}]}') AS seg \gset
SELECT dialer.segment_contacts(:seg);

-- [Export CSV]: the verdict and the payload's fields, one column each.
SELECT dialer.create_list('Export me') AS list \gset
SELECT dialer.add_to_list(:list, ARRAY[1, 2, 4]);
COPY (SELECT * FROM dialer.list_export(list_id => :list)) TO STDOUT (FORMAT csv, HEADER);
COPY (SELECT contact_id, excluded_category, first_name, company, phone, target_sectors
      FROM dialer.list_export(segment_id => :seg)) TO STDOUT (FORMAT csv, HEADER);
COPY (SELECT e.contact_id, e.excluded_reason, e.engagement_score
      FROM (SELECT array_agg(c ORDER BY c.id) AS a FROM contacts c WHERE c.contact_type = 'buyer') q,
           dialer.list_export(q.a, '{"min_days": 0}') e) TO STDOUT (FORMAT csv, HEADER);
SELECT count(*) FROM dialer.list_export(list_id => :list, segment_id => :seg);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Every push went through dialer.push: jobs, audited as pushes.
SELECT action, object_type, contact_ids FROM dialer.audit_log WHERE action IN ('push', 'override') ORDER BY id;

RESET dialer.acting_user;
\i sql/include/reset.sql
DROP SCHEMA test_entry_points CASCADE;
RESET search_path;
