-- dialer.talking_points: a short line from facts in the row, never invented.
CREATE SCHEMA test_talking_points;
SET search_path TO test_talking_points;
SELECT dialer.talking_points(t) FROM (VALUES
    ('Collision Repair Platform - Dec 2025', 'Passed - Too early stage', ARRAY['Business Services','Healthcare IT'], '$2M - $10M', 'Opened, no response'),
    ('HVAC Roll-up - Jan 2026', NULL, NULL, NULL, NULL),
    (NULL, 'Passed', NULL, NULL, NULL),
    (NULL, NULL, ARRAY['Software'], NULL, NULL),
    (NULL, NULL, NULL, '$5M+', 'Left voicemail'),
    (NULL, NULL, ARRAY[]::text[], ' ', NULL)
) AS t(last_deal_presented, last_deal_outcome, target_industries, target_ebitda_range, last_contact_outcome);
-- Target industries may be plain text too.
SELECT dialer.talking_points(t) FROM (SELECT 'Dental, Vet'::text AS target_industries) t;
