-- dialer.is_dialable: the "Dialable Only" toggle. Recency and names do not matter.
CREATE SCHEMA test_is_dialable;
SET search_path TO test_is_dialable;
CREATE TABLE people (
    id int, first_name text, last_name text, phone text, phone_e164 text,
    do_not_call boolean, suppressed boolean, phone_number_invalid boolean,
    last_call_attempt_at timestamptz
);
INSERT INTO people VALUES
 (1, 'Ok',     'Number',  '(919) 555-0123', NULL, false, false, false, NULL),
 (2, 'Called', 'Today',   '(919) 555-0124', NULL, false, false, false, now()),
 (3, NULL,     NULL,      '(919) 555-0125', NULL, NULL,  NULL,  NULL,  NULL),
 (4, 'Dnc',    'Person',  '(919) 555-0126', NULL, true,  false, false, NULL),
 (5, 'Supp',   'Ressed',  '(919) 555-0127', NULL, false, true,  false, NULL),
 (6, 'Flag',   'Ged',     '(919) 555-0128', NULL, false, false, true,  NULL),
 (7, 'No',     'Phone',   NULL,             NULL, false, false, false, NULL),
 (8, 'Bad',    'Number',  '555-1234',       NULL, false, false, false, NULL),
 (9, 'Stored', 'Only',    NULL,  '+442079460958', false, false, false, NULL);
SELECT id, dialer.is_dialable(p) FROM people p ORDER BY id;

-- "243 dialable of 312 total"
SELECT count(*) FILTER (WHERE dialer.is_dialable(p)) AS dialable, count(*) AS total FROM people p;

SELECT dialer.is_dialable(NULL::people) IS NULL AS null_row;
