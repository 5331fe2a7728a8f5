-- Empty dialer state for a regression file: \i sql/include/reset.sql (not a test itself).
-- The append-only trails refuse TRUNCATE through their triggers; a
-- superuser's replica mode skips them, for the tests' own reset only.
SET session_replication_role = replica;
TRUNCATE dialer.push_jobs, dialer.push_items, dialer.overrides, dialer.dial_sessions, dialer.sessions,
         dialer.contact_links, dialer.configuration, dialer.webhook_events, dialer.call_activity,
         dialer.contact_state, dialer.suppressions, dialer.writeback_failures, dialer.writeback_queue,
         dialer.session_changes, dialer.audit_log, dialer.list_members, dialer.lists, dialer.segments,
         dialer.template_runs, dialer.list_templates, dialer.reps
         RESTART IDENTITY;
RESET session_replication_role;
DELETE FROM dialer.disposition_map WHERE NOT is_default;
-- The reps the tests act as: the superuser running them, and two app users.
INSERT INTO dialer.reps (name, display_name, email) VALUES
    (session_user, 'Test Runner', NULL),
    ('sarah@sourceco.example', 'Sarah Johnson', 'sarah@sourceco.example'),
    ('mike@sourceco.example', 'Mike Chen', 'mike@sourceco.example');
