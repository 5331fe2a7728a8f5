-- The grants of 30_calling_windows.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked, so revoke first as 90_privileges.sql does.
REVOKE ALL ON FUNCTION dialer.calling_window(record, timestamptz), dialer._calling_window_data() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.calling_window(record, timestamptz), dialer._calling_window_data() TO PUBLIC;
