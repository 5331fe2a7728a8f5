-- Session management: "+ New Session", rename, pause, resume, complete,
-- delete (archived when it has a history), and the derived activity_status.
CREATE SCHEMA test_session_manage;
SET search_path TO test_session_manage;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE TABLE contacts (id bigint PRIMARY KEY, first_name text, last_name text, phone text);
INSERT INTO contacts VALUES (1, 'John', 'Smith', '(919) 555-0101'), (2, 'Emily', 'Chen', '(919) 555-0102');
SET dialer.acting_user = 'sarah@sourceco.example';

-- "+ New Session": an empty, active session, named by the rep.
SELECT dialer.create_session('  PE Buyers - Feb 2026 Outreach ') AS s1 \gset
SELECT id, name, status, created_by, contact_count, last_activity_by, phoneburner_folder_id
FROM dialer.sessions WHERE id = :s1;
SELECT dialer.create_session('   ');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_session(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- It is offered in "Add to Existing Session" and takes pushes.
SELECT name, status FROM dialer.sessions_overview;
SELECT dialer.push(array_agg(c ORDER BY id), session_id => :s1) AS job FROM contacts c \gset
SELECT session_id = :s1 AS into_it FROM dialer.push_jobs WHERE id = :job;

-- Rename: trimmed, logged; the same name changes nothing; blank is refused.
SET dialer.acting_user = 'mike@sourceco.example';
SELECT dialer.rename_session(:s1, 'PE Buyers - Northeast');
SELECT dialer.rename_session(:s1, 'PE Buyers - Northeast ');
SELECT dialer.rename_session(:s1, '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.rename_session(999, 'Nope');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name FROM dialer.sessions WHERE id = :s1;

-- The stored status: what a rep set. Asking for the current state is a no-op.
SELECT dialer.pause_session(:s1);
SELECT dialer.pause_session(:s1);
SELECT dialer.push(array_agg(c), session_id => :s1) IS NOT NULL AS paused_takes_pushes FROM contacts c WHERE id = 1;
SELECT dialer.resume_session(:s1);
SELECT dialer.resume_session(:s1);
SELECT dialer.complete_session(:s1);
SELECT dialer.pause_session(:s1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), session_id => :s1) FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT name, status FROM dialer.sessions_overview;
SELECT dialer.resume_session(:s1);
SELECT dialer.pause_session(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.complete_session(-1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Delete: refused while a job is queued; a session with contacts or jobs is
-- archived, and archived is final.
SELECT dialer.delete_session(:s1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.cancel(id) FROM dialer.push_jobs WHERE session_id = :s1 AND status = 'queued' ORDER BY id;
SELECT dialer.delete_session(:s1);
SELECT dialer.delete_session(:s1);
SELECT id, status FROM dialer.sessions WHERE id = :s1;
SELECT dialer.resume_session(:s1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.pause_session(:s1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.complete_session(:s1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.rename_session(:s1, 'Back again');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), session_id => :s1) FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS offered FROM dialer.sessions_overview;

-- An empty session is deleted outright; its trail stays.
SELECT dialer.create_session('Typo') AS s2 \gset
SELECT dialer.delete_session(:s2);
SELECT count(*) AS left_over FROM dialer.sessions WHERE id = :s2;
SELECT dialer.delete_session(:s2);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A session only a call was matched to is archived, not deleted.
SELECT dialer.create_session('Called from the folder') AS s3 \gset
INSERT INTO dialer.call_activity (call_id, session_id, contact_id) VALUES ('c1', :s3, '1');
SELECT dialer.delete_session(:s3);

-- Who did what, in order (deleted sessions included).
SELECT session_id, action, detail, acted_by FROM dialer.session_changes ORDER BY id;

-- The session's own activity feed shows the changes too.
SELECT kind, actor, description, detail FROM dialer.session_activity WHERE session_id = :s1 AND kind = 'session'
ORDER BY description;

-- The derived activity_status: paused after session_idle_days without
-- activity (a setting kept in dialer.configuration), whatever is stored.
SELECT dialer.create_session('Idle') AS s4 \gset
UPDATE dialer.sessions SET last_activity_at = now() - interval '8 days' WHERE id = :s4;
SELECT name, status, activity_status FROM dialer.session_stats WHERE session_id = :s4;
SELECT dialer.configure_session_idle_days(10);
SELECT session_idle_days FROM dialer.configuration;
SELECT name, status, activity_status FROM dialer.session_stats WHERE session_id = :s4;
SELECT dialer.configure_session_idle_days(0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_session_idle_days(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.pause_session(:s4);
SELECT name, status, activity_status FROM dialer.session_stats WHERE session_id = :s4;
-- The rule itself, as the views apply it.
SELECT dialer.activity_status('active', 0, 0, now()) AS fresh_empty,
       dialer.activity_status('active', 3, 3, now()) AS all_dialed,
       dialer.activity_status('active', 3, 2, now() - interval '11 days') AS idle,
       dialer.activity_status('active', 3, 3, now() - interval '11 days') AS done_beats_idle,
       dialer.activity_status('paused', 3, 3, now()) AS stored_paused,
       dialer.activity_status('archived', 3, 0, now()) AS archived;

RESET search_path;
