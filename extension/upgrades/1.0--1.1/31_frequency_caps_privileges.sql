-- The grants of 31_frequency_caps.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked.
REVOKE ALL ON dialer.launch_refusals FROM PUBLIC;
REVOKE ALL ON FUNCTION
    dialer.frequency_caps_in_force(), dialer._frequency_capped_section(text[], text[], text[], timestamptz),
    dialer.frequency_capped(text[], text[], timestamptz), dialer.launch_refusals(bigint),
    dialer._launch_frequency_caps(bigint, text, dialer.list_verdict[]), dialer._count_launch_refusals(bigint, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    dialer.frequency_caps_in_force(), dialer._frequency_capped_section(text[], text[], text[], timestamptz)
TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.frequency_capped(text[], text[], timestamptz) TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.launch_refusals(bigint) TO dialer_rep;
GRANT EXECUTE ON FUNCTION
    dialer._launch_frequency_caps(bigint, text, dialer.list_verdict[]), dialer._count_launch_refusals(bigint, text)
TO dialer_sync;
