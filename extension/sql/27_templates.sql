-- List templates on a schedule: "push segment X into a new session named
-- 'Callbacks {Month} {Year}' every first Monday at 08:00 New York time, for
-- Sarah". A template names a source (a list or a segment), a session name
-- pattern, a schedule, the rep it is assigned to (the owner of the sessions
-- it makes), push options, and whether each run makes a new session or adds
-- to the same one.
--
-- Schedules are jsonb, checked when saved (22023 naming what is wrong):
--   {"every": "day",   "at": "08:00", "time_zone": "America/New_York"}
--   {"every": "week",  "weekday": "monday", "at": ..., "time_zone": ...}
--   {"every": "month", "day": 15, ...}            (day 29-31: the month's last day when shorter)
--   {"every": "month", "weekday": "monday", "week": "first", ...}  (first .. fourth, last)
-- dialer._next_run(schedule, after) is the first due time strictly after
-- `after`: a local date and time in the schedule's time zone, made a
-- timestamptz with AT TIME ZONE, so DST is the time zone database's. The rule
-- for the two odd local times is PostgreSQL's: a local time that does not
-- exist (spring forward, 02:30 in New York) is read with the offset before
-- the change, so it runs an hour later on the wall clock (03:30 EDT); one
-- that happens twice (fall back, 01:30) is read with the offset after the
-- change (01:30 standard time): a run at most once a day either way.
--
-- Exactly once per due time: dialer.run_due_templates, which the daemon
-- calls every few seconds, locks due templates with FOR UPDATE SKIP LOCKED,
-- moves next_run to the first due time after now() and records the run (a
-- unique (template, due_at) row) in the same transaction as the push it
-- enqueues. Several daemons skip each other's templates; a daemon that dies
-- mid-run rolls all of it back; a template whose due times passed while no
-- daemon ran runs once (the oldest missed due time is recorded) and then
-- waits for its next due time after now.
--
-- A run acts as the assigned rep: the session's owner and the credential its
-- jobs use are the rep's, the rep must be able to read the list or segment,
-- and an inactive rep's template is not run (the run says so). The contact
-- relation is read with the extension owner's rights (the daemon's role need
-- not read it). dialer.acting_user() names the rep only inside the run:
-- a row of dialer.template_runs of this backend's transaction, still
-- 'running', is what lets it (dialer._template_run_acting), and nobody but
-- the definer functions here writes that table.
--
-- Push jobs made by a template have list_source 'template'. Every change is
-- a row of dialer.audit_log (object_type 'template'); every run is a row of
-- dialer.template_runs.
--
-- Used by: the app (the templates page: create, edit, enable, "Run now",
-- "Preview next run"); the daemon (dialer.run_due_templates).

CREATE TABLE dialer.list_templates (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL CHECK (btrim(name) <> ''),
    -- The source: a list or a segment. NULL both when it was deleted (the
    -- template's runs then fail saying so).
    list_id              bigint REFERENCES dialer.lists ON DELETE SET NULL,
    segment_id           bigint REFERENCES dialer.segments ON DELETE SET NULL,
    session_name_pattern text NOT NULL CHECK (btrim(session_name_pattern) <> ''),
    schedule             jsonb NOT NULL,
    assigned_to          text NOT NULL REFERENCES dialer.reps (name),
    push_options         jsonb NOT NULL DEFAULT '{}',
    -- true: every run pushes into one session (made by the first run).
    same_session         boolean NOT NULL DEFAULT false,
    session_id           bigint REFERENCES dialer.sessions ON DELETE SET NULL,
    enabled              boolean NOT NULL DEFAULT true,
    next_run             timestamptz,
    last_run_at          timestamptz,
    last_job_id          bigint REFERENCES dialer.push_jobs ON DELETE SET NULL,
    last_result          text,
    last_error           text,
    created_by           text NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(list_id, segment_id) <= 1)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.list_templates', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.list_templates', 'id'), '');
CREATE INDEX list_templates_due ON dialer.list_templates (next_run) WHERE enabled;
CREATE INDEX list_templates_by_rep ON dialer.list_templates (assigned_to);

COMMENT ON TABLE dialer.list_templates IS
'List templates: a list or segment pushed on a schedule into a session named from a pattern, owned by the rep it is assigned to. Changed only through dialer.create_template, update_template, enable_template, disable_template, delete_template; run by dialer.run_due_templates (the daemon) and dialer.run_template_now.';

-- Every run of a template: due_at is the due time it ran for (NULL: run by
-- hand); unique per template, so a due time runs at most once.
CREATE TABLE dialer.template_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    template_id bigint NOT NULL REFERENCES dialer.list_templates ON DELETE CASCADE,
    due_at      timestamptz,
    run_at      timestamptz NOT NULL DEFAULT now(),
    run_by      text NOT NULL,      -- the daemon's worker id, or who ran it by hand
    rep         text NOT NULL,      -- the rep it ran as
    session_name text,
    job_id      bigint REFERENCES dialer.push_jobs ON DELETE SET NULL,
    -- queued: a push job was enqueued; empty: the source had no contacts;
    -- skipped: not run (inactive rep); failed: error says why.
    -- running only inside the run's own transaction.
    result      text NOT NULL CHECK (result IN ('running', 'queued', 'empty', 'skipped', 'failed')),
    error       text,
    backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
    xact        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    UNIQUE (template_id, due_at)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.template_runs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.template_runs', 'id'), '');

COMMENT ON TABLE dialer.template_runs IS
'One row per template run: template_id, due_at (NULL for a run by hand), run_at, run_by (worker id or user), rep, session_name, job_id, result (queued, empty, skipped, failed), error.';

-- Whether a template run of this very transaction acts as `rep`
-- (dialer.acting_user asks when someone not in dialer_app names a rep).
CREATE FUNCTION dialer._template_run_acting(rep text)
RETURNS boolean
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM dialer.template_runs r
                   WHERE r.result = 'running' AND r.rep = _template_run_acting.rep
                     AND r.backend_pid = pg_backend_pid() AND r.xact = pg_current_xact_id_if_assigned())
$$;

-- ---------------------------------------------------------------------------
-- Schedules
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer._weekday_number(weekday text)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
    SELECT array_position(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
                          lower(weekday))
$$;

-- A schedule, checked and normalised (22023 naming what is wrong).
CREATE FUNCTION dialer._check_schedule(schedule jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    every   text;
    unknown text;
    at_time time;
    tz      text;
    result  jsonb;
BEGIN
    IF schedule IS NULL OR jsonb_typeof(schedule) <> 'object' THEN
        RAISE EXCEPTION 'a schedule must be a JSON object' USING ERRCODE = '22023',
            HINT = 'For example {"every": "week", "weekday": "monday", "at": "08:00", "time_zone": "America/New_York"}.';
    END IF;
    SELECT string_agg(format('"%s"', k), ', ') INTO unknown
    FROM jsonb_object_keys(schedule) k WHERE k NOT IN ('every', 'weekday', 'day', 'week', 'at', 'time_zone');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown schedule key %', unknown USING ERRCODE = '22023',
            HINT = 'Valid keys are every, weekday, day, week, at and time_zone.';
    END IF;
    every := schedule ->> 'every';
    IF every IS NULL OR every NOT IN ('day', 'week', 'month') THEN
        RAISE EXCEPTION 'schedule.every must be "day", "week" or "month", not %', coalesce(schedule ->> 'every', 'missing')
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(schedule -> 'at') IS DISTINCT FROM 'string' OR (schedule ->> 'at') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' THEN
        RAISE EXCEPTION 'schedule.at must be a local time "HH:MM" (00:00 to 23:59), not %', coalesce(schedule ->> 'at', 'missing')
            USING ERRCODE = '22023';
    END IF;
    at_time := (schedule ->> 'at')::time;
    tz := schedule ->> 'time_zone';
    IF tz IS NULL OR NOT EXISTS (SELECT FROM pg_timezone_names n WHERE n.name = tz) THEN
        RAISE EXCEPTION 'schedule.time_zone must be a time zone name such as "America/New_York", not %', coalesce(tz, 'missing')
            USING ERRCODE = '22023';
    END IF;
    result := jsonb_build_object('every', every, 'at', to_char(at_time, 'HH24:MI'), 'time_zone', tz);

    IF schedule ? 'weekday' AND dialer._weekday_number(schedule ->> 'weekday') IS NULL THEN
        RAISE EXCEPTION 'schedule.weekday must be monday .. sunday, not %', schedule ->> 'weekday' USING ERRCODE = '22023';
    END IF;
    CASE every
    WHEN 'day' THEN
        IF schedule ?| ARRAY['weekday', 'day', 'week'] THEN
            RAISE EXCEPTION 'a daily schedule takes only at and time_zone' USING ERRCODE = '22023';
        END IF;
    WHEN 'week' THEN
        IF NOT schedule ? 'weekday' OR schedule ?| ARRAY['day', 'week'] THEN
            RAISE EXCEPTION 'a weekly schedule needs a weekday (and no day or week)' USING ERRCODE = '22023';
        END IF;
        result := result || jsonb_build_object('weekday', lower(schedule ->> 'weekday'));
    WHEN 'month' THEN
        IF schedule ? 'day' THEN
            IF schedule ?| ARRAY['weekday', 'week'] THEN
                RAISE EXCEPTION 'a monthly schedule has either a day or a weekday and week, not both' USING ERRCODE = '22023';
            END IF;
            IF jsonb_typeof(schedule -> 'day') <> 'number' OR (schedule ->> 'day') !~ '^[0-9]+$'
               OR (schedule ->> 'day')::integer NOT BETWEEN 1 AND 31 THEN
                RAISE EXCEPTION 'schedule.day must be a day of the month, 1 to 31, not %', schedule -> 'day'
                    USING ERRCODE = '22023';
            END IF;
            result := result || jsonb_build_object('day', (schedule ->> 'day')::integer);
        ELSE
            IF NOT (schedule ? 'weekday' AND schedule ? 'week') THEN
                RAISE EXCEPTION 'a monthly schedule needs a day, or a weekday and a week ("first Monday")'
                    USING ERRCODE = '22023';
            END IF;
            IF coalesce(schedule ->> 'week', '') NOT IN ('first', 'second', 'third', 'fourth', 'last') THEN
                RAISE EXCEPTION 'schedule.week must be first, second, third, fourth or last, not %', schedule -> 'week'
                    USING ERRCODE = '22023';
            END IF;
            result := result || jsonb_build_object('weekday', lower(schedule ->> 'weekday'), 'week', schedule ->> 'week');
        END IF;
    END CASE;
    RETURN result;
END
$$;

-- Whether a local date is one of the schedule's days.
CREATE FUNCTION dialer._schedule_day(schedule jsonb, d date)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE schedule ->> 'every'
        WHEN 'day' THEN true
        WHEN 'week' THEN extract(isodow FROM d) = dialer._weekday_number(schedule ->> 'weekday')
        ELSE CASE
            WHEN schedule ? 'day' THEN
                extract(day FROM d) = least((schedule ->> 'day')::integer,
                                            extract(day FROM date_trunc('month', d) + interval '1 month - 1 day'))
            ELSE extract(isodow FROM d) = dialer._weekday_number(schedule ->> 'weekday')
                 AND CASE schedule ->> 'week'
                         WHEN 'last' THEN extract(month FROM d + 7) <> extract(month FROM d)
                         ELSE (extract(day FROM d)::integer - 1) / 7 + 1
                              = array_position(ARRAY['first', 'second', 'third', 'fourth'], schedule ->> 'week')
                     END
            END
    END
$$;

CREATE FUNCTION dialer._next_run(schedule jsonb, after timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s     jsonb := dialer._check_schedule(schedule);
    tz    text := s ->> 'time_zone';
    start date := (after AT TIME ZONE tz)::date - 1;
BEGIN
    -- Every schedule has a day within 62 days (a monthly one on the 31st
    -- falls on the last day of shorter months).
    RETURN (SELECT (d::date + (s ->> 'at')::time) AT TIME ZONE tz
            FROM generate_series(start, start + 63, interval '1 day') d
            WHERE dialer._schedule_day(s, d::date) AND (d::date + (s ->> 'at')::time) AT TIME ZONE tz > after
            ORDER BY d LIMIT 1);
END
$$;

COMMENT ON FUNCTION dialer._next_run(jsonb, timestamptz) IS
'The first due time of a template schedule strictly after `after` (22023 for a bad schedule). Nonexistent local times (spring forward) are read with the offset before the change, ambiguous ones (fall back) with the offset after it.';

-- A session name from a pattern, for a run due at `due` in time zone tz:
-- {Month} (January), {Year} (2027), {Date} (2027-01-04), {Quarter} (Q1).
CREATE FUNCTION dialer.template_session_name(pattern text, due timestamptz, time_zone text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d       date := (due AT TIME ZONE time_zone)::date;
    name    text;
    unknown text;
BEGIN
    IF pattern IS NULL OR btrim(pattern) = '' THEN
        RAISE EXCEPTION 'a session name pattern must not be empty' USING ERRCODE = '22023';
    END IF;
    name := replace(replace(replace(replace(pattern,
                '{Month}', to_char(d, 'FMMonth')), '{Year}', to_char(d, 'YYYY')),
                '{Date}', to_char(d, 'YYYY-MM-DD')), '{Quarter}', 'Q' || to_char(d, 'Q'));
    unknown := substring(name FROM '\{[^{}]*\}');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown placeholder % in session name pattern', unknown USING ERRCODE = '22023',
            HINT = 'Placeholders are {Month}, {Year}, {Date} and {Quarter}.';
    END IF;
    RETURN name;
END
$$;

COMMENT ON FUNCTION dialer.template_session_name(text, timestamptz, text) IS
'A template''s session name for a run due at `due`: {Month}, {Year}, {Date} (YYYY-MM-DD), {Quarter} (Q1..Q4) in the schedule''s time zone; 22023 for any other {placeholder}.';

-- A template's push options: those of dialer.push that make sense without a
-- person choosing contacts (no include, override_reason, filters).
CREATE FUNCTION dialer._template_options(push_options jsonb, same_session boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    opts    jsonb := dialer._push_options(push_options);
    refused text;
BEGIN
    SELECT string_agg(format('"%s"', k), ', ') INTO refused
    FROM jsonb_object_keys(opts) k WHERE k NOT IN ('min_days', 'update_existing', 'auto_launch', 'split_by_tier', 'description');
    IF refused IS NOT NULL THEN
        RAISE EXCEPTION 'push option % is not for templates', refused USING ERRCODE = '22023',
            HINT = 'Templates take min_days, update_existing, auto_launch, split_by_tier and description.';
    END IF;
    IF same_session AND coalesce((opts ->> 'split_by_tier')::boolean, false) THEN
        RAISE EXCEPTION 'split_by_tier makes new sessions each run: it cannot go with same_session' USING ERRCODE = '22023';
    END IF;
    RETURN opts;
END
$$;

-- ---------------------------------------------------------------------------
-- Managing templates (owner or admin; audited)
-- ---------------------------------------------------------------------------

-- The template locked for a change by the acting user (its rep or an admin).
CREATE FUNCTION dialer._template_for_change(template_id bigint, what text)
RETURNS dialer.list_templates
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates;
BEGIN
    SELECT * INTO t FROM dialer.list_templates lt WHERE lt.id = _template_for_change.template_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'template % does not exist', coalesce(template_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_collection_owner('template', t.id, t.assigned_to, what);
    RETURN t;
END
$$;

-- Who the template is for: the acting rep, or any active rep when an admin says.
CREATE FUNCTION dialer._template_rep(assigned_to text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF assigned_to IS NULL OR assigned_to = dialer.acting_user() THEN
        RETURN (dialer.current_rep()).name;
    END IF;
    PERFORM dialer._require_admin('assign a template to another rep');
    IF NOT EXISTS (SELECT FROM dialer.reps r WHERE r.name = assigned_to AND r.active) THEN
        RAISE EXCEPTION 'rep % does not exist or is inactive', assigned_to USING ERRCODE = '22023';
    END IF;
    RETURN assigned_to;
END
$$;

-- The source checked: exactly one, and readable by the acting user.
CREATE FUNCTION dialer._check_template_source(list_id bigint, segment_id bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    src record := dialer._list_or_segment(list_id, segment_id);
BEGIN
    IF src.kind = 'list' THEN
        PERFORM dialer._list_member_ids(list_id);
    ELSE
        PERFORM dialer._segment_filter(segment_id);
    END IF;
END
$$;

CREATE FUNCTION dialer.create_template(name text, session_name_pattern text, schedule jsonb,
                                       list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                       assigned_to text DEFAULT NULL, push_options jsonb DEFAULT '{}',
                                       same_session boolean DEFAULT false, enabled boolean DEFAULT true)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rep text := dialer._template_rep(create_template.assigned_to);
    s   jsonb := dialer._check_schedule(create_template.schedule);
    t   dialer.list_templates;
BEGIN
    PERFORM dialer._check_template_source(create_template.list_id, create_template.segment_id);
    PERFORM dialer.template_session_name(create_template.session_name_pattern, now(), s ->> 'time_zone');
    INSERT INTO dialer.list_templates (name, list_id, segment_id, session_name_pattern, schedule, assigned_to,
                                       push_options, same_session, enabled, next_run, created_by)
    VALUES (create_template.name, create_template.list_id, create_template.segment_id,
            create_template.session_name_pattern, s, rep,
            dialer._template_options(create_template.push_options, create_template.same_session),
            create_template.same_session, create_template.enabled,
            CASE WHEN create_template.enabled THEN dialer._next_run(s, now()) END, dialer.acting_user())
    RETURNING * INTO t;
    PERFORM dialer._audit('template_created', 'template', t.id::text, details => jsonb_build_object(
        'name', t.name, 'assigned_to', t.assigned_to, 'list_id', t.list_id, 'segment_id', t.segment_id,
        'schedule', t.schedule, 'push_options', t.push_options, 'same_session', t.same_session));
    RETURN t.id;
END
$$;

COMMENT ON FUNCTION dialer.create_template(text, text, jsonb, bigint, bigint, text, jsonb, boolean, boolean) IS
'Create a list template: one of list_id / segment_id, a session name pattern ({Month}, {Year}, {Date}, {Quarter}), a schedule (jsonb), the rep it runs as (default: the acting rep; another rep: admins), push options (min_days, update_existing, auto_launch, split_by_tier, description), same_session. Returns its id.';

-- NULL arguments keep what is there. A new source replaces the old one.
CREATE FUNCTION dialer.update_template(template_id bigint, name text DEFAULT NULL,
                                       session_name_pattern text DEFAULT NULL, schedule jsonb DEFAULT NULL,
                                       list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                       assigned_to text DEFAULT NULL, push_options jsonb DEFAULT NULL,
                                       same_session boolean DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates := dialer._template_for_change(update_template.template_id, 'change it');
    new dialer.list_templates;
BEGIN
    new := t;
    new.name := coalesce(update_template.name, t.name);
    new.session_name_pattern := coalesce(update_template.session_name_pattern, t.session_name_pattern);
    new.schedule := dialer._check_schedule(coalesce(update_template.schedule, t.schedule));
    IF update_template.list_id IS NOT NULL OR update_template.segment_id IS NOT NULL THEN
        PERFORM dialer._check_template_source(update_template.list_id, update_template.segment_id);
        new.list_id := update_template.list_id;
        new.segment_id := update_template.segment_id;
    END IF;
    IF update_template.assigned_to IS NOT NULL AND update_template.assigned_to <> t.assigned_to THEN
        PERFORM dialer._require_admin('assign a template to another rep');
        new.assigned_to := dialer._template_rep(update_template.assigned_to);
    END IF;
    new.same_session := coalesce(update_template.same_session, t.same_session);
    new.push_options := dialer._template_options(coalesce(update_template.push_options, t.push_options), new.same_session);
    PERFORM dialer.template_session_name(new.session_name_pattern, now(), new.schedule ->> 'time_zone');
    IF new.schedule <> t.schedule AND t.enabled THEN
        new.next_run := dialer._next_run(new.schedule, now());
    END IF;
    -- A new rep or a new session mode starts a new session.
    IF new.assigned_to <> t.assigned_to OR NOT new.same_session THEN
        new.session_id := NULL;
    END IF;
    UPDATE dialer.list_templates lt
    SET name = new.name, session_name_pattern = new.session_name_pattern, schedule = new.schedule,
        list_id = new.list_id, segment_id = new.segment_id, assigned_to = new.assigned_to,
        push_options = new.push_options, same_session = new.same_session, session_id = new.session_id,
        next_run = new.next_run, updated_at = now()
    WHERE lt.id = t.id;
    PERFORM dialer._audit('template_updated', 'template', t.id::text, details => jsonb_build_object(
        'name', new.name, 'assigned_to', new.assigned_to, 'list_id', new.list_id, 'segment_id', new.segment_id,
        'schedule', new.schedule, 'push_options', new.push_options, 'same_session', new.same_session,
        'session_name_pattern', new.session_name_pattern));
END
$$;

COMMENT ON FUNCTION dialer.update_template(bigint, text, text, jsonb, bigint, bigint, text, jsonb, boolean) IS
'Change a template (its rep or an admin; another rep: admins). NULL arguments keep what is there; a new schedule recomputes next_run.';

-- Enabling computes the next due time from now: a template disabled for a
-- month does not run for the month it missed.
CREATE FUNCTION dialer.enable_template(template_id bigint, enabled boolean DEFAULT true)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(enable_template.template_id,
                                   CASE WHEN enable_template.enabled THEN 'enable it' ELSE 'disable it' END);
    due timestamptz := CASE WHEN enable_template.enabled THEN dialer._next_run(t.schedule, now()) END;
BEGIN
    UPDATE dialer.list_templates lt SET enabled = enable_template.enabled, next_run = due, updated_at = now()
    WHERE lt.id = t.id;
    PERFORM dialer._audit(CASE WHEN enable_template.enabled THEN 'template_enabled' ELSE 'template_disabled' END,
                          'template', t.id::text, details => jsonb_build_object('next_run', due));
    RETURN due;
END
$$;

CREATE FUNCTION dialer.disable_template(template_id bigint)
RETURNS void
LANGUAGE sql
AS $$ SELECT dialer.enable_template(template_id, false) $$;

CREATE FUNCTION dialer.delete_template(template_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(delete_template.template_id, 'delete it');
BEGIN
    DELETE FROM dialer.list_templates lt WHERE lt.id = t.id;
    PERFORM dialer._audit('template_deleted', 'template', t.id::text,
                          details => jsonb_build_object('name', t.name, 'assigned_to', t.assigned_to));
END
$$;

COMMENT ON FUNCTION dialer.enable_template(bigint, boolean) IS 'Enable (or, with false, disable) a template; returns its next run (NULL when disabled).';
COMMENT ON FUNCTION dialer.disable_template(bigint) IS 'Disable a template: it keeps its runs and settings and stops running.';
COMMENT ON FUNCTION dialer.delete_template(bigint) IS 'Delete a template and its run history (its rep or an admin; the audit log keeps the deletion).';

-- ---------------------------------------------------------------------------
-- Running
-- ---------------------------------------------------------------------------

-- A run is split by whose rights each step needs. The steps that write
-- pgdialer's tables are definer functions (_start_template_run,
-- _claim_due_templates, _push_template, _finish_template_run); the step that
-- reads the contact relation (_run_template, _push_template_source) runs with
-- the caller's rights, as every entry point does: the daemon's login for
-- scheduled runs, whoever clicks "Run now" for a run by hand.

-- The run row, 'running' until _finish_template_run: it is what lets
-- dialer.acting_user name the rep in this transaction. NULL when this due
-- time ran already. An inactive rep's run is recorded skipped at once.
CREATE FUNCTION dialer._open_template_run(t dialer.list_templates, due timestamptz, run_by text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run dialer.template_runs;
BEGIN
    INSERT INTO dialer.template_runs (template_id, due_at, run_by, rep, result)
    VALUES (t.id, due, run_by, t.assigned_to, 'running')
    ON CONFLICT (template_id, due_at) DO NOTHING
    RETURNING * INTO run;
    IF run.id IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT (SELECT r.active FROM dialer.reps r WHERE r.name = t.assigned_to) THEN
        RETURN dialer._close_template_run(run, 'skipped', NULL, format('rep %s is inactive: the template was not run',
                                                                       t.assigned_to), NULL);
    ELSIF t.list_id IS NULL AND t.segment_id IS NULL THEN
        RETURN dialer._close_template_run(run, 'failed', NULL, 'its list or segment was deleted', NULL);
    END IF;
    RETURN run;
END
$$;

-- Records a run's outcome, on the run and on its template, and audits it.
CREATE FUNCTION dialer._close_template_run(run dialer.template_runs, result text, job_id bigint, error text,
                                           session_name text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE dialer.template_runs r
    SET result = _close_template_run.result, job_id = _close_template_run.job_id, error = _close_template_run.error,
        session_name = _close_template_run.session_name
    WHERE r.id = run.id
    RETURNING * INTO run;
    UPDATE dialer.list_templates lt
    SET last_run_at = run.run_at, last_job_id = run.job_id, last_result = run.result, last_error = run.error,
        session_id = CASE WHEN lt.same_session AND lt.session_id IS NULL AND run.job_id IS NOT NULL
                          THEN (SELECT j.session_id FROM dialer.push_jobs j WHERE j.id = run.job_id)
                          ELSE lt.session_id END
    WHERE lt.id = run.template_id;
    PERFORM dialer._audit('template_run', 'template', run.template_id::text, details => jsonb_build_object(
        'run_id', run.id, 'due_at', run.due_at, 'rep', run.rep, 'result', run.result, 'job_id', run.job_id,
        'error', run.error));
    RETURN run;
END
$$;

-- What the invoker step needs of a template and its open run.
CREATE TYPE dialer.template_run_step AS (
    run_id       bigint,
    result       text,      -- 'running': to run; else the run's outcome already
    error        text,
    rep          text,
    kind         text,      -- 'list' or 'segment'
    ref          text,
    session_name text,
    session_id   bigint,    -- same_session's session once made
    options      jsonb
);

CREATE FUNCTION dialer._run_step(t dialer.list_templates, run dialer.template_runs)
RETURNS dialer.template_run_step
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ROW(run.id, run.result, run.error, t.assigned_to,
               CASE WHEN t.list_id IS NOT NULL THEN 'list' ELSE 'segment' END,
               coalesce(t.list_id, t.segment_id)::text,
               dialer.template_session_name(t.session_name_pattern, coalesce(run.due_at, run.run_at),
                                            t.schedule ->> 'time_zone'),
               CASE WHEN t.same_session THEN t.session_id END,
               -- options.description is for a new session only.
               CASE WHEN t.same_session AND t.session_id IS NOT NULL THEN t.push_options - 'description'
                    ELSE t.push_options END)::dialer.template_run_step
$$;

-- The daemon's claim: the due templates locked (until the caller's
-- transaction ends), each one's next_run moved past now, and its run opened.
-- A template another daemon is running is skipped; once that one commits,
-- next_run is past now() and the row no longer qualifies (READ COMMITTED
-- re-checks a row that changed under the lock).
CREATE FUNCTION dialer._claim_due_templates(worker text, max_templates integer)
RETURNS SETOF dialer.template_run_step
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates;
    run dialer.template_runs;
BEGIN
    IF worker IS NULL OR btrim(worker) = '' THEN
        RAISE EXCEPTION 'worker must name the daemon' USING ERRCODE = '22023';
    END IF;
    FOR t IN
        SELECT * FROM dialer.list_templates lt
        WHERE lt.enabled AND lt.next_run <= now()
        ORDER BY lt.next_run, lt.id
        LIMIT max_templates
        FOR UPDATE SKIP LOCKED
    LOOP
        -- Missed due times are not run one by one: the next is after now.
        UPDATE dialer.list_templates lt SET next_run = dialer._next_run(t.schedule, greatest(now(), t.next_run))
        WHERE lt.id = t.id;
        run := dialer._open_template_run(t, t.next_run, worker);
        IF run.id IS NOT NULL THEN
            RETURN NEXT dialer._run_step(t, run);
        END IF;
    END LOOP;
END
$$;

-- "Run now": the template locked and its run opened, for its rep or an admin.
CREATE FUNCTION dialer._start_template_run(template_id bigint)
RETURNS dialer.template_run_step
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates := dialer._template_for_change(_start_template_run.template_id, 'run it');
BEGIN
    RETURN dialer._run_step(t, dialer._open_template_run(t, NULL, dialer.acting_user()));
END
$$;

-- dialer.push for a template run: list_source 'template', only as the rep
-- of a run open in this transaction (42501 otherwise).
CREATE FUNCTION dialer._push_template(contacts anyarray, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT dialer._template_run_acting(dialer.acting_user()) THEN
        RAISE EXCEPTION 'only a template run may push as a template' USING ERRCODE = '42501';
    END IF;
    RETURN dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options, 'template');
END
$$;

-- dialer._push_source for a template run, with the caller's rights over the
-- contact relation; NULL rather than an error for a source with no contacts.
CREATE FUNCTION dialer._push_template_source(kind text, ref text, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    job_id bigint;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT CASE WHEN x.rows IS NOT NULL THEN dialer._push_template(x.rows, $2, $3, $4) END
                    FROM (SELECT array_agg(c ORDER BY c.id) AS rows FROM %s) x', q.from_where)
        INTO job_id USING q.params, session_name, session_id, options;
    RETURN job_id;
END
$$;

-- Records a run's outcome: only a run open in this transaction.
CREATE FUNCTION dialer._finish_template_run(run_id bigint, result text, job_id bigint, error text, session_name text)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run dialer.template_runs;
BEGIN
    SELECT * INTO run FROM dialer.template_runs r
    WHERE r.id = _finish_template_run.run_id AND r.result = 'running'
      AND r.backend_pid = pg_backend_pid() AND r.xact = pg_current_xact_id_if_assigned();
    IF NOT FOUND OR _finish_template_run.result NOT IN ('queued', 'empty', 'failed') THEN
        RAISE EXCEPTION 'no template run % is open in this transaction', run_id USING ERRCODE = '42501';
    END IF;
    RETURN dialer._close_template_run(run, _finish_template_run.result, _finish_template_run.job_id,
                                      _finish_template_run.error, _finish_template_run.session_name);
END
$$;

-- One opened run, as its rep, with the caller's rights over the contacts.
-- Errors of the push are the run's outcome, not the caller's: the run is
-- recorded whatever happens.
CREATE FUNCTION dialer._run_template(step dialer.template_run_step)
RETURNS dialer.template_runs
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous text := current_setting('dialer.acting_user', true);
    job      bigint;
BEGIN
    IF step.result <> 'running' THEN
        RETURN NULL;  -- closed when it was opened (skipped)
    END IF;
    BEGIN
        PERFORM set_config('dialer.acting_user', step.rep, true);
        job := dialer._push_template_source(step.kind, step.ref, step.session_name, step.session_id, step.options);
        PERFORM set_config('dialer.acting_user', coalesce(previous, ''), true);
    EXCEPTION WHEN OTHERS THEN
        RETURN dialer._finish_template_run(step.run_id, 'failed', NULL, SQLERRM, step.session_name);
    END;
    RETURN dialer._finish_template_run(step.run_id, CASE WHEN job IS NULL THEN 'empty' ELSE 'queued' END, job, NULL,
                                       step.session_name);
END
$$;

-- The daemon's step: run every due template once. Returns how many ran.
CREATE FUNCTION dialer.run_due_templates(worker text, max_templates integer DEFAULT 20)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    step dialer.template_run_step;
    ran  integer := 0;
BEGIN
    FOR step IN SELECT * FROM dialer._claim_due_templates(worker, max_templates) LOOP
        IF step.result = 'running' THEN
            PERFORM dialer._run_template(step);
        END IF;
        ran := ran + 1;
    END LOOP;
    RETURN ran;
END
$$;

COMMENT ON FUNCTION dialer.run_due_templates(text, integer) IS
'The daemon: run the templates that are due (at most max_templates), each once per due time, as their reps, reading the contact relation with the caller''s rights; push jobs get list_source ''template''. Returns how many ran.';

CREATE FUNCTION dialer.run_template_now(template_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    step dialer.template_run_step := dialer._start_template_run(run_template_now.template_id);
    run  dialer.template_runs;
BEGIN
    IF step.result = 'running' THEN
        run := dialer._run_template(step);
        RETURN jsonb_build_object('run_id', run.id, 'result', run.result, 'job_id', run.job_id,
                                  'session_name', run.session_name, 'error', run.error);
    END IF;
    RETURN jsonb_build_object('run_id', step.run_id, 'result', step.result, 'job_id', NULL,
                              'session_name', NULL, 'error', step.error);
END
$$;

COMMENT ON FUNCTION dialer.run_template_now(bigint) IS
'"Run now": run a template by hand (its rep or an admin), as its rep, leaving its schedule alone. Returns {run_id, result (queued, empty, skipped, failed), job_id, session_name, error}.';

-- What the template's next run would push: the preview of its source with
-- its options, with the caller's rights over the contact relation.
CREATE FUNCTION dialer._template_for_preview(template_id bigint)
RETURNS dialer.list_templates
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t dialer.list_templates;
BEGIN
    SELECT * INTO t FROM dialer.list_templates lt WHERE lt.id = _template_for_preview.template_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'template % does not exist', coalesce(template_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    IF NOT (t.assigned_to = dialer.acting_user() OR dialer._is_admin()) THEN
        RAISE EXCEPTION 'template % belongs to %; only its rep or an admin may preview it', t.id, t.assigned_to
            USING ERRCODE = '42501';
    END IF;
    IF t.list_id IS NULL AND t.segment_id IS NULL THEN
        RAISE EXCEPTION 'template %''s list or segment was deleted', t.id USING ERRCODE = '55000';
    END IF;
    RETURN t;
END
$$;

CREATE FUNCTION dialer.preview_template(template_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t   dialer.list_templates := dialer._template_for_preview(preview_template.template_id);
    due timestamptz := coalesce(t.next_run, dialer._next_run(t.schedule, now()));
BEGIN
    RETURN jsonb_build_object(
        'template_id', t.id, 'next_run', due, 'enabled', t.enabled, 'assigned_to', t.assigned_to,
        'session_name', CASE WHEN t.same_session AND t.session_id IS NOT NULL
                             THEN (SELECT s.name FROM dialer.sessions s WHERE s.id = t.session_id)
                             ELSE dialer.template_session_name(t.session_name_pattern, due, t.schedule ->> 'time_zone') END,
        'session_id', CASE WHEN t.same_session THEN t.session_id END,
        'preview', dialer._preview_source(CASE WHEN t.list_id IS NOT NULL THEN 'list' ELSE 'segment' END,
                                          coalesce(t.list_id, t.segment_id)::text,
                                          -- the push options a preview knows
                                          jsonb_strip_nulls(jsonb_build_object('min_days', t.push_options -> 'min_days'))));
END
$$;

COMMENT ON FUNCTION dialer.preview_template(bigint) IS
'"Preview next run": {template_id, next_run, enabled, assigned_to, session_name, session_id, preview (dialer.preview of its source now, with its options)}.';

-- ---------------------------------------------------------------------------
-- For the app
-- ---------------------------------------------------------------------------

CREATE VIEW dialer.templates_overview AS
SELECT t.id, t.name, t.list_id, t.segment_id, coalesce(l.name, s.name) AS source_name, t.session_name_pattern,
       t.schedule, t.assigned_to, r.display_name AS assigned_to_name, r.active AS rep_active, t.push_options,
       t.same_session, t.session_id, t.enabled, t.next_run, t.last_run_at, t.last_job_id, t.last_result, t.last_error,
       t.created_by, t.created_at, t.updated_at
FROM dialer.list_templates t
JOIN dialer.reps r ON r.name = t.assigned_to
LEFT JOIN dialer.lists l ON l.id = t.list_id
LEFT JOIN dialer.segments s ON s.id = t.segment_id
WHERE t.assigned_to = dialer.acting_user() OR dialer._is_admin()
ORDER BY t.next_run NULLS LAST, t.id;

COMMENT ON VIEW dialer.templates_overview IS
'The templates of the acting rep (admins: all), soonest first: settings, next_run, and the last run (last_run_at, last_job_id, last_result, last_error).';

CREATE VIEW dialer.template_run_history AS
SELECT r.id, r.template_id, t.name AS template_name, r.due_at, r.run_at, r.run_by, r.rep, r.session_name,
       r.job_id, r.result, r.error
FROM dialer.template_runs r
JOIN dialer.list_templates t ON t.id = r.template_id
WHERE t.assigned_to = dialer.acting_user() OR dialer._is_admin()
ORDER BY r.run_at DESC, r.id DESC;

COMMENT ON VIEW dialer.template_run_history IS
'Every run of the templates the acting user may see, newest first: due_at (NULL: by hand), run_at, run_by, rep, session_name, job_id, result, error.';
