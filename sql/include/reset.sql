-- Empty dialer state for a regression file: \i sql/include/reset.sql (not a test itself).
TRUNCATE dialer.push_jobs, dialer.push_items, dialer.overrides, dialer.dial_sessions, dialer.sessions,
         dialer.contact_links, dialer.configuration, dialer.webhook_events, dialer.call_activity,
         dialer.contact_state, dialer.suppressions, dialer.writeback_failures, dialer.session_changes
         RESTART IDENTITY;
DELETE FROM dialer.disposition_map WHERE NOT is_default;
