-- The calling rules and holidays (28_calling_rules.sql): the shipped rows,
-- an admin's override of a state and its removal, bad input, who may do what,
-- and what pg_dump keeps.
\set VERBOSITY terse
CREATE ROLE rules_admin LOGIN IN ROLE dialer_admin;
CREATE ROLE rules_rep LOGIN IN ROLE dialer_rep;

-- Shipped: the federal default and the stricter states, in force as shipped.
SELECT state, opens, closes, sunday_calls, holiday_calls, max_calls, cap_hours, shipped
FROM dialer.calling_rules_in_force ORDER BY state;
SELECT count(*) AS shipped_holidays, min(day), max(day) FROM dialer.calling_holidays WHERE builtin;

-- A rep reads the rules but cannot change them.
SET SESSION AUTHORIZATION rules_rep;
SELECT state, opens, closes FROM dialer.calling_rules_in_force WHERE state = 'FL';
SELECT dialer.set_calling_rule('TX', '09:00', '21:00');
UPDATE dialer.calling_rules SET closes = '23:00' WHERE state = 'FL';
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION rules_admin;
-- An admin tightens Florida: the override is in force, the shipped row stays.
SELECT (dialer.set_calling_rule('FL', '09:00', '20:00', max_calls => 2, cap_hours => 24,
                                source => 'company policy')).state;
SELECT state, opens, closes, max_calls, cap_hours, source, shipped
FROM dialer.calling_rules_in_force WHERE state = 'FL';
SELECT state, builtin, opens FROM dialer.calling_rules WHERE state = 'FL' ORDER BY builtin;
-- A state without a shipped rule.
SELECT (dialer.set_calling_rule('TX', '09:00', '21:00', sunday_calls => false)).sunday_calls;
-- Removing an admin's rule brings back the shipped one; a shipped rule stays.
SELECT dialer.remove_calling_rule('FL') AS removed_fl, dialer.remove_calling_rule('FL') AS again,
       dialer.remove_calling_rule('AL') AS shipped_al;
SELECT state, opens, max_calls, shipped FROM dialer.calling_rules_in_force WHERE state IN ('FL', 'AL', 'TX')
ORDER BY state;

-- Bad input: 22023 naming what is wrong.
SELECT dialer.set_calling_rule('Florida', '08:00', '20:00');
SELECT dialer.set_calling_rule('fl', '08:00', '20:00');
SELECT dialer.set_calling_rule('FL', '20:00', '08:00');
SELECT dialer.set_calling_rule('FL', '08:00', '20:00', max_calls => 3);
SELECT dialer.set_calling_rule('FL', '08:00', '20:00', max_calls => 0, cap_hours => 24);

-- Holidays: an admin adds one; a shipped one cannot be replaced or removed.
SELECT dialer.set_calling_holiday('2026-03-02', 'Company offsite', 'AL');
SELECT dialer.set_calling_holiday('2026-12-25', 'Not Christmas');
SELECT dialer.remove_calling_holiday('2026-12-25') AS shipped_removed,
       dialer.remove_calling_holiday('2026-03-02', 'AL') AS added_removed;
SELECT dialer.set_calling_holiday('2026-03-02', '', 'AL');
RESET SESSION AUTHORIZATION;

-- Every change is audited.
SELECT action, object_type, object_id FROM dialer.audit_log
WHERE object_type IN ('calling_rule', 'calling_holiday') ORDER BY id;

-- pg_dump keeps the admin's rows only: the shipped ones come with CREATE EXTENSION.
SELECT c.relname, d.cond
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS d (oid, cond) JOIN pg_class c ON c.oid = d.oid
WHERE e.extname = 'pgdialer' AND c.relname LIKE 'calling%' ORDER BY 1;

SELECT dialer.remove_calling_rule('TX');
DROP ROLE rules_admin, rules_rep;
