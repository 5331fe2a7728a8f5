-- Static lists (20_lists.sql): dialer.add_to_list warns about ids that are not
-- in the contact relation (dialer._warn_unknown_contacts, reading the contacts
-- with the caller's rights), so it is SECURITY INVOKER now and reps execute
-- its steps.

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

CREATE OR REPLACE FUNCTION dialer.add_to_list(list_id bigint, contacts anyarray)
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


REVOKE ALL ON FUNCTION dialer._warn_unknown_contacts(bigint, text[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    dialer._element_id(jsonb), dialer._change_list_members(bigint, text[], boolean),
    dialer._warn_unknown_contacts(bigint, text[], integer)
TO dialer_rep;
