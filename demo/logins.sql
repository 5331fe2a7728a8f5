-- The demo's two logins, as a team's install has them (docs/sql-reference.md,
-- "Roles and privileges"); run by scripts/demo.sh as the superuser, after
-- demo/sourceco_load.sql:
--
--   pgdialer_demo_app   the web app: dialer_app, so it may act for any rep
--                       (SET LOCAL dialer.acting_user); reads the contacts
--                       its users build lists from
--   pgdialer_demo_sync  pgdialer-sync: dialer_sync and nothing else from
--                       pgdialer, plus what it touches in the CRM: it reads
--                       the contact relation (launch re-checks, shared
--                       numbers) and runs the write-back hook with its own
--                       rights, so it may update exactly the columns
--                       demo/writeback_hook.sql writes
--
-- Roles are cluster-wide: made once, kept by the demo cluster. The grants go
-- with schema sourceco, which demo/sourceco_load.sql drops and makes afresh.
SET client_min_messages = warning;
DO $$
DECLARE
    login text;
    member_of text;
BEGIN
    FOR login, member_of IN VALUES ('pgdialer_demo_app', 'dialer_app'), ('pgdialer_demo_sync', 'dialer_sync') LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', login, member_of);
        END IF;
    END LOOP;
END
$$;

GRANT USAGE ON SCHEMA sourceco TO pgdialer_demo_app, pgdialer_demo_sync;
GRANT SELECT ON sourceco.contacts TO pgdialer_demo_app, pgdialer_demo_sync;
GRANT UPDATE (last_call_attempt_at, last_contact_method, last_contact_outcome,
              phone_number_invalid, phone_invalid_reason,
              do_not_call, do_not_call_reason, do_not_call_source,
              last_disposition, next_action_type, next_action_date)
    ON sourceco.contacts TO pgdialer_demo_sync;
