-- The grants of 28_calling_rules.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked.
REVOKE ALL ON dialer.calling_rules, dialer.calling_rules_in_force, dialer.calling_holidays FROM PUBLIC;
REVOKE ALL ON FUNCTION
    dialer.set_calling_rule(text, time, time, boolean, boolean, integer, integer, text),
    dialer.remove_calling_rule(text), dialer.set_calling_holiday(date, text, text),
    dialer.remove_calling_holiday(date, text)
FROM PUBLIC;
GRANT SELECT ON dialer.calling_rules, dialer.calling_rules_in_force, dialer.calling_holidays TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.set_calling_rule(text, time, time, boolean, boolean, integer, integer, text),
    dialer.remove_calling_rule(text), dialer.set_calling_holiday(date, text, text),
    dialer.remove_calling_holiday(date, text)
TO dialer_admin;
