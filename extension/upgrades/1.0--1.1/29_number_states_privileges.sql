-- The grants of 29_number_states.sql (new in 1.1), as 90_privileges.sql gives them.
GRANT SELECT ON dialer.area_code_states TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.number_state(text) TO PUBLIC;
