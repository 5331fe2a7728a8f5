-- Suppression list: numbers nobody may call, whoever the contact row says
-- they belong to. A listed number makes every contact that has it (stored
-- phone_e164, else the parsed phone) do_not_call, never overridable, reason
-- 'On the suppression list (<source>)'. The rules load this table once per
-- statement, never per row, so a change counts from the next statement on.
-- Readers of dialer.exclusion, is_dialable, preview, classify_list and push
-- need SELECT on it.
--
-- Used by: admins and the app (rows added by hand or from a registry); a
-- call whose outcome is do_not_call adds its number (12_call_outcomes.sql);
-- the rules read it.

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
