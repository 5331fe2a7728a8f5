-- Exclusion rules: why a contact is held back from a push, and the
-- "Dialable Only" filter, with the planner support that makes them read only
-- the columns they need.
--
-- Every function that takes a contact (here, in 04_payload.sql and in
-- 05_preview.sql) accepts a row of any table, view or composite type, or an
-- anonymous record. Columns are read by name; a column the row does not have
-- reads as NULL. See docs/sql-reference.md for the column list and for mapping
-- differently named columns with a view.
--
-- Used by: analysts and the app (dialer.exclusion, dialer.is_dialable);
-- internal: the planner (dialer._rules_support and the _columns forms it
-- rewrites to).

-- Planner support: rewrites dialer.exclusion(c) / dialer.is_dialable(c) over
-- a table to pass only the columns the rules read, instead of the whole row.
CREATE FUNCTION dialer._rules_support(internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_rules_support'
LANGUAGE C STRICT;

-- The forms the support function rewrites to. Internal: column names first,
-- whether the table maintains phone_e164 itself (then a blank one means the
-- number does not normalize, and phone is not parsed again), then the columns.
CREATE FUNCTION dialer._exclusion_columns(columns text[], phone_e164_maintained boolean,
                                          min_days integer, as_of timestamptz, VARIADIC "any")
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._is_dialable_columns(columns text[], phone_e164_maintained boolean,
                                            VARIADIC "any")
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer.exclusion(contact record, min_days integer DEFAULT NULL,
                                 as_of timestamptz DEFAULT now())
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion'
LANGUAGE C STABLE PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.exclusion(record, integer, timestamptz) IS
'Why a contact cannot be pushed, first match wins: do_not_call (also: the number is on dialer.suppressions), invalid_phone, recently_contacted (fewer than min_days whole days since last_call_attempt_at; NULL = dialer.min_days_between_calls), missing_required_fields. NULL when ready.';

CREATE FUNCTION dialer.is_dialable(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_is_dialable'
LANGUAGE C STABLE STRICT PARALLEL SAFE
SUPPORT dialer._rules_support;

COMMENT ON FUNCTION dialer.is_dialable(record) IS
'"Dialable Only": not do-not-call or suppressed, and a phone that is present, not flagged invalid, normalizes and is not on dialer.suppressions. Recency does not matter.';
