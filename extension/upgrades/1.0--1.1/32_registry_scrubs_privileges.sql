-- The grants of 32_registry_scrubs.sql (new in 1.1), as 90_privileges.sql gives them;
-- a new function is PUBLIC's until revoked.
REVOKE ALL ON dialer.registry_scrubs, dialer.registry_scrub_status FROM PUBLIC;
REVOKE ALL ON SEQUENCE dialer.registry_scrubs_id_seq FROM PUBLIC;
REVOKE ALL ON FUNCTION
    dialer.registry_max_age(), dialer.record_registry_scrub(timestamptz, text, text, bigint, text),
    dialer.registry_data_date(), dialer.registry_warning(timestamptz), dialer._stamp_registry_scrub()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.registry_max_age() TO PUBLIC;
GRANT SELECT ON dialer.registry_scrub_status TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.registry_data_date(), dialer.registry_warning(timestamptz) TO dialer_analyst;
GRANT EXECUTE ON FUNCTION dialer.record_registry_scrub(timestamptz, text, text, bigint, text) TO dialer_admin;
GRANT SELECT ON dialer.registry_scrubs TO dialer_admin;
