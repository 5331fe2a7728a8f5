-- Rolling frequency caps: at most max_calls calls to one number in any
-- cap_hours hours, across reps and sessions (dialer.calling_rules, shipped:
-- Florida, 3 calls in 24 hours, Fla. Stat. 501.616). Counted from
-- dialer.call_activity, whatever session or rep made the call.
--
-- Which caps apply to a number: the rule of the state of the contact's
-- address (the contact's `state` column, a two-letter USPS code) and the rule
-- of the state its area code presumes (dialer.number_state), and a cap an
-- admin puts on 'default' applies to every number. Every cap that applies is
-- checked, so the smallest wins; a number with no capped state is never
-- capped. When several contacts of a list share a number, the states of all
-- of them apply to it (the number is what is called).
--
-- Where it is checked: dialer.preview (the `frequency_capped` section, one
-- query per preview), and the launch: when the daemon prepares a launch
-- (dialer.prepare_launch, the re-check when the launch runs) the contacts
-- whose number is capped at that moment are not put into the dial session;
-- they stay in the session's folder and are listed by dialer.launch_refusals.
-- One indexed query over dialer.call_activity per list, never one per row.
--
-- Used by: dialer.preview, dialer.prepare_launch, the app
-- (dialer.launch_refusals), analysts (dialer.frequency_capped).

-- The number of each call in E.164, kept by the same trigger function that
-- keeps a contact table's phone_e164 (phone as PhoneBurner sent it, read in
-- dialer.default_region), so the caps find a number's calls by index. Byte
-- order (COLLATE "C"): a list's numbers are looked up by the thousand, and a
-- linguistic comparison costs far more than memcmp for nothing.
ALTER TABLE dialer.call_activity ADD COLUMN phone_e164 text COLLATE "C";

COMMENT ON COLUMN dialer.call_activity.phone_e164 IS
'The number dialed in E.164 (dialer.e164(phone) when the call was recorded; NULL when it does not normalize), for the frequency caps.';

CREATE TRIGGER call_activity_phone_e164 BEFORE INSERT OR UPDATE OF phone ON dialer.call_activity
    FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();

-- Calls recorded before this column existed (an upgrade from 1.0).
UPDATE dialer.call_activity c SET phone_e164 = dialer.e164(c.phone) WHERE c.phone IS NOT NULL;

-- A call's time: when it started, else when it was first recorded. The
-- columns of that expression are included so that the caps' scan reads the
-- index alone (an index-only scan wherever the visibility map allows).
CREATE INDEX call_activity_by_number ON dialer.call_activity (phone_e164, (coalesce(started_at, created_at)))
    INCLUDE (started_at, created_at) WHERE phone_e164 IS NOT NULL;

-- Whether any frequency cap is in force (the preview skips the section
-- without one).
CREATE FUNCTION dialer.frequency_caps_in_force()
RETURNS boolean
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM dialer.calling_rules_in_force r WHERE r.max_calls IS NOT NULL)
$$;

COMMENT ON FUNCTION dialer.frequency_caps_in_force() IS
'True when some calling rule in force (dialer.calling_rules_in_force) has a frequency cap.';

-- The capped numbers of a list. numbers: E.164 numbers (others never match a
-- call or an area code); states: the address state of the contact of each
-- number (same positions; NULL or shorter: none). One row per capped number:
-- the state whose cap binds, the calls counted in its window, the cap, and
-- frees_at, when the number may be called again (every cap that applies is
-- below its limit from then on, unless more calls are made).
CREATE FUNCTION dialer.frequency_capped(numbers text[], states text[] DEFAULT NULL,
                                        at timestamptz DEFAULT now())
RETURNS TABLE (phone_e164 text, state text, calls integer, max_calls integer, cap_hours integer,
               frees_at timestamptz)
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
-- The planner sees the arrays as parameters and guesses 10 numbers: a nested
-- loop of every call against every listed cap then costs seconds on a large
-- list. Set-based joins only (hash, merge), whatever the guess; and no JIT,
-- which the disabled nested loops' cost would otherwise switch on (seconds of
-- compiling for a query of milliseconds).
SET enable_nestloop = off SET jit = off
AS $$
    WITH caps AS (
        SELECT r.state, r.max_calls, r.cap_hours
        FROM dialer.calling_rules_in_force r WHERE r.max_calls IS NOT NULL
    ), applied AS (
        -- Each number with each cap that applies to it, once: its contact's
        -- address state, its area code's, 'default'.
        SELECT DISTINCT i.number COLLATE "C" AS number, c.state, c.max_calls, c.cap_hours
        FROM unnest(frequency_capped.numbers, frequency_capped.states) AS i (number, address_state)
        LEFT JOIN dialer.area_code_states a ON i.number LIKE '+1__________' AND a.area_code = substr(i.number, 3, 3)
        JOIN caps c ON c.state IN (upper(btrim(i.address_state)), a.state, 'default')
        WHERE i.number IS NOT NULL
    ), calls AS (
        -- The one indexed query: every call of every capped number within the
        -- longest window (call_activity_by_number).
        SELECT ca.phone_e164 AS number, coalesce(ca.started_at, ca.created_at) AS called_at
        FROM dialer.call_activity ca
        WHERE ca.phone_e164 = ANY (ARRAY(SELECT DISTINCT p.number FROM applied p))
          AND coalesce(ca.started_at, ca.created_at) > frequency_capped.at
                  - make_interval(hours => (SELECT max(p.cap_hours) FROM applied p))
          AND coalesce(ca.started_at, ca.created_at) <= frequency_capped.at
    ), reached AS (
        -- A cap reached: its window holds max_calls calls or more. The count
        -- drops below max_calls when the max_calls-th newest call leaves the
        -- window, cap_hours after it.
        SELECT p.number, p.state, count(*)::integer AS calls, p.max_calls, p.cap_hours,
               (array_agg(c.called_at ORDER BY c.called_at DESC))[p.max_calls]
                   + make_interval(hours => p.cap_hours) AS frees_at
        FROM applied p
        JOIN calls c ON c.number = p.number AND c.called_at > frequency_capped.at - make_interval(hours => p.cap_hours)
        GROUP BY p.number, p.state, p.max_calls, p.cap_hours
        HAVING count(*) >= p.max_calls
    )
    SELECT DISTINCT ON (r.number) r.number, r.state, r.calls, r.max_calls, r.cap_hours, r.frees_at
    FROM reached r
    ORDER BY r.number, r.frees_at DESC, r.state
$$;

COMMENT ON FUNCTION dialer.frequency_capped(text[], text[], timestamptz) IS
'The numbers of a list that a frequency cap holds back at `at`: numbers (E.164) with the address state of their contact (same positions, optional); the caps of the address state, of the state the area code presumes and of ''default'' apply, the smallest wins. One row per capped number: the binding rule''s state, the calls in its window, max_calls, cap_hours, and frees_at (when it may be called again). One indexed query over dialer.call_activity.';

-- The preview's section: the capped contacts of the list (ids, numbers and
-- address states at the same positions), soonest free first, or NULL when
-- none is capped. Runs with the caller's rights: a role that may not read
-- the caps (dialer.frequency_capped) gets no section.
CREATE FUNCTION dialer._frequency_capped_section(contact_ids text[], numbers text[], states text[],
                                                 at timestamptz)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off  -- a list's thousands of rows look costly enough to compile: milliseconds of work, not seconds
AS $$
DECLARE
    section jsonb;
BEGIN
    IF NOT has_function_privilege('dialer.frequency_capped(text[], text[], timestamptz)', 'EXECUTE') THEN
        RETURN NULL;
    END IF;
    SELECT jsonb_build_object(
               'contacts', count(*),
               'numbers', count(DISTINCT f.phone_e164),
               'all_free_at', max(f.frees_at),
               'capped', jsonb_agg(jsonb_build_object(
                   'contact_id', l.contact_id, 'phone', f.phone_e164, 'state', f.state, 'calls', f.calls,
                   'max_calls', f.max_calls, 'cap_hours', f.cap_hours, 'frees_at', f.frees_at)
                   ORDER BY f.frees_at, l.position))
    INTO section
    FROM dialer.frequency_capped(numbers, states, at) f
    JOIN unnest(contact_ids, numbers) WITH ORDINALITY AS l (contact_id, number, position) ON l.number = f.phone_e164
    HAVING count(*) > 0;
    RETURN section;
END
$$;

COMMENT ON FUNCTION dialer._frequency_capped_section(text[], text[], text[], timestamptz) IS
'dialer.preview''s frequency_capped section: {contacts, numbers, all_free_at, capped: [{contact_id, phone, state, calls, max_calls, cap_hours, frees_at}]}, soonest free first; NULL when no contact is capped.';

-- What a launch held back, per contact: contacts of the session that stayed
-- in its folder but were not put into a dial session, and why. No foreign
-- key, like the call history: jobs are never deleted, and a TRUNCATE of the
-- queue tables does not reach it.
CREATE TABLE dialer.launch_refusals (
    job_id     bigint NOT NULL,           -- the launch job (dialer.push_jobs)
    contact_id text NOT NULL,
    reason     text NOT NULL CHECK (reason IN ('frequency_capped')),
    detail     text NOT NULL,         -- what the rep sees, e.g. '3 calls in 24 hours (FL cap 3)'
    until      timestamptz,           -- when the contact may be launched again, when known
    facts      jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, contact_id, reason)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.launch_refusals', '');

COMMENT ON TABLE dialer.launch_refusals IS
'Contacts a launch job did not put into a dial session (they stay in the session''s PhoneBurner folder), one row per contact and reason: frequency_capped (a frequency cap, until it frees up). Read with dialer.launch_refusals(job_id).';

-- Daemon (from dialer.prepare_launch, the launch's re-check): the verdicts
-- with the contacts whose number is capped now marked 'frequency_capped'
-- (not overridable), so dialer._store_launch leaves them out; each is
-- recorded in dialer.launch_refusals. Numbers and states come from the
-- payloads the re-check just read.
CREATE FUNCTION dialer._launch_frequency_caps(job_id bigint, worker text, verdicts dialer.list_verdict[])
RETURNS dialer.list_verdict[]
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
SET jit = off  -- as dialer._frequency_capped_section
AS $$
DECLARE
    job    dialer.push_jobs := dialer._lock_leased_job(_launch_frequency_caps.job_id, _launch_frequency_caps.worker);
    result dialer.list_verdict[];
BEGIN
    IF job.id IS NULL OR NOT dialer.frequency_caps_in_force() THEN
        RETURN verdicts;
    END IF;
    DELETE FROM dialer.launch_refusals r WHERE r.job_id = job.id AND r.reason = 'frequency_capped';
    -- The contacts the launch would put into a dial session: ready, or
    -- overridden in this session (as dialer._store_launch keeps them).
    WITH going AS (
        SELECT v.* FROM unnest(verdicts) v
        WHERE v.category IS NULL
           OR (v.overridable AND EXISTS (
                   SELECT FROM dialer.overrides o JOIN dialer.push_jobs p ON p.id = o.job_id
                   WHERE p.session_id = job.session_id AND o.contact_id = v.contact_id
                     AND o.category = v.category))
    )
    INSERT INTO dialer.launch_refusals (job_id, contact_id, reason, detail, until, facts)
    SELECT job.id, g.contact_id, 'frequency_capped',
           format('Frequency cap: %s calls in %s hours (%s allows %s); free at %s', f.calls, f.cap_hours, f.state,
                  f.max_calls, f.frees_at),
           f.frees_at,
           jsonb_build_object('phone', f.phone_e164, 'state', f.state, 'calls', f.calls,
                              'max_calls', f.max_calls, 'cap_hours', f.cap_hours)
    FROM dialer.frequency_capped(ARRAY(SELECT g.payload ->> 'phone' FROM going g ORDER BY g.list_position),
                                 ARRAY(SELECT g.payload ->> 'state' FROM going g ORDER BY g.list_position),
                                 now()) f
    JOIN going g ON g.payload ->> 'phone' = f.phone_e164;
    IF NOT FOUND THEN
        RETURN verdicts;
    END IF;
    SELECT array_agg(CASE WHEN r.contact_id IS NULL THEN v
                          ELSE ROW(v.list_position, v.contact_id, r.reason, r.detail, false, v.payload)::dialer.list_verdict
                     END ORDER BY v.list_position)
    INTO result
    FROM unnest(verdicts) v
    LEFT JOIN dialer.launch_refusals r
           ON r.job_id = job.id AND r.contact_id = v.contact_id AND r.reason = 'frequency_capped';
    RETURN result;
END
$$;

-- Daemon (from dialer.prepare_launch, after the launch is stored): the
-- count of contacts the caps held back, in the job's `excluded`
-- (dialer.push_status), when there are any.
CREATE FUNCTION dialer._count_launch_refusals(job_id bigint, worker text)
RETURNS void
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE dialer.push_jobs j
    SET excluded = j.excluded || jsonb_build_object('frequency_capped', r.n)
    FROM (SELECT count(*) AS n FROM dialer.launch_refusals r
          WHERE r.job_id = _count_launch_refusals.job_id AND r.reason = 'frequency_capped') r
    WHERE j.id = _count_launch_refusals.job_id AND r.n > 0
      AND dialer._holds_lease(_count_launch_refusals.job_id, _count_launch_refusals.worker)
$$;

-- The app: the contacts a launch held back, for a session the acting rep
-- owns (admins: any; 42501 otherwise).
CREATE FUNCTION dialer.launch_refusals(job_id bigint)
RETURNS TABLE (contact_id text, reason text, detail text, until timestamptz, facts jsonb)
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    job dialer.push_jobs;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = launch_refusals.job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % does not exist', launch_refusals.job_id USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_owner((SELECT s FROM dialer.sessions s WHERE s.id = job.session_id),
                                'read its launch refusals');
    RETURN QUERY
    SELECT r.contact_id, r.reason, r.detail, r.until, r.facts
    FROM dialer.launch_refusals r
    WHERE r.job_id = job.id
    ORDER BY r.until NULLS LAST, r.contact_id;
END
$$;

COMMENT ON FUNCTION dialer.launch_refusals(bigint) IS
'The contacts a launch job did not put into a dial session (they stay in the session''s folder), of a session the acting rep owns (42501 otherwise): contact_id, reason (frequency_capped), detail, until (when it may be launched again), facts.';
