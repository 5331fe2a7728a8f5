-- The append-only triggers let dialer.purge_records (33_retention.sql) delete rows past the retention period.
CREATE OR REPLACE FUNCTION dialer._refuse_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stack text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        GET DIAGNOSTICS stack = PG_CONTEXT;
        IF stack ~ '(^|\n)PL/pgSQL function dialer\.purge_records\(interval,boolean\) line [0-9]+ at SQL statement(\n|$)' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '%.% is append-only: its rows cannot be changed or removed', TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = '42501', HINT = 'It is the audit trail; add a row that says what changed instead.';
END
$$;
