-- Static lists: create, rename, share, add and remove contacts by id and by
-- query, delete; owner, sharing and admins, as real logins (non-superusers
-- with only their dialer_* role); the audit trail.
CREATE SCHEMA test_lists;
SET search_path TO test_lists;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE ROLE lists_sarah LOGIN IN ROLE dialer_rep;
CREATE ROLE lists_mike LOGIN IN ROLE dialer_rep;
CREATE ROLE lists_analyst LOGIN IN ROLE dialer_analyst;
CREATE ROLE lists_admin LOGIN IN ROLE dialer_admin;
CREATE ROLE lists_app LOGIN IN ROLE dialer_app;
CREATE ROLE lists_nobody LOGIN;
CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, last_name text, company text, phone text,
                       do_not_call boolean NOT NULL DEFAULT false, last_call_attempt_at timestamptz);
INSERT INTO contacts (id, first_name, last_name, company, phone)
SELECT g, 'First' || g, 'Last' || g, 'Company ' || g, '(919) 555-' || lpad(g::text, 4, '0')
FROM generate_series(1, 8) g;
UPDATE contacts SET do_not_call = true WHERE id = 3;
GRANT USAGE ON SCHEMA test_lists TO PUBLIC;
GRANT SELECT ON contacts TO PUBLIC;
SELECT dialer.add_rep('lists_sarah', 'Sarah Johnson');
SELECT dialer.add_rep('lists_mike', 'Mike Chen');
SELECT dialer.add_rep('lists_admin', 'Ada Admin');
SELECT dialer.configure('contacts');

-- Sarah makes a private list and fills it by id and by query.
SET SESSION AUTHORIZATION lists_sarah;
SELECT dialer.create_list('  Hot buyers ') AS hot \gset
SELECT dialer.create_list('');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.add_to_list(:hot, ARRAY[1, 2]) AS added_by_ids;
SELECT dialer.add_to_list(:hot, '{2,3}'::text[]) AS added_by_text_ids;
SELECT dialer.add_to_list(:hot, array_agg(c)) AS added_by_query FROM contacts c WHERE id BETWEEN 3 AND 5;
SELECT dialer.add_to_list(:hot, array_agg(r)) AS added_by_anonymous_rows FROM (SELECT 6 AS id) r;
SELECT dialer.add_to_list(:hot, ARRAY[NULL::bigint]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.remove_from_list(:hot, ARRAY[6, 7]) AS removed_by_ids;
SELECT dialer.remove_from_list(:hot, array_agg(c)) AS removed_by_query FROM contacts c WHERE id = 5;
SELECT dialer.list_contacts(:hot);
SELECT id, first_name FROM dialer.list_contacts(:hot, NULL::contacts);
SELECT * FROM dialer.dialable_count(list_id => :hot);
SELECT dialer.rename_list(:hot, 'Hot PE buyers');
SELECT name, owner, owner_name, shared, contacts, is_mine FROM dialer.lists_overview;
-- Nobody writes the tables directly.
INSERT INTO dialer.list_members (list_id, contact_id) VALUES (:hot, '8');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE dialer.lists SET owner = 'lists_mike';
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Mike neither sees nor reads her private list, nor changes it.
SET SESSION AUTHORIZATION lists_mike;
SELECT count(*) AS lists_mike_sees FROM dialer.lists_overview;
SELECT dialer.list_contacts(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.preview_list(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push_list(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.add_to_list(:hot, ARRAY[8]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.list_contacts(999);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Shared: everyone reads it (Mike, an analyst); still only Sarah or an admin changes it.
SET SESSION AUTHORIZATION lists_sarah;
SELECT dialer.share_list(:hot, true);
SET SESSION AUTHORIZATION lists_mike;
SELECT name, owner, shared, contacts, is_mine FROM dialer.lists_overview;
SELECT dialer.list_contacts(:hot);
SELECT dialer.rename_list(:hot, 'Mine now');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.remove_from_list(:hot, ARRAY[1]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.share_list(:hot, false);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_list(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Mike may push a shared list into a session of his own: the usual push.
SELECT dialer.push_list(:hot, 'Mike from Sarah''s list') AS mike_job \gset
SELECT s ->> 'total' AS pushed, s -> 'excluded' ->> 'do_not_call' AS dnc_excluded, o.owner
FROM dialer.push_status(:mike_job) s, dialer.sessions_overview o WHERE o.id = (s ->> 'session_id')::bigint;
SET SESSION AUTHORIZATION lists_analyst;
SELECT name, contacts FROM dialer.lists_overview;
SELECT dialer.preview_list(:hot) -> 'ready' AS analyst_preview_ready;
SELECT dialer.create_list('Analyst''s');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push_list(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A login without a dialer role: nothing.
SET SESSION AUTHORIZATION lists_nobody;
SELECT count(*) FROM dialer.lists_overview;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.list_contacts(:hot);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The app acts for its users: for Mike it may not change Sarah's list.
SET SESSION AUTHORIZATION lists_app;
BEGIN;
SET LOCAL dialer.acting_user = 'lists_mike';
SELECT dialer.add_to_list(:hot, ARRAY[8]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SET LOCAL dialer.acting_user = 'lists_sarah';
SELECT dialer.add_to_list(:hot, ARRAY[8]) AS app_for_sarah_added;
SELECT dialer.create_list('Private for the app''s Sarah') AS private \gset
COMMIT;

-- An admin manages anyone's lists, private ones too.
SET SESSION AUTHORIZATION lists_admin;
SELECT name, owner, shared, is_mine FROM dialer.lists_overview ORDER BY id;
SELECT dialer.remove_from_list(:hot, ARRAY[8]) AS admin_removed;
SELECT dialer.rename_list(:private, 'Renamed by an admin');
SELECT dialer.delete_list(:private);
SELECT dialer.delete_list(:private);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT contact_id FROM dialer.list_members ORDER BY list_id, contact_id;

-- Ids that are not in the contact relation are kept, with a WARNING naming
-- how many and the first five (read with Sarah's own rights: add_to_list is
-- SECURITY INVOKER); an id the id column's type cannot take is 22P02 and
-- adds nothing; on a list she may not change Mike gets 42501, no warning.
SET SESSION AUTHORIZATION lists_sarah;
SELECT dialer.create_list('Typos') AS typos \gset
SELECT dialer.add_to_list(:typos, ARRAY[1, 99, 2, 98, 99]) AS added_two_unknown;
SELECT dialer.add_to_list(:typos, ARRAY[91, 92, 93, 94, 95, 96, 97, 3]) AS added_seven_unknown;
SELECT dialer.add_to_list(:typos, '{4,x1}'::text[]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.add_to_list(:typos, array_agg(c)) AS added_known_rows FROM contacts c WHERE id IN (4, 5);
SELECT contacts FROM dialer.lists_overview WHERE id = :typos;
SELECT string_agg(id, ',') AS readable_members FROM dialer.list_contacts(:typos) id;
SET SESSION AUTHORIZATION lists_mike;
SELECT dialer.add_to_list(:typos, ARRAY[99]);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION lists_sarah;
SELECT dialer.delete_list(:typos);

-- Sarah deletes her list; its members go with it.
SET SESSION AUTHORIZATION lists_sarah;
SELECT dialer.delete_list(:hot);
RESET SESSION AUTHORIZATION;
SELECT count(*) AS members_left FROM dialer.list_members;

-- Every change is in the audit log: who, which list, which contacts.
SELECT action, object_type, acted_by, login_role, contact_ids, details
FROM dialer.audit_log WHERE object_type = 'list' ORDER BY id;

-- Clean up the roles (the cluster outlives this file).
\i sql/include/reset.sql
DROP SCHEMA test_lists CASCADE;
DROP OWNED BY lists_sarah, lists_mike, lists_analyst, lists_admin, lists_app, lists_nobody;
DROP ROLE lists_sarah, lists_mike, lists_analyst, lists_admin, lists_app, lists_nobody;
RESET search_path;
