-- The filter language of segments (21_segments.sql): a jsonb tree, validated
-- when saved and compiled here to a parameterised WHERE clause over the
-- contact relation registered with dialer.configure. The language is
-- specified in docs/sql-reference.md ("The filter language").
--
--   {"and": [node, ...]}  {"or": [node, ...]}  {"not": node}
--   {"field": "engagement_score", "op": "gt", "value": 75}
--   {"field": "last_call_attempt_at", "op": "lt", "value": {"days_ago": 90}}
--   {"is_dialable": true}  {"never_contacted": true}  {"called_this_week": true}
--   {"called_within_days": 30}
--
-- No SQL text is ever stored or taken from the filter. Fields are a closed
-- list (the documented contact columns); each becomes c.<column> through
-- format('%I'); operators are a closed list mapped to fixed SQL; every value
-- travels as an element of one text[] parameter ($1) and is cast to the
-- column's own type (format_type from the catalogue), so a value can never
-- become SQL and an index on the column applies.
--
-- Why PL/pgSQL and not a C++ core: the compiler's whole job is catalogue
-- lookups (the relation's columns and types), identifier quoting and binding
-- values, which format('%I'), format_type and EXECUTE ... USING do directly;
-- a C++ core would need all of that handed in and an SPI layer to bind a
-- variable number of parameters, for no gain in safety. The statement runs
-- as a one-shot plan with the parameter's value known (PL/pgSQL marks USING
-- values constant), so each run gets a custom plan and the planner folds
-- ($1[k])::type into a constant where the cast is immutable (numbers, text):
-- the same plan as the filter written by hand. Casts of text to timestamptz,
-- timestamp and date are only STABLE (they read the session's TimeZone and
-- DateStyle), so the planner would leave them in the plan and the executor
-- parse the text again on every row it filters; dialer._filter_param passes
-- a date or time as a number instead (seconds or days since 1970, computed
-- here in the caller's session) under immutable arithmetic, which the
-- planner folds into one constant.
--
-- Used by: 21_segments.sql (validate when saved, compile when run),
-- 22_entry_points.sql; analysts (dialer.validate_filter, dialer.filter_sql).

-- The fields a filter may name, and what kind of value each takes.
--   text     strings       id    string or number
--   number   numbers       bool  true/false
--   time     a date/timestamp string, or {"days_ago": N} / {"days_from_now": N}
--   list     arrays of strings (text[] columns)
CREATE FUNCTION dialer.filter_fields()
RETURNS TABLE (field text, kind text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('id', 'id'),
           ('contact_type', 'text'), ('first_name', 'text'), ('last_name', 'text'), ('company', 'text'),
           ('title', 'text'), ('email', 'text'), ('phone', 'text'), ('phone_e164', 'text'),
           ('address_line1', 'text'), ('city', 'text'), ('state', 'text'), ('zip', 'text'),
           ('do_not_call', 'bool'), ('do_not_call_reason', 'text'), ('do_not_call_source', 'text'),
           ('suppressed', 'bool'), ('phone_number_invalid', 'bool'), ('phone_invalid_reason', 'text'),
           ('last_call_attempt_at', 'time'), ('last_contact_method', 'text'), ('last_contact_outcome', 'text'),
           ('buyer_type', 'text'), ('aum', 'text'), ('fund_size', 'text'), ('target_ebitda_range', 'text'),
           ('target_industries', 'list'), ('target_geographies', 'list'),
           ('engagement_score', 'number'), ('relationship_strength', 'text'), ('active_deals_count', 'number'),
           ('last_deal_presented', 'text'), ('last_deal_outcome', 'text'), ('call_talking_points', 'text'),
           ('preferred_contact_time', 'text'), ('assistant_name', 'text'), ('assistant_phone', 'text'),
           ('contact_owner', 'text'), ('contact_source', 'text'), ('industry', 'text'),
           ('created_at', 'time'), ('next_action_type', 'text'), ('next_action_date', 'time'),
           ('last_disposition', 'text')
$$;

COMMENT ON FUNCTION dialer.filter_fields() IS
'The fields a segment filter may name (the documented contact columns) and the kind of value each takes: text, id, number, bool, time, list.';

-- The operators, and the kinds of field each applies to.
CREATE FUNCTION dialer._filter_operator_kinds(op text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE op
        WHEN 'eq' THEN '{text,id,number,bool,time}'
        WHEN 'ne' THEN '{text,id,number,bool,time}'
        WHEN 'lt' THEN '{text,number,time}'
        WHEN 'lte' THEN '{text,number,time}'
        WHEN 'gt' THEN '{text,number,time}'
        WHEN 'gte' THEN '{text,number,time}'
        WHEN 'in' THEN '{text,id,number}'
        WHEN 'not_in' THEN '{text,id,number}'
        WHEN 'contains' THEN '{text}'
        WHEN 'starts_with' THEN '{text}'
        WHEN 'has_any' THEN '{list}'
        WHEN 'has_all' THEN '{list}'
        WHEN 'is_null' THEN '{text,id,number,bool,time,list}'
        WHEN 'is_not_null' THEN '{text,id,number,bool,time,list}'
        WHEN 'on_date' THEN '{time}'
    END::text[]
$$;

-- 22023 with the filter's path in the detail.
CREATE FUNCTION dialer._filter_error(message text, path text, hint text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = '22023', DETAIL = format('At %s of the filter.', path),
        HINT = coalesce(hint, 'The filter language is in docs/sql-reference.md, "The filter language".');
END
$$;

-- One scalar value of a field, checked against its kind, as the text the
-- parameter carries. Relative dates become a timestamp (or a date, for a
-- date column) now; `column_type` is NULL when only validating.
CREATE FUNCTION dialer._filter_value(kind text, field text, value jsonb, column_type text, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    days jsonb;
    sign integer;
    moment timestamptz;
BEGIN
    IF value IS NULL OR jsonb_typeof(value) = 'null' THEN
        PERFORM dialer._filter_error(format('field "%s" needs a value', field), path,
                                     'Use the operators is_null and is_not_null for missing values.');
    END IF;
    IF kind = 'text' AND jsonb_typeof(value) = 'string'
       OR kind = 'id' AND jsonb_typeof(value) IN ('string', 'number')
       OR kind = 'number' AND jsonb_typeof(value) = 'number'
       OR kind = 'bool' AND jsonb_typeof(value) = 'boolean'
       OR kind = 'list' AND jsonb_typeof(value) = 'string' THEN
        -- When compiling, a value the column's type cannot take (an id "abc"
        -- for a bigint id) is the filter's error, not the query's.
        IF column_type IS NOT NULL AND kind IN ('text', 'id') THEN
            BEGIN
                EXECUTE format('SELECT ($1)::%s', CASE WHEN column_type LIKE '%[]' THEN 'text' ELSE column_type END)
                    USING value #>> '{}';
            EXCEPTION WHEN data_exception THEN
                PERFORM dialer._filter_error(format('value of field "%s" is not a valid %s: %s', field, column_type,
                                                    value::text), path);
            END;
        END IF;
        RETURN value #>> '{}';
    END IF;
    IF kind = 'time' AND jsonb_typeof(value) = 'string' THEN
        BEGIN
            PERFORM (value #>> '{}')::timestamptz;
        EXCEPTION WHEN data_exception THEN
            PERFORM dialer._filter_error(format('value of field "%s" is not a date or timestamp: %s',
                                                field, value::text), path);
        END;
        RETURN value #>> '{}';
    END IF;
    IF kind = 'time' AND jsonb_typeof(value) = 'object' THEN
        IF (SELECT count(*) FROM jsonb_object_keys(value)) = 1 AND (value ? 'days_ago' OR value ? 'days_from_now') THEN
            days := coalesce(value -> 'days_ago', value -> 'days_from_now');
            sign := CASE WHEN value ? 'days_ago' THEN -1 ELSE 1 END;
            IF jsonb_typeof(days) = 'number' AND (days #>> '{}')::numeric BETWEEN 0 AND 36500
               AND (days #>> '{}')::numeric = trunc((days #>> '{}')::numeric) THEN
                IF column_type = 'date' THEN
                    RETURN to_char(dialer.rep_today() + sign * (days #>> '{}')::integer, 'YYYY-MM-DD');
                END IF;
                moment := now() + sign * (days #>> '{}')::integer * interval '1 day';
                RETURN to_char(moment, 'YYYY-MM-DD"T"HH24:MI:SS.USOF');
            END IF;
        END IF;
        PERFORM dialer._filter_error(format('value of field "%s" must be a date, or {"days_ago": N} or '
                                            '{"days_from_now": N} with N a whole number from 0 to 36500, not %s',
                                            field, value::text), path);
    END IF;
    PERFORM dialer._filter_error(format('value of field "%s" must be %s, not %s', field,
                                        CASE kind WHEN 'text' THEN 'a string' WHEN 'id' THEN 'a string or a number'
                                                  WHEN 'number' THEN 'a number' WHEN 'bool' THEN 'true or false'
                                                  WHEN 'list' THEN 'a string' ELSE 'a date' END,
                                        value::text), path);
    RETURN NULL;
END
$$;

-- The calendar day a value of on_date names, as 'YYYY-MM-DD': a date
-- string, or {"days_ago": N} / {"days_from_now": N} from the acting rep's
-- today.
CREATE FUNCTION dialer._filter_day(field text, value jsonb, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF jsonb_typeof(value) = 'string' THEN
        BEGIN
            RETURN to_char((value #>> '{}')::date, 'YYYY-MM-DD');
        EXCEPTION WHEN data_exception THEN
            NULL;
        END;
    ELSIF jsonb_typeof(value) = 'object' THEN
        RETURN dialer._filter_value('time', field, value, 'date', path);
    END IF;
    PERFORM dialer._filter_error(format('operator "on_date" of field "%s" takes a date, or {"days_ago": N} or '
                                        '{"days_from_now": N} ({"days_ago": 0} is today), not %s',
                                        field, coalesce(value::text, 'nothing')), path);
    RETURN NULL;
END
$$;

-- Midnight starting `day` in the acting rep's time zone, as a value of a
-- timestamp column's type: with the offset for timestamptz, the wall-clock
-- time for timestamp without time zone.
CREATE FUNCTION dialer._day_start(day date, column_type text)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN column_type = 'timestamp with time zone'
                THEN to_char(day::timestamp AT TIME ZONE dialer.rep_time_zone() AT TIME ZONE 'UTC',
                             'YYYY-MM-DD"T"HH24:MI:SS"+00"')
                ELSE to_char(day, 'YYYY-MM-DD') END
$$;

-- The SQL of the k-th element of the parameter $1 as a value of a column's
-- type, and the text that element carries. A value for a timestamptz,
-- timestamp or date column travels as seconds (days for a date) since
-- 1970-01-01 and comes back through to_timestamp(double precision), AT TIME
-- ZONE 'UTC' and date + integer, which are all IMMUTABLE: the planner folds
-- the expression into a constant once per run, as it does a hand-written
-- now() - interval '90 days', instead of the executor parsing the text on
-- every row. The number is computed with the caller's TimeZone, as the cast
-- at run time would; a value the number cannot carry to the microsecond
-- (infinity, a date near year 294276) keeps the plain cast.
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

-- The comparison operator `symbol` (=, <>, <, <=, >, >=) of a column's type,
-- as SQL: a type with its own operator outside pg_catalog (citext, or a
-- domain over it: compared case-insensitively) gets that operator by its
-- schema, OPERATOR(public.=); any other type the plain symbol. The compiled
-- statement runs under search_path pg_catalog, where a plain = between two
-- citext values would find only text's operator (citext casts to text
-- implicitly) and compare case-sensitively, against what the column says.
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

-- A LIKE pattern matching `value` literally.
CREATE FUNCTION dialer._like_literal(value text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT replace(replace(replace(value, '\', '\\'), '%', '\%'), '_', '\_') $$;

-- The walker: validates one node and, when `relation` is given, compiles it
-- to SQL over the row alias c, appending its values to `params` (the query's
-- $1, a text[]). With relation NULL it only validates (sql is NULL).
CREATE FUNCTION dialer._filter_sql(node jsonb, relation regclass, INOUT params text[], path text,
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

-- The type of a column of the contact relation (format_type, safe to put in
-- SQL: it comes from the catalogue); 42703 when the relation lacks it.
CREATE FUNCTION dialer._filter_column(relation regclass, field text, path text)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    col_type text;
BEGIN
    SELECT format_type(a.atttypid, a.atttypmod) INTO col_type
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = relation AND a.attname = field AND a.attnum > 0 AND NOT a.attisdropped;
    IF col_type IS NULL THEN
        RAISE EXCEPTION 'the contact relation % has no column "%"', relation, field
            USING ERRCODE = '42703', DETAIL = format('The filter names it at %s.', path);
    END IF;
    RETURN col_type;
END
$$;

CREATE FUNCTION dialer.validate_filter(filter jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM dialer._filter_sql(filter, NULL, '{}', '$', 1);
    RETURN filter;
END
$$;

COMMENT ON FUNCTION dialer.validate_filter(jsonb) IS
'Check a filter of the filter language (docs/sql-reference.md): returns it, or raises 22023 naming the unknown field, operator or bad value and where it is.';

-- The WHERE clause of a filter over `relation` AS c, and its one parameter
-- ($1, a text[]). Callers add their own parameters from $2.
CREATE FUNCTION dialer.filter_sql(filter jsonb, relation regclass DEFAULT NULL,
                                  OUT where_clause text, OUT params text[])
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    relation := coalesce(relation, dialer._contact_relation('a segment'));
    SELECT f.sql, f.params INTO where_clause, params FROM dialer._filter_sql(filter, relation, '{}', '$', 1) f;
END
$$;

COMMENT ON FUNCTION dialer.filter_sql(jsonb, regclass) IS
'The parameterised WHERE clause a filter compiles to over relation AS c (default: the configured contact relation), with its parameter $1 (text[]): SELECT ... FROM relation c WHERE <where_clause>, executed USING params.';

-- ---------------------------------------------------------------------------
-- The Quick Filters bar, for WHERE clauses over rows of any type (with
-- dialer.is_dialable, 03_rules.sql). In a segment the same filters are
-- {"never_contacted": true} and {"called_this_week": true}.
-- ---------------------------------------------------------------------------

CREATE FUNCTION dialer.never_contacted(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_never_contacted'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.never_contacted(record) IS
'"Never Contacted": the row''s last_call_attempt_at is NULL (or it has no such column).';

CREATE FUNCTION dialer.called_this_week(contact record)
RETURNS boolean
AS 'MODULE_PATHNAME', 'pgdialer_called_this_week'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION dialer.called_this_week(record) IS
'"Called This Week": last_call_attempt_at falls in this week, Monday 00:00 to next Monday 00:00 in the session time zone.';
