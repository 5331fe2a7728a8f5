-- The compliance rules that apply before a call, by US state: the local
-- calling window (and whether Sundays and holidays are allowed), and a
-- rolling frequency cap per number. One table an admin edits, shipped with
-- the federal default and the states known to be stricter; a holiday
-- calendar beside it. What reads them: the calling-window check
-- (dialer.calling_window) and the frequency caps, in the preview, at launch
-- and again in the daemon. Not legal advice: docs/compliance.md says where
-- each number comes from and that the admin owns the table.
--
-- The row 'default' applies to every number (TCPA, 47 CFR 64.1200(c)(1):
-- 8:00 to 21:00 in the called party's local time). A state's row applies
-- besides it when the contact's address or number is in that state; the
-- narrowest of the windows that apply wins, and the smallest cap.
--
-- Used by: admins (the table, through the functions below), the compliance
-- checks of later files, docs/compliance.md.

-- Two kinds of row: the shipped ones (builtin), which CREATE EXTENSION and
-- upgrade scripts write and nothing else changes, and an admin's (not
-- builtin), at most one per state, which override the shipped row of that
-- state. pg_dump keeps the admin's rows only, so a restore (CREATE EXTENSION
-- writes the shipped rows, then the dump the admin's) never collides, and an
-- admin's change survives every upgrade. Read the rules in force from
-- dialer.calling_rules_in_force.
CREATE TABLE dialer.calling_rules (
    -- 'default', or a state's two-letter USPS code.
    state         text NOT NULL CHECK (state = 'default' OR state ~ '^[A-Z]{2}$'),
    builtin       boolean NOT NULL DEFAULT false,  -- shipped with the extension
    -- Calls may start at or after opens and before closes, local time.
    opens         time NOT NULL,
    closes        time NOT NULL,
    sunday_calls  boolean NOT NULL DEFAULT true,   -- false: no calls on Sundays
    holiday_calls boolean NOT NULL DEFAULT true,   -- false: none on dialer.calling_holidays days
    -- At most max_calls calls to one number in any cap_hours hours, across
    -- reps and sessions; both NULL: no cap.
    max_calls     integer CHECK (max_calls BETWEEN 1 AND 1000),
    cap_hours     integer CHECK (cap_hours BETWEEN 1 AND 720),
    source        text NOT NULL,                   -- where the rule comes from
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT dialer.acting_user(),
    PRIMARY KEY (state, builtin),
    CONSTRAINT calling_rules_window CHECK (opens < closes),
    CONSTRAINT calling_rules_cap CHECK ((max_calls IS NULL) = (cap_hours IS NULL))
);

COMMENT ON TABLE dialer.calling_rules IS
'Calling rules by US state (''default'' for every number), shipped (builtin) and set by admins (overriding the shipped row of their state): the local window opens..closes, Sunday and holiday calls, and a rolling cap of max_calls calls per number in cap_hours hours. Read dialer.calling_rules_in_force.';

-- The rule in force for each state: the admin's, else the shipped one.
CREATE VIEW dialer.calling_rules_in_force AS
SELECT DISTINCT ON (r.state)
       r.state, r.opens, r.closes, r.sunday_calls, r.holiday_calls, r.max_calls, r.cap_hours, r.source,
       r.builtin AS shipped, r.updated_at, r.updated_by
FROM dialer.calling_rules r
ORDER BY r.state, r.builtin;

COMMENT ON VIEW dialer.calling_rules_in_force IS
'The calling rule in force for each state (''default'' for every number): an admin''s row where there is one, else the shipped one (shipped = true). The narrowest window and the smallest cap that apply to a contact win.';

-- The holidays on which a state without holiday_calls is not called
-- ('default': every such state). Dates in the contact's local calendar.
CREATE TABLE dialer.calling_holidays (
    state   text NOT NULL CHECK (state = 'default' OR state ~ '^[A-Z]{2}$'),
    day     date NOT NULL,
    name    text NOT NULL,
    builtin boolean NOT NULL DEFAULT false,  -- shipped; an admin adds days, not changes these
    PRIMARY KEY (state, day)
);

COMMENT ON TABLE dialer.calling_holidays IS
'Holidays on which states whose calling rule forbids holiday calls are not called (''default'': all of them), in the contact''s local calendar: shipped (builtin) and added by admins.';

-- The shipped rows. Sources: 47 CFR 64.1200(c)(1) and 16 CFR 310.4(c) for the
-- default; the states' telemarketing statutes as summarized by the
-- compliance charts this project relies on (docs/compliance.md); Fla. Stat.
-- 501.616 for Florida's 3 calls in 24 hours.
INSERT INTO dialer.calling_rules (state, opens, closes, sunday_calls, holiday_calls, max_calls, cap_hours,
                                  source, builtin, updated_by)
VALUES
    ('default', '08:00', '21:00', true,  true,  NULL, NULL, 'TCPA 47 CFR 64.1200(c)(1); TSR 16 CFR 310.4(c)', true, 'pgdialer'),
    ('FL',      '08:00', '20:00', true,  true,  3,    24,   'Fla. Stat. 501.616', true, 'pgdialer'),
    ('AL',      '08:00', '20:00', false, false, NULL, NULL, 'Ala. Code 8-19C', true, 'pgdialer'),
    ('LA',      '08:00', '20:00', false, false, NULL, NULL, 'La. R.S. 45:844.11', true, 'pgdialer'),
    ('CT',      '09:00', '20:00', true,  true,  NULL, NULL, 'Conn. Gen. Stat. 42-288a', true, 'pgdialer'),
    ('KY',      '10:00', '21:00', true,  true,  NULL, NULL, 'KRS 367.46955', true, 'pgdialer'),
    ('MI',      '09:00', '21:00', true,  true,  NULL, NULL, 'MCL 445.111b', true, 'pgdialer'),
    ('MN',      '09:00', '21:00', true,  true,  NULL, NULL, 'Minn. Stat. 325E.27', true, 'pgdialer'),
    ('NV',      '09:00', '20:00', true,  true,  NULL, NULL, 'NRS 228.590', true, 'pgdialer'),
    ('MA',      '08:00', '20:00', true,  true,  NULL, NULL, '940 CMR 36.00', true, 'pgdialer'),
    ('MD',      '08:00', '20:00', true,  true,  NULL, NULL, 'Md. Com. Law 14-4501', true, 'pgdialer');

-- The US federal holidays of 2026 and 2027 (5 U.S.C. 6103), for the states
-- that forbid holiday calls. An admin adds later years (and state holidays).
INSERT INTO dialer.calling_holidays (state, day, name, builtin)
SELECT 'default', d.day::date, d.name, true
FROM (VALUES
    ('2026-01-01', 'New Year''s Day'), ('2026-01-19', 'Martin Luther King Jr. Day'),
    ('2026-02-16', 'Washington''s Birthday'), ('2026-05-25', 'Memorial Day'),
    ('2026-06-19', 'Juneteenth'), ('2026-07-03', 'Independence Day (observed)'),
    ('2026-09-07', 'Labor Day'), ('2026-10-12', 'Columbus Day'), ('2026-11-11', 'Veterans Day'),
    ('2026-11-26', 'Thanksgiving Day'), ('2026-12-25', 'Christmas Day'),
    ('2027-01-01', 'New Year''s Day'), ('2027-01-18', 'Martin Luther King Jr. Day'),
    ('2027-02-15', 'Washington''s Birthday'), ('2027-05-31', 'Memorial Day'),
    ('2027-06-18', 'Juneteenth (observed)'), ('2027-07-05', 'Independence Day (observed)'),
    ('2027-09-06', 'Labor Day'), ('2027-10-11', 'Columbus Day'), ('2027-11-11', 'Veterans Day'),
    ('2027-11-25', 'Thanksgiving Day'), ('2027-12-24', 'Christmas Day (observed)')
) AS d (day, name);

-- pg_dump keeps what an admin added; the shipped rows come back with
-- CREATE EXTENSION.
SELECT pg_catalog.pg_extension_config_dump('dialer.calling_rules', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('dialer.calling_holidays', 'WHERE NOT builtin');

-- Admin: set a state's rule (a new row, or a change to one), audited.
CREATE FUNCTION dialer.set_calling_rule(state text, opens time, closes time,
                                        sunday_calls boolean DEFAULT true, holiday_calls boolean DEFAULT true,
                                        max_calls integer DEFAULT NULL, cap_hours integer DEFAULT NULL,
                                        source text DEFAULT 'set by an admin')
RETURNS dialer.calling_rules
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result dialer.calling_rules;
BEGIN
    PERFORM dialer._require_admin('set calling rules');
    IF set_calling_rule.state IS NULL
       OR NOT (set_calling_rule.state = 'default' OR set_calling_rule.state ~ '^[A-Z]{2}$') THEN
        RAISE EXCEPTION 'invalid state "%"', set_calling_rule.state
            USING ERRCODE = '22023', HINT = 'A state is a two-letter USPS code such as FL, or ''default''.';
    END IF;
    IF opens IS NULL OR closes IS NULL OR opens >= closes THEN
        RAISE EXCEPTION 'a calling window opens before it closes (got % to %)', opens, closes
            USING ERRCODE = '22023';
    END IF;
    IF (max_calls IS NULL) <> (cap_hours IS NULL) THEN
        RAISE EXCEPTION 'a frequency cap needs both max_calls and cap_hours'
            USING ERRCODE = '22023', HINT = 'For Florida''s rule: max_calls => 3, cap_hours => 24.';
    END IF;
    IF max_calls NOT BETWEEN 1 AND 1000 OR cap_hours NOT BETWEEN 1 AND 720 THEN
        RAISE EXCEPTION 'a frequency cap is 1 to 1000 calls in 1 to 720 hours (got % in %)', max_calls, cap_hours
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.calling_rules AS r (state, builtin, opens, closes, sunday_calls, holiday_calls,
                                           max_calls, cap_hours, source)
    VALUES (set_calling_rule.state, false, opens, closes, sunday_calls, holiday_calls, max_calls, cap_hours,
            coalesce(source, 'set by an admin'))
    ON CONFLICT ON CONSTRAINT calling_rules_pkey DO UPDATE
        SET opens = EXCLUDED.opens, closes = EXCLUDED.closes, sunday_calls = EXCLUDED.sunday_calls,
            holiday_calls = EXCLUDED.holiday_calls, max_calls = EXCLUDED.max_calls,
            cap_hours = EXCLUDED.cap_hours, source = EXCLUDED.source,
            updated_at = now(), updated_by = dialer.acting_user()
    RETURNING * INTO result;
    PERFORM dialer._audit('calling_rule_set', 'calling_rule', result.state, details => to_jsonb(result));
    RETURN result;
END
$$;

COMMENT ON FUNCTION dialer.set_calling_rule(text, time, time, boolean, boolean, integer, integer, text) IS
'Admin: set a state''s calling rule (window opens..closes local time, Sunday and holiday calls, a cap of max_calls calls per number in cap_hours hours); audited. 22023 for a bad state, window or half a cap.';

-- Admin: remove the admin's rule of a state: the shipped rule of that state
-- is in force again, or, for a state without one, only the default. A
-- shipped rule is never removed; to relax it, set the state's rule.
CREATE FUNCTION dialer.remove_calling_rule(state text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    removed dialer.calling_rules;
BEGIN
    PERFORM dialer._require_admin('remove calling rules');
    DELETE FROM dialer.calling_rules r WHERE r.state = remove_calling_rule.state AND NOT r.builtin
    RETURNING * INTO removed;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dialer._audit('calling_rule_removed', 'calling_rule', removed.state, details => to_jsonb(removed));
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.remove_calling_rule(text) IS
'Admin: remove the rule an admin set for a state (false if there was none), so the shipped rule (or only the default) is in force again; audited.';

-- Admin: add or remove a holiday.
CREATE FUNCTION dialer.set_calling_holiday(day date, name text, state text DEFAULT 'default')
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._require_admin('set calling holidays');
    IF day IS NULL OR coalesce(name, '') = ''
       OR NOT (set_calling_holiday.state = 'default' OR set_calling_holiday.state ~ '^[A-Z]{2}$') THEN
        RAISE EXCEPTION 'a holiday needs a day, a name and a state (a USPS code or ''default'')'
            USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM dialer.calling_holidays h
               WHERE h.state = set_calling_holiday.state AND h.day = set_calling_holiday.day AND h.builtin) THEN
        RAISE EXCEPTION '% is a shipped holiday (%)', day,
            (SELECT h.name FROM dialer.calling_holidays h
             WHERE h.state = set_calling_holiday.state AND h.day = set_calling_holiday.day)
            USING ERRCODE = '23505';
    END IF;
    INSERT INTO dialer.calling_holidays AS h (state, day, name)
    VALUES (set_calling_holiday.state, set_calling_holiday.day, set_calling_holiday.name)
    ON CONFLICT ON CONSTRAINT calling_holidays_pkey DO UPDATE SET name = EXCLUDED.name;
    PERFORM dialer._audit('calling_holiday_set', 'calling_holiday', set_calling_holiday.state || ' ' || to_char(day, 'YYYY-MM-DD'),
                          details => jsonb_build_object('name', name));
END
$$;

COMMENT ON FUNCTION dialer.set_calling_holiday(date, text, text) IS
'Admin: add (or rename) a holiday on which states whose calling rule forbids holiday calls are not called; audited.';

CREATE FUNCTION dialer.remove_calling_holiday(day date, state text DEFAULT 'default')
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._require_admin('remove calling holidays');
    DELETE FROM dialer.calling_holidays h
    WHERE h.state = remove_calling_holiday.state AND h.day = remove_calling_holiday.day AND NOT h.builtin;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dialer._audit('calling_holiday_removed', 'calling_holiday', remove_calling_holiday.state || ' ' || to_char(day, 'YYYY-MM-DD'));
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.remove_calling_holiday(date, text) IS
'Admin: remove a holiday an admin added (false if there was none; shipped holidays stay); audited.';
