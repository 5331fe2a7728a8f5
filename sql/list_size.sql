-- List size guidance: the admin's limit (dialer.configure_list_size), the
-- preview's proposed split by priority tier, dialer.priority_tier, and
-- dialer.push's split_by_tier; also the push options that come with the
-- list builder (description, filter_applied_at) and the session name the
-- payload carries.
CREATE SCHEMA test_list_size;
SET search_path TO test_list_size;
\set VERBOSITY terse
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\i sql/include/reset.sql
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, buyer_type text, first_name text, last_name text,
    phone text, engagement_score numeric, last_call_attempt_at timestamptz, do_not_call boolean DEFAULT false
);
-- 12 buyers: scores 90, 80 (tier 1), 60 (2), 30 (3), 10 and none (4), twice;
-- contact 12 was called yesterday, contact 11 is do-not-call.
INSERT INTO contacts (id, contact_type, buyer_type, first_name, last_name, phone, engagement_score)
SELECT g, 'buyer', 'PE Firm', 'First' || g, 'Last' || g, '(919) 555-' || lpad(g::text, 4, '0'),
       (ARRAY[90, 80, 60, 30, 10, NULL])[1 + (g - 1) % 6]
FROM generate_series(1, 12) g;
UPDATE contacts SET last_call_attempt_at = now() - interval '1 day' WHERE id = 12;
UPDATE contacts SET do_not_call = true WHERE id = 11;

-- The tiers: bands of the engagement score, highest first.
SELECT s, dialer.priority_tier(s) FROM unnest(ARRAY['100', '75', '74.9', '50', '49', '25', '24', '-1', 'high', '', NULL]) s;

-- The limit: 200 by default, an admin's setting, audited.
SELECT list_size_limit FROM dialer.configuration;
SELECT dialer._list_size_limit();
SELECT dialer.configure_list_size(0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_list_size(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.configure_list_size(5);
SELECT action, object_id, details FROM dialer.audit_log WHERE object_id = 'list_size_limit';

-- 10 ready, over 5: the preview says so and proposes a split by tier.
SELECT jsonb_pretty(dialer.preview(array_agg(c ORDER BY c.id), '{"as_of": "2026-02-20T12:00:00Z"}') -> 'size_guidance')
FROM contacts c;
SELECT dialer.preview_agg(c, '{"as_of": "2026-02-20T12:00:00Z"}' ORDER BY c.id) -> 'size_guidance' -> 'proposed_split' -> 0
FROM contacts c;
-- At or under the limit: no guidance.
SELECT dialer.preview(array_agg(c ORDER BY c.id)) ? 'size_guidance' AS guided FROM contacts c WHERE c.id <= 5;

-- Push options: checked before anything is written.
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c), options => '{"split_by_tier": "yes"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"description": 7}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), options => '{"filter_applied_at": "yesterday-ish"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.create_session('Existing') AS existing \gset
SELECT dialer.push(array_agg(c), NULL, :existing, '{"split_by_tier": true}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT dialer.push(array_agg(c), NULL, :existing, '{"description": "not for an existing session"}') FROM contacts c;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- Split by tier: one session per tier with contacts, "<name> - Tier N"; the
-- forced include (12, recently called, tier 4) goes with its tier; the
-- list's exclusions stay with the first tier's job, which is returned.
SELECT dialer.push(array_agg(c ORDER BY c.id), 'PE Buyers - Feb 2026', NULL,
                   '{"split_by_tier": true, "description": "Q1 PE outreach", "include": ["12"],
                     "override_reason": "Asked for a call back", "filter_applied_at": "2026-02-20T11:59:00Z"}')
       AS first_job
FROM contacts c \gset
SELECT :first_job = min(id) AS returned_first FROM dialer.push_jobs WHERE kind = 'push' AND split_group IS NOT NULL;
SELECT j.id = j.split_group AS is_first, j.tier, s.name, s.description, j.total, j.excluded, j.list_source,
       j.options - 'filter_applied_at' AS options,
       array_agg(i.contact_id ORDER BY i.list_position) AS contacts
FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
JOIN dialer.push_items i ON i.job_id = j.id
WHERE j.split_group = :first_job
GROUP BY j.id, s.id ORDER BY j.tier;
SELECT job_id, contact_id, override_reason FROM dialer.overrides ORDER BY job_id;
-- Every pushed contact carries its session's name as a custom field.
SELECT DISTINCT i.payload -> 'custom_fields' ->> 'session_name' AS session_name
FROM dialer.push_items i JOIN dialer.push_jobs j ON j.id = i.job_id WHERE j.split_group = :first_job ORDER BY 1;

-- A push nothing passes is not split: one session, as before.
SELECT dialer.push(array_agg(c), 'Nobody', NULL, '{"split_by_tier": true}') AS job FROM contacts c WHERE c.id = 11 \gset
SELECT j.tier, j.split_group, j.total, s.name FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
WHERE j.id = :job;

-- A new session's description: from dialer.create_session too, and the
-- daemon reads it to name the PhoneBurner folder's.
SELECT dialer.create_session('With a purpose', '  Buyers who asked for the CPA deal  ') AS described \gset
SELECT name, description FROM dialer.sessions WHERE id = :described;
SELECT dialer.create_session('Too long', repeat('x', 1001));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET dialer.acting_user;
SELECT id FROM dialer.claim_push_job('w1') \gset
SELECT session_name, session_description FROM dialer.push_job_session(:id, 'w1');

\i sql/include/reset.sql
DROP SCHEMA test_list_size CASCADE;
RESET search_path;
