-- Segments (dynamic lists): a filter of the filter language (19_filters.sql),
-- validated when saved and run against the current contact relation each
-- time it is read. Owned and shared like lists (20_lists.sql); every change
-- is audited (object_type 'segment').
--
-- Used by: the app (the segments pages, "Push List to Dialer" on a segment),
-- analysts (shared segments); 22_entry_points.sql.

CREATE TABLE dialer.segments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    filter      jsonb NOT NULL,   -- checked by dialer.validate_filter when saved
    owner       text REFERENCES dialer.reps (name),  -- NULL: a built-in smart list
    shared      boolean NOT NULL DEFAULT false,
    -- The smart lists installed with the extension (26_smart_lists.sql): no
    -- owner, shared with everyone, changed by admins only, never deleted.
    builtin     boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL DEFAULT dialer.acting_user(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (builtin = (owner IS NULL)),
    CHECK (shared OR NOT builtin)
);
-- The built-in rows are made by CREATE EXTENSION itself, so a dump keeps the
-- others, and of the built-in ones those an admin changed (dialer.update_segment
-- sets updated_at; the extension's scripts write created_at = updated_at): a
-- restore runs CREATE EXTENSION first, then merges each such row into the
-- shipped row of its id (the trigger below) instead of inserting it twice, so
-- an admin's change to a smart list survives a dump and restore.
SELECT pg_catalog.pg_extension_config_dump('dialer.segments', 'WHERE NOT builtin OR updated_at > created_at');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.segments', 'id'), '');
CREATE INDEX segments_by_owner ON dialer.segments (owner);

-- A built-in row inserted where the shipped row of its id is (a restore):
-- the shipped row takes its values, nothing is inserted. Any other insert
-- goes through as it is.
CREATE FUNCTION dialer._merge_restored_smart_list()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE dialer.segments s
    SET name = NEW.name, description = NEW.description, filter = NEW.filter, shared = NEW.shared,
        created_by = NEW.created_by, created_at = NEW.created_at, updated_at = NEW.updated_at
    WHERE s.id = NEW.id AND s.builtin;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER segments_merge_restored_smart_list BEFORE INSERT ON dialer.segments
FOR EACH ROW WHEN (NEW.builtin) EXECUTE FUNCTION dialer._merge_restored_smart_list();

COMMENT ON FUNCTION dialer._merge_restored_smart_list() IS
'Trigger of dialer.segments: a built-in smart list inserted where the shipped row of its id is (pg_restore of an admin''s change) updates that row instead.';

COMMENT ON TABLE dialer.segments IS
'Dynamic lists: name, description, filter (the filter language of docs/sql-reference.md), owner, shared, builtin (the smart lists: no owner, shared, admins change them). Changed only through dialer.create_segment, update_segment, delete_segment.';

CREATE FUNCTION dialer._lock_segment(segment_id bigint)
RETURNS dialer.segments
LANGUAGE plpgsql
AS $$
DECLARE
    segment dialer.segments;
BEGIN
    SELECT * INTO segment FROM dialer.segments s WHERE s.id = _lock_segment.segment_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'segment % does not exist', coalesce(_lock_segment.segment_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    RETURN segment;
END
$$;

CREATE FUNCTION dialer.create_segment(name text, filter jsonb, shared boolean DEFAULT false,
                                      description text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := (dialer.current_rep()).name;
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a segment needs a name' USING ERRCODE = '22023';
    END IF;
    PERFORM dialer.validate_filter(filter);
    INSERT INTO dialer.segments AS s (name, description, filter, owner, shared, created_by)
    VALUES (btrim(create_segment.name), create_segment.description, filter, actor,
            coalesce(create_segment.shared, false), actor)
    RETURNING s.id INTO id;
    PERFORM dialer._audit('segment_created', 'segment', id::text, details => jsonb_build_object(
        'name', btrim(create_segment.name), 'filter', filter, 'shared', coalesce(create_segment.shared, false)));
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_segment(text, jsonb, boolean, text) IS
'A segment owned by the acting rep: a filter of the filter language, validated now (22023 naming an unknown field or operator). Returns its id.';

-- NULL leaves a field as it is.
CREATE FUNCTION dialer.update_segment(segment_id bigint, name text DEFAULT NULL, filter jsonb DEFAULT NULL,
                                      shared boolean DEFAULT NULL, description text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    before dialer.segments := dialer._lock_segment(update_segment.segment_id);
    after  dialer.segments;
BEGIN
    IF before.builtin THEN
        PERFORM dialer._require_admin(format('change the smart list "%s"', before.name));
        IF NOT coalesce(update_segment.shared, true) THEN
            RAISE EXCEPTION 'smart list % is shared with everyone; it cannot be made private', before.id
                USING ERRCODE = '22023';
        END IF;
    ELSE
        PERFORM dialer._check_collection_owner('segment', before.id, before.owner, 'change it');
    END IF;
    IF name IS NOT NULL AND btrim(name) = '' THEN
        RAISE EXCEPTION 'a segment needs a name' USING ERRCODE = '22023';
    END IF;
    IF filter IS NOT NULL THEN
        PERFORM dialer.validate_filter(filter);
    END IF;
    UPDATE dialer.segments s
    SET name = coalesce(btrim(update_segment.name), s.name),
        filter = coalesce(update_segment.filter, s.filter),
        shared = coalesce(update_segment.shared, s.shared),
        description = coalesce(update_segment.description, s.description),
        updated_at = now()
    WHERE s.id = before.id
    RETURNING * INTO after;
    PERFORM dialer._audit(CASE WHEN before.builtin THEN 'smart_list_changed' ELSE 'segment_changed' END,
                          'segment', before.id::text, details => jsonb_build_object(
        'from', to_jsonb(before) - '{created_at,updated_at,created_by}'::text[],
        'to', to_jsonb(after) - '{created_at,updated_at,created_by}'::text[]));
END
$$;

COMMENT ON FUNCTION dialer.update_segment(bigint, text, jsonb, boolean, text) IS
'Change a segment''s name, filter (validated), shared flag or description (its owner or an admin; a smart list: an admin, audited as smart_list_changed; NULL: unchanged).';

CREATE FUNCTION dialer.delete_segment(segment_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    segment dialer.segments := dialer._lock_segment(delete_segment.segment_id);
BEGIN
    IF segment.builtin THEN
        RAISE EXCEPTION 'smart list % ("%") is installed with pgdialer and cannot be deleted', segment.id, segment.name
            USING ERRCODE = '42501', HINT = 'An admin may change its filter with dialer.update_segment.';
    END IF;
    PERFORM dialer._check_collection_owner('segment', segment.id, segment.owner, 'delete it');
    DELETE FROM dialer.segments s WHERE s.id = segment.id;
    PERFORM dialer._audit('segment_deleted', 'segment', segment.id::text, details => jsonb_build_object(
        'name', segment.name, 'owner', segment.owner, 'filter', segment.filter));
END
$$;

COMMENT ON FUNCTION dialer.delete_segment(bigint) IS 'Delete a segment (its owner or an admin; never a built-in smart list).';

-- The filter of a segment the acting user may read (22023 unknown, 42501
-- private). A definer step: the segment is run with the caller's rights.
CREATE FUNCTION dialer._segment_filter(segment_id bigint)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    segment dialer.segments;
BEGIN
    SELECT * INTO segment FROM dialer.segments s WHERE s.id = _segment_filter.segment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'segment % does not exist', coalesce(_segment_filter.segment_id::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_readable('segment', segment.id, segment.owner, segment.shared);
    RETURN segment.filter;
END
$$;

CREATE VIEW dialer.segments_overview AS
SELECT s.id, s.name, s.description, s.filter, s.owner, r.display_name AS owner_name, s.shared,
       s.created_at, s.updated_at, coalesce(s.owner = dialer.acting_user(), false) AS is_mine, s.builtin
FROM dialer.segments s LEFT JOIN dialer.reps r ON r.name = s.owner
WHERE s.shared OR s.owner = dialer.acting_user() OR dialer._is_admin()
ORDER BY s.updated_at DESC, s.id DESC;

COMMENT ON VIEW dialer.segments_overview IS
'The segments the acting user may read (shared ones, their own; admins: all): id, name, description, filter, owner, owner_name, shared, created_at, updated_at, is_mine, builtin (a smart list). Counts: dialer.dialable_count(segment_id => id).';
