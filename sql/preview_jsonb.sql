-- dialer.preview and dialer.preview_agg write jsonb's binary form
-- themselves instead of parsing JSON text: the result must be exactly what
-- jsonb_in makes of the same summary (value, size, key lookups, positions
-- past the every-32nd-entry offsets), whatever the strings hold.
CREATE SCHEMA test_preview_jsonb;
SET search_path TO test_preview_jsonb;
CREATE TABLE contacts (id text, first_name text, last_name text, company text, phone text,
                       do_not_call boolean);
-- 150 contacts: most excluded (bad numbers, do not call, missing names), with
-- quotes, backslashes, control characters, non-ASCII text and NULLs.
INSERT INTO contacts
SELECT g::text,
       CASE WHEN g % 11 = 0 THEN NULL ELSE (ARRAY['Ann', 'Zoë', 'O''Brien', 'Back\slash', 'Quote"d',
                                                  E'Tab\there', '日本', '🙂 Emoji'])[1 + g % 8] END,
       CASE WHEN g % 13 = 0 THEN '' ELSE 'Last' || g END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE E'Co\n' || g END,
       CASE WHEN g % 5 = 0 THEN '(919) 555-' || lpad(g::text, 4, '0') ELSE 'bad ' || g END,
       g % 7 = 0
FROM generate_series(1, 150) g;

-- size: of the value as made, before the table compresses it.
CREATE TEMP TABLE previews AS
SELECT how, p, pg_column_size(p) AS size
FROM (SELECT 'preview' AS how, dialer.preview(array_agg(c ORDER BY id::int)) AS p FROM contacts c
      UNION ALL
      SELECT 'preview_agg', dialer.preview_agg(c, '{}' ORDER BY id::int) FROM contacts c
      UNION ALL
      SELECT 'no exclusions', dialer.preview(array_agg(c)) FROM contacts c WHERE id = '5'
      UNION ALL
      SELECT 'one row', dialer.preview(ARRAY[ROW('1', 'A', 'B', NULL, 'bad', false)::contacts])) made;

SELECT how,
       p = p::text::jsonb AS same_value,
       size = pg_column_size(p::text::jsonb) AS same_size,
       p::text = p::text::jsonb::text AS same_text,
       jsonb_array_length(p -> 'exclusions') AS exclusions,
       p ->> 'total' AS total, p ->> 'estimated_dial_minutes' AS minutes
FROM previews ORDER BY how;

-- Lookups by key and by position (0, 31, 32, 33, 64, 65, last) and containment.
SELECT i, e ->> 'contact_id' AS contact_id, e ->> 'name' AS name, e ->> 'company' AS company,
       e ->> 'category' AS category, e ->> 'overridable' AS overridable
FROM previews, unnest(ARRAY[0, 31, 32, 33, 64, 65, -1]) i, LATERAL (SELECT p -> 'exclusions' -> i AS e) x
WHERE how = 'preview' ORDER BY i;
SELECT p @> '{"excluded_by_category": {"do_not_call": 21}}' AS contains,
       p -> 'excluded_by_category' ? 'invalid_phone' AS has_key,
       jsonb_path_query_first(p, '$.exclusions[100].reason') AS reason_100,
       (SELECT count(*) FROM jsonb_array_elements(p -> 'exclusions') e WHERE e ? 'overridable') AS rows,
       (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(p) k) AS keys
FROM previews WHERE how = 'preview';
-- The two forms agree.
SELECT a.p = b.p AS preview_equals_preview_agg
FROM previews a, previews b WHERE a.how = 'preview' AND b.how = 'preview_agg';

RESET search_path;
DROP SCHEMA test_preview_jsonb CASCADE;
