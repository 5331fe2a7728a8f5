-- Settings: defaults, validation, and scope (session, role, database).
LOAD 'pgdialer';  -- settings exist once the library is loaded (docs/sql-reference.md: session_preload_libraries)
SHOW dialer.default_region;
SHOW dialer.min_days_between_calls;
SHOW dialer.minutes_per_contact;

SET dialer.default_region = 'ca';   -- stored canonical
SHOW dialer.default_region;
SET dialer.default_region = 'Narnia';
SET dialer.min_days_between_calls = 366;
SET dialer.min_days_between_calls = -1;
SET dialer.minutes_per_contact = 0;
SET dialer.minutes_per_contact = -2.5;
SET dialer.no_such_setting = 1;
RESET ALL;

-- Per role and per database.
CREATE ROLE settings_test_role;
ALTER ROLE settings_test_role SET dialer.min_days_between_calls = 14;
SELECT rolname, rolconfig FROM pg_roles WHERE rolname = 'settings_test_role';
ALTER ROLE settings_test_role SET dialer.default_region = 'XX';
DROP ROLE settings_test_role;

-- SET LOCAL is undone at the end of the transaction.
BEGIN;
SET LOCAL dialer.minutes_per_contact = 4;
SELECT dialer.dial_time(30) AS with_4_minutes;
COMMIT;
SELECT dialer.dial_time(30) AS with_default;

-- Per database, validated the same way.
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET dialer.default_region = %L', current_database(), 'gb');
END $$;
SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
WHERE d.datname = current_database() AND s.setrole = 0;
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I RESET dialer.default_region', current_database());
END $$;
