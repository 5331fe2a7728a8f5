-- The demo's database: a fresh pgdialer and the SourceCo sample CRM (schema
-- sourceco, 12,000 contacts). Loaded by scripts/demo.sh, and by
-- scripts/check-doc-sql.sh for the SQL examples of the docs:
--
--   psql -v ON_ERROR_STOP=1 -f demo/sourceco_load.sql   (-v contacts=N for another size)
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS sourceco CASCADE;
DROP EXTENSION IF EXISTS pgdialer CASCADE;
CREATE EXTENSION pgdialer;
\ir sourceco_schema.sql
\ir sourceco_sample_data.sql
-- The team: two reps, each dialing from their own PhoneBurner account (the
-- daemon holds a credential of each name; docs/daemon.md).
DO $$
BEGIN
    PERFORM dialer.add_rep('sarah@sourceco.example', 'Sarah Johnson', 'sarah@sourceco.example', 'sarah');
    PERFORM dialer.add_rep('mike@sourceco.example', 'Mike Chen', 'mike@sourceco.example', 'mike');
END
$$;
