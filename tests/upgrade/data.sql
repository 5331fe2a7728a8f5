-- Every row of every table of the schema dialer, and every sequence's state,
-- as one JSON object, a key per table or sequence:
--   {"dialer.reps": {"columns": [...], "count": n, "md5": "...", "rows": [...],
--                    "shipped_columns": [...], "shipped": [...]}, ...}
-- rows as their text, in C order. Two kinds of row:
--   rows     the data pg_dump keeps: the rows of a config-dump table
--            (pg_extension_config_dump) its filter selects; the state of a sequence
--   shipped  the rows the extension's scripts write: those a config dump's
--            filter leaves out, and every row of a table that is not config-dumped;
--            without their timestamp columns, which say when the script ran;
--            each with its primary key (keys: the primary keys of rows), so that
--            a shipped row an admin changed (then kept by pg_dump) is known
-- With the psql variable columns set to an earlier snapshot's columns and
-- config dump filters (compare.py columns), each table is read through the
-- columns it had then only (a column gone since is listed in missing_columns)
-- and its rows are split by the filter of then, so that a snapshot of 1.0
-- compares with the same rows after an upgrade that added columns or changed
-- a filter. tests/upgrade/compare.py compares two.
-- Run as: psql -XAtq [-v columns=JSON] -f tests/upgrade/data.sql
\if :{?columns}
\else
\set columns ''
\endif
CREATE FUNCTION pg_temp.snapshot(earlier jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    rel      record;
    cols     text[];
    gone     text[];
    shipcols text[];
    keycols  text;   -- the primary key as a row, or the whole row
    dumped   text;   -- the condition of the rows pg_dump keeps
    result   jsonb := '{}';
    entry    jsonb;
    shipped  jsonb;
BEGIN
    FOR rel IN SELECT c.oid, c.oid::regclass::text AS name, c.relkind, x.cond
               FROM pg_class c
               LEFT JOIN (SELECT u.reloid, u.cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(reloid, cond)
                          WHERE e.extname = 'pgdialer') x ON x.reloid = c.oid
               WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'p', 'S') ORDER BY 2 LOOP
        IF rel.relkind = 'S' THEN
            EXECUTE format('SELECT jsonb_build_object(''columns'', ''[]''::jsonb, ''count'', 1, ''md5'', '''', ''rows'', '
                           'jsonb_build_array(format(''last_value=%%s is_called=%%s'', last_value, is_called)), '
                           '''shipped'', ''[]''::jsonb) FROM %s', rel.name) INTO entry;
            result := result || jsonb_build_object(rel.name, entry);
            CONTINUE;
        END IF;
        gone := '{}';
        IF earlier IS NOT NULL AND earlier ? rel.name THEN
            cols := ARRAY(SELECT jsonb_array_elements_text(earlier -> rel.name -> 'columns'));
            gone := ARRAY(SELECT c FROM unnest(cols) c WHERE NOT EXISTS (
                SELECT FROM pg_attribute a WHERE a.attrelid = rel.oid AND a.attname = c AND NOT a.attisdropped));
            cols := ARRAY(SELECT c FROM unnest(cols) c WHERE c <> ALL (gone));
        ELSE
            cols := ARRAY(SELECT a.attname::text FROM pg_attribute a
                          WHERE a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum);
        END IF;
        shipcols := ARRAY(SELECT c FROM unnest(cols) c JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attname = c
                          WHERE a.atttypid NOT IN ('timestamptz'::regtype, 'timestamp'::regtype));
        keycols := coalesce((SELECT 'ROW(' || string_agg(quote_ident(a.attname), ', ' ORDER BY k.n) || ')::text'
                             FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n), pg_attribute a
                             WHERE i.indrelid = rel.oid AND i.indisprimary AND a.attrelid = rel.oid AND a.attnum = k.attnum),
                            'ROW(t.*)::text');
        -- The rows pg_dump keeps: as the earlier snapshot's filter said, if any.
        IF earlier IS NOT NULL AND earlier ? rel.name THEN
            rel.cond := earlier -> rel.name ->> 'condition';
        END IF;
        dumped := CASE WHEN rel.cond IS NULL THEN 'false'
                       WHEN rel.cond = '' THEN 'true'
                       ELSE regexp_replace(rel.cond, '^\s*WHERE\s+', '', 'i') END;
        EXECUTE format('SELECT jsonb_build_object(''columns'', to_jsonb($1), ''count'', count(*), '
                       '''md5'', md5(coalesce(string_agg(t, E''\n'' ORDER BY t COLLATE "C"), '''')), '
                       '''rows'', coalesce(jsonb_agg(t ORDER BY t COLLATE "C"), ''[]''), '
                       '''keys'', coalesce(jsonb_agg(k), ''[]'')) '
                       'FROM (SELECT (SELECT r2::text FROM (SELECT %s) r2) AS t, r.pgdialer_key AS k '
                       '      FROM (SELECT t.*, %s AS pgdialer_key FROM %s t WHERE (%s)) r) x',
                       (SELECT string_agg('r.' || quote_ident(c), ', ') FROM unnest(cols) c), keycols, rel.name, dumped)
            USING cols INTO entry;
        EXECUTE format('SELECT coalesce(jsonb_agg(jsonb_build_object(''key'', k, ''row'', t) ORDER BY t COLLATE "C"), ''[]'') '
                       'FROM (SELECT (SELECT r2::text FROM (SELECT %s) r2) AS t, r.pgdialer_key AS k '
                       '      FROM (SELECT t.*, %s AS pgdialer_key FROM %s t WHERE NOT coalesce((%s), false)) r) x',
                       (SELECT string_agg('r.' || quote_ident(c), ', ') FROM unnest(shipcols) c), keycols, rel.name, dumped)
            INTO shipped;
        entry := entry || jsonb_build_object('shipped_columns', to_jsonb(shipcols), 'shipped', shipped,
                                             'condition', rel.cond);
        IF cardinality(gone) > 0 THEN
            entry := entry || jsonb_build_object('missing_columns', to_jsonb(gone));
        END IF;
        result := result || jsonb_build_object(rel.name, entry);
    END LOOP;
    RETURN result;
END
$$;
SELECT pg_temp.snapshot(nullif(:'columns', '')::jsonb);
