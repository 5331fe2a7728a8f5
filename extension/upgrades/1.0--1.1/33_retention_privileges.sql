-- The grants of 33_retention.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked.
REVOKE ALL ON FUNCTION dialer.retention_period(), dialer.purge_records(interval, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.retention_period() TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.purge_records(interval, boolean) TO dialer_admin;
