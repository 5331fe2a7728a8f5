-- The catalog of the pgdialer extension in the current database, as one JSON
-- object: a key per object (and per property of it that matters), its value a
-- text. scripts/test-upgrade.sh compares two of them (an upgraded database and
-- a fresh install of the newest version) with tests/upgrade/compare.py, which
-- prints the keys that differ. What is compared: every member of the
-- extension (pg_describe_object), the schema, relations, columns (type,
-- default, nullability, identity, position, ACL, comment), constraints,
-- indexes, triggers, rules, policies, views' definitions, sequences' options,
-- types, functions (pg_get_functiondef, aggregates' parts), ACLs, owners,
-- comments, the privileges pg_dump starts from (pg_init_privs), the config
-- dump entries (extconfig/extcondition) and the dialer_* roles.
-- Run as: psql -XAtq -f tests/upgrade/catalog.sql
WITH
ext AS (SELECT e.oid, e.extname, e.extversion, e.extconfig, e.extcondition FROM pg_extension e
        WHERE e.extname = 'pgdialer'),
nsp AS (SELECT n.oid FROM pg_namespace n WHERE n.nspname = 'dialer'),
rels AS (
    SELECT c.oid, c.relkind, c.relname, c.oid::regclass::text AS name
    FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM nsp)
),
items(k, v) AS (
    -- The extension itself and what it owns.
    SELECT 'extension pgdialer: version', (SELECT extversion FROM ext)
    UNION ALL
    SELECT 'extension member: ' || pg_describe_object(d.classid, d.objid, d.objsubid), 'member'
    FROM pg_depend d WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = (SELECT oid FROM ext)
      AND d.deptype = 'e'
    UNION ALL
    SELECT 'extension config dump: ' || x.reloid::regclass::text, coalesce(nullif(x.cond, ''), '(all rows)')
    FROM ext, unnest(ext.extconfig, ext.extcondition) AS x(reloid, cond)
    UNION ALL
    -- The schema.
    SELECT 'schema dialer: owner', pg_get_userbyid(n.nspowner)::text FROM pg_namespace n WHERE n.oid = (SELECT oid FROM nsp)
    UNION ALL
    SELECT 'schema dialer: acl', (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(n.nspacl, acldefault('n', n.nspowner))) a)
    FROM pg_namespace n WHERE n.oid = (SELECT oid FROM nsp)
    UNION ALL
    SELECT 'schema dialer: comment', obj_description((SELECT oid FROM nsp), 'pg_namespace')
    UNION ALL
    -- Relations: tables, views, sequences, indexes, composite types' relations.
    SELECT format('relation %s: kind', r.name),
           format('relkind=%s persistence=%s rls=%s force_rls=%s options=%s owner=%s', c.relkind, c.relpersistence,
                  c.relrowsecurity, c.relforcerowsecurity, c.reloptions, pg_get_userbyid(c.relowner))
    FROM rels r JOIN pg_class c ON c.oid = r.oid
    UNION ALL
    SELECT format('relation %s: acl', r.name), (SELECT string_agg(a::text, ' ' ORDER BY a::text)
            FROM unnest(coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) a)
    FROM rels r JOIN pg_class c ON c.oid = r.oid
    UNION ALL
    SELECT format('relation %s: comment', r.name), obj_description(r.oid, 'pg_class') FROM rels r
    UNION ALL
    -- Columns (of tables, views and composite types).
    SELECT format('column %s.%s', r.name, quote_ident(a.attname)),
           format('position=%s type=%s not_null=%s default=%s identity=%s generated=%s collation=%s',
                  row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum), format_type(a.atttypid, a.atttypmod),
                  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), nullif(a.attidentity, ''),
                  nullif(a.attgenerated, ''), CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text END)
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
    UNION ALL
    SELECT format('column %s.%s: acl', r.name, quote_ident(a.attname)),
           (SELECT string_agg(x::text, ' ' ORDER BY x::text) FROM unnest(a.attacl) x)
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE a.attacl IS NOT NULL
    UNION ALL
    SELECT format('column %s.%s: comment', r.name, quote_ident(a.attname)), col_description(r.oid, a.attnum)
    FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE col_description(r.oid, a.attnum) IS NOT NULL
    UNION ALL
    -- Constraints (of tables and of domains).
    SELECT format('constraint %s on %s', quote_ident(co.conname),
                  coalesce(co.conrelid::regclass::text, 'domain ' || co.contypid::regtype::text)),
           pg_get_constraintdef(co.oid) || CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
               || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
               || CASE WHEN NOT co.convalidated THEN ' NOT VALID' ELSE '' END
    FROM pg_constraint co WHERE co.connamespace = (SELECT oid FROM nsp)
    UNION ALL
    SELECT format('constraint %s on %s: comment', quote_ident(co.conname), coalesce(co.conrelid::regclass::text, co.contypid::regtype::text)),
           obj_description(co.oid, 'pg_constraint')
    FROM pg_constraint co WHERE co.connamespace = (SELECT oid FROM nsp) AND obj_description(co.oid, 'pg_constraint') IS NOT NULL
    UNION ALL
    -- Indexes.
    SELECT format('index %s', r.name), pg_get_indexdef(r.oid) || CASE WHEN i.indisclustered THEN ' (clustered)' ELSE '' END
    FROM rels r JOIN pg_index i ON i.indexrelid = r.oid
    UNION ALL
    -- Triggers.
    SELECT format('trigger %s on %s', quote_ident(t.tgname), t.tgrelid::regclass::text),
           pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
    FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT format('trigger %s on %s: comment', quote_ident(t.tgname), t.tgrelid::regclass::text), obj_description(t.oid, 'pg_trigger')
    FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal AND obj_description(t.oid, 'pg_trigger') IS NOT NULL
    UNION ALL
    -- Views' definitions, and rules other than a view's.
    SELECT format('view %s: definition', r.name), pg_get_viewdef(r.oid) FROM rels r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT format('rule %s on %s', quote_ident(rw.rulename), rw.ev_class::regclass::text), pg_get_ruledef(rw.oid)
    FROM pg_rewrite rw JOIN rels r ON r.oid = rw.ev_class WHERE rw.rulename <> '_RETURN'
    UNION ALL
    SELECT format('policy %s on %s', quote_ident(p.polname), p.polrelid::regclass::text),
           format('cmd=%s permissive=%s roles=%s using=%s check=%s', p.polcmd, p.polpermissive,
                  (SELECT string_agg(CASE WHEN x = 0 THEN 'public' ELSE pg_get_userbyid(x)::text END, ',' ORDER BY 1) FROM unnest(p.polroles) x),
                  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM pg_policy p JOIN rels r ON r.oid = p.polrelid
    UNION ALL
    -- Sequences' options, and the column that owns each.
    SELECT format('sequence %s', r.name),
           format('type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s owned_by=%s', s.seqtypid::regtype,
                  s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                  (SELECT d.refobjid::regclass::text || '.' || quote_ident(a.attname) FROM pg_depend d
                   JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
                     AND d.deptype IN ('a', 'i')))
    FROM rels r JOIN pg_sequence s ON s.seqrelid = r.oid
    UNION ALL
    -- Types: composite, domain, enum, range (not the row types of tables).
    SELECT format('type %s', t.oid::regtype::text),
           format('typtype=%s base=%s not_null=%s default=%s labels=%s owner=%s', t.typtype,
                  CASE WHEN t.typbasetype <> 0 THEN format_type(t.typbasetype, t.typtypmod) END, t.typnotnull, t.typdefault,
                  (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                  pg_get_userbyid(t.typowner))
    FROM pg_type t
    WHERE t.typnamespace = (SELECT oid FROM nsp) AND t.typelem = 0
      AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
    UNION ALL
    SELECT format('type %s: acl', t.oid::regtype::text),
           (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(t.typacl, acldefault('T', t.typowner))) a)
    FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM nsp) AND t.typacl IS NOT NULL
      AND (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(t.typacl) a)
          IS DISTINCT FROM (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(acldefault('T', t.typowner)) a)
    UNION ALL
    SELECT format('type %s: comment', t.oid::regtype::text), obj_description(t.oid, 'pg_type')
    FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM nsp) AND obj_description(t.oid, 'pg_type') IS NOT NULL
    UNION ALL
    -- Functions, procedures and aggregates, by signature.
    SELECT format('function %s', p.oid::regprocedure::text),
           CASE WHEN p.prokind = 'a' THEN
               format('aggregate(%s) returns %s sfunc=%s stype=%s finalfunc=%s combinefunc=%s initcond=%s parallel=%s',
                      pg_get_function_arguments(p.oid), pg_get_function_result(p.oid), ag.aggtransfn::regprocedure,
                      format_type(ag.aggtranstype, NULL), nullif(ag.aggfinalfn, 0)::regprocedure,
                      nullif(ag.aggcombinefn, 0)::regprocedure, ag.agginitval, p.proparallel)
           ELSE pg_get_functiondef(p.oid) END
    FROM pg_proc p LEFT JOIN pg_aggregate ag ON ag.aggfnoid = p.oid
    WHERE p.pronamespace = (SELECT oid FROM nsp)
    UNION ALL
    SELECT format('function %s: owner', p.oid::regprocedure::text), pg_get_userbyid(p.proowner)::text
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM nsp)
    UNION ALL
    SELECT format('function %s: acl', p.oid::regprocedure::text),
           (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(coalesce(p.proacl, acldefault('f', p.proowner))) a)
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM nsp)
    UNION ALL
    SELECT format('function %s: comment', p.oid::regprocedure::text), obj_description(p.oid, 'pg_proc')
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM nsp) AND obj_description(p.oid, 'pg_proc') IS NOT NULL
    UNION ALL
    -- The privileges pg_dump takes as the extension's own (it dumps only the
    -- changes made after them).
    SELECT format('initial privileges of %s', pg_describe_object(ip.classoid, ip.objoid, ip.objsubid)),
           (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(ip.initprivs) a) || ' (' || ip.privtype::text || ')'
    FROM pg_init_privs ip
    JOIN LATERAL (
        SELECT 'r'::"char" AS kind, c.relowner AS owner FROM pg_class c
        WHERE ip.classoid = 'pg_class'::regclass AND c.oid = ip.objoid AND c.oid IN (SELECT oid FROM rels) AND c.relkind <> 'S'
        UNION ALL
        SELECT 's', c.relowner FROM pg_class c
        WHERE ip.classoid = 'pg_class'::regclass AND c.oid = ip.objoid AND c.oid IN (SELECT oid FROM rels) AND c.relkind = 'S'
        UNION ALL
        SELECT 'f', p.proowner FROM pg_proc p
        WHERE ip.classoid = 'pg_proc'::regclass AND p.oid = ip.objoid AND p.pronamespace = (SELECT oid FROM nsp)
        UNION ALL
        SELECT 'T', t.typowner FROM pg_type t
        WHERE ip.classoid = 'pg_type'::regclass AND t.oid = ip.objoid AND t.typnamespace = (SELECT oid FROM nsp)
        UNION ALL
        SELECT 'n', n.nspowner FROM pg_namespace n
        WHERE ip.classoid = 'pg_namespace'::regclass AND n.oid = ip.objoid AND n.oid = (SELECT oid FROM nsp)
    ) o ON true
    -- (Initial privileges equal to the default of their kind are the same as
    -- none: pg_upgrade does not keep those.)
    WHERE ip.objsubid <> 0
       OR (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(ip.initprivs) a)
          IS DISTINCT FROM (SELECT array_agg(a::text ORDER BY a::text) FROM unnest(acldefault(o.kind, o.owner)) a)
    UNION ALL
    -- Default privileges in the schema.
    SELECT format('default privileges of %s for %s', pg_get_userbyid(da.defaclrole), da.defaclobjtype),
           (SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(da.defaclacl) a)
    FROM pg_default_acl da WHERE da.defaclnamespace = (SELECT oid FROM nsp)
    UNION ALL
    -- The roles (cluster-wide; what CREATE EXTENSION makes them).
    SELECT format('role %s', r.rolname),
           format('login=%s inherit=%s createrole=%s createdb=%s superuser=%s bypassrls=%s', r.rolcanlogin, r.rolinherit,
                  r.rolcreaterole, r.rolcreatedb, r.rolsuper, r.rolbypassrls)
    FROM pg_roles r WHERE r.rolname LIKE 'dialer\_%'
    UNION ALL
    SELECT format('role membership %s in %s', pg_get_userbyid(m.member), pg_get_userbyid(m.roleid)),
           format('admin_option=%s', m.admin_option)
    FROM pg_auth_members m
    WHERE pg_get_userbyid(m.roleid) LIKE 'dialer\_%' AND pg_get_userbyid(m.member) LIKE 'dialer\_%'
)
-- ACLs above are sorted, so that the order of the grants does not count, and
-- a NULL ACL is shown as the default it means (acldefault).
SELECT jsonb_agg(jsonb_build_array(k, coalesce(v, '(none)')) ORDER BY k, v) FROM items WHERE k IS NOT NULL;
