-- The filter language (19_filters.sql): a date or time value of a filter
-- travels as seconds or days since 1970 under immutable arithmetic
-- (dialer._filter_param), so the planner folds it into a constant instead of
-- the executor parsing it on every row; a column whose type has its own
-- comparison operators (citext) compares with them (dialer._filter_operator).
-- dialer._filter_sql uses both.

CREATE FUNCTION dialer._filter_param(value text, col_type text, k integer, OUT element text, OUT expr text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    seconds numeric;
BEGIN
    element := value;
    expr := format('($1[%s])::%s', k, col_type);
    IF col_type = 'timestamp with time zone' AND isfinite(value::timestamptz) THEN
        seconds := extract(epoch FROM value::timestamptz);
        IF to_timestamp(seconds::double precision) = value::timestamptz THEN
            element := seconds::text;
            expr := format('to_timestamp(($1[%s])::double precision)', k);
        END IF;
    ELSIF col_type = 'timestamp without time zone' AND isfinite(value::timestamp) THEN
        seconds := extract(epoch FROM value::timestamp);
        IF to_timestamp(seconds::double precision) AT TIME ZONE 'UTC' = value::timestamp THEN
            element := seconds::text;
            expr := format('(to_timestamp(($1[%s])::double precision) AT TIME ZONE ''UTC'')', k);
        END IF;
    ELSIF col_type = 'date' AND isfinite(value::date) THEN
        element := (value::date - DATE '1970-01-01')::text;
        expr := format('(DATE ''1970-01-01'' + ($1[%s])::integer)', k);
    END IF;
END
$$;

CREATE FUNCTION dialer._filter_operator(col_type text, symbol text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    base oid := col_type::regtype;
    found text;
BEGIN
    -- A domain compares with its base type's operators.
    WHILE (SELECT t.typtype FROM pg_catalog.pg_type t WHERE t.oid = base) = 'd' LOOP
        base := (SELECT t.typbasetype FROM pg_catalog.pg_type t WHERE t.oid = base);
    END LOOP;
    SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO found
    FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
    WHERE o.oprname = symbol AND o.oprleft = base AND o.oprright = base AND o.oprkind = 'b'
      AND o.oprresult = 'pg_catalog.bool'::pg_catalog.regtype AND n.nspname <> 'pg_catalog'
    ORDER BY n.nspname LIMIT 1;
    RETURN coalesce(found, symbol);
END
$$;

CREATE OR REPLACE FUNCTION dialer._filter_sql(node jsonb, relation regclass, INOUT params text[], path text,
                                   depth integer, OUT sql text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    keys      text[];
    key       text;
    child     record;
    parts     text[] := '{}';
    part      text;
    field_name     text;
    op        text;
    kind      text;
    value     jsonb;
    col       text;
    col_type  text;   -- format_type of the column, e.g. integer, text[], timestamp with time zone
    is_array  boolean;
    is_integral_type boolean;
    param     text;   -- ($1[k])::type
    elements  text[];
    days      jsonb;
    last_call text;
    week_from text;
    week_to   text;
    from_expr text;   -- the SQL of a lower and an upper bound (dialer._filter_param)
    to_expr   text;
    symbol    text;   -- a comparison operator (dialer._filter_operator)
    compile   boolean := relation IS NOT NULL;
BEGIN
    IF depth > 32 THEN
        PERFORM dialer._filter_error('filter is nested too deeply (more than 32 levels)', path);
    END IF;
    IF node IS NULL OR jsonb_typeof(node) <> 'object' THEN
        PERFORM dialer._filter_error(format('a filter node must be a JSON object, not %s',
                                            coalesce(node::text, 'NULL')), path);
    END IF;
    keys := ARRAY(SELECT jsonb_object_keys(node) ORDER BY 1);

    -- and / or: a list of nodes (empty: every contact / none)
    IF keys = '{and}' OR keys = '{or}' THEN
        key := keys[1];
        IF jsonb_typeof(node -> key) <> 'array' THEN
            PERFORM dialer._filter_error(format('"%s" takes an array of filters', key), path);
        END IF;
        FOR child IN SELECT e, o FROM jsonb_array_elements(node -> key) WITH ORDINALITY AS x(e, o) LOOP
            SELECT f.params, f.sql INTO params, part
            FROM dialer._filter_sql(child.e, relation, params, format('%s.%s[%s]', path, key, child.o), depth + 1) f;
            parts := parts || part;
        END LOOP;
        IF compile THEN
            sql := CASE WHEN cardinality(parts) = 0 THEN CASE key WHEN 'and' THEN 'true' ELSE 'false' END
                        ELSE '(' || array_to_string(parts, CASE key WHEN 'and' THEN ' AND ' ELSE ' OR ' END) || ')' END;
        END IF;
        RETURN;
    END IF;
    IF keys = '{not}' THEN
        SELECT f.params, f.sql INTO params, part
        FROM dialer._filter_sql(node -> 'not', relation, params, path || '.not', depth + 1) f;
        sql := CASE WHEN compile THEN format('(NOT %s)', part) END;
        RETURN;
    END IF;

    -- The quick filters, on last_call_attempt_at and the rules.
    IF cardinality(keys) = 1 AND keys[1] IN ('is_dialable', 'never_contacted', 'called_this_week') THEN
        key := keys[1];
        IF jsonb_typeof(node -> key) <> 'boolean' THEN
            PERFORM dialer._filter_error(format('"%s" takes true or false', key), path);
        END IF;
        IF compile THEN
            IF key = 'is_dialable' THEN
                sql := 'dialer.is_dialable(c)';
            ELSE
                last_call := dialer._filter_column(relation, 'last_call_attempt_at', path);
                IF key = 'never_contacted' THEN
                    sql := format('c.%I IS NULL', 'last_call_attempt_at');
                ELSE
                    -- Monday 00:00 of this week and of the next, in the session time zone.
                    week_from := to_char(date_trunc('week', now()), 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
                    week_to := to_char(date_trunc('week', now()) + interval '7 days', 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
                    SELECT p.element, p.expr INTO week_from, from_expr
                    FROM dialer._filter_param(week_from, last_call, cardinality(params) + 1) p;
                    params := params || week_from;
                    SELECT p.element, p.expr INTO week_to, to_expr
                    FROM dialer._filter_param(week_to, last_call, cardinality(params) + 1) p;
                    params := params || week_to;
                    sql := format('(c.%1$I >= %2$s AND c.%1$I < %3$s)', 'last_call_attempt_at', from_expr, to_expr);
                END IF;
            END IF;
            IF NOT (node ->> key)::boolean THEN
                sql := format('(NOT %s)', sql);
            END IF;
        END IF;
        RETURN;
    END IF;
    IF keys = '{called_within_days}' THEN
        days := node -> 'called_within_days';
        IF jsonb_typeof(days) <> 'number' OR (days #>> '{}')::numeric NOT BETWEEN 1 AND 36500
           OR (days #>> '{}')::numeric <> trunc((days #>> '{}')::numeric) THEN
            PERFORM dialer._filter_error('"called_within_days" takes a whole number of days from 1 to 36500', path);
        END IF;
        IF compile THEN
            last_call := dialer._filter_column(relation, 'last_call_attempt_at', path);
            SELECT p.element, p.expr INTO part, param
            FROM dialer._filter_param(dialer._filter_value('time', 'last_call_attempt_at',
                                                           jsonb_build_object('days_ago', days), last_call, path),
                                      last_call, cardinality(params) + 1) p;
            params := params || part;
            sql := format('c.%I >= %s', 'last_call_attempt_at', param);
        END IF;
        RETURN;
    END IF;

    -- {"field": ..., "op": ..., "value": ...}
    IF NOT (keys <@ '{field,op,value}' AND keys @> '{field,op}') THEN
        SELECT k INTO key FROM unnest(keys) k
        WHERE k NOT IN ('field', 'op', 'value', 'and', 'or', 'not', 'is_dialable', 'never_contacted',
                        'called_this_week', 'called_within_days')
        ORDER BY 1 LIMIT 1;
        IF key IS NOT NULL THEN
            PERFORM dialer._filter_error(format('unknown filter key "%s"', key), path);
        END IF;
        PERFORM dialer._filter_error(format('a filter node is one of {"and": [...]}, {"or": [...]}, {"not": {...}}, '
                                            '{"field", "op", "value"} or a quick filter, not one with the keys %s',
                                            coalesce(nullif(array_to_string(keys, ', '), ''), '(none)')), path);
    END IF;
    IF jsonb_typeof(node -> 'field') <> 'string' THEN
        PERFORM dialer._filter_error('"field" must be a string', path);
    END IF;
    IF jsonb_typeof(node -> 'op') <> 'string' THEN
        PERFORM dialer._filter_error('"op" must be a string', path);
    END IF;
    field_name := node ->> 'field';
    op := node ->> 'op';
    value := node -> 'value';
    SELECT f.kind INTO kind FROM dialer.filter_fields() f WHERE f.field = field_name;
    IF kind IS NULL THEN
        PERFORM dialer._filter_error(format('unknown filter field "%s"', field_name), path,
                                     'The fields are the contact columns of docs/sql-reference.md: SELECT * FROM dialer.filter_fields().');
    END IF;
    IF dialer._filter_operator_kinds(op) IS NULL THEN
        PERFORM dialer._filter_error(format('unknown filter operator "%s"', op), path,
                                     'The operators are eq, ne, lt, lte, gt, gte, in, not_in, contains, starts_with, has_any, has_all, on_date, is_null and is_not_null.');
    END IF;
    IF kind <> ALL (dialer._filter_operator_kinds(op)) THEN
        PERFORM dialer._filter_error(format('operator "%s" does not apply to field "%s" (%s)', op, field_name, kind), path);
    END IF;

    IF compile THEN
        col_type := dialer._filter_column(relation, field_name, path);
        is_array := col_type LIKE '%[]';
        IF kind = 'list' AND NOT is_array THEN
            RAISE EXCEPTION 'field "%" of % must be an array column to be filtered with "%", not %',
                field_name, relation, op, col_type USING ERRCODE = '42804';
        END IF;
        col := format('c.%I', field_name);
    END IF;

    IF op IN ('is_null', 'is_not_null') THEN
        IF value IS NOT NULL THEN
            PERFORM dialer._filter_error(format('operator "%s" takes no value', op), path);
        END IF;
        sql := CASE WHEN compile THEN format('%s %s', col, CASE op WHEN 'is_null' THEN 'IS NULL' ELSE 'IS NOT NULL' END) END;
        RETURN;
    END IF;

    IF op IN ('in', 'not_in', 'has_any', 'has_all') THEN
        IF op IN ('has_any', 'has_all') AND jsonb_typeof(value) = 'string' THEN
            value := jsonb_build_array(value);
        END IF;
        IF value IS NULL OR jsonb_typeof(value) <> 'array' OR jsonb_array_length(value) = 0 THEN
            PERFORM dialer._filter_error(format('operator "%s" takes a non-empty array of values', op), path);
        END IF;
        elements := ARRAY(SELECT dialer._filter_value(kind, field_name, e, col_type, format('%s.value[%s]', path, o))
                          FROM jsonb_array_elements(value) WITH ORDINALITY AS x(e, o) ORDER BY o);
        IF NOT compile THEN
            RETURN;
        END IF;
        -- One parameter element per value, each cast to the column's (element)
        -- type, in an ARRAY[...] as the parser makes of IN (a, b): a cast of
        -- the array's text form would go through array_in, which is only
        -- STABLE, so the planner would not fold it into a constant.
        param := format('ARRAY[%s]', (SELECT string_agg(format('($1[%s])::%s', cardinality(params) + o,
                                                               CASE WHEN is_array THEN 'text' ELSE col_type END), ', ')
                                      FROM generate_series(1, cardinality(elements)) o));
        IF is_array THEN
            param := format('%s::%s', param, col_type);
        END IF;
        params := params || elements;
        sql := CASE op
            WHEN 'in' THEN format('%s %s ANY (%s)', col, dialer._filter_operator(col_type, '='), param)
            WHEN 'not_in' THEN format('(%1$s IS NULL OR %1$s %3$s ALL (%2$s))', col, param,
                                      dialer._filter_operator(col_type, '<>'))
            WHEN 'has_any' THEN format('%s && %s', col, param)
            ELSE format('%s @> %s', col, param) END;
        RETURN;
    END IF;

    -- on_date: the column falls on that calendar day. A relative value
    -- counts days from today in the acting rep's time zone (dialer.rep_today,
    -- 18_rep_time_zone.sql), {"days_ago": 0} being today; a timestamp column
    -- matches from that day's midnight to the next, in that time zone.
    IF op = 'on_date' THEN
        part := dialer._filter_day(field_name, value, path || '.value');
        IF compile THEN
            IF col_type = 'date' THEN
                SELECT p.element, p.expr INTO part, param FROM dialer._filter_param(part, 'date', cardinality(params) + 1) p;
                params := params || part;
                sql := format('%s = %s', col, param);
            ELSE
                SELECT p.element, p.expr INTO week_from, from_expr
                FROM dialer._filter_param(dialer._day_start(part::date, col_type), col_type, cardinality(params) + 1) p;
                params := params || week_from;
                SELECT p.element, p.expr INTO week_to, to_expr
                FROM dialer._filter_param(dialer._day_start(part::date + 1, col_type), col_type, cardinality(params) + 1) p;
                params := params || week_to;
                sql := format('(%1$s >= %2$s AND %1$s < %3$s)', col, from_expr, to_expr);
            END IF;
        END IF;
        RETURN;
    END IF;

    IF op IN ('contains', 'starts_with') THEN
        part := dialer._filter_value(kind, field_name, value, col_type, path || '.value');
        IF compile THEN
            params := params || (CASE op WHEN 'contains' THEN '%' ELSE '' END || dialer._like_literal(part) || '%');
            sql := format('%s ILIKE ($1[%s])::text', col, cardinality(params));
        END IF;
        RETURN;
    END IF;

    -- eq, ne, lt, lte, gt, gte
    part := dialer._filter_value(kind, field_name, value, col_type, path || '.value');
    IF NOT compile THEN
        RETURN;
    END IF;
    -- A fractional number against an integer column compares as numeric (the
    -- column is widened), so 75.5 is not rounded; whole numbers keep the
    -- column's type, and its index.
    is_integral_type := col_type IN ('smallint', 'integer', 'bigint');
    SELECT p.element, p.expr INTO part, param
    FROM dialer._filter_param(part, CASE WHEN kind = 'number' AND is_integral_type AND part::numeric <> trunc(part::numeric)
                                         THEN 'numeric' ELSE col_type END, cardinality(params) + 1) p;
    params := params || part;
    -- The column type's own operator (dialer._filter_operator); ne is
    -- IS DISTINCT FROM, which has no OPERATOR() form, so a type with its own
    -- <> spells it out (the value is never NULL).
    symbol := CASE op WHEN 'eq' THEN '=' WHEN 'ne' THEN '<>' WHEN 'lt' THEN '<' WHEN 'lte' THEN '<='
                      WHEN 'gt' THEN '>' ELSE '>=' END;
    IF kind IN ('text', 'id') THEN
        symbol := dialer._filter_operator(col_type, symbol);
    END IF;
    sql := CASE WHEN op = 'ne' AND symbol = '<>' THEN format('%s IS DISTINCT FROM %s', col, param)
                WHEN op = 'ne' THEN format('(%1$s IS NULL OR %1$s %2$s %3$s)', col, symbol, param)
                ELSE format('%s %s %s', col, symbol, param) END;
END
$$;


REVOKE ALL ON FUNCTION dialer._filter_param(text, text, integer), dialer._filter_operator(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dialer._filter_param(text, text, integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION dialer._filter_operator(text, text) TO PUBLIC;
