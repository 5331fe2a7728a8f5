-- Calling windows in the contact's local time: whether a contact may be
-- called now under the rules of dialer.calling_rules_in_force (the default
-- 8:00-21:00, stricter states, Sundays and holidays), and if not, when.
--
-- The contact's zone comes from its address (the `zip` column's US ZIP code,
-- else the `state` column) when it has one, else from its number
-- (libphonenumber's time-zone metadata, compiled into the extension). A
-- number or state with several zones may be called only when every zone
-- allows it; an unknown zone is never callable. The rules that apply are the
-- default, the address's state's and the number's state's: the narrowest
-- window wins. docs/compliance.md says where the data comes from.
--
-- An answer, not an exclusion: dialer.exclusion's four categories are
-- unchanged; dialer.preview reports windows when asked (options
-- calling_window) and dialer.launch keeps contacts outside their window out
-- of the dial session.
--
-- Used by: apps and analysts (dialer.calling_window), dialer.preview,
-- dialer.launch.

CREATE TYPE dialer.calling_window AS (
    status   text,         -- callable | later_today | next_day | blocked
    opens_at timestamptz,  -- later_today, next_day: when the window opens
    zone     text,         -- the contact's IANA zones, comma-separated (NULL: unknown)
    rule     text          -- the rule that decided, or why blocked
);

COMMENT ON TYPE dialer.calling_window IS
'A contact''s calling window at an instant (dialer.calling_window): status callable, later_today or next_day (with opens_at) or blocked, its zones and the rule that decided.';

-- The rules, holidays and area-code states the C++ check loads once per
-- statement, for callers who may not read the tables themselves.
CREATE FUNCTION dialer._calling_window_data()
RETURNS TABLE (kind text, state text, a integer, b integer, sunday_calls boolean, holiday_calls boolean, note text)
LANGUAGE sql STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT 'rule', r.state, extract(epoch FROM r.opens)::integer, extract(epoch FROM r.closes)::integer,
           r.sunday_calls, r.holiday_calls, r.source
    FROM dialer.calling_rules_in_force r
    UNION ALL
    SELECT 'holiday', h.state, h.day - date '1970-01-01', NULL, NULL, NULL, h.name
    FROM dialer.calling_holidays h
    UNION ALL
    SELECT 'area_code', s.state, s.area_code::integer, NULL, NULL, NULL, NULL
    FROM dialer.area_code_states s;
END;

COMMENT ON FUNCTION dialer._calling_window_data() IS
'Internal: the calling rules in force, the holidays and the area codes'' states, as the calling-window check loads them.';

CREATE FUNCTION dialer.calling_window(contact record, at timestamptz DEFAULT now())
RETURNS dialer.calling_window
AS 'MODULE_PATHNAME', 'pgdialer_calling_window'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.calling_window(record, timestamptz) IS
'Whether the contact may be called at `at` in its local time (zone from zip, else state, else number; the narrowest of the default, address-state and number-state rules in force; Sundays and holidays): callable, later_today or next_day with opens_at, or blocked (unknown zone, no allowed day), with the zones and the rule that decided.';
