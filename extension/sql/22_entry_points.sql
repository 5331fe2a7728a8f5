-- The spec's entry points as single calls: preview and push by explicit
-- contact ids (the bulk bar's "Push selected", which overrides filters), by
-- deal ("Deal -> Contacts -> Push", over a deal-contacts relation registered
-- with dialer.configure_deal_contacts), by list and by segment; the members
-- or rows of a list or segment; the "243 dialable of 312" count; and the
-- bulk bar's [Export CSV] (dialer.list_export). The anyarray forms
-- (dialer.preview, dialer.push) remain the entry point for any query.
--
-- Each reads the contact relation registered with dialer.configure with the
-- caller's rights (these functions are SECURITY INVOKER: whoever calls them
-- must be able to SELECT the contacts, as for dialer.preview), through one
-- statement built by dialer._source_query: the relation and column names from
-- the catalogue, quoted; every value (ids, a deal id, a segment's values) in
-- the parameter $1. What the caller may not read itself (a list's members, a
-- segment's filter, the deal-contacts relation's name) comes from definer
-- steps that check who asks. Previews and pushes then go through
-- dialer.preview and dialer.push unchanged: the same rules, exclusions and
-- checks as any push.
--
-- Used by: the app (one call per box of the spec), analysts.

-- The deal-contacts relation: which contacts belong to which deal. Added
-- here rather than in 01_settings.sql so dialer.configure keeps its signature.
ALTER TABLE dialer.configuration ADD COLUMN deal_contacts_relation regclass;

CREATE FUNCTION dialer.configure_deal_contacts(deal_contacts_relation regclass)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing text;
BEGIN
    PERFORM dialer._require_admin('configure pgdialer');
    SELECT string_agg(format('"%s"', n), ' and ') INTO missing
    FROM unnest(ARRAY['deal_id', 'contact_id']) n
    WHERE NOT EXISTS (SELECT FROM pg_attribute a
                      WHERE a.attrelid = deal_contacts_relation AND a.attname = n AND a.attnum > 0
                        AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'deal-contacts relation % has no % column', deal_contacts_relation, missing
            USING ERRCODE = '42703', HINT = 'It needs a deal_id and a contact_id column (a view can rename them).';
    END IF;
    INSERT INTO dialer.configuration AS c (deal_contacts_relation, updated_by)
    VALUES (deal_contacts_relation, dialer.acting_user())
    ON CONFLICT (singleton) DO UPDATE
        SET deal_contacts_relation = excluded.deal_contacts_relation, updated_at = now(),
            updated_by = excluded.updated_by;
    PERFORM dialer._audit('configured', 'configuration', 'deal_contacts_relation',
                          details => jsonb_build_object('deal_contacts_relation', deal_contacts_relation::text));
END
$$;

COMMENT ON FUNCTION dialer.configure_deal_contacts(regclass) IS
'Admin: tell pgdialer which table or view links deals to contacts (columns deal_id and contact_id), for dialer.preview_deal and dialer.push_deal.';

CREATE FUNCTION dialer._deal_contacts_relation()
RETURNS regclass
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass := (SELECT c.deal_contacts_relation FROM dialer.configuration c);
BEGIN
    IF relation IS NULL THEN
        RAISE EXCEPTION 'pushing by deal needs the deal-contacts relation: call dialer.configure_deal_contacts first'
            USING ERRCODE = '55000';
    END IF;
    RETURN relation;
END
$$;

-- The FROM ... WHERE of the contacts of a source over the contact relation
-- AS c, and its parameter $1 (text[]). kind: 'list' (ref: its id),
-- 'segment' (its id), 'contacts' (ref: a text[] of ids, as text), 'deal'
-- (ref: the deal's id).
CREATE FUNCTION dialer._source_query(kind text, ref text, OUT from_where text, OUT params text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation  regclass := dialer._contact_relation(
                  CASE kind WHEN 'contacts' THEN 'reading contacts by id' ELSE format('reading a %s''s contacts', kind) END);
    id_type   text := dialer._filter_column(relation, 'id', 'id');
    deals     regclass;
    condition text;
BEGIN
    CASE kind
    WHEN 'list' THEN
        params := ARRAY[dialer._list_member_ids(ref::bigint)::text];
        condition := format('c.id = ANY (($1[1])::%s[])', id_type);
    WHEN 'contacts' THEN
        params := ARRAY[ref];
        condition := format('c.id = ANY (($1[1])::%s[])', id_type);
    WHEN 'segment' THEN
        SELECT f.where_clause, f.params INTO condition, params
        FROM dialer.filter_sql(dialer._segment_filter(ref::bigint), relation) f;
    WHEN 'deal' THEN
        deals := dialer._deal_contacts_relation();
        params := ARRAY[ref];
        condition := format('c.id IN (SELECT (d.contact_id)::%s FROM %s AS d WHERE d.deal_id = ($1[1])::%s)',
                            id_type, deals, dialer._filter_column(deals, 'deal_id', 'deal_id'));
    END CASE;
    from_where := format('%s AS c WHERE %s', relation, condition);
END
$$;

-- Explicit ids (any scalar type) as the text of a text[].
CREATE FUNCTION dialer._id_array(contact_ids anyarray)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF (SELECT t.typtype FROM pg_type a JOIN pg_type t ON t.oid = a.typelem WHERE a.oid = pg_typeof(contact_ids)) = 'c' THEN
        RAISE EXCEPTION 'contact_ids must be an array of ids, not of rows' USING ERRCODE = '42804',
            HINT = 'For rows use dialer.preview(array_agg(c)) and dialer.push(array_agg(c), ...).';
    END IF;
    RETURN ARRAY(SELECT x::text FROM unnest(contact_ids) x)::text;
END
$$;

-- One of list_id / segment_id, as a source.
CREATE FUNCTION dialer._list_or_segment(list_id bigint, segment_id bigint, OUT kind text, OUT ref text)
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF (list_id IS NULL) = (segment_id IS NULL) THEN
        RAISE EXCEPTION 'give exactly one of list_id and segment_id' USING ERRCODE = '22023';
    END IF;
    kind := CASE WHEN list_id IS NOT NULL THEN 'list' ELSE 'segment' END;
    ref := coalesce(list_id, segment_id)::text;
END
$$;

-- ---------------------------------------------------------------------------
-- Preview and push, per source
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer._preview_source(kind text, ref text, options jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    result jsonb;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT dialer.preview(array_agg(c ORDER BY c.id), $2) FROM %s', q.from_where)
        INTO result USING q.params, coalesce(options, '{}');
    RETURN result;
END
$$;

-- dialer.push with the entry point's list_source (dialer.push_jobs, for the
-- metrics): a definer step like dialer.push, which classifies the rows itself.
-- The source is a label the caller chooses among the entry points' names, not
-- a right: the rep, the rules and the checks are those of any push.
CREATE FUNCTION dialer._push_with_source(contacts anyarray, session_name text, session_id bigint, options jsonb,
                                         list_source text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF list_source IS NULL OR list_source NOT IN ('manual', 'list', 'segment', 'smart_list') THEN
        RAISE EXCEPTION 'list_source must be manual, list, segment or smart_list, not %', coalesce(list_source, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN dialer._enqueue_push(
        ARRAY(SELECT v FROM dialer.classify_list(contacts, dialer._classify_options(options)) AS v),
        session_name, session_id, options, list_source);
END
$$;

-- The list_source of a push from a source: a list, a segment, a smart list
-- (a built-in segment); ids and deals are a manual selection.
CREATE FUNCTION dialer._source_list_source(kind text, ref text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE kind
        WHEN 'list' THEN 'list'
        WHEN 'segment' THEN CASE WHEN (SELECT s.builtin FROM dialer.segments_overview s WHERE s.id = ref::bigint)
                                 THEN 'smart_list' ELSE 'segment' END
        ELSE 'manual' END
$$;

CREATE FUNCTION dialer._push_source(kind text, ref text, session_name text, session_id bigint, options jsonb)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q      record;
    job_id bigint;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    EXECUTE format('SELECT dialer._push_with_source(array_agg(c ORDER BY c.id), $2, $3, $4, $5) FROM %s', q.from_where)
        INTO job_id USING q.params, session_name, session_id, coalesce(options, '{}'),
                          dialer._source_list_source(kind, ref);
    RETURN job_id;
END
$$;

CREATE FUNCTION dialer.preview_list(list_id bigint, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('list', list_id::text, options) $$;
CREATE FUNCTION dialer.push_list(list_id bigint, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                 options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('list', list_id::text, session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_segment(segment_id bigint, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('segment', segment_id::text, options) $$;
CREATE FUNCTION dialer.push_segment(segment_id bigint, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                    options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('segment', segment_id::text, session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_contacts(contact_ids anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('contacts', dialer._id_array(contact_ids), options) $$;
CREATE FUNCTION dialer.push_contacts(contact_ids anyarray, session_name text DEFAULT NULL,
                                     session_id bigint DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('contacts', dialer._id_array(contact_ids), session_name, session_id, options) $$;

CREATE FUNCTION dialer.preview_deal(deal_id text, options jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql STABLE
AS $$ SELECT dialer._preview_source('deal', deal_id, options) $$;
CREATE FUNCTION dialer.push_deal(deal_id text, session_name text DEFAULT NULL, session_id bigint DEFAULT NULL,
                                 options jsonb DEFAULT '{}')
RETURNS bigint LANGUAGE sql
AS $$ SELECT dialer._push_source('deal', deal_id, session_name, session_id, options) $$;

COMMENT ON FUNCTION dialer.preview_list(bigint, jsonb) IS 'dialer.preview of a list''s contacts (read from the contact relation). Options as dialer.preview.';
COMMENT ON FUNCTION dialer.push_list(bigint, text, bigint, jsonb) IS '"Push List to Dialer": dialer.push of a list''s contacts. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_segment(bigint, jsonb) IS 'dialer.preview of the contacts a segment''s filter selects now.';
COMMENT ON FUNCTION dialer.push_segment(bigint, text, bigint, jsonb) IS 'dialer.push of the contacts a segment''s filter selects now. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_contacts(anyarray, jsonb) IS 'dialer.preview of the contacts with these ids (the bulk bar''s selection).';
COMMENT ON FUNCTION dialer.push_contacts(anyarray, text, bigint, jsonb) IS '"Push selected": dialer.push of the contacts with these ids, whatever the filters. Returns the job id.';
COMMENT ON FUNCTION dialer.preview_deal(text, jsonb) IS 'dialer.preview of a deal''s contacts (dialer.configure_deal_contacts).';
COMMENT ON FUNCTION dialer.push_deal(text, text, bigint, jsonb) IS '"Push All to Dialer" on a deal: dialer.push of its contacts. Returns the job id.';

-- ---------------------------------------------------------------------------
-- Members, rows, counts
-- ---------------------------------------------------------------------------

-- The ids of the contacts of a source that exist in the contact relation.
CREATE FUNCTION dialer._source_ids(kind text, ref text)
RETURNS SETOF text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q record;
BEGIN
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    RETURN QUERY EXECUTE format('SELECT c.id::text FROM %s ORDER BY c.id', q.from_where) USING q.params;
END
$$;

-- The rows of a source, typed as the contact relation's rows.
CREATE FUNCTION dialer._source_rows(kind text, ref text, row_type anyelement)
RETURNS SETOF anyelement
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q record;
    relation regclass := dialer._contact_relation(
                  CASE kind WHEN 'contacts' THEN 'reading contacts by id' ELSE format('reading a %s''s contacts', kind) END);
BEGIN
    IF pg_typeof(row_type) <> (SELECT c.reltype FROM pg_class c WHERE c.oid = relation)::regtype THEN
        RAISE EXCEPTION 'row_type must be the contact relation''s row type (NULL::%), not %', relation, pg_typeof(row_type)
            USING ERRCODE = '42804';
    END IF;
    SELECT * INTO q FROM dialer._source_query(kind, ref);
    RETURN QUERY EXECUTE format('SELECT c.* FROM %s ORDER BY c.id', q.from_where) USING q.params;
END
$$;

CREATE FUNCTION dialer.list_contacts(list_id bigint)
RETURNS SETOF text LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT dialer._source_ids('list', list_id::text) $$;
CREATE FUNCTION dialer.list_contacts(list_id bigint, row_type anyelement)
RETURNS SETOF anyelement LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT * FROM dialer._source_rows('list', list_id::text, row_type) $$;
CREATE FUNCTION dialer.segment_contacts(segment_id bigint)
RETURNS SETOF text LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT dialer._source_ids('segment', segment_id::text) $$;
CREATE FUNCTION dialer.segment_contacts(segment_id bigint, row_type anyelement)
RETURNS SETOF anyelement LANGUAGE sql STABLE ROWS 1000
AS $$ SELECT * FROM dialer._source_rows('segment', segment_id::text, row_type) $$;

COMMENT ON FUNCTION dialer.list_contacts(bigint) IS 'The ids of a list''s contacts found in the contact relation, in id order.';
COMMENT ON FUNCTION dialer.list_contacts(bigint, anyelement) IS 'A list''s contact rows: SELECT * FROM dialer.list_contacts(1, NULL::contacts).';
COMMENT ON FUNCTION dialer.segment_contacts(bigint) IS 'The ids of the contacts a segment selects now, in id order.';
COMMENT ON FUNCTION dialer.segment_contacts(bigint, anyelement) IS 'The contact rows a segment selects now: SELECT * FROM dialer.segment_contacts(1, NULL::contacts).';

-- "243 dialable of 312 total", for a query's rows, a list or a segment.
CREATE FUNCTION dialer.dialable_count(contacts anyarray)
RETURNS TABLE (dialable bigint, total bigint, summary text)
LANGUAGE sql STABLE
AS $$
    SELECT n.dialable, n.total, format('%s dialable of %s total', n.dialable, n.total)
    -- By subscript, not unnest: unnest cannot expand an array of anonymous records.
    FROM (SELECT count(*) FILTER (WHERE dialer.is_dialable(contacts[i])) AS dialable, count(*) AS total
          FROM generate_subscripts(contacts, 1) AS i) n
$$;

CREATE FUNCTION dialer.dialable_count(list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL)
RETURNS TABLE (dialable bigint, total bigint, summary text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    q record;
BEGIN
    SELECT * INTO s FROM dialer._list_or_segment(list_id, segment_id);
    SELECT * INTO q FROM dialer._source_query(s.kind, s.ref);
    EXECUTE format('SELECT count(*) FILTER (WHERE dialer.is_dialable(c)), count(*) FROM %s', q.from_where)
        INTO dialable, total USING q.params;
    summary := format('%s dialable of %s total', dialable, total);
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION dialer.dialable_count(anyarray) IS
'The "Dialable Only" count of a query''s rows: dialable, total and "243 dialable of 312 total".';
COMMENT ON FUNCTION dialer.dialable_count(bigint, bigint) IS
'The "Dialable Only" count of a list (list_id => ...) or a segment (segment_id => ...): dialable, total, summary.';

-- ---------------------------------------------------------------------------
-- [Export CSV]
-- ---------------------------------------------------------------------------

-- The payload flattened: one text column per key of dialer.payload and of its
-- custom_fields, after the verdict dialer.preview gives the contact.
CREATE FUNCTION dialer.list_export(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS TABLE (list_position integer, contact_id text, excluded_category text, excluded_reason text,
               first_name text, last_name text, company text, phone text, email text, title text,
               address text, city text, state text, zip text, contact_type text, buyer_type text, aum text,
               fund_size text, target_ebitda_range text, target_sectors text, target_geographies text,
               last_contact_date text, last_contact_method text, last_contact_outcome text,
               engagement_score text, relationship_strength text, active_deals_count text,
               last_deal_presented text, last_deal_outcome text, call_talking_points text,
               preferred_contact_time text, assistant_name text, assistant_phone text, contact_owner text,
               contact_source text)
LANGUAGE sql STABLE
AS $$
    SELECT v.list_position, v.contact_id, v.category, v.reason,
           p ->> 'first_name', p ->> 'last_name', p ->> 'company', p ->> 'phone', p ->> 'email', p ->> 'title',
           p ->> 'address', p ->> 'city', p ->> 'state', p ->> 'zip', f ->> 'contact_type', f ->> 'buyer_type',
           f ->> 'aum', f ->> 'fund_size', f ->> 'target_ebitda_range', f ->> 'target_sectors',
           f ->> 'target_geographies', f ->> 'last_contact_date', f ->> 'last_contact_method',
           f ->> 'last_contact_outcome', f ->> 'engagement_score', f ->> 'relationship_strength',
           f ->> 'active_deals_count', f ->> 'last_deal_presented', f ->> 'last_deal_outcome',
           f ->> 'call_talking_points', f ->> 'preferred_contact_time', f ->> 'assistant_name',
           f ->> 'assistant_phone', f ->> 'contact_owner', f ->> 'contact_source'
    FROM dialer.classify_list(contacts, options) AS v,
         LATERAL (SELECT v.payload AS p, v.payload -> 'custom_fields' AS f) AS x
    ORDER BY v.list_position
$$;

CREATE FUNCTION dialer.list_export(list_id bigint DEFAULT NULL, segment_id bigint DEFAULT NULL,
                                   options jsonb DEFAULT '{}')
RETURNS TABLE (list_position integer, contact_id text, excluded_category text, excluded_reason text,
               first_name text, last_name text, company text, phone text, email text, title text,
               address text, city text, state text, zip text, contact_type text, buyer_type text, aum text,
               fund_size text, target_ebitda_range text, target_sectors text, target_geographies text,
               last_contact_date text, last_contact_method text, last_contact_outcome text,
               engagement_score text, relationship_strength text, active_deals_count text,
               last_deal_presented text, last_deal_outcome text, call_talking_points text,
               preferred_contact_time text, assistant_name text, assistant_phone text, contact_owner text,
               contact_source text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    q record;
BEGIN
    SELECT * INTO s FROM dialer._list_or_segment(list_id, segment_id);
    SELECT * INTO q FROM dialer._source_query(s.kind, s.ref);
    RETURN QUERY EXECUTE format(
        'SELECT e.* FROM (SELECT array_agg(c ORDER BY c.id) AS a FROM %s) AS l, dialer.list_export(l.a, $2) AS e',
        q.from_where) USING q.params, coalesce(options, '{}');
END
$$;

COMMENT ON FUNCTION dialer.list_export(anyarray, jsonb) IS
'[Export CSV] of a query''s rows: the verdict (excluded_category, excluded_reason; NULL = ready) and the payload''s fields flattened, one text column each. COPY (SELECT * FROM dialer.list_export(...)) TO STDOUT (FORMAT csv, HEADER).';
COMMENT ON FUNCTION dialer.list_export(bigint, bigint, jsonb) IS
'[Export CSV] of a list (list_id => ...) or a segment (segment_id => ...), as dialer.list_export(anyarray).';
