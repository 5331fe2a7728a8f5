-- Deals: the app's table of deals, registered with dialer.configure_deals,
-- so the talking points name the active deals that fit a buyer ("2 active
-- deals match: Acme HVAC (Southeast, $4M EBITDA), ..."). The matching is the
-- C++ core's (extension/core/deals.cpp, talking_points.cpp); the glue reads
-- the active deals once per statement (extension/src/deals_cache.cpp)
-- through dialer._active_deals, with the caller's rights: the deals are the
-- app's, and whoever reads talking points or pushes needs SELECT on them.
--
-- Columns read by name: name, sector, geography, ebitda (a number, US
-- dollars), status (a deal is active when its status is 'active', trimmed,
-- any case).
--
-- Used by: admins (dialer.configure_deals); dialer.talking_points,
-- dialer.payload and so dialer.push and launches.

CREATE FUNCTION dialer.configure_deals(deal_relation regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing  text;
    previous regclass := (SELECT c.deal_relation FROM dialer.configuration c);
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    IF deal_relation IS NOT NULL THEN
        SELECT string_agg(format('"%s"', col), ', ' ORDER BY ord) INTO missing
        FROM unnest(ARRAY['name', 'sector', 'geography', 'ebitda', 'status']) WITH ORDINALITY AS w (col, ord)
        WHERE NOT EXISTS (SELECT FROM pg_attribute a
                          WHERE a.attrelid = deal_relation AND a.attname = w.col AND NOT a.attisdropped);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'deal relation % has no column %', deal_relation, missing
                USING ERRCODE = '42703',
                      HINT = 'The deals relation needs name, sector, geography, ebitda and status; map other names with a view.';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_attribute a
                       WHERE a.attrelid = deal_relation AND a.attname = 'ebitda' AND NOT a.attisdropped
                         AND a.atttypid IN ('numeric'::regtype, 'integer'::regtype, 'bigint'::regtype,
                                            'smallint'::regtype, 'real'::regtype, 'double precision'::regtype)) THEN
            RAISE EXCEPTION 'deal relation %: column "ebitda" must be a number (US dollars)', deal_relation
                USING ERRCODE = '42804';
        END IF;
    END IF;
    INSERT INTO dialer.configuration AS c (deal_relation, updated_by)
    VALUES (deal_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET deal_relation = excluded.deal_relation, updated_at = now(), updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'deal_relation',
                          details => jsonb_build_object('from', previous::text, 'to', deal_relation::text));
END
$$;

COMMENT ON FUNCTION dialer.configure_deals(regclass) IS
'Admin: the table or view of the app''s deals (columns name, sector, geography, ebitda in US dollars, status), so dialer.talking_points adds the active deals that fit a buyer; NULL stops it. Audited.';

-- The configured deals relation (definer: no grant on dialer.configuration
-- needed), NULL when none.
CREATE FUNCTION dialer._deal_relation()
RETURNS regclass
LANGUAGE sql STABLE PARALLEL SAFE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT c.deal_relation FROM dialer.configuration c $$;

-- The active deals, read with the caller's rights; no rows without a deals
-- relation. Called by the C++ glue once per statement.
CREATE FUNCTION dialer._active_deals(OUT name text, OUT sector text, OUT geography text, OUT ebitda numeric)
RETURNS SETOF record
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    relation regclass := dialer._deal_relation();
BEGIN
    IF relation IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format(
        $q$SELECT d.name::text, d.sector::text, d.geography::text, d.ebitda::numeric FROM %s d
            WHERE lower(btrim(d.status::text)) = 'active' AND nullif(btrim(d.name::text), '') IS NOT NULL$q$,
        relation);
END
$$;
