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
    phone_e164 text PRIMARY KEY,     -- E.164, as dialer.e164 gives it
    source     text NOT NULL,        -- 'requested' (a do-not-call disposition), 'registry', 'internal', ...
    reason     text,
    added_by   text NOT NULL,
    added_at   timestamptz NOT NULL DEFAULT now(),
    call_id    text                  -- the call whose disposition added it, if any
);
SELECT pg_catalog.pg_extension_config_dump('dialer.suppressions', '');

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
