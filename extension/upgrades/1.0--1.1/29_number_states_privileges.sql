-- The grants of 29_number_states.sql (new in 1.1), as 90_privileges.sql gives them.
GRANT SELECT ON dialer.area_code_states TO PUBLIC;
-- Revoked first, as 90_privileges.sql's REVOKE ALL ON ALL FUNCTIONS does: a
-- new function's default grant to PUBLIC would otherwise give the same rights
-- in another order ({=X,owner=X} rather than {owner=X,=X}).
REVOKE ALL ON FUNCTION dialer.number_state(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer.number_state(text) TO PUBLIC;
