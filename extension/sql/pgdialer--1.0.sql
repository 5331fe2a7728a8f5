-- pgdialer 1.0: calling-list rules for PhoneBurner pushes.
--
-- Every function that takes a contact accepts a row of any table, view or
-- composite type, or an anonymous record. Columns are read by name; a column
-- the row does not have reads as NULL. See README.md for the column list and
-- for mapping differently named columns with a view.

\echo Use "CREATE EXTENSION pgdialer" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Result types
-- ---------------------------------------------------------------------------

-- Why a contact is held back from a push. NULL (no row) means ready.
CREATE TYPE dialer.exclusion AS (
    category    text,     -- do_not_call | invalid_phone | recently_contacted | missing_required_fields
    reason      text,     -- what the rep sees, e.g. 'Called 2 days ago'
    overridable boolean   -- may a rep force-include it (never for legal DNC)
);

CREATE TYPE dialer.phone_info AS (
    e164                 text,     -- '+19195550123' when valid
    valid                boolean,  -- libphonenumber IsValidNumber
    possible             boolean,  -- libphonenumber IsPossibleNumber (length only)
    number_type          text,     -- FIXED_LINE_OR_MOBILE, MOBILE, TOLL_FREE, ..., UNKNOWN
    region_code          text,     -- ISO 3166-1 alpha-2 the number belongs to
    national_format      text,     -- '(919) 555-0123'
    international_format text,     -- '+1 919-555-0123'
    location             text      -- offline geocoder, e.g. 'North Carolina'
);

-- ---------------------------------------------------------------------------
-- Phone numbers
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.e164(phone text, region text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164(text, text) IS
'The number in E.164 (+19195550123), exactly as libphonenumber''s Parse + IsValidNumber + Format(E164) give it; NULL when empty, unparseable or invalid. region NULL means dialer.default_region; an unknown region is an error (22023).';

CREATE FUNCTION dialer.e164_immutable(phone text, region text)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_e164_immutable'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.e164_immutable(text, text) IS
'dialer.e164 with a required region, IMMUTABLE for generated columns and indexes. Recompute such columns (and REINDEX) after libphonenumber is upgraded: its metadata decides validity.';

CREATE FUNCTION dialer.phone_info(phone text, region text DEFAULT NULL)
RETURNS dialer.phone_info
AS 'MODULE_PATHNAME', 'pgdialer_phone_info'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.phone_info(text, text) IS
'What libphonenumber knows of a number: E.164, validity, type, region, formats and location. An unparseable number gives valid = possible = false.';

-- Keeps a stored E.164 column current, so the rules never re-parse:
--   CREATE TRIGGER contacts_phone_e164 BEFORE INSERT OR UPDATE OF phone ON contacts
--     FOR EACH ROW EXECUTE FUNCTION dialer.maintain_phone_e164();             -- phone -> phone_e164
--   ... EXECUTE FUNCTION dialer.maintain_phone_e164('mobile', 'mobile_e164');  -- other columns
CREATE FUNCTION dialer.maintain_phone_e164()
RETURNS trigger
AS 'MODULE_PATHNAME', 'pgdialer_maintain_phone_e164'
LANGUAGE C;

COMMENT ON FUNCTION dialer.maintain_phone_e164() IS
'BEFORE INSERT OR UPDATE trigger: sets phone_e164 (or TG_ARGV[1]) to dialer.e164(phone) (or TG_ARGV[0]) in the session''s dialer.default_region.';

-- ---------------------------------------------------------------------------
-- Exclusion rules
-- ---------------------------------------------------------------------------

-- Planner support: rewrites dialer.exclusion(c) / dialer.is_dialable(c) over
-- a table to pass only the columns the rules read, instead of the whole row.
CREATE FUNCTION dialer._rules_support(internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_rules_support'
LANGUAGE C STRICT;

-- The forms the support function rewrites to. Internal: column names first,
-- then the columns themselves.
CREATE FUNCTION dialer._exclusion_columns(columns text[], min_days integer, as_of timestamptz,
                                          VARIADIC "any")
RETURNS dialer.exclusion
AS 'MODULE_PATHNAME', 'pgdialer_exclusion_columns'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._is_dialable_columns(columns text[], VARIADIC "any")
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

-- ---------------------------------------------------------------------------
-- What gets pushed
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.payload(contact record)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_payload'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.payload(record) IS
'The PhoneBurner contact for a row: first_name, last_name, company, phone (E.164), email, title, address, city, state, zip and custom_fields (sourceco_contact_id, contact_type, buyer_type, ...). All values are strings; NULL and blank values are omitted.';

CREATE FUNCTION dialer.talking_points(contact record)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_talking_points'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.talking_points(record) IS
'A call-prep line from last_deal_presented, last_deal_outcome, target_industries, target_ebitda_range and last_contact_outcome; only facts in the row. NULL when it has none.';

-- ---------------------------------------------------------------------------
-- The push modal
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.session_name(contact_types text[], buyer_types text[],
                                    filters jsonb DEFAULT '{}', as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_session_name'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.session_name(text[], text[], jsonb, date) IS
'Suggested session name: Buyers/Sellers/Prospects/Contacts - buyer type - industry - state or region - Mon YYYY, e.g. ''Buyers - PE Firm - Business Services - Northeast - Feb 2026''.';

CREATE FUNCTION dialer.dial_time(contacts bigint, minutes_per_contact real DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_dial_time'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.dial_time(bigint, real) IS
'Estimated dial time: ''~N min'' under an hour, else hours to the nearest half (''~3.5 hours''). minutes_per_contact NULL means dialer.minutes_per_contact.';

CREATE FUNCTION dialer.preview(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.preview(anyarray, jsonb) IS
'The push modal''s List Summary for SELECT dialer.preview(array_agg(c)) FROM contacts c WHERE ...: total, ready, excluded, excluded_by_category, exclusions, estimated_dial_minutes, estimated_dial_time, suggested_session_name. Options: min_days, filters, as_of.';

-- The same summary as an aggregate, for very large lists: no array of every
-- row is built first.  SELECT dialer.preview_agg(c, '{"min_days": 14}') FROM contacts c WHERE ...
-- Over no rows it returns NULL, as aggregates do.
CREATE FUNCTION dialer._preview_step(state internal, contact anyelement, options jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_preview_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._preview_final(state internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview_final'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE dialer.preview_agg(contact anyelement, options jsonb) (
    SFUNC = dialer._preview_step,
    STYPE = internal,
    FINALFUNC = dialer._preview_final
);

COMMENT ON AGGREGATE dialer.preview_agg(anyelement, jsonb) IS
'dialer.preview as an aggregate over contact rows (ordered with ORDER BY inside the call); the options of the first row apply.';

-- One contact's verdict in a list (see dialer.classify_list).
CREATE TYPE dialer.list_verdict AS (
    list_position integer,  -- 1-based position in the array
    contact_id    text,     -- the row's id, as text
    category      text,     -- NULL when ready to push
    reason        text,
    overridable   boolean,
    payload       jsonb     -- dialer.payload of the row
);

CREATE FUNCTION dialer.classify_list(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS SETOF dialer.list_verdict
AS 'MODULE_PATHNAME', 'pgdialer_classify_list'
LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION dialer.classify_list(anyarray, jsonb) IS
'The rows behind dialer.preview: one per distinct contact in array order, with its exclusion (NULL category = ready), including "Duplicate number of ..." verdicts, and the payload that would be pushed. Same options as dialer.preview.';

-- ===========================================================================
-- Push queue: sessions, jobs, items, links
--
-- A push is enqueued in the caller's transaction (dialer.push) and announced
-- with NOTIFY dialer_push, delivered on commit. pgdialer-sync claims jobs with
-- FOR UPDATE SKIP LOCKED under a lease it renews; every write it makes goes
-- through the functions below, which check that it still holds the lease.
-- All tables are user data: pg_dump keeps them (pg_extension_config_dump).
-- ===========================================================================

-- Who acts: the app connects as one role and names the rep with
-- SET LOCAL dialer.acting_user = 'sarah@sourceco.example'.
CREATE FUNCTION dialer.acting_user()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('dialer.acting_user', true), ''), session_user::text) $$;

COMMENT ON FUNCTION dialer.acting_user() IS
'The rep the application acts for: the dialer.acting_user setting, else session_user.';

-- The app's contact relation, so later steps (launch re-checks) can re-read
-- current rows. One row.
CREATE TABLE dialer.configuration (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    contact_relation regclass,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('dialer.configuration', '');

CREATE FUNCTION dialer.configure(contact_relation regclass)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_attribute
                   WHERE attrelid = contact_relation AND attname = 'id' AND NOT attisdropped) THEN
        RAISE EXCEPTION 'contact relation % has no "id" column', contact_relation
            USING ERRCODE = '42703',
                  HINT = 'Point dialer.configure at a table or a view with the columns the rules read (see README).';
    END IF;
    INSERT INTO dialer.configuration AS c (contact_relation, updated_by)
    VALUES (contact_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET contact_relation = excluded.contact_relation, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure(regclass) IS
'Tell pgdialer which table or view holds the contacts (read again at launch).';

-- The configured contact relation, or a clear error naming what needs it.
CREATE FUNCTION dialer._contact_relation(needed_by text)
RETURNS regclass
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    relation regclass;
BEGIN
    SELECT c.contact_relation INTO relation FROM dialer.configuration c;
    IF relation IS NULL THEN
        RAISE EXCEPTION '% needs the contact relation: call dialer.configure first', needed_by
            USING ERRCODE = '55000',
                  HINT = 'A launch re-checks current contact rows, e.g. SELECT dialer.configure(''contacts'').';
    END IF;
    RETURN relation;
END
$$;

-- A durable dial session: ours, mapped to one PhoneBurner folder that reps
-- dial and that later pushes add to.
CREATE TABLE dialer.sessions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text NOT NULL CHECK (btrim(name) <> ''),
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'paused', 'completed', 'archived')),
    phoneburner_folder_id text UNIQUE,   -- set by the daemon before the first contact write
    created_by            text NOT NULL, -- dialer.acting_user()
    created_by_role       text NOT NULL DEFAULT session_user,
    created_at            timestamptz NOT NULL DEFAULT now(),
    contact_count         integer NOT NULL DEFAULT 0,  -- contacts linked in PhoneBurner
    last_activity_at      timestamptz,
    last_activity_by      text
);
SELECT pg_catalog.pg_extension_config_dump('dialer.sessions', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.sessions', 'id'), '');

-- A job writes contacts into the session's folder (kind 'push') or creates
-- PhoneBurner dial sessions from the session's contacts (kind 'launch').
CREATE TABLE dialer.push_jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL DEFAULT 'push' CHECK (kind IN ('push', 'launch')),
    session_id        bigint NOT NULL REFERENCES dialer.sessions,
    launched_by_job   bigint REFERENCES dialer.push_jobs,  -- the push whose auto_launch made it
    status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'succeeded', 'partially_failed',
                                        'failed', 'cancelled')),
    options           jsonb NOT NULL DEFAULT '{}',  -- as given to dialer.push
    filters           jsonb,                        -- options.filters, for the smart default
    excluded          jsonb NOT NULL DEFAULT '{}',  -- held back at enqueue, by category
    total             integer NOT NULL DEFAULT 0,   -- items to push
    done              integer NOT NULL DEFAULT 0,   -- items with a final status
    step              text,                         -- what the daemon is doing, for the progress UI
    error             text,
    requested_by      text NOT NULL,                -- dialer.acting_user()
    requested_by_role text NOT NULL DEFAULT session_user,
    requested_at      timestamptz NOT NULL DEFAULT now(),
    run_at            timestamptz NOT NULL DEFAULT now(),  -- not before (retries back off)
    attempts          integer NOT NULL DEFAULT 0,
    max_attempts      integer NOT NULL DEFAULT 10,
    cancel_requested  boolean NOT NULL DEFAULT false,
    lease_owner       text,
    lease_expires_at  timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    CHECK ((status = 'running') = (lease_owner IS NOT NULL))
);
SELECT pg_catalog.pg_extension_config_dump('dialer.push_jobs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.push_jobs', 'id'), '');
CREATE INDEX push_jobs_claimable ON dialer.push_jobs (run_at) WHERE status = 'queued';
CREATE INDEX push_jobs_leased ON dialer.push_jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX push_jobs_by_session ON dialer.push_jobs (session_id, requested_at);

-- One row per contact to push, with the payload snapshot taken at enqueue.
CREATE TABLE dialer.push_items (
    job_id                 bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    list_position          integer NOT NULL,
    contact_id             text NOT NULL,
    payload                jsonb NOT NULL,
    exclusion              dialer.exclusion,  -- what was overridden to include it, if anything
    override_reason        text,
    status                 text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'created', 'updated', 'skipped', 'failed', 'unknown')),
    phoneburner_contact_id text,
    error                  text,
    attempts               integer NOT NULL DEFAULT 0,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, list_position),
    UNIQUE (job_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.push_items', '');

-- Membership: one PhoneBurner contact per (session, contact).
CREATE TABLE dialer.contact_links (
    session_id             bigint NOT NULL REFERENCES dialer.sessions,
    contact_id             text NOT NULL,
    phoneburner_contact_id text NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_synced_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.contact_links', '');
CREATE INDEX contact_links_by_phoneburner_id ON dialer.contact_links (phoneburner_contact_id);

-- The audit trail of forced includes: who, when, why, and what was overridden.
CREATE TABLE dialer.overrides (
    job_id       bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    contact_id   text NOT NULL,
    category     text NOT NULL,
    reason       text NOT NULL,
    override_reason text NOT NULL,
    overridden_by text NOT NULL,
    overridden_by_role text NOT NULL DEFAULT session_user,
    overridden_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.overrides', '');

-- ---------------------------------------------------------------------------
-- Enqueue
-- ---------------------------------------------------------------------------

-- dialer.push's options, checked: unknown keys and wrong types are errors.
CREATE FUNCTION dialer._push_options(options jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    unknown text;
    include_ids jsonb;
BEGIN
    IF options IS NULL THEN
        RETURN '{}';
    END IF;
    IF jsonb_typeof(options) <> 'object' THEN
        RAISE EXCEPTION 'push options must be a JSON object' USING ERRCODE = '22023';
    END IF;
    SELECT string_agg(format('"%s"', k), ', ') INTO unknown
    FROM jsonb_object_keys(options) AS k
    WHERE k NOT IN ('min_days', 'update_existing', 'include', 'override_reason', 'filters', 'auto_launch');
    IF unknown IS NOT NULL THEN
        RAISE EXCEPTION 'unknown push option %', unknown USING ERRCODE = '22023',
            HINT = 'Valid options are min_days, update_existing, include, override_reason, filters and auto_launch.';
    END IF;
    IF options ? 'min_days' AND (jsonb_typeof(options -> 'min_days') <> 'number'
            OR (options ->> 'min_days')::numeric NOT BETWEEN 0 AND 365
            OR (options ->> 'min_days')::numeric <> trunc((options ->> 'min_days')::numeric)) THEN
        RAISE EXCEPTION 'options.min_days must be a whole number of days from 0 to 365' USING ERRCODE = '22023';
    END IF;
    IF options ? 'update_existing' AND jsonb_typeof(options -> 'update_existing') <> 'boolean' THEN
        RAISE EXCEPTION 'options.update_existing must be true or false' USING ERRCODE = '22023';
    END IF;
    IF options ? 'auto_launch' AND jsonb_typeof(options -> 'auto_launch') <> 'boolean' THEN
        RAISE EXCEPTION 'options.auto_launch must be true or false' USING ERRCODE = '22023';
    END IF;
    IF coalesce((options ->> 'auto_launch')::boolean, false) THEN
        PERFORM dialer._contact_relation('auto_launch');
    END IF;
    IF options ? 'filters' AND jsonb_typeof(options -> 'filters') <> 'object' THEN
        RAISE EXCEPTION 'options.filters must be a JSON object' USING ERRCODE = '22023';
    END IF;
    include_ids := options -> 'include';
    IF include_ids IS NOT NULL AND (jsonb_typeof(include_ids) <> 'array' OR EXISTS (
            SELECT FROM jsonb_array_elements(include_ids) e WHERE jsonb_typeof(e) NOT IN ('string', 'number'))) THEN
        RAISE EXCEPTION 'options.include must be an array of contact ids' USING ERRCODE = '22023';
    END IF;
    IF jsonb_array_length(coalesce(include_ids, '[]')) > 0
       AND coalesce(btrim(options ->> 'override_reason'), '') = '' THEN
        RAISE EXCEPTION 'options.override_reason is required when contacts are force-included'
            USING ERRCODE = '22023', HINT = 'Say why, e.g. "override_reason": "Urgent: deal closes Friday".';
    END IF;
    RETURN options;
END
$$;

-- The options dialer.classify_list takes, from checked push options.
CREATE FUNCTION dialer._classify_options(push_options jsonb)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('min_days', o -> 'min_days', 'filters', o -> 'filters'))
    FROM dialer._push_options(push_options) AS o
$$;

-- Contacts held back, by category: every excluded verdict not in `kept`.
CREATE FUNCTION dialer._excluded_by_category(verdicts dialer.list_verdict[], kept text[])
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT jsonb_build_object(
               'do_not_call', count(*) FILTER (WHERE v.category = 'do_not_call'),
               'invalid_phone', count(*) FILTER (WHERE v.category = 'invalid_phone'),
               'recently_contacted', count(*) FILTER (WHERE v.category = 'recently_contacted'),
               'missing_required_fields', count(*) FILTER (WHERE v.category = 'missing_required_fields'))
    FROM unnest(verdicts) v
    WHERE v.category IS NOT NULL AND v.contact_id <> ALL (kept)
$$;

-- The enqueue itself, from the verdicts of the list. (PL/pgSQL cannot take
-- arrays of anonymous records, so dialer.push classifies in SQL first.)
CREATE FUNCTION dialer._enqueue_push(verdicts dialer.list_verdict[], session_name text,
                                     session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    opts       jsonb := dialer._push_options(options);
    actor      text := dialer.acting_user();
    included   text[];
    refused    record;
    session    dialer.sessions;
    job_id     bigint;
    item_count integer;
BEGIN
    IF cardinality(verdicts) = 0 THEN
        RAISE EXCEPTION 'nothing to push: the list is empty' USING ERRCODE = '22023';
    END IF;
    included := ARRAY(SELECT jsonb_array_elements_text(coalesce(opts -> 'include', '[]')));

    IF EXISTS (SELECT FROM unnest(verdicts) v WHERE v.contact_id IS NULL) THEN
        RAISE EXCEPTION 'every contact needs an id to be pushed' USING ERRCODE = '23502',
            HINT = 'The contact rows must have an "id" column with a value.';
    END IF;
    SELECT i AS id INTO refused FROM unnest(included) i
    WHERE i NOT IN (SELECT v.contact_id FROM unnest(verdicts) v) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot include contact %: it is not in the list', refused.id USING ERRCODE = '22023';
    END IF;
    SELECT v.contact_id, v.reason, v.category INTO refused FROM unnest(verdicts) v
    WHERE v.contact_id = ANY (included) AND v.category IS NOT NULL AND NOT v.overridable
    ORDER BY v.list_position LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'contact % cannot be included: % (%)', refused.contact_id, refused.reason, refused.category
            USING ERRCODE = '22023',
                  DETAIL = 'Legal do-not-call listings and numbers that do not normalize can never be overridden.';
    END IF;

    IF _enqueue_push.session_id IS NULL THEN
        INSERT INTO dialer.sessions (name, created_by, last_activity_at, last_activity_by)
        VALUES (coalesce(nullif(btrim(_enqueue_push.session_name), ''),
                         dialer.session_name(
                             ARRAY(SELECT v.payload -> 'custom_fields' ->> 'contact_type' FROM unnest(verdicts) v),
                             ARRAY(SELECT v.payload -> 'custom_fields' ->> 'buyer_type' FROM unnest(verdicts) v),
                             coalesce(opts -> 'filters', '{}'))),
                actor, now(), actor)
        RETURNING * INTO session;
    ELSE
        SELECT * INTO session FROM dialer.sessions s WHERE s.id = _enqueue_push.session_id FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'session % does not exist', _enqueue_push.session_id USING ERRCODE = '22023';
        END IF;
        IF session.status IN ('completed', 'archived') THEN
            RAISE EXCEPTION 'session % is %; contacts can only be added to active or paused sessions',
                session.id, session.status USING ERRCODE = '55000';
        END IF;
        UPDATE dialer.sessions s SET last_activity_at = now(), last_activity_by = actor WHERE s.id = session.id;
    END IF;

    INSERT INTO dialer.push_jobs (session_id, options, filters, requested_by, excluded)
    VALUES (session.id, opts, opts -> 'filters', actor, dialer._excluded_by_category(verdicts, included))
    RETURNING id INTO job_id;

    INSERT INTO dialer.push_items (job_id, list_position, contact_id, payload, exclusion, override_reason)
    SELECT job_id, v.list_position, v.contact_id, v.payload,
           CASE WHEN v.category IS NOT NULL THEN ROW(v.category, v.reason, v.overridable)::dialer.exclusion END,
           CASE WHEN v.category IS NOT NULL THEN opts ->> 'override_reason' END
    FROM unnest(verdicts) v
    WHERE v.category IS NULL OR v.contact_id = ANY (included);
    GET DIAGNOSTICS item_count = ROW_COUNT;

    INSERT INTO dialer.overrides (job_id, contact_id, category, reason, override_reason, overridden_by)
    SELECT job_id, v.contact_id, v.category, v.reason, opts ->> 'override_reason', actor
    FROM unnest(verdicts) v
    WHERE v.category IS NOT NULL AND v.contact_id = ANY (included);

    UPDATE dialer.push_jobs j SET total = item_count,
           step = 'Queued',
           status = CASE WHEN item_count = 0 AND NOT coalesce((opts ->> 'auto_launch')::boolean, false)
                         THEN 'succeeded' ELSE 'queued' END,
           finished_at = CASE WHEN item_count = 0 THEN now() END
    WHERE j.id = job_id;

    PERFORM pg_notify('dialer_push', job_id::text);
    RETURN job_id;
END
$$;

CREATE FUNCTION dialer.push(contacts anyarray, session_name text DEFAULT NULL,
                            session_id bigint DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE sql VOLATILE
AS $$
    -- The same verdicts the preview showed, then the enqueue.
    SELECT dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options)
$$;

COMMENT ON FUNCTION dialer.push(anyarray, text, bigint, jsonb) IS
'Enqueue a push of the contacts that pass the rules (plus force-included ones) into a session, in the caller''s transaction; pgdialer-sync is woken by NOTIFY dialer_push on commit. session_id NULL creates a session named session_name or the suggested name. Options: min_days, update_existing (default true), include + override_reason, filters, auto_launch. Returns the job id.';

-- ---------------------------------------------------------------------------
-- Progress and sessions, for the app
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.push_status(job_id bigint)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
    SELECT jsonb_build_object(
        'job_id', j.id,
        'kind', j.kind,
        'status', j.status,
        'total', j.total,
        'done', j.done,
        'percent', CASE WHEN j.total = 0 THEN 100 ELSE floor(100.0 * j.done / j.total)::int END,
        'step', j.step,
        'counts', (SELECT jsonb_build_object(
                       'created', count(*) FILTER (WHERE i.status = 'created'),
                       'updated', count(*) FILTER (WHERE i.status = 'updated'),
                       'skipped', count(*) FILTER (WHERE i.status = 'skipped'),
                       'failed', count(*) FILTER (WHERE i.status = 'failed'),
                       'unknown', count(*) FILTER (WHERE i.status = 'unknown'),
                       'pending', count(*) FILTER (WHERE i.status = 'pending'))
                   FROM dialer.push_items i WHERE i.job_id = j.id),
        'excluded', j.excluded,
        'session_id', s.id,
        'session_name', s.name,
        'error', j.error,
        'launch_job_id', (SELECT l.id FROM dialer.push_jobs l WHERE l.launched_by_job = j.id),
        'dial_sessions', (SELECT jsonb_agg(jsonb_build_object(
                              'batch', d.batch, 'status', d.status, 'contacts', d.contact_count,
                              'skipped', d.skipped_contact_count,
                              'phoneburner_dial_session_id', d.phoneburner_dial_session_id,
                              'link_ready', d.login_link IS NOT NULL AND d.link_expires_at > now(),
                              'error', d.error) ORDER BY d.batch)
                          FROM dialer.dial_sessions d WHERE d.job_id = j.id))
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.id = push_status.job_id
$$;

COMMENT ON FUNCTION dialer.push_status(bigint) IS
'The progress modal: job_id, kind (push or launch), status, total, done, percent, step, counts (created, updated, skipped, failed, unknown, pending), excluded by category, session_id, session_name, error, launch_job_id (the launch a push''s auto_launch enqueued), dial_sessions (a launch''s batches). NULL for an unknown job.';

-- Cancel a push: a queued job stops at once; a running one stops at the
-- daemon's next lease renewal, keeping what was already written.
CREATE FUNCTION dialer.cancel(job_id bigint)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    job dialer.push_jobs;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = cancel.job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % does not exist', cancel.job_id USING ERRCODE = '22023';
    END IF;
    IF job.status = 'queued' THEN
        UPDATE dialer.push_jobs j SET status = 'cancelled', finished_at = now(), step = 'Cancelled',
               error = format('cancelled by %s', dialer.acting_user())
        WHERE j.id = job.id;
        PERFORM dialer._notify_progress(job.id);
        RETURN true;
    ELSIF job.status = 'running' THEN
        UPDATE dialer.push_jobs j SET cancel_requested = true WHERE j.id = job.id;
        RETURN true;
    END IF;
    RETURN false;  -- already finished
END
$$;

COMMENT ON FUNCTION dialer.cancel(bigint) IS
'Cancel a push. Queued: cancelled now. Running: the daemon stops at its next lease renewal. Returns false when the job had already finished.';

-- The Smart Default: the rep's most recent active session pushed with the
-- same filters in the last 14 days.
CREATE FUNCTION dialer.suggest_session(filters jsonb)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
    SELECT s.id
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.requested_by = dialer.acting_user()
      AND j.filters = suggest_session.filters
      AND j.requested_at > now() - interval '14 days'
      AND j.status <> 'cancelled'
      AND s.status = 'active'
    ORDER BY j.requested_at DESC, j.id DESC
    LIMIT 1
$$;

COMMENT ON FUNCTION dialer.suggest_session(jsonb) IS
'Smart default for "Add to Existing Session": the acting user''s most recent active session pushed with equal filters within 14 days, else NULL.';

-- The "Add to Existing Session" dropdown.
CREATE VIEW dialer.sessions_overview AS
SELECT s.id, s.name, s.status, s.contact_count, s.last_activity_at, s.last_activity_by,
       s.created_by, s.created_at, s.phoneburner_folder_id
FROM dialer.sessions s
WHERE s.status IN ('active', 'paused')
ORDER BY s.last_activity_at DESC NULLS LAST, s.id DESC;

COMMENT ON VIEW dialer.sessions_overview IS
'Sessions a rep can add contacts to, most recently active first, with contact count and last activity.';

-- ---------------------------------------------------------------------------
-- The daemon's side. pgdialer-sync holds no business SQL: it calls these.
-- A worker id names one daemon process (host/pid/random); every write after
-- the claim checks that worker still holds the lease.
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer._notify_progress(job_id bigint)
RETURNS void
LANGUAGE sql
AS $$
    SELECT pg_notify('dialer_progress', jsonb_build_object(
        'job_id', j.id, 'status', j.status, 'total', j.total, 'done', j.done,
        'percent', CASE WHEN j.total = 0 THEN 100 ELSE floor(100.0 * j.done / j.total)::int END,
        'step', j.step)::text)
    FROM dialer.push_jobs j WHERE j.id = _notify_progress.job_id
$$;

-- Claim the next job: a queued one whose time has come, or a running one
-- whose lease expired (its daemon died). SKIP LOCKED lets several daemons
-- share the queue without waiting on each other.
CREATE FUNCTION dialer.claim_push_job(worker text, lease_seconds integer DEFAULT 30)
RETURNS SETOF dialer.push_jobs
LANGUAGE plpgsql
AS $$
DECLARE
    stranded dialer.push_jobs;
BEGIN
    -- Login links are one-time and short-lived: drop expired ones as we pass.
    UPDATE dialer.dial_sessions d SET login_link = NULL
    WHERE d.login_link IS NOT NULL AND d.link_expires_at <= now();

    -- A job whose lease expired after its last attempt (its daemon died or
    -- hung every time, e.g. a job that crashes its worker) is closed rather
    -- than claimed again forever. A launch batch left 'sending' may have
    -- been created: it becomes 'unknown' and is never re-sent.
    FOR stranded IN
        SELECT * FROM dialer.push_jobs c
        WHERE c.status = 'running' AND c.lease_expires_at < clock_timestamp() AND c.attempts >= c.max_attempts
        ORDER BY c.id
        FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE dialer.dial_sessions d
        SET status = 'unknown', updated_at = now(),
            error = 'the daemon stopped while creating this dial session: check PhoneBurner before launching again'
        WHERE d.job_id = stranded.id AND d.status = 'sending';
        PERFORM dialer._close_job(stranded, format(
            'gave up after %s attempts: the daemon working on it (%s) stopped before finishing',
            stranded.attempts, stranded.lease_owner), interrupted => true);
    END LOOP;

    RETURN QUERY
    UPDATE dialer.push_jobs j
    SET status = 'running', lease_owner = claim_push_job.worker,
        lease_expires_at = clock_timestamp() + make_interval(secs => claim_push_job.lease_seconds),
        attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()),
        step = coalesce(j.step, 'Queued')
    WHERE j.id = (
        SELECT c.id FROM dialer.push_jobs c
        WHERE (c.status = 'queued' AND c.run_at <= clock_timestamp())
           OR (c.status = 'running' AND c.lease_expires_at < clock_timestamp() AND c.attempts < c.max_attempts)
        ORDER BY c.run_at, c.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING j.*;
END
$$;

COMMENT ON FUNCTION dialer.claim_push_job(text, integer) IS
'Daemon: claim one queued job (or one whose lease expired and has attempts left) for worker, leased for lease_seconds. No row when there is nothing to do. Closes expired jobs with no attempts left.';

-- Renew the lease. Returns the job's status as the daemon should see it:
-- 'running' to go on, 'cancel' when a cancel was requested, NULL when the
-- lease was lost (another daemon took over) and the daemon must stop writing.
CREATE FUNCTION dialer.renew_push_lease(job_id bigint, worker text, lease_seconds integer DEFAULT 30)
RETURNS text
LANGUAGE sql
AS $$
    UPDATE dialer.push_jobs j
    SET lease_expires_at = clock_timestamp() + make_interval(secs => renew_push_lease.lease_seconds)
    WHERE j.id = renew_push_lease.job_id AND j.status = 'running' AND j.lease_owner = renew_push_lease.worker
    RETURNING CASE WHEN j.cancel_requested THEN 'cancel' ELSE 'running' END
$$;

CREATE FUNCTION dialer._holds_lease(job_id bigint, worker text)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (SELECT FROM dialer.push_jobs j
                   WHERE j.id = _holds_lease.job_id AND j.status = 'running'
                     AND j.lease_owner = _holds_lease.worker)
$$;

-- What the step text says, published at each change.
CREATE FUNCTION dialer.set_push_step(job_id bigint, worker text, step text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE dialer.push_jobs j SET step = set_push_step.step
    WHERE j.id = set_push_step.job_id AND j.status = 'running' AND j.lease_owner = set_push_step.worker
      AND j.step IS DISTINCT FROM set_push_step.step;
    IF FOUND THEN
        PERFORM dialer._notify_progress(set_push_step.job_id);
    END IF;
    RETURN dialer._holds_lease(set_push_step.job_id, set_push_step.worker);
END
$$;

-- The session's PhoneBurner folder, committed before the first contact write.
CREATE FUNCTION dialer.set_session_folder(job_id bigint, worker text, folder_id text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT dialer._holds_lease(set_session_folder.job_id, set_session_folder.worker) THEN
        RETURN false;
    END IF;
    UPDATE dialer.sessions s SET phoneburner_folder_id = set_session_folder.folder_id
    FROM dialer.push_jobs j
    WHERE j.id = set_session_folder.job_id AND s.id = j.session_id
      AND s.phoneburner_folder_id IS DISTINCT FROM set_session_folder.folder_id;
    RETURN true;
END
$$;

-- The items still to do, with the PhoneBurner contact already linked to the
-- session if any (update or skip instead of create).
CREATE FUNCTION dialer.push_job_items(job_id bigint, worker text,
                                      after_position integer DEFAULT 0, max_items integer DEFAULT NULL)
RETURNS TABLE (list_position integer, contact_id text, payload jsonb, status text,
               phoneburner_contact_id text, attempts integer)
LANGUAGE sql STABLE
AS $$
    -- Paged by list position so a daemon holds one page of payloads at a
    -- time, however long the list.
    SELECT i.list_position, i.contact_id, i.payload, i.status,
           coalesce(i.phoneburner_contact_id, l.phoneburner_contact_id), i.attempts
    FROM dialer.push_items i
    JOIN dialer.push_jobs j ON j.id = i.job_id
    LEFT JOIN dialer.contact_links l ON l.session_id = j.session_id AND l.contact_id = i.contact_id
    WHERE i.job_id = push_job_items.job_id AND i.status IN ('pending', 'unknown')
      AND i.list_position > push_job_items.after_position
      AND dialer._holds_lease(push_job_items.job_id, push_job_items.worker)
    ORDER BY i.list_position
    LIMIT push_job_items.max_items
$$;

COMMENT ON FUNCTION dialer.push_job_items(bigint, text, integer, integer) IS
'Daemon: the job''s open items (pending or unknown) after list position after_position, at most max_items (NULL: all), while worker holds the lease.';

-- Record one item's outcome. created/updated link the contact to the
-- session. Progress is published each time another 10% is done.
CREATE FUNCTION dialer.record_push_item(job_id bigint, worker text, list_position integer,
                                        status text, phoneburner_contact_id text DEFAULT NULL,
                                        error text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    item      dialer.push_items;
    job       dialer.push_jobs;
    was_final boolean;
    linked_now boolean;
    is_final  boolean := record_push_item.status IN ('created', 'updated', 'skipped', 'failed');
BEGIN
    IF record_push_item.status NOT IN ('pending', 'created', 'updated', 'skipped', 'failed', 'unknown') THEN
        RAISE EXCEPTION 'unknown item status "%"', record_push_item.status USING ERRCODE = '22023';
    END IF;
    IF record_push_item.status IN ('created', 'updated') AND record_push_item.phoneburner_contact_id IS NULL THEN
        RAISE EXCEPTION 'a % item needs its PhoneBurner contact id', record_push_item.status USING ERRCODE = '22004';
    END IF;
    SELECT * INTO job FROM dialer.push_jobs j
    WHERE j.id = record_push_item.job_id AND j.status = 'running' AND j.lease_owner = record_push_item.worker
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;  -- lease lost: write nothing
    END IF;
    SELECT * INTO item FROM dialer.push_items i
    WHERE i.job_id = record_push_item.job_id AND i.list_position = record_push_item.list_position FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % has no item at position %', record_push_item.job_id,
            record_push_item.list_position USING ERRCODE = '22023';
    END IF;
    was_final := item.status IN ('created', 'updated', 'skipped', 'failed');

    UPDATE dialer.push_items i
    SET status = record_push_item.status,
        phoneburner_contact_id = coalesce(record_push_item.phoneburner_contact_id, i.phoneburner_contact_id),
        error = record_push_item.error, attempts = i.attempts + 1, updated_at = now()
    WHERE i.job_id = record_push_item.job_id AND i.list_position = record_push_item.list_position;

    IF record_push_item.status IN ('created', 'updated') THEN
        -- xmax = 0 only on a freshly inserted row: a new member of the session.
        INSERT INTO dialer.contact_links AS l (session_id, contact_id, phoneburner_contact_id)
        VALUES (job.session_id, item.contact_id, record_push_item.phoneburner_contact_id)
        ON CONFLICT (session_id, contact_id) DO UPDATE
            SET phoneburner_contact_id = excluded.phoneburner_contact_id, last_synced_at = now()
        RETURNING l.xmax = 0 INTO linked_now;
        UPDATE dialer.sessions s
        SET contact_count = s.contact_count + CASE WHEN linked_now THEN 1 ELSE 0 END,
            last_activity_at = now()
        WHERE s.id = job.session_id;
        -- The spec's API flow writes the PhoneBurner id back to the contact:
        -- through the write-back hook (a failure is kept, not raised).
        PERFORM dialer._writeback(item.contact_id,
                                  jsonb_build_object('phoneburner_contact_id', record_push_item.phoneburner_contact_id,
                                                     'phoneburner_last_sync_at', now()),
                                  push_job_id => job.id);
    END IF;

    IF is_final AND NOT was_final THEN
        UPDATE dialer.push_jobs j SET done = j.done + 1 WHERE j.id = job.id;
        IF floor(10.0 * (job.done + 1) / greatest(job.total, 1)) > floor(10.0 * job.done / greatest(job.total, 1)) THEN
            PERFORM dialer._notify_progress(job.id);
        END IF;
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.record_push_item(bigint, text, integer, text, text, text) IS
'Daemon: record one item''s outcome (created, updated, skipped, failed, unknown) while holding the lease; false when the lease was lost and nothing was written.';

-- Close a job (locked by the caller): succeeded, partially_failed or failed
-- from its items, failed outright with `fail_job` (a precondition of the
-- whole push did not hold), or cancelled. Items a failed job never got to
-- say why: `failed` when the daemon knows it never sent them, `unknown` when
-- the job was `interrupted` (its daemon died, or stopped on an error while
-- requests were in flight) and a write may have landed unrecorded. Unknown
-- items make the session's next push read the folder back first.
CREATE FUNCTION dialer._close_job(job dialer.push_jobs, error text, fail_job boolean DEFAULT false,
                                  interrupted boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    ok        integer;
    bad       integer;
    open_     integer;
    abandoned integer := 0;
    outcome   text;
BEGIN
    IF _close_job.error IS NOT NULL AND NOT job.cancel_requested THEN
        UPDATE dialer.push_items i
        SET status = CASE WHEN _close_job.interrupted THEN 'unknown' ELSE 'failed' END,
            error = CASE WHEN _close_job.interrupted THEN 'Not confirmed: ' ELSE 'Not pushed: ' END
                    || _close_job.error,
            updated_at = now()
        WHERE i.job_id = job.id AND i.status = 'pending';
        GET DIAGNOSTICS abandoned = ROW_COUNT;
        IF _close_job.interrupted THEN
            abandoned := 0;  -- unknown is not a final status
        END IF;
    END IF;
    SELECT count(*) FILTER (WHERE i.status IN ('created', 'updated', 'skipped')),
           count(*) FILTER (WHERE i.status = 'failed'),
           count(*) FILTER (WHERE i.status IN ('pending', 'unknown'))
    INTO ok, bad, open_
    FROM dialer.push_items i WHERE i.job_id = job.id;
    outcome := CASE
        WHEN job.cancel_requested THEN 'cancelled'
        WHEN _close_job.fail_job THEN 'failed'
        WHEN _close_job.error IS NOT NULL AND ok = 0 THEN 'failed'
        WHEN _close_job.error IS NOT NULL OR bad > 0 OR open_ > 0 THEN
            CASE WHEN ok > 0 THEN 'partially_failed' ELSE 'failed' END
        ELSE 'succeeded' END;
    UPDATE dialer.push_jobs j
    SET status = outcome, lease_owner = NULL, lease_expires_at = NULL, finished_at = now(),
        done = j.done + abandoned, error = coalesce(_close_job.error, j.error),
        step = CASE outcome WHEN 'succeeded' THEN 'Done' WHEN 'cancelled' THEN 'Cancelled' ELSE 'Finished with errors' END
    WHERE j.id = job.id;
    PERFORM dialer._notify_progress(job.id);
    -- The spec's auto-start: launch once the contacts are in PhoneBurner.
    IF job.kind = 'push' AND coalesce((job.options ->> 'auto_launch')::boolean, false)
       AND outcome IN ('succeeded', 'partially_failed') THEN
        PERFORM dialer._enqueue_launch(job.session_id, (job.options ->> 'min_days')::integer,
                                       job.requested_by, job.id);
    END IF;
    RETURN outcome;
END
$$;

-- Finish the job while still holding the lease.
CREATE FUNCTION dialer.finish_push_job(job_id bigint, worker text, error text DEFAULT NULL,
                                       fail_job boolean DEFAULT false, interrupted boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    job dialer.push_jobs;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j
    WHERE j.id = finish_push_job.job_id AND j.status = 'running' AND j.lease_owner = finish_push_job.worker
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;  -- lease lost: someone else finishes it
    END IF;
    RETURN dialer._close_job(job, finish_push_job.error, finish_push_job.fail_job, finish_push_job.interrupted);
END
$$;

COMMENT ON FUNCTION dialer.finish_push_job(bigint, text, text, boolean, boolean) IS
'Daemon: finish the job while holding the lease; returns its final status, or NULL when the lease was lost. fail_job: failed whatever the items say. interrupted: open items may have been written (they become unknown, not failed).';

-- Give a job back without spending an attempt (graceful shutdown), or
-- schedule a retry after a job-level failure with `retry_in`.
CREATE FUNCTION dialer.release_push_job(job_id bigint, worker text, error text DEFAULT NULL,
                                        retry_in interval DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
AS $$
    UPDATE dialer.push_jobs j
    SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL,
        attempts = CASE WHEN release_push_job.retry_in IS NULL THEN greatest(j.attempts - 1, 0) ELSE j.attempts END,
        run_at = clock_timestamp() + coalesce(release_push_job.retry_in, interval '0'),
        error = coalesce(release_push_job.error, j.error),
        step = CASE WHEN release_push_job.retry_in IS NULL THEN j.step ELSE 'Waiting to retry' END
    WHERE j.id = release_push_job.job_id AND j.status = 'running' AND j.lease_owner = release_push_job.worker
    RETURNING true
$$;

-- The whole queue by kind and status: the daemon's /metrics (pgdialer_queue_jobs).
CREATE FUNCTION dialer.job_counts(OUT kind text, OUT status text, OUT jobs bigint)
RETURNS SETOF record
LANGUAGE sql STABLE
AS $$
    SELECT j.kind, j.status, count(*) FROM dialer.push_jobs j GROUP BY j.kind, j.status ORDER BY 1, 2
$$;

-- The session a claimed job writes into: its id, name and PhoneBurner folder.
CREATE FUNCTION dialer.push_job_session(job_id bigint, worker text,
    OUT session_id bigint, OUT session_name text, OUT phoneburner_folder_id text,
    OUT update_existing boolean, OUT unknown_items integer)
RETURNS SETOF record
LANGUAGE sql STABLE
AS $$
    -- unknown_items: writes into this session, by this job or an earlier
    -- one, whose outcome was lost and that no later write resolved; the
    -- daemon reads the folder back before writing anything when there are any.
    SELECT s.id, s.name, s.phoneburner_folder_id, coalesce((j.options ->> 'update_existing')::boolean, true),
           (SELECT count(*)::integer
            FROM dialer.push_jobs sj JOIN dialer.push_items i ON i.job_id = sj.id
            WHERE sj.session_id = s.id AND sj.kind = 'push' AND i.status = 'unknown'
              AND NOT EXISTS (SELECT FROM dialer.contact_links l
                              WHERE l.session_id = s.id AND l.contact_id = i.contact_id))
    FROM dialer.push_jobs j JOIN dialer.sessions s ON s.id = j.session_id
    WHERE j.id = push_job_session.job_id AND dialer._holds_lease(push_job_session.job_id, push_job_session.worker)
$$;

-- ---------------------------------------------------------------------------
-- Launch: PhoneBurner dial sessions from a session's contacts
--
-- PhoneBurner dial sessions are create-only, hold at most 500 contacts, take
-- tens of seconds to create and answer with a one-time login link. A launch
-- is a job like a push (kind 'launch'): the daemon re-checks the session's
-- contacts against the rules when it starts, splits them into batches of
-- 500 and creates one dial session per batch. A batch request is never sent
-- twice: one whose answer was lost is 'unknown' and the rep is told.
-- ---------------------------------------------------------------------------

CREATE TABLE dialer.dial_sessions (
    job_id                      bigint NOT NULL REFERENCES dialer.push_jobs ON DELETE CASCADE,
    batch                       integer NOT NULL CHECK (batch >= 1),
    first_position              integer NOT NULL,  -- the job's items in this batch
    last_position               integer NOT NULL,
    contact_count               integer NOT NULL CHECK (contact_count BETWEEN 1 AND 500),
    status                      text NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'sending', 'created', 'unknown', 'failed')),
    phoneburner_dial_session_id text,
    skipped_contact_count       integer,
    login_link                  text,         -- one-time; erased when handed out or expired
    link_expires_at             timestamptz,
    link_handed_out_at          timestamptz,
    link_handed_out_to          text,
    error                       text,
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, batch)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.dial_sessions', '');
CREATE INDEX dial_sessions_live_links ON dialer.dial_sessions (link_expires_at) WHERE login_link IS NOT NULL;

COMMENT ON TABLE dialer.dial_sessions IS
'PhoneBurner dial sessions created by launch jobs, one per batch of at most 500 contacts.';

-- Shared by dialer.launch and a push's auto_launch.
CREATE FUNCTION dialer._enqueue_launch(session_id bigint, min_days integer, requested_by text,
                                       launched_by_job bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    job_id bigint;
BEGIN
    INSERT INTO dialer.push_jobs (kind, session_id, launched_by_job, options, requested_by, step)
    VALUES ('launch', _enqueue_launch.session_id, _enqueue_launch.launched_by_job,
            jsonb_strip_nulls(jsonb_build_object('min_days', _enqueue_launch.min_days)),
            _enqueue_launch.requested_by, 'Queued')
    RETURNING id INTO job_id;
    PERFORM pg_notify('dialer_push', job_id::text);
    RETURN job_id;
END
$$;

CREATE FUNCTION dialer.launch(session_id bigint)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions;
BEGIN
    SELECT * INTO session FROM dialer.sessions s WHERE s.id = launch.session_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'session % does not exist', launch.session_id USING ERRCODE = '22023';
    END IF;
    IF session.status IN ('completed', 'archived') THEN
        RAISE EXCEPTION 'session % is %; only active or paused sessions can be launched',
            session.id, session.status USING ERRCODE = '55000';
    END IF;
    PERFORM dialer._contact_relation('launch');
    IF NOT EXISTS (SELECT FROM dialer.contact_links l WHERE l.session_id = session.id) THEN
        RAISE EXCEPTION 'session % has no contacts in PhoneBurner yet', session.id
            USING ERRCODE = '55000', HINT = 'Push contacts into the session first (dialer.push).';
    END IF;
    UPDATE dialer.sessions s SET last_activity_at = now(), last_activity_by = dialer.acting_user()
    WHERE s.id = session.id;
    RETURN dialer._enqueue_launch(session.id,
                                  nullif(current_setting('dialer.min_days_between_calls', true), '')::integer,
                                  dialer.acting_user());
END
$$;

COMMENT ON FUNCTION dialer.launch(bigint) IS
'Enqueue a launch of the session: pgdialer-sync re-checks its contacts against the rules and creates PhoneBurner dial sessions of at most 500 contacts. Returns the job id; follow it with dialer.push_status and take the login link with dialer.launch_link.';

-- The one-time login link of a launch (or of a push with auto_launch): the
-- first link not handed out yet, erased as it is returned. NULL while the
-- launch has not created a dial session yet. Links expire after 5 minutes.
-- Call again for the next batch's link when a launch made several.
CREATE FUNCTION dialer.launch_link(job_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    job       dialer.push_jobs;
    launch_id bigint;
    d         dialer.dial_sessions;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = launch_link.job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'push job % does not exist', launch_link.job_id USING ERRCODE = '22023';
    END IF;
    IF job.kind = 'launch' THEN
        launch_id := job.id;
    ELSE
        SELECT j.id INTO launch_id FROM dialer.push_jobs j WHERE j.launched_by_job = job.id;
        IF launch_id IS NULL THEN
            IF NOT coalesce((job.options ->> 'auto_launch')::boolean, false) THEN
                RAISE EXCEPTION 'job % is a push without auto_launch; it has no login link', job.id
                    USING ERRCODE = '22023', HINT = format('Launch the session with dialer.launch(%s).', job.session_id);
            ELSIF job.status IN ('failed', 'cancelled') THEN
                RAISE EXCEPTION 'push job % %; the session was not launched', job.id, job.status
                    USING ERRCODE = '55000';
            END IF;
            RETURN NULL;  -- the push has not finished yet
        END IF;
    END IF;

    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = launch_id AND s.login_link IS NOT NULL AND s.link_expires_at > now()
    ORDER BY s.batch LIMIT 1 FOR UPDATE;
    IF FOUND THEN
        UPDATE dialer.dial_sessions s
        SET login_link = NULL, link_handed_out_at = now(), link_handed_out_to = dialer.acting_user()
        WHERE s.job_id = d.job_id AND s.batch = d.batch;
        RETURN d.login_link;
    END IF;

    SELECT * INTO job FROM dialer.push_jobs j WHERE j.id = launch_id;
    IF job.status IN ('queued', 'running') THEN
        RETURN NULL;  -- not created yet
    END IF;
    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = launch_id AND s.status = 'created' ORDER BY s.link_handed_out_at DESC NULLS LAST LIMIT 1;
    IF d.link_handed_out_at IS NOT NULL THEN
        RAISE EXCEPTION 'the login link of launch job % was already handed out to %', launch_id,
            d.link_handed_out_to
            USING ERRCODE = '55000',
                  DETAIL = format('Handed out at %s; PhoneBurner login links work once.', d.link_handed_out_at);
    ELSIF FOUND THEN
        RAISE EXCEPTION 'the login link of launch job % expired', launch_id
            USING ERRCODE = '55000', DETAIL = format('It expired at %s.', d.link_expires_at),
                  HINT = 'Login links last 5 minutes; launch the session again.';
    END IF;
    RAISE EXCEPTION 'launch job % created no dial session: %', launch_id, coalesce(job.error, job.status)
        USING ERRCODE = '55000';
END
$$;

COMMENT ON FUNCTION dialer.launch_link(bigint) IS
'The one-time PhoneBurner login link of a launch job (or of a push with auto_launch), handed out once and erased; NULL until ready; links expire 5 minutes after creation.';

-- Daemon: re-check the session's contacts now, from the configured contact
-- relation, and split those that pass into batches of 500. Contacts whose
-- exclusion was overridden in this session for the same reason stay in.
-- Returns the number of contacts to launch (the stored batches on a later
-- attempt), or NULL when the lease was lost.
CREATE FUNCTION dialer.prepare_launch(job_id bigint, worker text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    job       dialer.push_jobs;
    relation  regclass;
    verdicts  dialer.list_verdict[];
    linked    integer;
    n         integer;
BEGIN
    SELECT * INTO job FROM dialer.push_jobs j
    WHERE j.id = prepare_launch.job_id AND j.status = 'running' AND j.lease_owner = prepare_launch.worker
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF job.kind <> 'launch' THEN
        RAISE EXCEPTION 'job % is not a launch job', job.id USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM dialer.dial_sessions d WHERE d.job_id = job.id) THEN
        RETURN job.total;  -- prepared by an earlier attempt
    END IF;
    relation := dialer._contact_relation('launch');

    EXECUTE format(
        'SELECT coalesce(array_agg(v ORDER BY v.list_position), ''{}'')
         FROM dialer.classify_list(ARRAY(SELECT c FROM %s c
                                         JOIN dialer.contact_links l ON l.contact_id = c.id::text
                                         WHERE l.session_id = $1
                                         ORDER BY l.created_at, c.id), $2) AS v', relation)
    INTO verdicts
    USING job.session_id, jsonb_strip_nulls(jsonb_build_object('min_days', job.options -> 'min_days'));
    SELECT count(*) INTO linked FROM dialer.contact_links l WHERE l.session_id = job.session_id;

    WITH kept AS (
        SELECT v.*, row_number() OVER (ORDER BY v.list_position)::integer AS position
        FROM unnest(verdicts) v
        WHERE v.category IS NULL
           OR (v.overridable AND EXISTS (
                   SELECT FROM dialer.overrides o JOIN dialer.push_jobs p ON p.id = o.job_id
                   WHERE p.session_id = job.session_id AND o.contact_id = v.contact_id
                     AND o.category = v.category))
    )
    INSERT INTO dialer.push_items (job_id, list_position, contact_id, payload, exclusion, phoneburner_contact_id)
    SELECT job.id, k.position, k.contact_id, k.payload,
           CASE WHEN k.category IS NOT NULL THEN ROW(k.category, k.reason, k.overridable)::dialer.exclusion END,
           l.phoneburner_contact_id
    FROM kept k
    JOIN dialer.contact_links l ON l.session_id = job.session_id AND l.contact_id = k.contact_id;
    GET DIAGNOSTICS n = ROW_COUNT;

    INSERT INTO dialer.dial_sessions (job_id, batch, first_position, last_position, contact_count)
    SELECT job.id, (i.list_position - 1) / 500 + 1, min(i.list_position), max(i.list_position), count(*)
    FROM dialer.push_items i WHERE i.job_id = job.id
    GROUP BY (i.list_position - 1) / 500 + 1;

    UPDATE dialer.push_jobs j
    SET total = n,
        excluded = dialer._excluded_by_category(
                       verdicts, ARRAY(SELECT i.contact_id FROM dialer.push_items i WHERE i.job_id = job.id))
                   || jsonb_build_object('not_found', linked - cardinality(verdicts))
    WHERE j.id = job.id;
    RETURN n;
END
$$;

-- Daemon: the batches of a launch job (after dialer.prepare_launch).
CREATE FUNCTION dialer.launch_batches(job_id bigint, worker text)
RETURNS TABLE (batch integer, batch_count integer, status text, first_position integer,
               last_position integer, contact_count integer, session_id bigint, session_name text)
LANGUAGE sql STABLE
AS $$
    SELECT d.batch, count(*) OVER ()::integer, d.status, d.first_position, d.last_position, d.contact_count,
           s.id, s.name
    FROM dialer.dial_sessions d
    JOIN dialer.push_jobs j ON j.id = d.job_id
    JOIN dialer.sessions s ON s.id = j.session_id
    WHERE d.job_id = launch_batches.job_id AND dialer._holds_lease(launch_batches.job_id, launch_batches.worker)
    ORDER BY d.batch
$$;

-- Daemon: the contacts of one batch, in order, with the payload read at launch.
CREATE FUNCTION dialer.launch_batch_contacts(job_id bigint, worker text, batch integer)
RETURNS TABLE (contact_id text, payload jsonb)
LANGUAGE sql STABLE
AS $$
    SELECT i.contact_id, i.payload
    FROM dialer.dial_sessions d
    JOIN dialer.push_items i ON i.job_id = d.job_id
                            AND i.list_position BETWEEN d.first_position AND d.last_position
    WHERE d.job_id = launch_batch_contacts.job_id AND d.batch = launch_batch_contacts.batch
      AND dialer._holds_lease(launch_batch_contacts.job_id, launch_batch_contacts.worker)
    ORDER BY i.list_position
$$;

-- Daemon: record a batch's state. 'sending' is committed before the request
-- goes out, so a batch found 'sending' by a later attempt is never re-sent;
-- it becomes 'unknown'. 'pending' puts a batch back (the request was never
-- sent or was refused before PhoneBurner acted). created/unknown/failed are
-- final and set the batch's items alike.
CREATE FUNCTION dialer.record_dial_session(job_id bigint, worker text, batch integer, status text,
                                           phoneburner_dial_session_id text DEFAULT NULL,
                                           skipped_contact_count integer DEFAULT NULL,
                                           login_link text DEFAULT NULL, error text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    job    dialer.push_jobs;
    d      dialer.dial_sessions;
    closed integer;
BEGIN
    IF record_dial_session.status NOT IN ('pending', 'sending', 'created', 'unknown', 'failed') THEN
        RAISE EXCEPTION 'unknown dial session status "%"', record_dial_session.status USING ERRCODE = '22023';
    END IF;
    SELECT * INTO job FROM dialer.push_jobs j
    WHERE j.id = record_dial_session.job_id AND j.status = 'running' AND j.lease_owner = record_dial_session.worker
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT * INTO d FROM dialer.dial_sessions s
    WHERE s.job_id = job.id AND s.batch = record_dial_session.batch FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'launch job % has no batch %', job.id, record_dial_session.batch USING ERRCODE = '22023';
    END IF;
    IF d.status IN ('created', 'unknown', 'failed') THEN
        RAISE EXCEPTION 'batch % of launch job % is already %', d.batch, job.id, d.status USING ERRCODE = '55000';
    END IF;

    UPDATE dialer.dial_sessions s
    SET status = record_dial_session.status,
        phoneburner_dial_session_id = record_dial_session.phoneburner_dial_session_id,
        skipped_contact_count = record_dial_session.skipped_contact_count,
        login_link = record_dial_session.login_link,
        link_expires_at = CASE WHEN record_dial_session.login_link IS NOT NULL THEN now() + interval '5 minutes' END,
        error = record_dial_session.error, updated_at = now()
    WHERE s.job_id = d.job_id AND s.batch = d.batch;

    IF record_dial_session.status IN ('created', 'unknown', 'failed') THEN
        -- PhoneBurner keeps the first contacts and skips the tail (never with
        -- batches of 500, but its count is what the rep sees).
        UPDATE dialer.push_items i
        SET status = CASE
                WHEN record_dial_session.status <> 'created' THEN record_dial_session.status
                WHEN i.list_position > d.last_position - coalesce(record_dial_session.skipped_contact_count, 0)
                    THEN 'skipped'
                ELSE 'created' END,
            error = CASE
                WHEN record_dial_session.status <> 'created' THEN record_dial_session.error
                WHEN i.list_position > d.last_position - coalesce(record_dial_session.skipped_contact_count, 0)
                    THEN 'PhoneBurner skipped it (dial session full)' END,
            attempts = i.attempts + 1, updated_at = now()
        WHERE i.job_id = job.id AND i.list_position BETWEEN d.first_position AND d.last_position;
        SELECT count(*) INTO closed FROM dialer.push_items i
        WHERE i.job_id = job.id AND i.list_position BETWEEN d.first_position AND d.last_position
          AND i.status IN ('created', 'skipped', 'failed');
        UPDATE dialer.push_jobs j SET done = j.done + closed WHERE j.id = job.id;
        PERFORM dialer._notify_progress(job.id);
    END IF;
    RETURN true;
END
$$;

-- ===========================================================================
-- Call outcomes: what reps do in PhoneBurner, back in PostgreSQL
--
-- pgdialer-sync receives PhoneBurner's webhooks (callbegin, calldone,
-- contact displayed), normalizes them and calls dialer.record_call_event
-- once per delivery. From there:
--   dialer.webhook_events   every accepted delivery, once (idempotency key)
--   dialer.call_activity    one row per call, filled by whichever event comes
--   dialer.disposition_map  PhoneBurner's disposition text -> our outcome
--   write-back hook         the call's effects on the contact (last attempt,
--                           outcome, wrong number, do not call), through one
--                           function the installer points at the app's table
--   dialer.suppressions     numbers that asked not to be called
-- and, for the app's session pages: session management functions and the
-- dashboard views session_stats, session_contacts, session_activity.
--
-- None of these tables references dialer.sessions with a foreign key: calls
-- and audit rows outlive a session's deletion (only sessions without contacts,
-- jobs or calls can be deleted), and a TRUNCATE of the queue tables does not
-- cascade into the call history.
-- ===========================================================================

-- ---------------------------------------------------------------------------
-- Settings: added to the one-row dialer.configuration, so pg_dump keeps them.
-- ---------------------------------------------------------------------------

-- The write-back hook is stored as its signature text, e.g.
-- 'dialer.write_contact_state(text, jsonb)', and cast to regprocedure when
-- used: pg_upgrade refuses clusters with regprocedure columns in user tables
-- (their OIDs do not survive), so the column cannot be of that type.
-- NULL means the default, dialer.write_contact_state.
ALTER TABLE dialer.configuration
    ADD COLUMN writeback_hook text,
    ADD COLUMN session_idle_days integer NOT NULL DEFAULT 7 CHECK (session_idle_days BETWEEN 1 AND 365);

ALTER TABLE dialer.configuration ALTER COLUMN updated_by SET DEFAULT dialer.acting_user();

-- ---------------------------------------------------------------------------
-- Contact state: where the default write-back hook keeps a call's effects.
-- An app that cannot write its own contacts table from here joins this table
-- into the relation it gives dialer.configure, so the rules read the columns.
-- ---------------------------------------------------------------------------

CREATE TABLE dialer.contact_state (
    contact_id               text PRIMARY KEY,  -- the app's contact id, as text
    last_call_attempt_at     timestamptz,
    last_contact_method      text,              -- 'call'
    last_contact_outcome     text,              -- an outcome of dialer.disposition_map
    phone_number_invalid     boolean,
    phone_invalid_reason     text,
    do_not_call              boolean,
    do_not_call_reason       text,
    do_not_call_source       text,              -- 'requested' when asked on a call
    phoneburner_contact_id   text,              -- written back after each push
    phoneburner_last_sync_at timestamptz,
    updated_at               timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.contact_state', '');

COMMENT ON TABLE dialer.contact_state IS
'What calls and pushes taught us about each contact, written by the default write-back hook dialer.write_contact_state. Join it into the contact relation so the rules read it.';

-- The default hook. Keys it does not know are ignored. The last_contact_*
-- keys travel with last_call_attempt_at and apply only when that attempt is
-- not older than the stored one: a late delivery of an older call never
-- overwrites the outcome of a newer one. The flags (invalid phone, do not
-- call) are set whenever given.
CREATE FUNCTION dialer.write_contact_state(contact_id text, changes jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    attempt timestamptz := (changes ->> 'last_call_attempt_at')::timestamptz;
BEGIN
    INSERT INTO dialer.contact_state AS s (contact_id) VALUES (write_contact_state.contact_id)
    ON CONFLICT ON CONSTRAINT contact_state_pkey DO NOTHING;
    UPDATE dialer.contact_state s
    SET last_call_attempt_at = CASE WHEN attempt IS NULL THEN s.last_call_attempt_at
                                    ELSE greatest(s.last_call_attempt_at, attempt) END,
        last_contact_method = CASE WHEN changes ? 'last_contact_method'
                                        AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                             OR attempt >= s.last_call_attempt_at)
                                   THEN changes ->> 'last_contact_method' ELSE s.last_contact_method END,
        last_contact_outcome = CASE WHEN changes ? 'last_contact_outcome'
                                         AND (attempt IS NULL OR s.last_call_attempt_at IS NULL
                                              OR attempt >= s.last_call_attempt_at)
                                    THEN changes ->> 'last_contact_outcome' ELSE s.last_contact_outcome END,
        phone_number_invalid = coalesce((changes ->> 'phone_number_invalid')::boolean, s.phone_number_invalid),
        phone_invalid_reason = CASE WHEN changes ? 'phone_invalid_reason'
                                    THEN changes ->> 'phone_invalid_reason' ELSE s.phone_invalid_reason END,
        do_not_call = coalesce((changes ->> 'do_not_call')::boolean, s.do_not_call),
        do_not_call_reason = CASE WHEN changes ? 'do_not_call_reason'
                                  THEN changes ->> 'do_not_call_reason' ELSE s.do_not_call_reason END,
        do_not_call_source = CASE WHEN changes ? 'do_not_call_source'
                                  THEN changes ->> 'do_not_call_source' ELSE s.do_not_call_source END,
        phoneburner_contact_id = coalesce(changes ->> 'phoneburner_contact_id', s.phoneburner_contact_id),
        phoneburner_last_sync_at = coalesce((changes ->> 'phoneburner_last_sync_at')::timestamptz,
                                            s.phoneburner_last_sync_at),
        updated_at = now()
    WHERE s.contact_id = write_contact_state.contact_id;
END
$$;

COMMENT ON FUNCTION dialer.write_contact_state(text, jsonb) IS
'The default write-back hook: upserts dialer.contact_state. last_contact_method/outcome apply only when last_call_attempt_at is not older than the stored one.';

-- Point the write-back at the app's own function. It must be
-- hook(contact_id text, changes jsonb) RETURNS void; NULL restores the default.
CREATE FUNCTION dialer.configure_writeback(hook regprocedure)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    fn        record;
    signature text;
BEGIN
    IF hook IS NOT NULL THEN
        SELECT p.proname, n.nspname,
               p.prokind = 'f' AND NOT p.proretset AND p.prorettype = 'void'::regtype AND p.pronargs = 2
               AND p.proargtypes[0] = 'text'::regtype AND p.proargtypes[1] = 'jsonb'::regtype AS fits
        INTO fn
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.oid = hook;
        IF NOT fn.fits THEN
            RAISE EXCEPTION 'write-back hook % has the wrong signature', hook
                USING ERRCODE = '22023',
                      HINT = 'It must be a function hook(contact_id text, changes jsonb) RETURNS void.';
        END IF;
        signature := format('%I.%I(text, jsonb)', fn.nspname, fn.proname);
    END IF;
    INSERT INTO dialer.configuration AS c (writeback_hook, updated_by)
    VALUES (signature, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET writeback_hook = excluded.writeback_hook, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure_writeback(regprocedure) IS
'Set the write-back hook, a function hook(contact_id text, changes jsonb) RETURNS void that applies calls'' and pushes'' effects to the app''s contacts; NULL means dialer.write_contact_state.';

-- The derived activity_status calls a session "paused" after this many days
-- without activity.
CREATE FUNCTION dialer.configure_session_idle_days(days integer)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF days IS NULL OR days NOT BETWEEN 1 AND 365 THEN
        RAISE EXCEPTION 'session idle days must be from 1 to 365, not %', coalesce(days::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.configuration AS c (session_idle_days, updated_by)
    VALUES (days, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET session_idle_days = excluded.session_idle_days, updated_at = now(), updated_by = excluded.updated_by;
END
$$;

COMMENT ON FUNCTION dialer.configure_session_idle_days(integer) IS
'After how many days without activity an active session shows as paused in activity_status (1..365, default 7).';

-- ---------------------------------------------------------------------------
-- Suppression list
--
-- Numbers nobody may call, whoever the contact row says they belong to: a
-- listed number makes every contact that has it (stored phone_e164, else the
-- parsed phone) do_not_call, never overridable, reason
-- 'On the suppression list (<source>)'. The rules load this table once per
-- statement, never per row, so a change counts from the next statement on.
-- Readers of dialer.exclusion, is_dialable, preview, classify_list and push
-- need SELECT on it.
-- ---------------------------------------------------------------------------

CREATE TABLE dialer.suppressions (
    phone_e164 text PRIMARY KEY CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    source     text NOT NULL CHECK (source IN ('requested', 'registry', 'internal')),
    reason     text,
    added_by   text NOT NULL DEFAULT dialer.acting_user(),  -- the agent, for a call
    added_at   timestamptz NOT NULL DEFAULT now(),
    call_id    text                                           -- the PhoneBurner call it came from
);
SELECT pg_catalog.pg_extension_config_dump('dialer.suppressions', '');

COMMENT ON TABLE dialer.suppressions IS
'Numbers (E.164) that must not be called: asked on a call (source requested), a registry listing, or internal policy.';

-- ---------------------------------------------------------------------------
-- Dispositions: PhoneBurner's disposition text is account-defined, so it is
-- mapped to a fixed set of outcomes that the stats and the write-back use.
-- ---------------------------------------------------------------------------

CREATE TABLE dialer.disposition_map (
    disposition     text NOT NULL CHECK (btrim(disposition) <> ''),  -- as PhoneBurner shows it
    disposition_key text GENERATED ALWAYS AS (lower(btrim(disposition))) STORED,
    outcome         text CHECK (outcome IN ('connected', 'interested', 'qualified', 'meeting_set',
                                            'disqualified', 'no_answer', 'voicemail', 'wrong_number',
                                            'do_not_call', 'callback')),
    -- Shipped with the extension. An admin's row for the same text takes
    -- precedence, so defaults are never edited in place: pg_dump keeps only
    -- the admin's rows, and CREATE EXTENSION brings the defaults back.
    is_default      boolean NOT NULL DEFAULT false,
    updated_by      text NOT NULL DEFAULT dialer.acting_user(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (disposition_key, is_default),
    CHECK (is_default <= (outcome IS NOT NULL))  -- a NULL outcome (ignore it) is an admin's choice
);
SELECT pg_catalog.pg_extension_config_dump('dialer.disposition_map', 'WHERE NOT is_default');

COMMENT ON TABLE dialer.disposition_map IS
'PhoneBurner disposition text (matched trimmed and case-insensitively) -> outcome. Admin rows (is_default false) override the shipped defaults; an admin row with a NULL outcome marks a disposition as deliberately unmapped.';

INSERT INTO dialer.disposition_map (disposition, outcome, is_default, updated_by) VALUES
    ('Connected',          'connected',    true, 'pgdialer'),
    ('Contacted',          'connected',    true, 'pgdialer'),
    ('Spoke With Contact', 'connected',    true, 'pgdialer'),
    ('Interested',         'interested',   true, 'pgdialer'),
    ('Send Info',          'interested',   true, 'pgdialer'),
    ('Qualified',          'qualified',    true, 'pgdialer'),
    ('Appointment',        'meeting_set',  true, 'pgdialer'),
    ('Appointment Set',    'meeting_set',  true, 'pgdialer'),
    ('Meeting Set',        'meeting_set',  true, 'pgdialer'),
    ('Meeting Scheduled',  'meeting_set',  true, 'pgdialer'),
    ('Not Interested',     'disqualified', true, 'pgdialer'),
    ('Not a Fit',          'disqualified', true, 'pgdialer'),
    ('Disqualified',       'disqualified', true, 'pgdialer'),
    ('No Answer',          'no_answer',    true, 'pgdialer'),
    ('Busy',               'no_answer',    true, 'pgdialer'),
    ('Hung Up',            'no_answer',    true, 'pgdialer'),
    ('Left Message',       'voicemail',    true, 'pgdialer'),
    ('Left Voicemail',     'voicemail',    true, 'pgdialer'),
    ('Voicemail',          'voicemail',    true, 'pgdialer'),
    ('Answering Machine',  'voicemail',    true, 'pgdialer'),
    ('Wrong Number',       'wrong_number', true, 'pgdialer'),
    ('Bad Number',         'wrong_number', true, 'pgdialer'),
    ('Disconnected Number','wrong_number', true, 'pgdialer'),
    ('Do Not Call',        'do_not_call',  true, 'pgdialer'),
    ('DNC',                'do_not_call',  true, 'pgdialer'),
    ('Call Back',          'callback',     true, 'pgdialer'),
    ('Callback',           'callback',     true, 'pgdialer'),
    ('Call Back Later',    'callback',     true, 'pgdialer');

-- Editing a default in place would be lost by a dump and restore: say how.
CREATE FUNCTION dialer._keep_default_dispositions()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'disposition "%" is a shipped default and is not changed in place', OLD.disposition
        USING ERRCODE = '55000',
              HINT = format('Add your own row, which takes precedence: SELECT dialer.map_disposition(%L, ''<outcome>'') (NULL to leave it unmapped).',
                            OLD.disposition);
END
$$;

CREATE TRIGGER disposition_map_keep_defaults
    BEFORE UPDATE OR DELETE ON dialer.disposition_map
    FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION dialer._keep_default_dispositions();

-- The outcome of a disposition text: the admin's row, else the default.
CREATE FUNCTION dialer.disposition_outcome(disposition text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT m.outcome FROM dialer.disposition_map m
    WHERE m.disposition_key = lower(btrim(disposition_outcome.disposition))
    ORDER BY m.is_default
    LIMIT 1
$$;

COMMENT ON FUNCTION dialer.disposition_outcome(text) IS
'The outcome a PhoneBurner disposition text maps to (trimmed, case-insensitive; an admin''s row before the default), NULL when unmapped.';

-- Did a call reach someone? PhoneBurner's `connected` flag when it sent one,
-- else what the outcome implies (a conversation happened).
CREATE FUNCTION dialer.call_connected(connected boolean, outcome text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(connected, outcome IN ('connected', 'interested', 'qualified', 'meeting_set',
                                           'disqualified', 'wrong_number', 'do_not_call', 'callback'), false)
$$;

-- ---------------------------------------------------------------------------
-- Webhook deliveries and calls
-- ---------------------------------------------------------------------------

CREATE TABLE dialer.webhook_events (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key        text NOT NULL UNIQUE,  -- event:call_id, or displayed:ds_id:contact
    event                  text NOT NULL,         -- api_calldone | api_callbegin | api_contact_displayed
    source                 text NOT NULL,         -- account | session
    received_at            timestamptz NOT NULL,  -- the daemon's clock (kept on journal replay)
    recorded_at            timestamptz NOT NULL DEFAULT now(),
    call_id                text,
    session_id             bigint,                -- resolved (no foreign key: see above)
    contact_id             text,                  -- resolved; NULL = unmatched
    result                 text NOT NULL CHECK (result IN ('recorded', 'unmatched')),
    writeback_error        text,                  -- the first hook failure (all in writeback_failures)
    payload                jsonb NOT NULL         -- the normalized event, with `raw` as received
);
SELECT pg_catalog.pg_extension_config_dump('dialer.webhook_events', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.webhook_events', 'id'), '');
CREATE INDEX webhook_events_unmatched ON dialer.webhook_events (received_at) WHERE result = 'unmatched';
CREATE INDEX webhook_events_by_call ON dialer.webhook_events (call_id);

COMMENT ON TABLE dialer.webhook_events IS
'Every accepted PhoneBurner webhook delivery, once: duplicates are recognized by idempotency_key. result unmatched = no contact could be found (for review).';

CREATE TABLE dialer.call_activity (
    call_id                text PRIMARY KEY,      -- PhoneBurner's, unique per call
    session_id             bigint,                -- ours
    dial_session_id        text,                  -- PhoneBurner's ds_id (NULL when dialed from a folder)
    contact_id             text,                  -- ours; NULL while unmatched
    phoneburner_contact_id text,
    agent_name             text,
    agent_id               text,
    phone                  text,                  -- the number dialed, as PhoneBurner sent it
    started_at             timestamptz,           -- start_time read in the event's time_zone
    ended_at               timestamptz,
    duration_seconds       integer CHECK (duration_seconds >= 0),
    connected              boolean,               -- as PhoneBurner reported it
    disposition            text,                  -- PhoneBurner's text
    outcome                text,                  -- dialer.disposition_outcome(disposition)
    notes                  text,
    recording_url          text,
    began_received_at      timestamptz,           -- when its api_callbegin arrived
    done_received_at       timestamptz,           -- when its api_calldone arrived
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.call_activity', '');
CREATE INDEX call_activity_by_session ON dialer.call_activity (session_id, contact_id);
CREATE INDEX call_activity_by_contact ON dialer.call_activity (contact_id);
CREATE INDEX call_activity_by_disposition ON dialer.call_activity (lower(btrim(disposition)));

COMMENT ON TABLE dialer.call_activity IS
'One row per PhoneBurner call, filled by its api_callbegin and api_calldone in whichever order they arrive; calldone''s facts win.';

-- A hook call that failed. The event that caused it is kept either way; these
-- rows say what did not reach the contact, and dialer.retry_writebacks()
-- applies them once the hook is fixed.
CREATE TABLE dialer.writeback_failures (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id       text NOT NULL,
    changes          jsonb NOT NULL,
    hook             text NOT NULL,
    sqlstate         text NOT NULL,
    error            text NOT NULL,
    webhook_event_id bigint,           -- the delivery it came from, or
    push_job_id      bigint,           -- the push
    failed_at        timestamptz NOT NULL DEFAULT now(),
    attempts         integer NOT NULL DEFAULT 1,
    resolved_at      timestamptz,
    resolved_by      text
);
SELECT pg_catalog.pg_extension_config_dump('dialer.writeback_failures', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.writeback_failures', 'id'), '');
CREATE INDEX writeback_failures_open ON dialer.writeback_failures (id) WHERE resolved_at IS NULL;

COMMENT ON TABLE dialer.writeback_failures IS
'Write-back hook calls that raised an error; the event is recorded regardless. Fix the hook, then SELECT dialer.retry_writebacks().';

-- ---------------------------------------------------------------------------
-- The write-back
-- ---------------------------------------------------------------------------

-- Call the configured hook (errors propagate).
CREATE FUNCTION dialer._call_hook(contact_id text, changes jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    hook regprocedure := coalesce((SELECT c.writeback_hook FROM dialer.configuration c),
                                  'dialer.write_contact_state(text, jsonb)')::regprocedure;
    fn   record;
BEGIN
    SELECT n.nspname, p.proname INTO fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = hook;
    -- The argument types pick the (text, jsonb) overload.
    EXECUTE format('SELECT %I.%I($1, $2)', fn.nspname, fn.proname) USING contact_id, changes;
END
$$;

-- Call the hook, and if it fails keep the failure instead of losing the
-- event: a row in dialer.writeback_failures and a WARNING. Returns NULL on
-- success, else the error.
CREATE FUNCTION dialer._writeback(contact_id text, changes jsonb,
                                  webhook_event_id bigint DEFAULT NULL, push_job_id bigint DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    state text;
    msg   text;
    hook  text;
BEGIN
    BEGIN
        PERFORM dialer._call_hook(_writeback.contact_id, _writeback.changes);
        RETURN NULL;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    hook := coalesce((SELECT c.writeback_hook FROM dialer.configuration c), 'dialer.write_contact_state(text, jsonb)');
    INSERT INTO dialer.writeback_failures (contact_id, changes, hook, sqlstate, error, webhook_event_id, push_job_id)
    VALUES (_writeback.contact_id, _writeback.changes, hook, state, msg,
            _writeback.webhook_event_id, _writeback.push_job_id);
    RAISE WARNING 'write-back hook % failed for contact %: % (SQLSTATE %)', hook, _writeback.contact_id, msg, state
        USING HINT = 'Kept in dialer.writeback_failures; fix the hook, then SELECT dialer.retry_writebacks().';
    RETURN format('%s (SQLSTATE %s)', msg, state);
END
$$;

CREATE FUNCTION dialer.retry_writebacks()
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    f     dialer.writeback_failures;
    done  integer := 0;
    state text;
    msg   text;
BEGIN
    FOR f IN SELECT * FROM dialer.writeback_failures w WHERE w.resolved_at IS NULL ORDER BY w.id FOR UPDATE LOOP
        BEGIN
            PERFORM dialer._call_hook(f.contact_id, f.changes);
            UPDATE dialer.writeback_failures w
            SET resolved_at = now(), resolved_by = dialer.acting_user(), attempts = w.attempts + 1
            WHERE w.id = f.id;
            done := done + 1;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            UPDATE dialer.writeback_failures w
            SET attempts = w.attempts + 1, sqlstate = state, error = msg WHERE w.id = f.id;
        END;
    END LOOP;
    RETURN done;
END
$$;

COMMENT ON FUNCTION dialer.retry_writebacks() IS
'Apply the write-back hook again to every unresolved dialer.writeback_failures row, oldest first; returns how many now succeeded. Changes carry their call time, so a late retry does not overwrite a newer outcome (with the default hook).';

-- The other contacts of the configured contact relation with this number:
-- by the phone_e164 column when the relation has one (indexable), else by
-- normalizing phone. Empty when no relation is configured.
CREATE FUNCTION dialer._contacts_with_number(phone_e164 text, except_contact text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    relation regclass := (SELECT c.contact_relation FROM dialer.configuration c);
    has_e164 boolean;
BEGIN
    IF relation IS NULL OR phone_e164 IS NULL THEN
        RETURN;
    END IF;
    has_e164 := EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = relation AND a.attname = 'phone_e164' AND NOT a.attisdropped);
    IF NOT has_e164 AND NOT EXISTS (SELECT FROM pg_attribute a
                                    WHERE a.attrelid = relation AND a.attname = 'phone' AND NOT a.attisdropped) THEN
        RETURN;  -- a relation without numbers shares none
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT DISTINCT c.id::text FROM %s c WHERE %s = $1 AND c.id::text IS DISTINCT FROM $2 ORDER BY 1',
        relation, CASE WHEN has_e164 THEN 'c.phone_e164::text' ELSE 'dialer.e164(c.phone::text)' END)
    USING phone_e164, except_contact;
END
$$;

-- What a call does to contacts, through the hook. Every call with a known
-- contact: last_call_attempt_at, last_contact_method 'call', and the outcome
-- when it maps to one. wrong_number flags the phone invalid and do_not_call
-- sets DNC (source requested) and suppresses the number, for the contact
-- called and for every other contact with that number. Returns the first
-- hook error, or NULL.
CREATE FUNCTION dialer._apply_call_effects(the_call dialer.call_activity, webhook_event_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    changes jsonb;
    shared  jsonb;
    number  text;
    other   text;
    agent   text := coalesce(the_call.agent_name, the_call.agent_id, 'an agent');
    err     text;
    first_error text;
BEGIN
    IF the_call.contact_id IS NULL THEN
        RETURN NULL;
    END IF;
    changes := jsonb_strip_nulls(jsonb_build_object(
        'last_call_attempt_at', coalesce(the_call.started_at, the_call.ended_at, the_call.created_at),
        'last_contact_method', 'call',
        'last_contact_outcome', the_call.outcome));

    IF the_call.outcome IN ('wrong_number', 'do_not_call') THEN
        -- The number dialed, else the one we pushed for this contact.
        number := dialer.e164(coalesce(the_call.phone, (
            SELECT i.payload ->> 'phone' FROM dialer.push_items i
            WHERE i.contact_id = the_call.contact_id ORDER BY i.updated_at DESC, i.job_id DESC LIMIT 1)));
    END IF;
    IF the_call.outcome = 'wrong_number' THEN
        changes := changes || jsonb_build_object(
            'phone_number_invalid', true,
            'phone_invalid_reason', format('Wrong number ("%s" on PhoneBurner call %s)', the_call.disposition, the_call.call_id));
        shared := jsonb_build_object(
            'phone_number_invalid', true,
            'phone_invalid_reason', format('Wrong number (reported on a call to contact %s, PhoneBurner call %s)',
                                           the_call.contact_id, the_call.call_id));
    ELSIF the_call.outcome = 'do_not_call' THEN
        changes := changes || jsonb_build_object(
            'do_not_call', true, 'do_not_call_source', 'requested',
            'do_not_call_reason', format('Asked not to be called (PhoneBurner call %s, %s)', the_call.call_id, agent));
        shared := jsonb_build_object(
            'do_not_call', true, 'do_not_call_source', 'requested',
            'do_not_call_reason', format('Number asked not to be called (contact %s, PhoneBurner call %s)',
                                         the_call.contact_id, the_call.call_id));
        IF number IS NOT NULL THEN
            INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by, added_at, call_id)
            VALUES (number, 'requested',
                    format('Asked not to be called on PhoneBurner call %s (contact %s)', the_call.call_id, the_call.contact_id),
                    agent, coalesce(the_call.ended_at, the_call.started_at, now()), the_call.call_id)
            ON CONFLICT (phone_e164) DO NOTHING;  -- the first request stays on record
        END IF;
    END IF;

    first_error := dialer._writeback(the_call.contact_id, changes, webhook_event_id);
    IF shared IS NOT NULL THEN
        FOR other IN SELECT * FROM dialer._contacts_with_number(number, the_call.contact_id) LOOP
            err := dialer._writeback(other, shared, webhook_event_id);
            first_error := coalesce(first_error, err);
        END LOOP;
    END IF;
    RETURN first_error;
END
$$;

-- ---------------------------------------------------------------------------
-- dialer.record_call_event: the daemon's one entry point for webhooks
-- ---------------------------------------------------------------------------

-- A key of the normalized event, checked: absent and JSON null read as NULL,
-- blank strings too; any other type than the allowed ones is 22023.
CREATE FUNCTION dialer._event_value(event jsonb, key text, allowed text[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v jsonb := event -> key;
BEGIN
    IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(v) <> ALL (allowed) THEN
        RAISE EXCEPTION 'call event: "%" must be %, not %', key, array_to_string(allowed, ' or '), jsonb_typeof(v)
            USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(v) = 'string' AND btrim(v #>> '{}') = '' THEN
        RETURN NULL;
    END IF;
    RETURN v;
END
$$;

CREATE FUNCTION dialer._event_text(event jsonb, key text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT btrim(dialer._event_value(event, key, '{string}') #>> '{}') $$;

-- Ids may come as strings or numbers.
CREATE FUNCTION dialer._event_id(event jsonb, key text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT btrim(dialer._event_value(event, key, '{string,number}') #>> '{}') $$;

-- start_time / end_time: 'YYYY-MM-DD HH:MM:SS' without a zone, read in zone.
-- PhoneBurner's zero date means none.
CREATE FUNCTION dialer._event_time(event jsonb, key text, zone text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v text := dialer._event_text(event, key);
    t timestamp;
BEGIN
    IF v IS NULL OR v LIKE '0000-00-00%' THEN
        RETURN NULL;
    END IF;
    IF v !~ '^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$' THEN
        RAISE EXCEPTION 'call event: "%" must be YYYY-MM-DD HH:MM:SS without a zone, not "%"', key, v
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        t := v::timestamp;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
        RAISE EXCEPTION 'call event: "%" is not a valid time: "%"', key, v USING ERRCODE = '22023';
    END;
    IF zone IS NULL THEN
        RAISE EXCEPTION 'call event: "%" needs "time_zone"', key USING ERRCODE = '22023';
    END IF;
    RETURN t AT TIME ZONE zone;
END
$$;

CREATE FUNCTION dialer.record_call_event(event jsonb)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    kind          text;
    source        text;
    received      timestamptz;
    zone          text;
    pb_call_id    text;
    ds_id         text;
    pb_contact    text;
    lead_id       text;
    sourceco_id   text;
    folder_id     text;
    custom_data   jsonb;
    given         text;
    given_session bigint;
    custom_session bigint;
    agent_name    text;
    agent_id      text;
    started       timestamptz;
    ended         timestamptz;
    duration      numeric;
    connected     boolean;
    disposition   text;
    outcome       text;
    key           text;
    event_id      bigint;
    contact       text;
    session       bigint;
    before        dialer.call_activity;
    after         dialer.call_activity;
    err           text;
    done_event    boolean;
    activity_at   timestamptz;
BEGIN
    -- 1. Shape. Anything not of the contract's shape is 22023: the daemon
    --    counts it as rejected and sets it aside instead of retrying.
    IF event IS NULL OR jsonb_typeof(event) <> 'object' THEN
        RAISE EXCEPTION 'call event must be a JSON object' USING ERRCODE = '22023';
    END IF;
    kind := dialer._event_text(event, 'event');
    IF kind IS NULL OR kind NOT IN ('api_calldone', 'api_callbegin', 'api_contact_displayed') THEN
        RAISE EXCEPTION 'call event: "event" must be api_calldone, api_callbegin or api_contact_displayed, not %',
            coalesce('"' || kind || '"', 'missing') USING ERRCODE = '22023';
    END IF;
    source := dialer._event_text(event, 'source');
    IF source IS NULL OR source NOT IN ('account', 'session') THEN
        RAISE EXCEPTION 'call event: "source" must be account or session, not %', coalesce('"' || source || '"', 'missing')
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        received := dialer._event_text(event, 'received_at')::timestamptz;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR invalid_parameter_value THEN
        RAISE EXCEPTION 'call event: "received_at" is not a timestamp: "%"', event ->> 'received_at'
            USING ERRCODE = '22023';
    END;
    IF received IS NULL THEN
        RAISE EXCEPTION 'call event: "received_at" is missing' USING ERRCODE = '22023';
    END IF;
    zone := dialer._event_text(event, 'time_zone');
    BEGIN
        PERFORM now() AT TIME ZONE zone;
    EXCEPTION WHEN invalid_parameter_value THEN
        RAISE EXCEPTION 'call event: unknown "time_zone" "%"', zone USING ERRCODE = '22023';
    END;
    given := dialer._event_value(event, 'session_id', '{number}') #>> '{}';
    IF given !~ '^[0-9]{1,18}$' THEN
        RAISE EXCEPTION 'call event: "session_id" must be a positive whole number, not %', given
            USING ERRCODE = '22023';
    END IF;
    given_session := given::bigint;
    IF source = 'session' AND given_session IS NULL THEN
        RAISE EXCEPTION 'call event: a session callback needs "session_id"' USING ERRCODE = '22023';
    END IF;
    pb_call_id := dialer._event_id(event, 'call_id');
    ds_id := dialer._event_id(event, 'dial_session_id');
    pb_contact := dialer._event_id(event, 'phoneburner_contact_id');
    lead_id := dialer._event_id(event, 'lead_id');
    sourceco_id := dialer._event_id(event, 'sourceco_contact_id');
    folder_id := dialer._event_id(event, 'folder_id');
    agent_id := dialer._event_id(event, 'agent_id');
    agent_name := dialer._event_text(event, 'agent_name');
    custom_data := dialer._event_value(event, 'custom_data', '{object}');
    IF (custom_data ->> 'pgdialer_session_id') ~ '^\s*[0-9]{1,18}\s*$' THEN
        custom_session := (custom_data ->> 'pgdialer_session_id')::bigint;
    END IF;
    started := dialer._event_time(event, 'start_time', zone);
    ended := dialer._event_time(event, 'end_time', zone);
    duration := (dialer._event_value(event, 'duration_seconds', '{number}') #>> '{}')::numeric;
    IF duration < 0 OR duration > 2147483647 THEN
        RAISE EXCEPTION 'call event: "duration_seconds" out of range: %', duration USING ERRCODE = '22023';
    END IF;
    connected := (dialer._event_value(event, 'connected', '{boolean}') #>> '{}')::boolean;
    disposition := dialer._event_text(event, 'disposition');
    PERFORM dialer._event_value(event, 'notes', '{string}'), dialer._event_value(event, 'recording_url', '{string}'),
            dialer._event_value(event, 'phone', '{string}'), dialer._event_value(event, 'raw', '{object}');

    -- 2. Idempotency: a key seen before changes nothing.
    IF kind = 'api_contact_displayed' THEN
        IF ds_id IS NULL OR coalesce(pb_contact, lead_id) IS NULL THEN
            RAISE EXCEPTION 'call event: api_contact_displayed needs "dial_session_id" and "phoneburner_contact_id" or "lead_id"'
                USING ERRCODE = '22023';
        END IF;
        key := 'api_contact_displayed:' || ds_id || ':' || coalesce(pb_contact, lead_id);
    ELSE
        IF pb_call_id IS NULL THEN
            RAISE EXCEPTION 'call event: % needs "call_id"', kind USING ERRCODE = '22023';
        END IF;
        key := kind || ':' || pb_call_id;
    END IF;
    INSERT INTO dialer.webhook_events (idempotency_key, event, source, received_at, call_id, result, payload)
    VALUES (key, kind, source, received, pb_call_id, 'unmatched', event)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO event_id;
    IF event_id IS NULL THEN
        RETURN 'duplicate';
    END IF;

    -- 3. Our contact: lead_id, the sourceco_contact_id custom field, the
    --    PhoneBurner contact's link, or the call's other event.
    SELECT * INTO before FROM dialer.call_activity c WHERE c.call_id = pb_call_id FOR UPDATE;
    contact := coalesce(lead_id, sourceco_id,
                        (SELECT l.contact_id FROM dialer.contact_links l WHERE l.phoneburner_contact_id = pb_contact
                         ORDER BY l.last_synced_at DESC, l.session_id DESC LIMIT 1),
                        before.contact_id);

    -- 4. Our session: from the callback URL, our custom_data, the folder,
    --    the PhoneBurner contact's link, or the call's other event.
    SELECT s.id INTO session FROM dialer.sessions s WHERE s.id = given_session;
    IF session IS NULL THEN
        SELECT s.id INTO session FROM dialer.sessions s WHERE s.id = custom_session;
    END IF;
    IF session IS NULL AND folder_id IS NOT NULL THEN
        SELECT s.id INTO session FROM dialer.sessions s WHERE s.phoneburner_folder_id = folder_id;
    END IF;
    IF session IS NULL AND pb_contact IS NOT NULL THEN
        SELECT l.session_id INTO session FROM dialer.contact_links l WHERE l.phoneburner_contact_id = pb_contact
        ORDER BY l.last_synced_at DESC, l.session_id DESC LIMIT 1;
    END IF;
    session := coalesce(session, before.session_id);

    -- 5. The call's row. api_calldone's facts win; api_callbegin only fills
    --    what calldone left empty, so arrival order does not matter.
    IF kind <> 'api_contact_displayed' THEN
        done_event := kind = 'api_calldone';
        outcome := dialer.disposition_outcome(disposition);
        INSERT INTO dialer.call_activity AS c (
            call_id, session_id, dial_session_id, contact_id, phoneburner_contact_id, agent_name, agent_id,
            phone, started_at, ended_at, duration_seconds, connected, disposition, outcome, notes,
            recording_url, began_received_at, done_received_at)
        VALUES (pb_call_id, session, ds_id, contact, pb_contact, agent_name, agent_id,
                dialer._event_text(event, 'phone'), started, ended, round(duration)::integer, connected,
                disposition, outcome, dialer._event_value(event, 'notes', '{string}') #>> '{}',
                dialer._event_text(event, 'recording_url'),
                CASE WHEN NOT done_event THEN received END, CASE WHEN done_event THEN received END)
        ON CONFLICT (call_id) DO UPDATE SET
            session_id = CASE WHEN done_event THEN coalesce(excluded.session_id, c.session_id)
                              ELSE coalesce(c.session_id, excluded.session_id) END,
            dial_session_id = CASE WHEN done_event THEN coalesce(excluded.dial_session_id, c.dial_session_id)
                                   ELSE coalesce(c.dial_session_id, excluded.dial_session_id) END,
            contact_id = CASE WHEN done_event THEN coalesce(excluded.contact_id, c.contact_id)
                              ELSE coalesce(c.contact_id, excluded.contact_id) END,
            phoneburner_contact_id = CASE WHEN done_event THEN coalesce(excluded.phoneburner_contact_id, c.phoneburner_contact_id)
                                          ELSE coalesce(c.phoneburner_contact_id, excluded.phoneburner_contact_id) END,
            agent_name = CASE WHEN done_event THEN coalesce(excluded.agent_name, c.agent_name)
                              ELSE coalesce(c.agent_name, excluded.agent_name) END,
            agent_id = CASE WHEN done_event THEN coalesce(excluded.agent_id, c.agent_id)
                            ELSE coalesce(c.agent_id, excluded.agent_id) END,
            phone = CASE WHEN done_event THEN coalesce(excluded.phone, c.phone)
                         ELSE coalesce(c.phone, excluded.phone) END,
            started_at = CASE WHEN done_event THEN coalesce(excluded.started_at, c.started_at)
                              ELSE coalesce(c.started_at, excluded.started_at) END,
            ended_at = CASE WHEN done_event THEN coalesce(excluded.ended_at, c.ended_at)
                            ELSE coalesce(c.ended_at, excluded.ended_at) END,
            duration_seconds = CASE WHEN done_event THEN coalesce(excluded.duration_seconds, c.duration_seconds)
                                    ELSE coalesce(c.duration_seconds, excluded.duration_seconds) END,
            connected = CASE WHEN done_event THEN coalesce(excluded.connected, c.connected)
                             ELSE coalesce(c.connected, excluded.connected) END,
            disposition = CASE WHEN done_event THEN coalesce(excluded.disposition, c.disposition)
                               ELSE coalesce(c.disposition, excluded.disposition) END,
            outcome = CASE WHEN done_event THEN coalesce(excluded.outcome, c.outcome)
                           ELSE coalesce(c.outcome, excluded.outcome) END,
            notes = CASE WHEN done_event THEN coalesce(excluded.notes, c.notes)
                         ELSE coalesce(c.notes, excluded.notes) END,
            recording_url = CASE WHEN done_event THEN coalesce(excluded.recording_url, c.recording_url)
                                 ELSE coalesce(c.recording_url, excluded.recording_url) END,
            began_received_at = coalesce(c.began_received_at, excluded.began_received_at),
            done_received_at = coalesce(c.done_received_at, excluded.done_received_at),
            updated_at = now()
        RETURNING c.* INTO after;
        contact := after.contact_id;
        session := after.session_id;

        -- 6. Effects on the contact, when this event changed what they
        --    depend on (the other event of the call may have applied them).
        IF after.contact_id IS NOT NULL AND (before.call_id IS NULL
               OR (before.contact_id, before.outcome, before.started_at, before.ended_at, before.phone)
                  IS DISTINCT FROM (after.contact_id, after.outcome, after.started_at, after.ended_at, after.phone)) THEN
            err := dialer._apply_call_effects(after, event_id);
        END IF;

        -- 7. The session's last activity, and whose: never moved back by a
        --    late delivery of an earlier call.
        activity_at := coalesce(after.ended_at, after.started_at, received);
        UPDATE dialer.sessions s
        SET last_activity_at = activity_at,
            last_activity_by = coalesce(after.agent_name, after.agent_id, s.last_activity_by)
        WHERE s.id = session AND (s.last_activity_at IS NULL OR s.last_activity_at <= activity_at);
    END IF;

    UPDATE dialer.webhook_events w
    SET session_id = session, contact_id = contact,
        result = CASE WHEN contact IS NULL THEN 'unmatched' ELSE 'recorded' END,
        writeback_error = err
    WHERE w.id = event_id;
    RETURN CASE WHEN contact IS NULL THEN 'unmatched' ELSE 'recorded' END;
END
$$;

COMMENT ON FUNCTION dialer.record_call_event(jsonb) IS
'pgdialer-sync: record one normalized PhoneBurner webhook delivery (see README). Returns recorded, duplicate (its idempotency key was seen; nothing changes) or unmatched (kept for review, no contact found). 22023 when the event is not of the normalized shape. Write-back hook failures do not lose the event: they are kept in dialer.writeback_failures.';

-- ---------------------------------------------------------------------------
-- Editing the disposition map: re-map the calls already recorded and apply
-- the effects that changed (a disposition newly mapped to do_not_call must
-- suppress the numbers of the calls that had it).
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.remap_dispositions(disposition text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    changed dialer.call_activity;
    n    integer := 0;
BEGIN
    FOR changed IN
        UPDATE dialer.call_activity c
        SET outcome = dialer.disposition_outcome(c.disposition), updated_at = now()
        WHERE c.disposition IS NOT NULL
          AND (remap_dispositions.disposition IS NULL
               OR lower(btrim(c.disposition)) = lower(btrim(remap_dispositions.disposition)))
          AND c.outcome IS DISTINCT FROM dialer.disposition_outcome(c.disposition)
        RETURNING c.*
    LOOP
        PERFORM dialer._apply_call_effects(changed, NULL);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

COMMENT ON FUNCTION dialer.remap_dispositions(text) IS
'After editing dialer.disposition_map by hand: give recorded calls (of one disposition text, or all) the outcome the map now says, and apply its effects to their contacts. Returns the number of calls whose outcome changed.';

CREATE FUNCTION dialer.map_disposition(disposition text, outcome text)
RETURNS integer
LANGUAGE plpgsql
AS $$
BEGIN
    IF disposition IS NULL OR btrim(disposition) = '' THEN
        RAISE EXCEPTION 'a disposition text is required' USING ERRCODE = '22023';
    END IF;
    IF outcome IS NOT NULL AND outcome NOT IN ('connected', 'interested', 'qualified', 'meeting_set', 'disqualified',
                                               'no_answer', 'voicemail', 'wrong_number', 'do_not_call', 'callback') THEN
        RAISE EXCEPTION 'unknown outcome "%"', outcome USING ERRCODE = '22023',
            HINT = 'Outcomes: connected, interested, qualified, meeting_set, disqualified, no_answer, voicemail, wrong_number, do_not_call, callback (NULL: leave unmapped).';
    END IF;
    INSERT INTO dialer.disposition_map AS m (disposition, outcome, updated_by)
    VALUES (btrim(map_disposition.disposition), map_disposition.outcome, dialer.acting_user())
    ON CONFLICT (disposition_key, is_default) DO UPDATE
        SET disposition = excluded.disposition, outcome = excluded.outcome,
            updated_by = excluded.updated_by, updated_at = now();
    RETURN dialer.remap_dispositions(map_disposition.disposition);
END
$$;

COMMENT ON FUNCTION dialer.map_disposition(text, text) IS
'Admin: map a PhoneBurner disposition text to an outcome (NULL: deliberately unmapped), overriding any default, and re-map the calls already recorded with it. Returns the number of calls whose outcome changed.';

CREATE VIEW dialer.unmapped_dispositions AS
SELECT min(btrim(c.disposition)) AS disposition,  -- one spelling of it
       count(*) AS calls,
       max(coalesce(c.ended_at, c.started_at, c.created_at)) AS last_seen
FROM dialer.call_activity c
WHERE c.disposition IS NOT NULL
  AND NOT EXISTS (SELECT FROM dialer.disposition_map m WHERE m.disposition_key = lower(btrim(c.disposition)))
GROUP BY lower(btrim(c.disposition))
ORDER BY calls DESC, disposition;

COMMENT ON VIEW dialer.unmapped_dispositions IS
'Disposition texts seen on calls that dialer.disposition_map does not know, most frequent first: map them with dialer.map_disposition.';

-- ---------------------------------------------------------------------------
-- Session management: the spec's "+ New Session" and a session's settings.
--
-- The stored status is what a rep set: active, paused, completed, archived.
--   pause     active -> paused
--   resume    paused or completed -> active
--   complete  active or paused -> completed
--   delete    a session without contacts, jobs or calls is deleted; any other
--             is archived (its history stays). Archived is final.
-- Asking for the state a session is already in changes nothing. Unknown
-- sessions are 22023 (as in dialer.push and dialer.launch), transitions out
-- of archived and from completed to paused are 55000.
-- ---------------------------------------------------------------------------

-- Who changed what, also after a session was deleted.
CREATE TABLE dialer.session_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id bigint NOT NULL,   -- no foreign key: deleted sessions keep their trail
    action     text NOT NULL CHECK (action IN ('created', 'renamed', 'paused', 'resumed', 'completed',
                                               'archived', 'deleted')),
    detail     jsonb,             -- e.g. {"from": "old name", "to": "new name"}
    acted_by   text NOT NULL DEFAULT dialer.acting_user(),
    acted_at   timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.session_changes', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.session_changes', 'id'), '');
CREATE INDEX session_changes_by_session ON dialer.session_changes (session_id, acted_at);

COMMENT ON TABLE dialer.session_changes IS
'Audit trail of session management: created (by dialer.create_session), renamed, paused, resumed, completed, archived, deleted; who and when.';

-- The session, locked, or 22023 naming the id.
CREATE FUNCTION dialer._lock_session(session_id bigint)
RETURNS dialer.sessions
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions;
BEGIN
    SELECT * INTO session FROM dialer.sessions s WHERE s.id = _lock_session.session_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'session % does not exist', coalesce(_lock_session.session_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN session;
END
$$;

CREATE FUNCTION dialer.create_session(name text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    actor text := dialer.acting_user();
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a session needs a name' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.sessions AS s (name, created_by, last_activity_at, last_activity_by)
    VALUES (btrim(create_session.name), actor, now(), actor)
    RETURNING s.id INTO id;
    INSERT INTO dialer.session_changes (session_id, action, detail, acted_by)
    VALUES (id, 'created', jsonb_build_object('name', btrim(create_session.name)), actor);
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_session(text) IS
'The spec''s "+ New Session": an empty active session to push contacts into later. Returns its id.';

CREATE FUNCTION dialer.rename_session(session_id bigint, name text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(rename_session.session_id);
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a session needs a name' USING ERRCODE = '22023';
    END IF;
    IF session.status = 'archived' THEN
        RAISE EXCEPTION 'session % is archived; it cannot be renamed', session.id USING ERRCODE = '55000';
    END IF;
    IF session.name = btrim(rename_session.name) THEN
        RETURN;
    END IF;
    UPDATE dialer.sessions s SET name = btrim(rename_session.name) WHERE s.id = session.id;
    INSERT INTO dialer.session_changes (session_id, action, detail)
    VALUES (session.id, 'renamed', jsonb_build_object('from', session.name, 'to', btrim(rename_session.name)));
END
$$;

COMMENT ON FUNCTION dialer.rename_session(bigint, text) IS
'Rename a session (not an archived one). The PhoneBurner folder keeps its name.';

-- One stored-status transition, logged; the others are thin wrappers.
CREATE FUNCTION dialer._set_session_status(session_id bigint, target text, allowed_from text[], action text)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(_set_session_status.session_id);
BEGIN
    IF session.status = target THEN
        RETURN target;  -- already there: nothing to do
    END IF;
    IF session.status = 'completed' AND session.status <> ALL (allowed_from) THEN
        RAISE EXCEPTION 'session % is completed; it cannot be %', session.id, action
            USING ERRCODE = '55000', HINT = 'Resume it first (dialer.resume_session).';
    ELSIF session.status <> ALL (allowed_from) THEN
        RAISE EXCEPTION 'session % is %; it cannot be %', session.id, session.status, action
            USING ERRCODE = '55000';
    END IF;
    UPDATE dialer.sessions s SET status = target WHERE s.id = session.id;
    INSERT INTO dialer.session_changes (session_id, action, detail)
    VALUES (session.id, action, jsonb_build_object('from', session.status));
    RETURN target;
END
$$;

CREATE FUNCTION dialer.pause_session(session_id bigint)
RETURNS text
LANGUAGE sql
AS $$ SELECT dialer._set_session_status(session_id, 'paused', '{active}', 'paused') $$;

CREATE FUNCTION dialer.resume_session(session_id bigint)
RETURNS text
LANGUAGE sql
AS $$ SELECT dialer._set_session_status(session_id, 'active', '{paused,completed}', 'resumed') $$;

CREATE FUNCTION dialer.complete_session(session_id bigint)
RETURNS text
LANGUAGE sql
AS $$ SELECT dialer._set_session_status(session_id, 'completed', '{active,paused}', 'completed') $$;

COMMENT ON FUNCTION dialer.pause_session(bigint) IS 'active -> paused. Returns the status.';
COMMENT ON FUNCTION dialer.resume_session(bigint) IS 'paused or completed -> active. Returns the status.';
COMMENT ON FUNCTION dialer.complete_session(bigint) IS 'active or paused -> completed (no more contacts can be added). Returns the status.';

CREATE FUNCTION dialer.delete_session(session_id bigint)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    session dialer.sessions := dialer._lock_session(delete_session.session_id);
BEGIN
    IF session.status = 'archived' THEN
        RETURN 'archived';
    END IF;
    IF EXISTS (SELECT FROM dialer.push_jobs j WHERE j.session_id = session.id AND j.status IN ('queued', 'running')) THEN
        RAISE EXCEPTION 'session % has a push or launch in progress', session.id
            USING ERRCODE = '55000', HINT = 'Cancel it first (dialer.cancel) or wait for it to finish.';
    END IF;
    IF EXISTS (SELECT FROM dialer.contact_links l WHERE l.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.push_jobs j WHERE j.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.call_activity c WHERE c.session_id = session.id)
       OR EXISTS (SELECT FROM dialer.webhook_events w WHERE w.session_id = session.id) THEN
        -- It has a history: keep it, out of the way.
        UPDATE dialer.sessions s SET status = 'archived' WHERE s.id = session.id;
        INSERT INTO dialer.session_changes (session_id, action, detail)
        VALUES (session.id, 'archived', jsonb_build_object('from', session.status));
        RETURN 'archived';
    END IF;
    DELETE FROM dialer.sessions s WHERE s.id = session.id;
    INSERT INTO dialer.session_changes (session_id, action, detail)
    VALUES (session.id, 'deleted', jsonb_build_object('name', session.name, 'from', session.status));
    RETURN 'deleted';
END
$$;

COMMENT ON FUNCTION dialer.delete_session(bigint) IS
'Delete a session: one with contacts, jobs or calls is archived (returns ''archived''), an empty one is deleted (''deleted''). Refused (55000) while a push or launch is in progress. PhoneBurner''s folder is not touched.';

-- The derived activity_status the dashboard groups by: completed when every
-- contact was dialed, paused after dialer.configuration.session_idle_days
-- without activity, else the stored status.
CREATE FUNCTION dialer.activity_status(status text, total_contacts bigint, dialed bigint,
                                       last_activity_at timestamptz, as_of timestamptz DEFAULT now())
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN status <> 'active' THEN status
        WHEN total_contacts > 0 AND dialed >= total_contacts THEN 'completed'
        WHEN last_activity_at < as_of - make_interval(days => coalesce(
                 (SELECT c.session_idle_days FROM dialer.configuration c), 7)) THEN 'paused'
        ELSE 'active' END
$$;

COMMENT ON FUNCTION dialer.activity_status(text, bigint, bigint, timestamptz, timestamptz) IS
'A session''s derived status: its stored status unless active; an active one whose every contact was dialed is completed, one idle for session_idle_days (dialer.configure_session_idle_days) is paused.';

-- ---------------------------------------------------------------------------
-- Dashboard views. Names, company and phone come from the payload snapshot
-- of the contact's latest push into that session (no read of the app table).
-- Counting rules, in one place:
--   a session's contacts  its links (pushed into PhoneBurner) plus any contact
--                         a call of the session was matched to
--   dialed                contacts with at least one call
--   connected             contacts with a call that connected (PhoneBurner's
--                         flag, else an outcome that implies a conversation)
--   interested, qualified, meetings set, disqualified
--                         contacts with at least one call of that outcome
--   talk time             duration of the session's connected calls
--   dispositions          calls by disposition text
-- ---------------------------------------------------------------------------

CREATE VIEW dialer.session_contacts AS
SELECT m.session_id,
       m.contact_id,
       nullif(concat_ws(' ', p.payload ->> 'first_name', p.payload ->> 'last_name'), '') AS name,
       p.payload ->> 'first_name' AS first_name,
       p.payload ->> 'last_name' AS last_name,
       p.payload ->> 'company' AS company,
       p.payload ->> 'title' AS title,
       p.payload ->> 'phone' AS phone,
       p.payload ->> 'email' AS email,
       CASE WHEN k.attempts = 0 THEN 'pending'
            ELSE coalesce(latest.outcome,
                          CASE WHEN dialer.call_connected(latest.connected, NULL) THEN 'connected' ELSE 'dialed' END)
       END AS status,
       latest.call_at AS last_call_at,
       latest.disposition AS last_disposition,
       latest.outcome AS last_outcome,
       coalesce(latest.agent_name, latest.agent_id) AS last_agent,
       latest.notes AS last_notes,
       latest.recording_url AS last_recording_url,
       k.attempts,
       k.connected,
       k.talk_time_seconds,
       k.outcomes,
       m.phoneburner_contact_id,
       m.added_at
FROM (
    SELECT l.session_id, l.contact_id, l.phoneburner_contact_id, l.created_at AS added_at
    FROM dialer.contact_links l
    UNION ALL
    SELECT c.session_id, c.contact_id, max(c.phoneburner_contact_id), min(c.created_at)
    FROM dialer.call_activity c
    WHERE c.session_id IS NOT NULL AND c.contact_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM dialer.contact_links l
                      WHERE l.session_id = c.session_id AND l.contact_id = c.contact_id)
    GROUP BY c.session_id, c.contact_id
) m
LEFT JOIN LATERAL (
    SELECT i.payload
    FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = m.contact_id
    WHERE j.session_id = m.session_id
    ORDER BY j.id DESC
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT count(*)::integer AS attempts,
           coalesce(bool_or(dialer.call_connected(c.connected, c.outcome)), false) AS connected,
           coalesce(sum(c.duration_seconds) FILTER (WHERE dialer.call_connected(c.connected, c.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce(array_agg(DISTINCT c.outcome) FILTER (WHERE c.outcome IS NOT NULL), '{}') AS outcomes
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
) k ON true
LEFT JOIN LATERAL (
    SELECT c.*, coalesce(c.started_at, c.ended_at, c.created_at) AS call_at
    FROM dialer.call_activity c
    WHERE c.session_id = m.session_id AND c.contact_id = m.contact_id
    ORDER BY coalesce(c.started_at, c.ended_at, c.created_at) DESC, c.call_id DESC
    LIMIT 1
) latest ON true
ORDER BY m.session_id, k.attempts = 0, latest.call_at DESC, name, m.contact_id;

COMMENT ON VIEW dialer.session_contacts IS
'The Session Detail Page''s contact list: per session and contact, name, company, phone, status (pending, or the latest call''s outcome, else connected or dialed), last call, attempts, connected, talk time, outcomes seen. Called contacts first, most recent first.';

CREATE VIEW dialer.session_stats AS
SELECT s.id AS session_id,
       s.name,
       s.status,
       dialer.activity_status(s.status, sc.total_contacts, sc.dialed, s.last_activity_at) AS activity_status,
       sc.total_contacts,
       sc.dialed,
       sc.connected,
       sc.interested,
       sc.qualified,
       sc.meetings_set,
       sc.disqualified,
       CASE WHEN sc.dialed > 0 THEN round(100.0 * sc.connected / sc.dialed, 1) END AS connection_rate,
       calls.calls,
       calls.talk_time_seconds,
       make_interval(secs => calls.talk_time_seconds) AS talk_time,
       s.last_activity_at,
       s.last_activity_by,
       s.created_by,
       s.created_at,
       s.phoneburner_folder_id,
       calls.dispositions,
       calls.outcomes
FROM dialer.sessions s
CROSS JOIN LATERAL (
    SELECT count(*) AS total_contacts,
           count(*) FILTER (WHERE c.attempts > 0) AS dialed,
           count(*) FILTER (WHERE c.connected) AS connected,
           count(*) FILTER (WHERE 'interested' = ANY (c.outcomes)) AS interested,
           count(*) FILTER (WHERE 'qualified' = ANY (c.outcomes)) AS qualified,
           count(*) FILTER (WHERE 'meeting_set' = ANY (c.outcomes)) AS meetings_set,
           count(*) FILTER (WHERE 'disqualified' = ANY (c.outcomes)) AS disqualified
    FROM dialer.session_contacts c
    WHERE c.session_id = s.id
) sc
CROSS JOIN LATERAL (
    SELECT count(*) AS calls,
           coalesce(sum(a.duration_seconds) FILTER (WHERE dialer.call_connected(a.connected, a.outcome)), 0)::integer
               AS talk_time_seconds,
           coalesce((SELECT jsonb_object_agg(d.disposition, d.calls)
                     FROM (SELECT min(btrim(a2.disposition)) AS disposition, count(*) AS calls
                           FROM dialer.call_activity a2
                           WHERE a2.session_id = s.id AND a2.disposition IS NOT NULL
                           GROUP BY lower(btrim(a2.disposition))) d), '{}') AS dispositions,
           coalesce((SELECT jsonb_object_agg(o.outcome, o.calls)
                     FROM (SELECT a3.outcome, count(*) AS calls
                           FROM dialer.call_activity a3
                           WHERE a3.session_id = s.id AND a3.outcome IS NOT NULL
                           GROUP BY a3.outcome) o), '{}') AS outcomes
    FROM dialer.call_activity a
    WHERE a.session_id = s.id
) calls
ORDER BY s.last_activity_at DESC NULLS LAST, s.id DESC;

COMMENT ON VIEW dialer.session_stats IS
'The Session Tracking Dashboard and a session''s Performance panel: total contacts, dialed, connected, interested, qualified, meetings set, disqualified, connection rate (% of dialed), calls, talk time, last activity and by whom, stored status and derived activity_status, calls by disposition and by outcome. All sessions, archived included; most recently active first.';

CREATE VIEW dialer.session_activity AS
SELECT a.* FROM (
    SELECT c.session_id,
           coalesce(c.started_at, c.ended_at, c.created_at) AS occurred_at,
           'call'::text AS kind,
           coalesce(c.agent_name, c.agent_id) AS actor,
           format('%s called %s', coalesce(c.agent_name, c.agent_id, 'Someone'),
                  coalesce(p.name || coalesce(' (' || p.company || ')', ''),
                           'contact ' || c.contact_id, 'an unmatched contact')) AS description,
           concat_ws(' • ',
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) THEN 'Connected' ELSE 'Not connected' END,
                     CASE WHEN dialer.call_connected(c.connected, c.outcome) AND c.duration_seconds IS NOT NULL
                          THEN format('%s:%s talk time', c.duration_seconds / 60,
                                      lpad((c.duration_seconds % 60)::text, 2, '0')) END,
                     c.disposition) AS detail,
           c.contact_id,
           p.name AS contact_name,
           p.company,
           c.call_id,
           NULL::bigint AS job_id,
           dialer.call_connected(c.connected, c.outcome) AS connected,
           c.duration_seconds,
           c.disposition,
           c.outcome,
           c.notes,
           c.recording_url
    FROM dialer.call_activity c
    LEFT JOIN LATERAL (
        SELECT nullif(concat_ws(' ', i.payload ->> 'first_name', i.payload ->> 'last_name'), '') AS name,
               i.payload ->> 'company' AS company
        FROM dialer.push_jobs j JOIN dialer.push_items i ON i.job_id = j.id AND i.contact_id = c.contact_id
        WHERE j.session_id = c.session_id
        ORDER BY j.id DESC
        LIMIT 1
    ) p ON true
    WHERE c.session_id IS NOT NULL
    UNION ALL
    SELECT j.session_id, j.requested_at, j.kind, j.requested_by,
           format('%s %s %s contact%s', j.requested_by,
                  CASE j.kind WHEN 'push' THEN 'pushed' ELSE 'launched' END,
                  j.total, CASE WHEN j.total = 1 THEN '' ELSE 's' END),
           j.status || coalesce(': ' || j.error, ''),
           NULL, NULL, NULL, NULL, j.id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.push_jobs j
    UNION ALL
    SELECT s.id, s.created_at, 'session', s.created_by, format('%s created the session', s.created_by), s.name,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.sessions s
    UNION ALL
    SELECT g.session_id, g.acted_at, 'session', g.acted_by,
           format('%s %s the session', g.acted_by, g.action),
           CASE g.action WHEN 'renamed' THEN format('"%s" → "%s"', g.detail ->> 'from', g.detail ->> 'to') END,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM dialer.session_changes g
    WHERE g.action NOT IN ('created', 'deleted')  -- creation comes from the session row itself
) a
ORDER BY a.occurred_at DESC, a.kind, a.call_id DESC, a.job_id DESC;

COMMENT ON VIEW dialer.session_activity IS
'The Session Detail Page''s Recent Activity, newest first: calls (who called whom, connected, talk time, disposition, notes, recording), pushes and launches, and session changes, with a ready-made description and detail line.';

-- The spec's [Export] on the Session Detail Page, for
--   COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER)
CREATE FUNCTION dialer.session_export(session_id bigint)
RETURNS TABLE (contact_id text, first_name text, last_name text, company text, title text, phone text,
               email text, status text, last_call_at timestamptz, last_disposition text, last_outcome text,
               last_agent text, attempts integer, connected boolean, talk_time_seconds integer,
               last_notes text, last_recording_url text, phoneburner_contact_id text)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM dialer.sessions s WHERE s.id = session_export.session_id) THEN
        RAISE EXCEPTION 'session % does not exist', coalesce(session_export.session_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT c.contact_id, c.first_name, c.last_name, c.company, c.title, c.phone, c.email, c.status,
           c.last_call_at, c.last_disposition, c.last_outcome, c.last_agent, c.attempts, c.connected,
           c.talk_time_seconds, c.last_notes, c.last_recording_url, c.phoneburner_contact_id
    FROM dialer.session_contacts c
    WHERE c.session_id = session_export.session_id
    ORDER BY c.attempts = 0, c.last_call_at DESC, c.name, c.contact_id;  -- as on the page
END
$$;

COMMENT ON FUNCTION dialer.session_export(bigint) IS
'A session''s contacts as the Detail Page''s [Export] gives them, in its order: for COPY (SELECT * FROM dialer.session_export(42)) TO STDOUT (FORMAT csv, HEADER). 22023 for an unknown session.';
