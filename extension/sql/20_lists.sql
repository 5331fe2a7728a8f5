-- Static lists (the spec's "Add to List"): a named set of contact ids, owned
-- by the rep who made it, private to them or shared with the team.
--
-- Ownership as for sessions (14_session_manage.sql): only the owner (an
-- active rep) or an admin renames it, shares it, adds or removes contacts,
-- or deletes it; anyone else gets 42501. Reading a list (its members, a
-- preview, a count, an export, a push of it) is for its owner, admins, and
-- everyone when it is shared. Every change is a row of dialer.audit_log
-- (object_type 'list').
--
-- Members are contact ids as text (as dialer.push_items keeps them), so a
-- list works with any id type; they are matched to the contact relation with
-- the id column's own type (22_entry_points.sql), so its index applies.
--
-- Used by: the app (the list pages, "Add to List", "Push List to Dialer");
-- analysts (shared lists); 22_entry_points.sql (preview, push, export).

CREATE TABLE dialer.lists (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    description text,
    owner       text NOT NULL REFERENCES dialer.reps (name),
    shared      boolean NOT NULL DEFAULT false,
    created_by  text NOT NULL DEFAULT dialer.acting_user(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
SELECT pg_catalog.pg_extension_config_dump('dialer.lists', '');
SELECT pg_catalog.pg_extension_config_dump(pg_get_serial_sequence('dialer.lists', 'id'), '');
CREATE INDEX lists_by_owner ON dialer.lists (owner);

COMMENT ON TABLE dialer.lists IS
'Static lists of contacts: name, description, owner (a rep), shared (readable by everyone; else by its owner and admins). Changed only through dialer.create_list, rename_list, share_list, add_to_list, remove_from_list, delete_list.';

CREATE TABLE dialer.list_members (
    list_id    bigint NOT NULL REFERENCES dialer.lists (id) ON DELETE CASCADE,
    contact_id text NOT NULL,
    added_by   text NOT NULL DEFAULT dialer.acting_user(),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (list_id, contact_id)
);
SELECT pg_catalog.pg_extension_config_dump('dialer.list_members', '');

COMMENT ON TABLE dialer.list_members IS
'The contacts of each list, by id (text), with who added them and when.';

-- ---------------------------------------------------------------------------
-- Who may read and change a list or a segment (21_segments.sql uses these)
-- ---------------------------------------------------------------------------

-- 42501 unless the acting user may read it: shared, theirs, or an admin.
CREATE FUNCTION dialer._check_readable(object_type text, object_id bigint, owner text, shared boolean)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT (shared OR owner = dialer.acting_user() OR dialer._is_admin()) THEN
        RAISE EXCEPTION '% % is private to %', object_type, object_id, owner
            USING ERRCODE = '42501', HINT = 'Its owner may share it (shared => true).';
    END IF;
END
$$;

-- The acting user, if they may change it: its owner (an active rep) or an
-- admin; else 42501 saying what was refused.
CREATE FUNCTION dialer._check_collection_owner(object_type text, object_id bigint, owner text, what text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    actor text;
BEGIN
    IF dialer._is_admin() THEN
        RETURN dialer.acting_user();
    END IF;
    actor := (dialer.current_rep()).name;
    IF owner <> actor THEN
        RAISE EXCEPTION '% % belongs to %; only its owner or an admin may %', object_type, object_id, owner, what
            USING ERRCODE = '42501';
    END IF;
    RETURN actor;
END
$$;

-- The list, locked, or 22023 naming the id.
CREATE FUNCTION dialer._lock_list(list_id bigint)
RETURNS dialer.lists
LANGUAGE plpgsql
AS $$
DECLARE
    list dialer.lists;
BEGIN
    SELECT * INTO list FROM dialer.lists l WHERE l.id = _lock_list.list_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'list % does not exist', coalesce(_lock_list.list_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    RETURN list;
END
$$;

-- A contact id from an array element: a row's "id" (any row type), else the
-- element itself (an array of ids of any type).
CREATE FUNCTION dialer._element_id(element jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE jsonb_typeof(element) WHEN 'object' THEN element ->> 'id' ELSE element #>> '{}' END
$$;

-- ---------------------------------------------------------------------------
-- Lists
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.create_list(name text, shared boolean DEFAULT false, description text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    actor text := (dialer.current_rep()).name;
    id    bigint;
BEGIN
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a list needs a name' USING ERRCODE = '22023';
    END IF;
    INSERT INTO dialer.lists AS l (name, description, owner, shared, created_by)
    VALUES (btrim(create_list.name), create_list.description, actor, coalesce(create_list.shared, false), actor)
    RETURNING l.id INTO id;
    PERFORM dialer._audit('list_created', 'list', id::text, details => jsonb_build_object(
        'name', btrim(create_list.name), 'shared', coalesce(create_list.shared, false)));
    RETURN id;
END
$$;

COMMENT ON FUNCTION dialer.create_list(text, boolean, text) IS
'A new empty list owned by the acting rep (shared: readable by everyone). Returns its id.';

CREATE FUNCTION dialer.rename_list(list_id bigint, name text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists := dialer._lock_list(rename_list.list_id);
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'rename it');
    IF name IS NULL OR btrim(name) = '' THEN
        RAISE EXCEPTION 'a list needs a name' USING ERRCODE = '22023';
    END IF;
    UPDATE dialer.lists l SET name = btrim(rename_list.name), updated_at = now() WHERE l.id = list.id;
    PERFORM dialer._audit('list_renamed', 'list', list.id::text,
                          details => jsonb_build_object('from', list.name, 'to', btrim(rename_list.name)));
END
$$;

COMMENT ON FUNCTION dialer.rename_list(bigint, text) IS 'Rename a list (its owner or an admin).';

CREATE FUNCTION dialer.share_list(list_id bigint, shared boolean)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists := dialer._lock_list(share_list.list_id);
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'share it');
    IF shared IS NULL THEN
        RAISE EXCEPTION 'shared must be true or false' USING ERRCODE = '22023';
    END IF;
    UPDATE dialer.lists l SET shared = share_list.shared, updated_at = now() WHERE l.id = list.id;
    PERFORM dialer._audit('list_shared', 'list', list.id::text,
                          details => jsonb_build_object('from', list.shared, 'to', share_list.shared));
END
$$;

COMMENT ON FUNCTION dialer.share_list(bigint, boolean) IS
'Share a list with everyone (true) or make it private to its owner and admins (false) (its owner or an admin).';

CREATE FUNCTION dialer.delete_list(list_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list    dialer.lists := dialer._lock_list(delete_list.list_id);
    members bigint;
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner, 'delete it');
    SELECT count(*) INTO members FROM dialer.list_members m WHERE m.list_id = list.id;
    DELETE FROM dialer.lists l WHERE l.id = list.id;
    PERFORM dialer._audit('list_deleted', 'list', list.id::text,
                          details => jsonb_build_object('name', list.name, 'owner', list.owner, 'contacts', members));
END
$$;

COMMENT ON FUNCTION dialer.delete_list(bigint) IS 'Delete a list and its members (its owner or an admin). Pushes made from it stay.';

-- Add or remove ids (the writing half of add_to_list / remove_from_list).
CREATE FUNCTION dialer._change_list_members(list_id bigint, contact_ids text[], adding boolean)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list    dialer.lists := dialer._lock_list(_change_list_members.list_id);
    changed text[];
BEGIN
    PERFORM dialer._check_collection_owner('list', list.id, list.owner,
                                           CASE WHEN adding THEN 'add contacts to it' ELSE 'remove contacts from it' END);
    IF EXISTS (SELECT FROM unnest(contact_ids) i WHERE i IS NULL OR btrim(i) = '') THEN
        RAISE EXCEPTION 'every contact needs an id to be in a list' USING ERRCODE = '23502',
            HINT = 'The contact rows must have an "id" column with a value.';
    END IF;
    IF adding THEN
        WITH added AS (
            INSERT INTO dialer.list_members AS m (list_id, contact_id)
            SELECT DISTINCT list.id, i FROM unnest(contact_ids) i
            ON CONFLICT DO NOTHING
            RETURNING m.contact_id)
        SELECT coalesce(array_agg(a.contact_id ORDER BY a.contact_id), '{}') INTO changed FROM added a;
    ELSE
        WITH removed AS (
            DELETE FROM dialer.list_members m WHERE m.list_id = list.id AND m.contact_id = ANY (contact_ids)
            RETURNING m.contact_id)
        SELECT coalesce(array_agg(r.contact_id ORDER BY r.contact_id), '{}') INTO changed FROM removed r;
    END IF;
    IF cardinality(changed) > 0 THEN
        UPDATE dialer.lists l SET updated_at = now() WHERE l.id = list.id;
        PERFORM dialer._audit(CASE WHEN adding THEN 'list_contacts_added' ELSE 'list_contacts_removed' END,
                              'list', list.id::text, changed,
                              details => jsonb_build_object('contacts', cardinality(changed)));
    END IF;
    RETURN cardinality(changed);
END
$$;

-- After ids were added to a list: a WARNING when some are not in the
-- contact relation (how many, and the first five), read with the caller's
-- rights; each id is taken as a value of the id column's type, so one that
-- type cannot take is 22P02 (the whole add is undone). The ids stay in the
-- list (a contact may be added before its row, or come back); a preview or
-- push of the list reads only the rows there are. Before dialer.configure
-- there is nothing to check against. Returns `added`.
CREATE FUNCTION dialer._warn_unknown_contacts(list_id bigint, contact_ids text[], added integer)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    relation regclass := dialer._contact_relation(NULL);
    unknown  text[];
BEGIN
    IF relation IS NULL THEN
        RETURN added;
    END IF;
    EXECUTE format('SELECT coalesce(array_agg(u.i ORDER BY u.o), ''{}'') FROM '
                   '(SELECT i, min(o) AS o FROM unnest($1) WITH ORDINALITY AS x(i, o) GROUP BY i) AS u '
                   'WHERE NOT EXISTS (SELECT FROM %s AS c WHERE c.id = (u.i)::%s)',
                   relation, dialer._filter_column(relation, 'id', 'id'))
        INTO unknown USING contact_ids;
    IF cardinality(unknown) > 0 THEN
        RAISE WARNING '% of the contacts added to list % % not in the contact relation %: %', cardinality(unknown),
            list_id, CASE WHEN cardinality(unknown) = 1 THEN 'is' ELSE 'are' END, relation,
            array_to_string(unknown[1:5], ', ') || CASE WHEN cardinality(unknown) > 5 THEN ', ...' ELSE '' END
            USING DETAIL = 'They are kept in the list; its previews and pushes skip them while they have no contact row.',
                  HINT = 'Remove them with dialer.remove_from_list if they were a mistake.';
    END IF;
    RETURN added;
END
$$;

-- `contacts`: rows of any type (their "id"), or ids of any type. SQL, not
-- PL/pgSQL: PL/pgSQL cannot take arrays of anonymous records; and through
-- to_jsonb, since unnest cannot expand them either. SECURITY INVOKER: the
-- check of the ids reads the contacts with the caller's rights (as every
-- entry point does); the change itself is the definer step
-- dialer._change_list_members, which checks the list's owner, and runs
-- first (OFFSET 0 keeps it in the inner query), so that a list the caller
-- may not change is 42501 before anything is said about its ids.
CREATE FUNCTION dialer.add_to_list(list_id bigint, contacts anyarray)
RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT dialer._warn_unknown_contacts(list_id, a.ids, a.added)
    FROM (SELECT x.ids, dialer._change_list_members(list_id, x.ids, true) AS added
          FROM (SELECT ARRAY(SELECT dialer._element_id(e) FROM jsonb_array_elements(to_jsonb(contacts)) e) AS ids) x
          OFFSET 0) a
$$;

COMMENT ON FUNCTION dialer.add_to_list(bigint, anyarray) IS
'"Add to List": add contacts, given as rows (array_agg(c)) or as ids (ARRAY[1, 2] or ''{1,2}''::text[]), to a list (its owner or an admin). Returns how many were not in it yet. Ids not in the contact relation are kept with a WARNING naming how many and the first five; an id the id column''s type cannot take is 22P02.';

CREATE FUNCTION dialer.remove_from_list(list_id bigint, contacts anyarray)
RETURNS integer
LANGUAGE sql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT dialer._change_list_members(list_id,
                                       ARRAY(SELECT dialer._element_id(e) FROM jsonb_array_elements(to_jsonb(contacts)) e), false)
$$;

COMMENT ON FUNCTION dialer.remove_from_list(bigint, anyarray) IS
'Remove contacts, given as rows or ids, from a list (its owner or an admin). Returns how many were in it.';

-- The member ids of a list the acting user may read (22023 unknown, 42501
-- private). A definer step: the entry points read the contacts themselves,
-- with their caller's rights.
CREATE FUNCTION dialer._list_member_ids(list_id bigint)
RETURNS text[]
LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    list dialer.lists;
BEGIN
    SELECT * INTO list FROM dialer.lists l WHERE l.id = _list_member_ids.list_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'list % does not exist', coalesce(_list_member_ids.list_id::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    PERFORM dialer._check_readable('list', list.id, list.owner, list.shared);
    RETURN ARRAY(SELECT m.contact_id FROM dialer.list_members m WHERE m.list_id = list.id ORDER BY m.contact_id);
END
$$;

-- The lists page: what the acting user may read, with their member counts.
CREATE VIEW dialer.lists_overview AS
SELECT l.id, l.name, l.description, l.owner, r.display_name AS owner_name, l.shared,
       (SELECT count(*) FROM dialer.list_members m WHERE m.list_id = l.id) AS contacts,
       l.created_at, l.updated_at, l.owner = dialer.acting_user() AS is_mine
FROM dialer.lists l JOIN dialer.reps r ON r.name = l.owner
WHERE l.shared OR l.owner = dialer.acting_user() OR dialer._is_admin()
ORDER BY l.updated_at DESC, l.id DESC;

COMMENT ON VIEW dialer.lists_overview IS
'The lists the acting user may read (shared ones, their own; admins: all), most recently changed first: id, name, description, owner, owner_name, shared, contacts, created_at, updated_at, is_mine.';
