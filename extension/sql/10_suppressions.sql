-- Suppression list: numbers nobody may call, whoever the contact row says
-- they belong to. A listed number makes every contact that has it (stored
-- phone_e164, else the parsed phone) do_not_call, never overridable, reason
-- 'On the suppression list (<source>)'. The rules load this table once per
-- statement, never per row, so a change counts from the next statement on.
-- The rules read the numbers and their source through
-- dialer._suppressed_numbers(), with the extension owner's rights, so anyone
-- who may run them needs no grant on the table (a verdict tells whether a
-- number is listed anyway; the reason, who and which call are not shown).
--
-- Rows are added with dialer.add_suppression (reps, the app, admins) and
-- removed with dialer.remove_suppression (admins, with a reason); both are
-- audited. A call whose outcome is do_not_call adds its number
-- (12_call_outcomes.sql).
--
-- Used by: reps, the app and admins (add, remove); the rules.

CREATE TABLE dialer.suppressions (
    phone_e164 text PRIMARY KEY CHECK (phone_e164 ~ '^\+[1-9][0-9]{1,14}$'),
    source     text NOT NULL CHECK (source IN ('requested', 'registry', 'internal')),
    reason     text,
    added_by   text NOT NULL DEFAULT dialer.acting_user(),  -- the agent, for a call
    added_at   timestamptz NOT NULL DEFAULT now(),
    call_id    text,                                          -- the PhoneBurner call it came from
    -- For a registry listing: the date of the newest registry data that
    -- listed it (dialer.record_registry_scrub, 32_registry_scrubs.sql).
    registry_scrubbed_at timestamptz
);
SELECT pg_catalog.pg_extension_config_dump('dialer.suppressions', '');

COMMENT ON TABLE dialer.suppressions IS
'Numbers (E.164) that must not be called: asked on a call (source requested), a registry listing, or internal policy.';

-- The list as the rules load it (extension/src/suppression_cache.cpp).
CREATE FUNCTION dialer._suppressed_numbers(OUT phone_e164 text, OUT source text)
RETURNS SETOF record
LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT s.phone_e164, s.source FROM dialer.suppressions s $$;

CREATE FUNCTION dialer.add_suppression(phone text, source text, reason text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number text := dialer.e164(phone);
    actor  text := dialer.acting_user();
BEGIN
    IF NOT dialer._is_admin() THEN
        actor := (dialer.current_rep()).name;
    END IF;
    IF number IS NULL THEN
        RAISE EXCEPTION 'cannot suppress "%": not a valid phone number', phone USING ERRCODE = '22023';
    END IF;
    IF source IS NULL OR source NOT IN ('requested', 'registry', 'internal') THEN
        RAISE EXCEPTION 'suppression source must be requested, registry or internal, not %',
            coalesce('"' || source || '"', 'NULL') USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.suppressions (phone_e164, source, reason, added_by)
    VALUES (number, add_suppression.source, add_suppression.reason, actor)
    ON CONFLICT (phone_e164) DO NOTHING;  -- the first listing stays on record
    IF FOUND THEN
        PERFORM dialer._audit('suppression_added', 'suppression', number, reason => add_suppression.reason,
                              details => jsonb_build_object('source', add_suppression.source));
    END IF;
    RETURN number;
END
$$;

COMMENT ON FUNCTION dialer.add_suppression(text, text, text) IS
'Put a number on the suppression list (source requested, registry or internal): no contact with it is called again. Returns the number in E.164; a number already listed keeps its first listing. Audited.';

-- Removing a number lets it be called again: admins only, with a reason.
CREATE FUNCTION dialer.remove_suppression(phone text, reason text)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    number  text := coalesce(dialer.e164(phone), phone);
    removed dialer.suppressions;
BEGIN
    PERFORM dialer._require_admin('remove a number from the suppression list');
    IF coalesce(btrim(reason), '') = '' THEN
        RAISE EXCEPTION 'removing a suppression needs a reason' USING ERRCODE = '22023',
            HINT = 'Say why the number may be called again, e.g. ''Registry listing expired 2026-11-30''.';
    END IF;
    DELETE FROM dialer.suppressions s WHERE s.phone_e164 = number RETURNING * INTO removed;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM dialer._audit('suppression_removed', 'suppression', number, reason => remove_suppression.reason,
                          details => to_jsonb(removed));
    RETURN true;
END
$$;

COMMENT ON FUNCTION dialer.remove_suppression(text, text) IS
'Admin: take a number off the suppression list, with a reason (22023 without one). Returns false when it was not listed. Audited with the listing removed.';
