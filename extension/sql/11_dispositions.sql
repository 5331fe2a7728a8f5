-- Dispositions: PhoneBurner's disposition text is account-defined, so it is
-- mapped to a fixed set of outcomes that the stats and the write-back use.
-- Editing the map re-maps the calls already recorded and applies the effects
-- that changed (a disposition newly mapped to do_not_call must suppress the
-- numbers of the calls that had it). dialer.unmapped_dispositions, the texts
-- seen on calls that the map does not know, is in 12_call_outcomes.sql.
--
-- Used by: admins (dialer.map_disposition, dialer.remap_dispositions); the
-- call recording and the dashboard views (disposition_outcome,
-- call_connected).

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

CREATE FUNCTION dialer.remap_dispositions(disposition text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed dialer.call_activity;
    n    integer := 0;
BEGIN
    PERFORM dialer._require_admin('re-map dispositions');
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
    IF n > 0 THEN
        -- The effects wait in dialer.writeback_queue for pgdialer-sync.
        PERFORM pg_notify('dialer_writeback', n::text);
    END IF;
    RETURN n;
END
$$;

COMMENT ON FUNCTION dialer.remap_dispositions(text) IS
'Admin: give recorded calls (of one disposition text, or all) the outcome the map now says, and queue its effects on their contacts for pgdialer-sync''s write-back (NOTIFY dialer_writeback). Returns the number of calls whose outcome changed.';

CREATE FUNCTION dialer.map_disposition(disposition text, outcome text)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    previous text;
BEGIN
    PERFORM dialer._require_admin('map dispositions');
    IF disposition IS NULL OR btrim(disposition) = '' THEN
        RAISE EXCEPTION 'a disposition text is required' USING ERRCODE = '22023';
    END IF;
    IF outcome IS NOT NULL AND outcome NOT IN ('connected', 'interested', 'qualified', 'meeting_set', 'disqualified',
                                               'no_answer', 'voicemail', 'wrong_number', 'do_not_call', 'callback') THEN
        RAISE EXCEPTION 'unknown outcome "%"', outcome USING ERRCODE = '22023',
            HINT = 'Outcomes: connected, interested, qualified, meeting_set, disqualified, no_answer, voicemail, wrong_number, do_not_call, callback (NULL: leave unmapped).';
    END IF;
    previous := dialer.disposition_outcome(map_disposition.disposition);
    INSERT INTO dialer.disposition_map AS m (disposition, outcome, updated_by)
    VALUES (btrim(map_disposition.disposition), map_disposition.outcome, dialer.acting_user())
    ON CONFLICT (disposition_key, is_default) DO UPDATE
        SET disposition = excluded.disposition, outcome = excluded.outcome,
            updated_by = excluded.updated_by, updated_at = now();
    PERFORM dialer._audit('disposition_mapped', 'disposition', btrim(map_disposition.disposition),
                          details => jsonb_build_object('from', previous, 'to', map_disposition.outcome));
    RETURN dialer.remap_dispositions(map_disposition.disposition);
END
$$;

COMMENT ON FUNCTION dialer.map_disposition(text, text) IS
'Admin: map a PhoneBurner disposition text to an outcome (NULL: deliberately unmapped), overriding any default, and re-map the calls already recorded with it. Returns the number of calls whose outcome changed.';
