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
-- dialer.launch (through dialer.prepare_launch in 16_daemon_api_jobs.sql:
-- dialer.launch_window_holds, dialer.calling_window_exemptions), admins
-- (the exemptions).

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

-- ---------------------------------------------------------------------------
-- Launch: contacts outside their window stay out of the dial session
-- ---------------------------------------------------------------------------

-- Numbers an admin has documented as business lines (B2B), which a launch
-- may dial outside the contact's calling window. Never a number whose owner
-- asked not to be called (a 'requested' suppression): the functions refuse
-- it, and a launch checks again.
CREATE TABLE dialer.calling_window_exemptions (
    phone_e164    text PRIMARY KEY CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    business      text NOT NULL CHECK (btrim(business) <> ''),       -- whose line it is
    documentation text NOT NULL CHECK (btrim(documentation) <> ''),  -- how it is known to be a business line
    added_by      text NOT NULL DEFAULT dialer.acting_user(),
    added_at      timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.calling_window_exemptions', '');

COMMENT ON TABLE dialer.calling_window_exemptions IS
'Business (B2B) numbers an admin documented, which a launch may dial outside the contact''s calling window; never a number with a requested do-not-call.';

-- What each launch held back (exempted_by NULL) or dialed under an exemption,
-- with the window that decided: the per-contact report of dialer.launch.
CREATE TABLE dialer.launch_window_holds (
    job_id      bigint NOT NULL,  -- the launch's dialer.push_jobs row
    contact_id  text NOT NULL,
    status      text NOT NULL CHECK (status IN ('later_today', 'next_day', 'blocked')),
    opens_at    timestamptz,
    zone        text,
    rule        text,
    exempted_by text,  -- the exemption's business when the contact was dialed anyway
    PRIMARY KEY (job_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.launch_window_holds', '');

COMMENT ON TABLE dialer.launch_window_holds IS
'Per launch job, the session''s contacts outside their calling window when it ran: held back (exempted_by NULL; they stay in the folder) or dialed under a documented business-number exemption.';

-- Admin: document a number as a business line, exempt from calling windows at launch.
CREATE FUNCTION dialer.set_calling_window_exemption(phone text, business text, documentation text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number text := dialer.e164(phone);
BEGIN
    PERFORM dialer._require_admin('exempt numbers from calling windows');
    IF number IS NULL THEN
        RAISE EXCEPTION 'not a phone number: "%"', phone USING ERRCODE = '22023';
    END IF;
    IF coalesce(btrim(business), '') = '' OR coalesce(btrim(documentation), '') = '' THEN
        RAISE EXCEPTION 'an exemption names the business and how the number is known to be its line'
            USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM dialer.suppressions s WHERE s.phone_e164 = number AND s.source = 'requested') THEN
        RAISE EXCEPTION '% asked not to be called: no exemption', number
            USING ERRCODE = '22023', HINT = 'A requested do-not-call is never exempt.';
    END IF;
    INSERT INTO dialer.calling_window_exemptions AS e (phone_e164, business, documentation)
    VALUES (number, business, documentation)
    ON CONFLICT (phone_e164) DO UPDATE
        SET business = EXCLUDED.business, documentation = EXCLUDED.documentation,
            added_by = dialer.acting_user(), added_at = now();
    PERFORM dialer._audit('calling_window_exemption_set', 'phone', number,
                          details => jsonb_build_object('business', business, 'documentation', documentation));
    RETURN number;
END
$$;

COMMENT ON FUNCTION dialer.set_calling_window_exemption(text, text, text) IS
'Admin: document a number as a business (B2B) line that a launch may dial outside the contact''s calling window; returns its E.164 form; audited. 22023 for a bad number, a blank business or documentation, or a number with a requested do-not-call.';

CREATE FUNCTION dialer.remove_calling_window_exemption(phone text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number text := dialer.e164(phone);
BEGIN
    PERFORM dialer._require_admin('remove calling window exemptions');
    DELETE FROM dialer.calling_window_exemptions e WHERE e.phone_e164 = number;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dialer._audit('calling_window_exemption_removed', 'phone', number);
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.remove_calling_window_exemption(text) IS
'Admin: remove a number''s calling-window exemption (false if it had none); audited.';

-- Record which of a launch's contacts are outside their window (`holds`,
-- from dialer.prepare_launch, which reads the contact relation with the
-- daemon's rights) and which of them an exemption lets through; called
-- before dialer._store_launch, which leaves the held ones out.
CREATE FUNCTION dialer._hold_outside_window(job_id bigint, worker text, verdicts dialer.list_verdict[],
                                            holds dialer.launch_window_holds[])
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs := dialer._lock_leased_job(_hold_outside_window.job_id, _hold_outside_window.worker);
BEGIN
    IF job.id IS NULL OR EXISTS (SELECT FROM dialer.dial_sessions d WHERE d.job_id = job.id) THEN
        RETURN;  -- lease lost, or prepared by an earlier attempt
    END IF;
    DELETE FROM dialer.launch_window_holds h WHERE h.job_id = job.id;
    INSERT INTO dialer.launch_window_holds (job_id, contact_id, status, opens_at, zone, rule, exempted_by)
    SELECT DISTINCT ON (h.contact_id) job.id, h.contact_id, h.status, h.opens_at, h.zone, h.rule, e.business
    FROM unnest(holds) h
    JOIN unnest(verdicts) v ON v.contact_id = h.contact_id
    LEFT JOIN dialer.calling_window_exemptions e
           ON e.phone_e164 = v.payload ->> 'phone'
          AND NOT EXISTS (SELECT FROM dialer.suppressions s
                          WHERE s.phone_e164 = e.phone_e164 AND s.source = 'requested')
    -- Only contacts the launch would otherwise dial (as dialer._store_launch keeps them).
    WHERE v.category IS NULL
       OR (v.overridable AND EXISTS (
               SELECT FROM dialer.overrides o JOIN dialer.push_jobs p ON p.id = o.job_id
               WHERE p.session_id = job.session_id AND o.contact_id = v.contact_id AND o.category = v.category))
    ORDER BY h.contact_id;
END
$$;
