-- The push queue's tables: sessions, jobs, items, links, overrides and the
-- dial sessions of launches.
--
-- No role but the extension's owner writes these tables: reps and the app
-- go through dialer.push and friends, the daemon through its API
-- (90_privileges.sql). A push is enqueued in the caller's transaction (dialer.push, 07_push.sql)
-- and announced with NOTIFY dialer_push, delivered on commit. pgdialer-sync
-- claims jobs with FOR UPDATE SKIP LOCKED under a lease it renews; every
-- write it makes goes through its API (16_daemon_api_jobs.sql), which checks
-- that it still holds the lease. All tables are user data: pg_dump keeps
-- them (pg_extension_config_dump).
--
-- Used by: the functions of the other files (the app reads them through
-- dialer.push_status, dialer.sessions_overview and the dashboard views).

-- A durable dial session: ours, mapped to one PhoneBurner folder that reps
-- dial and that later pushes add to.
CREATE TABLE dialer.sessions (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                  text NOT NULL CHECK (btrim(name) <> ''),
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'paused', 'completed', 'archived')),
    phoneburner_folder_id text UNIQUE,   -- set by the daemon before the first contact write
    -- The spec's "Assigned To": the rep whose session it is (its creator,
    -- reassignable by admins). Only the owner or an admin changes it,
    -- pushes into it, launches it or reads its login links.
    owner                 text NOT NULL REFERENCES dialer.reps (name),
    -- The PhoneBurner account its folder lives in: the owner's credential
    -- when the folder was made. Later pushes and launches use it.
    phoneburner_credential text,
    created_by            text NOT NULL, -- dialer.acting_user()
    created_by_role       text NOT NULL DEFAULT session_user,
    created_at            timestamptz NOT NULL DEFAULT now(),
    contact_count         integer NOT NULL DEFAULT 0,  -- contacts linked in PhoneBurner
    last_activity_at      timestamptz,
    last_activity_by      text,
    -- What the session is for, given at creation; it becomes the PhoneBurner
    -- folder's description when the daemon creates the folder.
    description           text
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
    -- The PhoneBurner account the job writes to (the session's, else its
    -- owner's credential), fixed at enqueue; pgdialer-sync reads the
    -- credential of that name.
    phoneburner_credential text NOT NULL,
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
    -- Where the list came from, for the success metrics (25_metrics.sql):
    -- a query (manual), a template, a smart list, a saved list, a segment.
    list_source       text NOT NULL DEFAULT 'manual'
                      CHECK (list_source IN ('manual', 'template', 'smart_list', 'list', 'segment')),
    -- A push split by priority tier (split_by_tier): its tier, and the job
    -- dialer.push returned (the first tier's), shared by every tier's job.
    tier              integer CHECK (tier BETWEEN 1 AND 4),
    split_group       bigint REFERENCES dialer.push_jobs,
    -- The registry data the job was made with (32_registry_scrubs.sql): its
    -- date, and the warning given when it was stale or undated.
    registry_scrubbed_at timestamptz,
    registry_warning  text,
    CHECK ((status = 'running') = (lease_owner IS NOT NULL))
);
SELECT pg_catalog.pg_extension_config_dump('dialer.push_jobs', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.push_jobs', 'id'), '');
CREATE INDEX sessions_by_owner ON dialer.sessions (owner);
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

-- The audit trail of forced includes: who, when, why, and what was
-- overridden. Append-only, like dialer.audit_log (which also has a row per
-- push with overrides).
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
CREATE TRIGGER overrides_append_only BEFORE UPDATE OR DELETE ON dialer.overrides
    FOR EACH ROW EXECUTE FUNCTION dialer._refuse_change();
CREATE TRIGGER overrides_no_truncate BEFORE TRUNCATE ON dialer.overrides
    FOR EACH STATEMENT EXECUTE FUNCTION dialer._refuse_change();

-- PhoneBurner dial sessions are create-only, hold at most 500 contacts, take
-- tens of seconds to create and answer with a one-time login link. A launch
-- (08_launch.sql) is a job like a push (kind 'launch'); each batch of at
-- most 500 of its contacts becomes one dial session, a row here. A batch
-- request is never sent twice: one whose answer was lost is 'unknown' and
-- the rep is told.
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
