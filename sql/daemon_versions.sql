-- The version handshake's database half: dialer.daemon_hello records each
-- daemon and answers the oldest daemon version the extension supports;
-- dialer.daemon_versions shows an admin which daemons work with the
-- extension installed now, both ways. The daemon's half (its range, exit 78)
-- is tested against the real binary in tests/integration/version_test.cpp.
\set VERBOSITY terse
CREATE ROLE versions_sync LOGIN IN ROLE dialer_sync;
CREATE ROLE versions_analyst LOGIN IN ROLE dialer_analyst;
CREATE ROLE versions_admin LOGIN IN ROLE dialer_admin;

-- Versions compare as numbers, part by part; anything else is refused.
SELECT dialer._version_number('1.10') > dialer._version_number('1.9') AS ten_after_nine,
       dialer._version_number('2.0') > dialer._version_number('1.99.99') AS major_first;
SELECT dialer._version_number('1.0-beta');
SELECT dialer._version_number('');
SELECT dialer.minimum_daemon_version();

-- Only the daemon's role says hello; it is recorded once per worker id.
SET SESSION AUTHORIZATION versions_analyst;
SELECT dialer.daemon_hello('1.0.0', 'host-a/1/x', '1.0', '2.0');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION versions_sync;
SELECT dialer.daemon_hello('1.0.0', 'host-a/1/x', '1.0', '2.0') AS minimum;
SELECT dialer.daemon_hello('1.0.0', 'host-a/1/x', '1.0', '2.0') AS minimum;  -- a reconnect
SELECT dialer.daemon_hello('0.9.0', 'host-b/7/y', '0.9', '1.0') AS minimum;  -- too old both ways
SELECT dialer.daemon_hello('1.2.0', 'host-c/9/z', '1.2', '2.0') AS minimum;  -- needs a newer extension
SELECT dialer.daemon_hello('1.0.x', 'host-d/1/q', '1.0', '2.0');
SELECT dialer.daemon_hello('1.0.0', '', '1.0', '2.0');
SELECT * FROM dialer.daemon_versions;  -- not the daemon's to read
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION versions_analyst;
SELECT * FROM dialer.daemon_versions;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION versions_admin;
SELECT worker_id, daemon_version, supported, extension_versions_supported, extension_version_seen,
       login_role, connections, last_seen_at >= first_seen_at AS seen_in_order
FROM dialer.daemon_versions ORDER BY worker_id;
RESET SESSION AUTHORIZATION;

-- No one writes the table directly.
SET SESSION AUTHORIZATION versions_sync;
DELETE FROM dialer.daemons_seen;
RESET SESSION AUTHORIZATION;

DELETE FROM dialer.daemons_seen;
DROP ROLE versions_sync, versions_analyst, versions_admin;
