-- List size guidance: the spec's "Optimal List Size" (50-100 contacts: a
-- 1-2 day campaign; 100-200: a full week; 200+: split into multiple sessions
-- by priority tier). The limit is an admin setting
-- (dialer.configure_list_size, 01_settings.sql, default 200); dialer.preview
-- says when a list is over it and proposes the split (the C++ core,
-- extension/core/preview.cpp); dialer.push's option split_by_tier pushes one
-- session per tier (07_push.sql).
--
-- Priority tiers are bands of the contact's engagement_score, highest
-- first: 1 = 75 and up, 2 = 50 to under 75, 3 = 25 to under 50, 4 = under
-- 25, no score or not a number. One definition, in the core
-- (extension/core/priority_tier.cpp), used by both.
--
-- Used by: the app (the push modal), analysts; dialer.push.

CREATE FUNCTION dialer.priority_tier(engagement_score text)
RETURNS integer
AS 'MODULE_PATHNAME', 'pgdialer_priority_tier'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.priority_tier(text) IS
'The priority tier of an engagement score: 1 (75 and up), 2 (50-74), 3 (25-49), 4 (under 25, none, or not a number). dialer.preview proposes, and dialer.push with split_by_tier makes, one session per tier.';
