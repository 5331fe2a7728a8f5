-- Each rep's time zone, for what is "today" to them: the smart list
-- "Callback Due Today" and the filter language's on_date and relative dates
-- on date columns (19_filters.sql). A rep's day is theirs wherever the call
-- comes from (the app, a template the daemon runs with the rep's rights), so
-- it is kept on dialer.reps; a rep without one, and a caller who is not a
-- rep, get the session's TimeZone.
--
-- Used by: the filter language; admins and reps (dialer.set_rep_time_zone).

ALTER TABLE dialer.reps ADD COLUMN time_zone text;

COMMENT ON COLUMN dialer.reps.time_zone IS
'The rep''s IANA time zone (e.g. America/New_York) for "today" in smart lists and filters; NULL: the session TimeZone. Set with dialer.set_rep_time_zone.';

-- The acting rep's time zone, else the session's. A definer step: analysts
-- and PUBLIC compile filters without reading dialer.reps.
CREATE FUNCTION dialer.rep_time_zone()
RETURNS text
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce((SELECT r.time_zone FROM dialer.reps r WHERE r.name = dialer.acting_user() AND r.active),
                    current_setting('TimeZone'))
$$;

COMMENT ON FUNCTION dialer.rep_time_zone() IS
'The acting rep''s time zone (dialer.reps.time_zone), else the session TimeZone.';

CREATE FUNCTION dialer.rep_today()
RETURNS date
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT (now() AT TIME ZONE dialer.rep_time_zone())::date $$;

COMMENT ON FUNCTION dialer.rep_today() IS
'Today''s date in the acting rep''s time zone (dialer.rep_time_zone).';

-- The rep themself or an admin; NULL goes back to the session TimeZone.
CREATE FUNCTION dialer.set_rep_time_zone(rep text, time_zone text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before text;
BEGIN
    IF NOT dialer._is_admin() AND (dialer.current_rep()).name IS DISTINCT FROM set_rep_time_zone.rep THEN
        RAISE EXCEPTION 'only an admin may set another rep''s time zone' USING ERRCODE = '42501';
    END IF;
    SELECT r.time_zone INTO before FROM dialer.reps r WHERE r.name = set_rep_time_zone.rep FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'rep "%" does not exist', set_rep_time_zone.rep USING ERRCODE = '22023';
    END IF;
    IF time_zone IS NOT NULL AND NOT EXISTS (SELECT FROM pg_timezone_names z WHERE z.name = set_rep_time_zone.time_zone) THEN
        RAISE EXCEPTION 'unknown time zone "%"', time_zone USING ERRCODE = '22023',
            HINT = 'Use an IANA name such as America/New_York (SELECT name FROM pg_timezone_names).';
    END IF;
    UPDATE dialer.reps r SET time_zone = set_rep_time_zone.time_zone, updated_at = now()
    WHERE r.name = set_rep_time_zone.rep;
    PERFORM dialer._audit('rep_changed', 'rep', set_rep_time_zone.rep, details => jsonb_build_object(
        'from', jsonb_build_object('time_zone', before), 'to', jsonb_build_object('time_zone', time_zone)));
END
$$;

COMMENT ON FUNCTION dialer.set_rep_time_zone(text, text) IS
'Set a rep''s time zone (an IANA name; NULL: the session TimeZone): the rep themself or an admin. Audited.';
