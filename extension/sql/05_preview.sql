-- The push modal: the suggested session name, the dial time estimate, the
-- List Summary (dialer.preview, and dialer.preview_agg for very large lists)
-- and the per-contact verdicts behind it (dialer.classify_list).
--
-- Used by: the app (the push modal) and analysts; dialer.push and the
-- launch classify with dialer.classify_list.

CREATE FUNCTION dialer.session_name(contact_types text[], buyer_types text[],
                                    filters jsonb DEFAULT '{}', as_of date DEFAULT current_date)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_session_name'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.session_name(text[], text[], jsonb, date) IS
'Suggested session name: Buyers/Sellers/Prospects/Contacts - buyer type - industry - state or region - Mon YYYY, e.g. ''Buyers - PE Firm - Business Services - Northeast - Feb 2026''.';

CREATE FUNCTION dialer.dial_time(contacts bigint, minutes_per_contact real DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'pgdialer_dial_time'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.dial_time(bigint, real) IS
'Estimated dial time: ''~N min'' under an hour, else hours to the nearest half (''~3.5 hours''). minutes_per_contact NULL means dialer.minutes_per_contact.';

CREATE FUNCTION dialer.preview(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION dialer.preview(anyarray, jsonb) IS
'The push modal''s List Summary for SELECT dialer.preview(array_agg(c)) FROM contacts c WHERE ...: total, ready, excluded, excluded_by_category, exclusions, estimated_dial_minutes, estimated_dial_time, suggested_session_name. Options: min_days, filters, as_of.';

-- The same summary as an aggregate, for very large lists: no array of every
-- row is built first.  SELECT dialer.preview_agg(c, '{"min_days": 14}') FROM contacts c WHERE ...
-- Over no rows it returns NULL, as aggregates do.
CREATE FUNCTION dialer._preview_step(state internal, contact anyelement, options jsonb)
RETURNS internal
AS 'MODULE_PATHNAME', 'pgdialer_preview_step'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION dialer._preview_final(state internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'pgdialer_preview_final'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE AGGREGATE dialer.preview_agg(contact anyelement, options jsonb) (
    SFUNC = dialer._preview_step,
    STYPE = internal,
    FINALFUNC = dialer._preview_final
);

COMMENT ON AGGREGATE dialer.preview_agg(anyelement, jsonb) IS
'dialer.preview as an aggregate over contact rows (ordered with ORDER BY inside the call); the options of the first row apply.';

CREATE FUNCTION dialer.classify_list(contacts anyarray, options jsonb DEFAULT '{}')
RETURNS SETOF dialer.list_verdict
AS 'MODULE_PATHNAME', 'pgdialer_classify_list'
LANGUAGE C STABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION dialer.classify_list(anyarray, jsonb) IS
'The rows behind dialer.preview: one per distinct contact in array order, with its exclusion (NULL category = ready), including "Duplicate number of ..." verdicts, and the payload that would be pushed. Same options as dialer.preview.';
