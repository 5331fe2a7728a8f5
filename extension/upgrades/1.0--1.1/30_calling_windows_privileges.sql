-- The grants of 30_calling_windows.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked, so revoke first as 90_privileges.sql does.
REVOKE ALL ON dialer.calling_window_exemptions, dialer.launch_window_holds FROM PUBLIC;
REVOKE ALL ON FUNCTION
    dialer.calling_window(record, timestamptz), dialer._calling_window_data(),
    dialer.set_calling_window_exemption(text, text, text), dialer.remove_calling_window_exemption(text),
    dialer._hold_outside_window(bigint, text, dialer.list_verdict[], dialer.launch_window_holds[])
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.calling_window(record, timestamptz), dialer._calling_window_data() TO PUBLIC;
GRANT SELECT ON dialer.launch_window_holds TO dialer_rep, dialer_analyst;
GRANT SELECT ON dialer.calling_window_exemptions TO dialer_analyst;
GRANT EXECUTE ON FUNCTION
    dialer.set_calling_window_exemption(text, text, text), dialer.remove_calling_window_exemption(text)
TO dialer_admin;
GRANT EXECUTE ON FUNCTION
    dialer._hold_outside_window(bigint, text, dialer.list_verdict[], dialer.launch_window_holds[])
TO dialer_sync;
