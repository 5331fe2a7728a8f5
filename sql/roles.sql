-- Roles and privileges, tried as each role would: PUBLIC, an analyst, two
-- reps, the app acting for its users, an admin and the daemon. Every login
-- here is a non-superuser with only its dialer_* role; SET SESSION
-- AUTHORIZATION makes it the session_user, as a real login would be.
CREATE SCHEMA test_roles;
SET search_path TO test_roles;
\set VERBOSITY terse
\i sql/include/reset.sql
SET dialer.calling_window_clock = '2026-03-04 18:00+00';  -- launches: a fixed instant
CREATE ROLE roles_nobody LOGIN;
CREATE ROLE roles_analyst LOGIN IN ROLE dialer_analyst;
CREATE ROLE roles_sarah LOGIN IN ROLE dialer_rep;
CREATE ROLE roles_mike LOGIN IN ROLE dialer_rep;
CREATE ROLE roles_app LOGIN IN ROLE dialer_app;
CREATE ROLE roles_admin LOGIN IN ROLE dialer_admin;
CREATE ROLE roles_sync LOGIN IN ROLE dialer_sync;
CREATE TABLE contacts (
    id bigint PRIMARY KEY, first_name text, last_name text, company text, phone text,
    do_not_call boolean DEFAULT false, do_not_call_source text, last_call_attempt_at timestamptz
);
INSERT INTO contacts (id, first_name, last_name, company, phone)
SELECT g, 'First' || g, 'Last' || g, 'Company ' || g, '(919) 555-' || lpad(g::text, 4, '0')
FROM generate_series(1, 6) g;
GRANT USAGE ON SCHEMA test_roles TO PUBLIC;
GRANT SELECT ON contacts TO PUBLIC;

-- What the extension granted: nothing writable by PUBLIC, no table writable
-- by any dialer role, and every SECURITY DEFINER function's search_path pinned.
SELECT p.oid::regprocedure AS executable_by_public
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'dialer' AND has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY p.oid::regprocedure::text;
SELECT r.role, c.relname, x.privilege_type
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN unnest(ARRAY['dialer_analyst', 'dialer_rep', 'dialer_app', 'dialer_admin', 'dialer_sync']) r(role)
CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) x(privilege_type)
WHERE n.nspname = 'dialer' AND c.relkind IN ('r', 'p') AND has_table_privilege(r.role, c.oid, x.privilege_type);
SELECT p.oid::regprocedure AS definer_without_pinned_search_path
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'dialer' AND p.prosecdef
  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false);
SELECT p.oid::regprocedure AS executable_by_dialer_sync
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'dialer' AND has_function_privilege('dialer_sync', p.oid, 'EXECUTE')
  AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY p.oid::regprocedure::text;

-- An admin sets up: reps (two logins and one of the app's users), the
-- contact relation. Nobody else may.
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.add_rep('roles_sarah', 'Sarah');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure('contacts');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.add_rep('roles_sarah', 'Sarah Johnson', 'sarah@sourceco.example', 'sarah');
SELECT dialer.add_rep('roles_mike', 'Mike Chen', 'mike@sourceco.example', 'mike');
SELECT dialer.add_rep('ann@sourceco.example', 'Ann Lee', 'ann@sourceco.example', 'ann');
SELECT dialer.add_rep('gone@sourceco.example', 'Gone', NULL, 'default');
SELECT dialer.update_rep('gone@sourceco.example', active => false);
SELECT dialer.configure('test_roles.contacts');
SELECT name, display_name, phoneburner_credential, active FROM dialer.reps WHERE name <> session_user ORDER BY name;

-- PUBLIC (a login with no dialer role) runs the pure rules on its own rows,
-- and nothing else.
SET SESSION AUTHORIZATION roles_nobody;
SELECT dialer.e164('(919) 555-0101'), dialer.is_dialable(c), (dialer.exclusion(c)).category
FROM contacts c WHERE id = 1;
SELECT dialer.preview(array_agg(c ORDER BY id)) -> 'ready' AS ready FROM contacts c;
SELECT dialer.push(array_agg(c), 'Nope') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM dialer.sessions_overview;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM dialer.suppressions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Sarah pushes her list: her session, in her PhoneBurner account.
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.push(array_agg(c ORDER BY id), 'Sarah''s buyers') AS sarah_job FROM contacts c WHERE id <= 4 \gset
SELECT (dialer.push_status(:sarah_job)) ->> 'session_id' AS sarah_session \gset
SELECT name, owner, owner_name, is_mine FROM dialer.sessions_overview;
-- She may not write any table directly, call the daemon's API, or forge a call.
INSERT INTO dialer.push_jobs (session_id, requested_by, phoneburner_credential) VALUES (:sarah_session, 'x', 'x');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE dialer.sessions SET owner = 'roles_mike';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
INSERT INTO dialer.overrides VALUES (:sarah_job, '1', 'do_not_call', 'x', 'x', 'roles_mike');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM dialer.claim_push_job('stolen-worker');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.record_call_event('{"event": "api_calldone", "source": "account", "call_id": "forged"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._record_call_event('{"event": "api_calldone", "source": "account", "call_id": "forged"}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer._enqueue_push('{}', 'forged verdicts', NULL, '{}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) FROM dialer.dial_sessions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- She may not act as someone else: only the app may set dialer.acting_user.
SET dialer.acting_user = 'roles_mike';
SELECT dialer.create_session('As Mike');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET dialer.acting_user;
-- Nor change the settings, the hook, the dispositions or the suppressions.
SELECT dialer.configure_writeback(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.map_disposition('Gatekeeper', 'callback');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.add_suppression('(919) 555-0006', 'requested', 'Asked on a call');
SELECT dialer.remove_suppression('(919) 555-0006', 'I think it is fine');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM dialer.suppressions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Mike sees Sarah's session on the dashboard, but may not touch it.
SET SESSION AUTHORIZATION roles_mike;
SELECT name, owner, is_mine FROM dialer.sessions_overview;
SELECT dialer.rename_session(:sarah_session, 'Mine now');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.pause_session(:sarah_session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.delete_session(:sarah_session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), session_id => :sarah_session) FROM contacts c WHERE id = 5;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.cancel(:sarah_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.launch(:sarah_session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c ORDER BY id), 'Mike''s buyers') AS mike_job FROM contacts c WHERE id >= 5 \gset

-- An analyst reads the dashboard, and writes nothing.
SET SESSION AUTHORIZATION roles_analyst;
SELECT name, owner, is_mine FROM dialer.sessions_overview ORDER BY id;
SELECT dialer.create_session('Analyst''s');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The daemon (only dialer_sync) works both jobs, each in its rep's account.
SET SESSION AUTHORIZATION roles_sync;
SELECT count(*) FROM dialer.sessions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), 'Daemon push') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT kind, phoneburner_credential FROM dialer.claim_push_job('worker-1') ORDER BY id;
SELECT dialer.set_session_folder(:sarah_job, 'worker-1', 'folder-sarah');
SELECT count(*) FILTER (WHERE dialer.record_push_item(:sarah_job, 'worker-1', list_position, 'created',
                                                      'pb-' || contact_id)) AS recorded
FROM dialer.push_job_items(:sarah_job, 'worker-1');
SELECT dialer.finish_push_job(:sarah_job, 'worker-1');
SELECT kind, phoneburner_credential FROM dialer.claim_push_job('worker-1');
SELECT dialer.set_session_folder(:mike_job, 'worker-1', 'folder-mike');
SELECT count(*) FILTER (WHERE dialer.record_push_item(:mike_job, 'worker-1', list_position, 'created',
                                                      'pb-' || contact_id)) AS recorded
FROM dialer.push_job_items(:mike_job, 'worker-1');
SELECT dialer.finish_push_job(:mike_job, 'worker-1');

-- Sarah launches her session; the daemon re-reads her contacts with its
-- own rights (none on the table yet: a clear 42501, nothing half done).
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.launch(:sarah_session) AS launch_job \gset
RESET SESSION AUTHORIZATION;
REVOKE SELECT ON contacts FROM PUBLIC;
GRANT SELECT ON contacts TO roles_sarah, roles_mike, roles_app;
SET SESSION AUTHORIZATION roles_sync;
SELECT kind, phoneburner_credential FROM dialer.claim_push_job('worker-1');
SELECT dialer.prepare_launch(:launch_job, 'worker-1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
GRANT SELECT ON contacts TO roles_sync;
SET SESSION AUTHORIZATION roles_sync;
SELECT dialer.prepare_launch(:launch_job, 'worker-1') AS contacts_to_launch;
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'sending');
SELECT dialer.record_dial_session(:launch_job, 'worker-1', 1, 'created', 'ds-1', 0, 'https://pb.example/login/sarah');
SELECT dialer.finish_push_job(:launch_job, 'worker-1');
-- Only Sarah (or an admin) reads her login link; it is erased once read.
SET SESSION AUTHORIZATION roles_mike;
SELECT dialer.launch_link(:launch_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.launch_link(:launch_job);
SELECT dialer.launch_link(:launch_job);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The app acts for its users, who must be active reps; the audit names both.
SET SESSION AUTHORIZATION roles_app;
SET dialer.acting_user = 'ann@sourceco.example';
SELECT dialer.create_session('Ann''s calls') AS ann_session \gset
SELECT owner, is_mine FROM dialer.sessions_overview WHERE id = :ann_session;
SELECT dialer.rename_session(:sarah_session, 'Taken by the app');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET dialer.acting_user = 'nobody@sourceco.example';
SELECT dialer.create_session('Unknown');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET dialer.acting_user = 'gone@sourceco.example';
SELECT dialer.create_session('Inactive');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET dialer.acting_user;
SELECT dialer.create_session('As the app itself');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- An admin may act on any session, and reassigns within an account only.
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.rename_session(:sarah_session, 'Sarah''s buyers (Q4)');
SELECT dialer.assign_session(:sarah_session, 'roles_mike', 'Sarah is on leave');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.assign_session(:ann_session, 'roles_mike', 'Ann moved teams');
SELECT owner FROM dialer.sessions_overview WHERE id = :ann_session;
-- Removing a suppression takes a reason.
SELECT dialer.remove_suppression('(919) 555-0006', NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.remove_suppression('(919) 555-0006', 'Entered on the wrong contact');

-- The write-back hook runs with the daemon's rights, never the owner's: a
-- hook that writes where dialer_sync may not fails (kept, not lost); a
-- SECURITY DEFINER hook is refused.
RESET SESSION AUTHORIZATION;
CREATE TABLE hook_log (contact_id text, changes jsonb);
CREATE FUNCTION app_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE sql
AS $$ INSERT INTO test_roles.hook_log VALUES (contact_id, changes) $$;
CREATE FUNCTION definer_hook(contact_id text, changes jsonb) RETURNS void LANGUAGE sql SECURITY DEFINER
AS $$ INSERT INTO test_roles.hook_log VALUES (contact_id, changes) $$;
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.configure_writeback('test_roles.definer_hook(text, jsonb)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_writeback('test_roles.app_hook(text, jsonb)', 'The app keeps call outcomes itself');
SET SESSION AUTHORIZATION roles_sync;
SELECT dialer.record_call_event(jsonb_build_object(
    'event', 'api_calldone', 'source', 'account', 'credential', 'sarah', 'received_at', '2026-12-01 15:00:00+00',
    'time_zone', 'UTC', 'call_id', 'call-1', 'phoneburner_contact_id', 'pb-2', 'disposition', 'Interested',
    'start_time', '2026-12-01 14:58:00', 'end_time', '2026-12-01 15:00:00'));
RESET SESSION AUTHORIZATION;
SELECT contact_id, sqlstate FROM dialer.writeback_failures;
GRANT INSERT ON hook_log TO dialer_sync;
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.retry_writebacks() AS queued;
SET SESSION AUTHORIZATION roles_sync;
SELECT dialer.apply_writebacks() AS applied;
RESET SESSION AUTHORIZATION;
SELECT contact_id, changes ->> 'last_contact_outcome' AS outcome FROM hook_log;
-- A call is matched within the account it came from: pb-5 is Mike's contact
-- in the "mike" account, not a contact of Sarah's.
SET SESSION AUTHORIZATION roles_sync;
SELECT dialer.record_call_event(jsonb_build_object(
    'event', 'api_calldone', 'source', 'account', 'credential', 'sarah', 'received_at', '2026-12-01 15:05:00+00',
    'call_id', 'call-2', 'phoneburner_contact_id', 'pb-5')) AS from_the_wrong_account;
SELECT dialer.record_call_event(jsonb_build_object(
    'event', 'api_calldone', 'source', 'account', 'credential', 'mike', 'received_at', '2026-12-01 15:06:00+00',
    'call_id', 'call-3', 'phoneburner_contact_id', 'pb-5')) AS from_mikes_account;

-- The list builder's settings, views and links, by role: admins configure
-- (audited below), reps do not; analysts read the metrics, PUBLIC does not;
-- a session's PhoneBurner link is its owner's or an admin's.
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.configure_list_size(300);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_deals(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.phoneburner_link(:sarah_session) LIKE 'https://www.phoneburner.com/contacts?category_id=%' AS sarah_link;
SET SESSION AUTHORIZATION roles_mike;
SELECT dialer.phoneburner_link(:sarah_session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.configure_list_size(300), dialer.configure_deals(NULL);
SELECT dialer.phoneburner_link(:sarah_session) IS NOT NULL AS admin_link;
SET SESSION AUTHORIZATION roles_analyst;
SELECT count(*) >= 0 AS reads_metrics FROM dialer.metrics_push_time, dialer.metrics_rep_weeks;
SELECT count(*) >= 0 AS reads_metrics FROM dialer.metrics_push_quality, dialer.metrics_connection_rate;
SELECT dialer.configure_list_size(300);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_nobody;
SELECT count(*) FROM dialer.metrics_rep_weeks;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.phoneburner_link(1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.priority_tier('80') AS tier;
RESET SESSION AUTHORIZATION;

-- A search_path hijack: a rep's own schema first in the path, with
-- look-alikes of pg_catalog's functions and operators. The definer
-- functions never see them.
RESET SESSION AUTHORIZATION;
GRANT CREATE ON DATABASE contrib_regression TO roles_sarah;
SET SESSION AUTHORIZATION roles_sarah;
CREATE SCHEMA sarah_evil;
CREATE FUNCTION sarah_evil.btrim(text) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked btrim'; END $$;
CREATE FUNCTION sarah_evil.now() RETURNS timestamptz LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked now'; END $$;
CREATE FUNCTION sarah_evil.jsonb_build_object(text, text) RETURNS jsonb LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked jsonb_build_object'; END $$;
CREATE FUNCTION sarah_evil.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'hijacked ='; END $$;
CREATE OPERATOR sarah_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = sarah_evil.text_eq);
SET search_path = sarah_evil, pg_catalog, test_roles;
SELECT dialer.create_session('  Hijack attempt  ') AS hijack_session \gset
SELECT dialer.rename_session(:hijack_session, ' Still mine ');
SELECT dialer.pause_session(:hijack_session);
SELECT dialer.push(array_agg(c), session_id => :hijack_session) IS NOT NULL AS pushed FROM test_roles.contacts c WHERE id = 1;
SELECT dialer.add_suppression('(919) 555-0004', 'internal') AS suppressed;
SELECT dialer.suggest_session('{}') AS suggested;
SET search_path TO test_roles;
RESET SESSION AUTHORIZATION;
SELECT name, status FROM dialer.sessions WHERE id = :hijack_session;

-- The audit trail: every act, by whom and through which login; nobody may
-- rewrite it, the owner included.
SELECT action, object_type, acted_by, login_role, contact_ids, reason
FROM dialer.audit_log ORDER BY id;
SET SESSION AUTHORIZATION roles_admin;
UPDATE dialer.audit_log SET reason = 'rewritten';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM dialer.audit_log;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE dialer.audit_log;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
UPDATE dialer.audit_log SET reason = 'rewritten';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE dialer.overrides;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE dialer.session_changes SET detail = NULL;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE dialer.audit_log;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE dialer.session_changes;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Lists and segments (sql/lists.sql and sql/segments.sql try them as each
-- role): reps and the app make and push them, analysts read shared ones,
-- PUBLIC only validates filters and counts or exports its own rows; admins
-- manage anyone's (checked inside) and register the deal-contacts relation.
SELECT f::regprocedure AS function,
       has_function_privilege('roles_nobody', f, 'EXECUTE') AS nobody,
       has_function_privilege('roles_analyst', f, 'EXECUTE') AS analyst,
       has_function_privilege('roles_sarah', f, 'EXECUTE') AS rep,
       has_function_privilege('roles_app', f, 'EXECUTE') AS app,
       has_function_privilege('roles_admin', f, 'EXECUTE') AS admin,
       has_function_privilege('roles_sync', f, 'EXECUTE') AS sync
FROM unnest(ARRAY['dialer.validate_filter(jsonb)', 'dialer.never_contacted(record)',
                  'dialer.dialable_count(anyarray)', 'dialer.list_export(anyarray, jsonb)',
                  'dialer.filter_sql(jsonb, regclass)', 'dialer.preview_list(bigint, jsonb)',
                  'dialer.segment_contacts(bigint)', 'dialer.dialable_count(bigint, bigint)',
                  'dialer.list_export(bigint, bigint, jsonb)', 'dialer.preview_deal(text, jsonb)',
                  'dialer.create_list(text, boolean, text)', 'dialer.add_to_list(bigint, anyarray)',
                  'dialer.create_segment(text, jsonb, boolean, text)', 'dialer.push_list(bigint, text, bigint, jsonb)',
                  'dialer.push_segment(bigint, text, bigint, jsonb)', 'dialer.push_contacts(anyarray, text, bigint, jsonb)',
                  'dialer.push_deal(text, text, bigint, jsonb)', 'dialer.configure_deal_contacts(regclass)',
                  'dialer._change_list_members(bigint, text[], boolean)']::regprocedure[]) f;
SELECT v AS relation, has_table_privilege('roles_nobody', v, 'SELECT') AS nobody,
       has_table_privilege('roles_analyst', v, 'SELECT') AS analyst,
       has_table_privilege('roles_sarah', v, 'SELECT') AS rep, has_table_privilege('roles_admin', v, 'SELECT') AS admin
FROM unnest(ARRAY['dialer.lists_overview', 'dialer.segments_overview', 'dialer.lists', 'dialer.list_members',
                  'dialer.segments']::regclass[]) v;
-- The smart lists (sql/smart_lists.sql): analysts read them with counts;
-- reps push them (the list_source step) and set their own time zone (checked
-- inside); re-installing them is the extension owner's alone.
SELECT f::regprocedure AS function,
       has_function_privilege('roles_nobody', f, 'EXECUTE') AS nobody,
       has_function_privilege('roles_analyst', f, 'EXECUTE') AS analyst,
       has_function_privilege('roles_sarah', f, 'EXECUTE') AS rep,
       has_function_privilege('roles_app', f, 'EXECUTE') AS app,
       has_function_privilege('roles_admin', f, 'EXECUTE') AS admin,
       has_function_privilege('roles_sync', f, 'EXECUTE') AS sync
FROM unnest(ARRAY['dialer.suggested_lists()', 'dialer.rep_today()', 'dialer.rep_time_zone()',
                  'dialer.set_rep_time_zone(text, text)',
                  'dialer._push_with_source(anyarray, text, bigint, jsonb, text)',
                  'dialer._source_list_source(text, text)', 'dialer._install_smart_lists()']::regprocedure[]) f;
-- Sarah's private list and segment: Mike may not read them, an analyst reads
-- them once shared, and only an admin (or Sarah) changes them.
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.create_list('Sarah''s list') AS sarah_list \gset
SELECT dialer.add_to_list(:sarah_list, array_agg(c)) FROM contacts c WHERE id <= 2;
SELECT dialer.create_segment('Sarah''s segment', '{"field": "company", "op": "starts_with", "value": "Company"}')
    AS sarah_segment \gset
SET SESSION AUTHORIZATION roles_mike;
SELECT dialer.preview_list(:sarah_list);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.segment_contacts(:sarah_segment);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_sarah;
SELECT dialer.share_list(:sarah_list, true), dialer.update_segment(:sarah_segment, shared => true);
-- The contacts are read with the caller's rights: this analyst may not read
-- them (granted to the reps above), so it may not count them either.
SET SESSION AUTHORIZATION roles_analyst;
SELECT (dialer.dialable_count(list_id => :sarah_list)).summary AS list_count;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name, shared FROM dialer.lists_overview;
RESET SESSION AUTHORIZATION;
GRANT SELECT ON contacts TO roles_analyst;
SET SESSION AUTHORIZATION roles_analyst;
SELECT (dialer.dialable_count(list_id => :sarah_list)).summary AS list_count,
       (dialer.dialable_count(segment_id => :sarah_segment)).summary AS segment_count;
SELECT dialer.rename_list(:sarah_list, 'Analyst''s now');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET SESSION AUTHORIZATION roles_admin;
SELECT dialer.rename_list(:sarah_list, 'Checked'), dialer.delete_segment(:sarah_segment);
RESET SESSION AUTHORIZATION;

-- List templates (sql/templates.sql tries them): reps manage and run their
-- own, the daemon only runs the due ones, analysts and PUBLIC neither.
SELECT f::regprocedure AS function,
       has_function_privilege('roles_nobody', f, 'EXECUTE') AS nobody,
       has_function_privilege('roles_analyst', f, 'EXECUTE') AS analyst,
       has_function_privilege('roles_sarah', f, 'EXECUTE') AS rep,
       has_function_privilege('roles_app', f, 'EXECUTE') AS app,
       has_function_privilege('roles_admin', f, 'EXECUTE') AS admin,
       has_function_privilege('roles_sync', f, 'EXECUTE') AS sync
FROM unnest(ARRAY['dialer.create_template(text, text, jsonb, bigint, bigint, text, jsonb, boolean, boolean)',
                  'dialer.update_template(bigint, text, text, jsonb, bigint, bigint, text, jsonb, boolean)',
                  'dialer.enable_template(bigint, boolean)', 'dialer.delete_template(bigint)',
                  'dialer.run_template_now(bigint)', 'dialer.preview_template(bigint)',
                  'dialer.run_due_templates(text, integer)', 'dialer._claim_due_templates(text, integer)',
                  'dialer._push_template(anyarray, text, bigint, jsonb)',
                  'dialer._next_run(jsonb, timestamptz)']::regprocedure[]) f;
SELECT v AS relation, has_table_privilege('roles_nobody', v, 'SELECT') AS nobody,
       has_table_privilege('roles_analyst', v, 'SELECT') AS analyst,
       has_table_privilege('roles_sarah', v, 'SELECT') AS rep, has_table_privilege('roles_admin', v, 'SELECT') AS admin,
       has_table_privilege('roles_sync', v, 'SELECT') AS sync
FROM unnest(ARRAY['dialer.templates_overview', 'dialer.template_run_history', 'dialer.list_templates',
                  'dialer.template_runs']::regclass[]) v;

-- Clean up the roles (the cluster outlives this file).
REVOKE CREATE ON DATABASE contrib_regression FROM roles_sarah;
DROP SCHEMA sarah_evil CASCADE;
\i sql/include/reset.sql
DROP SCHEMA test_roles CASCADE;
DROP OWNED BY roles_nobody, roles_analyst, roles_sarah, roles_mike, roles_app, roles_admin, roles_sync;
DROP ROLE roles_nobody, roles_analyst, roles_sarah, roles_mike, roles_app, roles_admin, roles_sync;
RESET search_path;
