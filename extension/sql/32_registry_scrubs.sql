-- Registry scrub dates: when the do-not-call registry data pgdialer relies on
-- was last refreshed. The TSR safe harbor asks for registry data at most 31
-- days old (docs/compliance.md, "Scrub dates"). pgdialer does not download a
-- registry; whoever loads it (an admin, a loader job) records each refresh
-- with dialer.record_registry_scrub:
--   applies_to 'suppressions'   the registry listings of dialer.suppressions
--                               (source registry), loaded with
--                               dialer.add_suppression; each of them carries
--                               the date in registry_scrubbed_at
--   applies_to 'contact_flags'  the do_not_call flags of the contact relation,
--                               which the loader sets in the app's table
-- dialer.registry_scrub_status shows the newest scrub of each registry, its
-- age and whether it is stale. Every push and launch job records the registry
-- data date it was made with (push_jobs.registry_scrubbed_at: the oldest of
-- those newest scrubs) and, when that data is stale or missing, a warning
-- (push_jobs.registry_warning, also raised as a WARNING to the caller).
--
-- Used by: admins and the registry loader (record), analysts (status), every
-- push (the stamp on the job).

CREATE TABLE dialer.registry_scrubs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registry    text NOT NULL CHECK (btrim(registry) <> ''),  -- e.g. national, a state list
    applies_to  text NOT NULL CHECK (applies_to IN ('suppressions', 'contact_flags')),
    scrubbed_at timestamptz NOT NULL,     -- the date of the registry data (its download)
    numbers     bigint CHECK (numbers >= 0),  -- how many numbers the refresh listed, if known
    note        text,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.registry_scrubs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.registry_scrubs', 'id'), '');
CREATE INDEX registry_scrubs_newest ON dialer.registry_scrubs (registry, applies_to, scrubbed_at);

COMMENT ON TABLE dialer.registry_scrubs IS
'Each refresh of do-not-call registry data: which registry, what it refreshed (suppressions: the registry listings of dialer.suppressions; contact_flags: the contacts'' do_not_call flags), the date of the data, who recorded it.';

-- The safe-harbor limit on the age of registry data.
CREATE FUNCTION dialer.registry_max_age()
RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT interval '31 days' $$;

COMMENT ON FUNCTION dialer.registry_max_age() IS
'31 days: registry data older than this is stale (the TSR safe harbor); a push made with it warns.';

CREATE FUNCTION dialer.record_registry_scrub(scrubbed_at timestamptz, applies_to text DEFAULT 'suppressions',
                                             registry text DEFAULT 'national', numbers bigint DEFAULT NULL,
                                             note text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    scrub_id bigint;
    stamped  bigint := 0;
BEGIN
    PERFORM dialer._require_admin('record a registry scrub');
    IF scrubbed_at IS NULL OR scrubbed_at > now() THEN
        RAISE EXCEPTION 'a registry scrub needs the date of its data, and it cannot be in the future'
            USING ERRCODE = '22023', DETAIL = format('scrubbed_at: %s', coalesce(scrubbed_at::text, 'NULL'));
    END IF;
    IF applies_to IS NULL OR applies_to NOT IN ('suppressions', 'contact_flags') THEN
        RAISE EXCEPTION 'a registry scrub applies to suppressions or contact_flags, not %',
            coalesce('"' || applies_to || '"', 'NULL') USING ERRCODE = '22023';
    END IF;
    IF coalesce(btrim(registry), '') = '' THEN
        RAISE EXCEPTION 'a registry scrub needs the registry''s name' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.registry_scrubs (registry, applies_to, scrubbed_at, numbers, note, recorded_by)
    VALUES (btrim(record_registry_scrub.registry), record_registry_scrub.applies_to,
            record_registry_scrub.scrubbed_at, record_registry_scrub.numbers, record_registry_scrub.note,
            dialer.acting_user())
    RETURNING id INTO scrub_id;
    -- The registry listings on the suppression list are as fresh as this data.
    IF applies_to = 'suppressions' THEN
        UPDATE dialer.suppressions s
        SET registry_scrubbed_at = greatest(s.registry_scrubbed_at, record_registry_scrub.scrubbed_at)
        WHERE s.source = 'registry';
        GET DIAGNOSTICS stamped = ROW_COUNT;
    END IF;
    PERFORM dialer._audit('registry_scrub_recorded', 'registry_scrub', scrub_id::text, reason => note,
                          details => jsonb_build_object('registry', btrim(registry), 'applies_to', applies_to,
                                                        'scrubbed_at', scrubbed_at, 'numbers', numbers,
                                                        'suppressions_stamped', stamped));
    RETURN scrub_id;
END
$$;

COMMENT ON FUNCTION dialer.record_registry_scrub(timestamptz, text, text, bigint, text) IS
'Admin (the registry loader): record that registry data of this date was loaded, into the suppression list (applies_to suppressions: its registry listings get the date in registry_scrubbed_at) or the contacts'' do_not_call flags (contact_flags). 22023 for a date in the future. Returns the scrub''s id. Audited.';

-- The newest scrub of each registry and kind, with its age.
CREATE VIEW dialer.registry_scrub_status AS
SELECT DISTINCT ON (s.registry, s.applies_to)
       s.registry, s.applies_to, s.scrubbed_at, s.numbers, s.recorded_by, s.recorded_at,
       now() - s.scrubbed_at AS age,
       now() - s.scrubbed_at > dialer.registry_max_age() AS stale
FROM dialer.registry_scrubs s
ORDER BY s.registry, s.applies_to, s.scrubbed_at DESC, s.id DESC;

COMMENT ON VIEW dialer.registry_scrub_status IS
'The newest scrub of each registry and kind (suppressions, contact_flags): the date of its data, its age, and stale = older than dialer.registry_max_age() (31 days).';

-- The date of the registry data a push relies on: the oldest of the newest
-- scrubs (the stalest source counts). NULL when none was ever recorded.
CREATE FUNCTION dialer.registry_data_date()
RETURNS timestamptz
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT min(newest) FROM (SELECT max(s.scrubbed_at) AS newest FROM dialer.registry_scrubs s
                             GROUP BY s.registry, s.applies_to) n
$$;

COMMENT ON FUNCTION dialer.registry_data_date() IS
'The date of the registry data pushes rely on: the oldest of the newest scrubs of each registry and kind; NULL when no scrub was recorded.';

-- What a push is told about the registry data: NULL when it is fresh, or
-- when no registry data is in use at all (no scrub recorded and no registry
-- listing on the suppression list).
CREATE FUNCTION dialer.registry_warning(at timestamptz DEFAULT now())
RETURNS text
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    data_date timestamptz := dialer.registry_data_date();
BEGIN
    IF data_date IS NULL THEN
        IF EXISTS (SELECT FROM dialer.suppressions s WHERE s.source = 'registry') THEN
            RETURN 'registry listings are on the suppression list but no registry scrub was recorded: '
                   'their age is unknown';
        END IF;
        RETURN NULL;
    END IF;
    IF at - data_date > dialer.registry_max_age() THEN
        RETURN format('registry data is %s days old (scrubbed %s), more than the %s days of the safe harbor',
                      extract(day FROM at - data_date)::integer, to_char(data_date AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
                      extract(day FROM dialer.registry_max_age())::integer);
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dialer.registry_warning(timestamptz) IS
'The warning a push gets about registry data at the given time: older than 31 days, or registry listings without any recorded scrub; NULL when fine.';

-- Every job records the registry data date it was made with, and warns.
CREATE FUNCTION dialer._stamp_registry_scrub()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.registry_scrubbed_at := dialer.registry_data_date();
    NEW.registry_warning := dialer.registry_warning(NEW.requested_at);
    IF NEW.registry_warning IS NOT NULL THEN
        RAISE WARNING '% job: %', NEW.kind, NEW.registry_warning
            USING HINT = 'Refresh the registry data and record it with dialer.record_registry_scrub.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER push_jobs_registry_scrub BEFORE INSERT ON dialer.push_jobs
    FOR EACH ROW EXECUTE FUNCTION dialer._stamp_registry_scrub();
