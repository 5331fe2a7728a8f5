-- The version handshake between the extension and pgdialer-sync. Each side
-- knows which versions of the other it works with:
--   - the daemon knows the range of extension versions it supports, reads
--     pg_extension at start and after every reconnect, and exits 78 (a
--     configuration error: systemd does not restart it) on any other; it
--     tells daemon_hello that range, so the refusal is on record here too;
--   - the extension knows the oldest daemon it supports
--     (dialer.minimum_daemon_version()); dialer.daemon_hello records every
--     daemon that connects and tells it that minimum, so a daemon too old
--     for this schema refuses to run too, and an admin sees it in
--     dialer.daemon_versions even after it stopped.
--
-- Used by: the daemon (daemon_hello, once per connection); admins and
-- analysts read dialer.daemon_versions.

-- The oldest pgdialer-sync this version of the extension works with: the
-- first daemon that calls every daemon function the way this schema defines
-- them. Raise it when a daemon function's signature or meaning changes.
CREATE FUNCTION dialer.minimum_daemon_version()
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '1.0.0';

COMMENT ON FUNCTION dialer.minimum_daemon_version() IS
'The oldest pgdialer-sync version this extension version works with; an older daemon refuses to run.';

-- Dotted version strings compared as numbers: 1.10 is after 1.9. Anything
-- that is not digits and dots raises 22023 (a daemon sends its own version,
-- so that is a bug, not input to tolerate).
CREATE FUNCTION dialer._version_number(version text)
RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF version !~ '^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$' THEN
        RAISE EXCEPTION 'invalid version "%"', version
            USING ERRCODE = '22023', HINT = 'A version is numbers separated by dots, such as 1.0.0.';
    END IF;
    RETURN string_to_array(version, '.')::integer[];
END
$$;

-- One row per daemon (worker id) that connected: its version, what it
-- found, and when it was first and last seen. Kept after the daemon stops,
-- so a too-old daemon that refused to run is still visible.
CREATE TABLE dialer.daemons_seen (
    worker_id         text PRIMARY KEY,
    daemon_version    text NOT NULL,
    extension_version text NOT NULL,          -- what the daemon found installed
    supports_from     text NOT NULL,          -- the daemon's range of extension versions:
    supports_below    text NOT NULL,          --   from <= version < below
    login_role        text NOT NULL,          -- the role it connected as
    client_address    inet,                   -- NULL over a Unix socket
    first_seen_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    connections       bigint NOT NULL DEFAULT 1
);
SELECT pg_catalog.pg_extension_config_dump('dialer.daemons_seen', '');
CREATE INDEX daemons_seen_by_time ON dialer.daemons_seen (last_seen_at);

COMMENT ON TABLE dialer.daemons_seen IS
'Every pgdialer-sync process that connected (by worker id), with its version and when it was first and last seen; written by dialer.daemon_hello. Read it through dialer.daemon_versions.';

-- The daemon's first call on every connection. Records it and returns the
-- oldest daemon version this extension supports; the daemon compares and
-- refuses to run when it is older (or when this extension's version is
-- outside supports_from .. supports_below, which it checked already).
CREATE FUNCTION dialer.daemon_hello(daemon_version text, worker_id text, supports_from text,
                                    supports_below text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    installed text;
BEGIN
    PERFORM dialer._version_number(daemon_version), dialer._version_number(supports_from),
            dialer._version_number(supports_below);
    IF worker_id IS NULL OR worker_id = '' OR length(worker_id) > 200 THEN
        RAISE EXCEPTION 'a worker id is 1 to 200 characters'
            USING ERRCODE = '22023';
    END IF;
    SELECT e.extversion INTO installed FROM pg_catalog.pg_extension e WHERE e.extname = 'pgdialer';
    INSERT INTO dialer.daemons_seen AS d
           (worker_id, daemon_version, extension_version, supports_from, supports_below, login_role,
            client_address)
    VALUES (worker_id, daemon_version, installed, supports_from, supports_below, session_user,
            inet_client_addr())
    ON CONFLICT ON CONSTRAINT daemons_seen_pkey DO UPDATE
       SET daemon_version = EXCLUDED.daemon_version,
           extension_version = EXCLUDED.extension_version,
           supports_from = EXCLUDED.supports_from,
           supports_below = EXCLUDED.supports_below,
           login_role = EXCLUDED.login_role,
           client_address = EXCLUDED.client_address,
           last_seen_at = now(),
           connections = d.connections + 1;
    RETURN dialer.minimum_daemon_version();
END
$$;

COMMENT ON FUNCTION dialer.daemon_hello(text, text, text, text) IS
'The daemon''s handshake (once per connection): records its version and the extension versions it supports under its worker id, and returns dialer.minimum_daemon_version().';

-- What an admin reads: every daemon seen, newest first, and whether it works
-- with the extension installed now, both ways: the extension supports the
-- daemon (its version is at least the minimum) and the daemon supports the
-- extension (the installed version is inside the daemon's range).
CREATE VIEW dialer.daemon_versions AS
SELECT d.worker_id,
       d.daemon_version,
       dialer._version_number(d.daemon_version) >= dialer._version_number(dialer.minimum_daemon_version())
       AND dialer._version_number(e.extversion) >= dialer._version_number(d.supports_from)
       AND dialer._version_number(e.extversion) < dialer._version_number(d.supports_below)
           AS supported,
       d.supports_from || ' <= version < ' || d.supports_below AS extension_versions_supported,
       d.extension_version AS extension_version_seen,
       d.login_role,
       d.client_address,
       d.first_seen_at,
       d.last_seen_at,
       d.connections
  FROM dialer.daemons_seen d
 CROSS JOIN pg_catalog.pg_extension e
 WHERE e.extname = 'pgdialer'
 ORDER BY d.last_seen_at DESC, d.worker_id;

COMMENT ON VIEW dialer.daemon_versions IS
'Every pgdialer-sync seen, newest first: its version, whether it works with the extension installed now (supported = false: upgrade the daemon, or the extension, per docs), the extension versions it supports, the one it found, who it connected as, and when.';
