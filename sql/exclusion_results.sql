-- dialer.exclusion keeps (per call site, up to 8) the result rows it formed
-- for excluded contacts and returns them again for the next contact with the
-- same category, reason and overridable flag. Every row must still get its
-- own answer: the same reason with either flag, more distinct reasons than
-- the cache holds, a reason too long to keep, and the whole-row and column
-- forms alike.
SET dialer.default_region = 'US';
CREATE TEMP TABLE excl_results (
    id int PRIMARY KEY,
    first_name text,
    last_name text,
    phone text,
    do_not_call boolean,
    do_not_call_reason text,
    do_not_call_source text,
    phone_number_invalid boolean,
    phone_invalid_reason text
);
INSERT INTO excl_results
-- 1-12: twelve distinct do-not-call reasons, the odd ones internal (overridable)
SELECT g, 'Alex', 'Chen', '(919) 555-0123', true, format('reason %s', lpad(g::text, 2, '0')),
       CASE WHEN g % 2 = 1 THEN 'internal' ELSE 'registry' END, NULL, NULL
FROM generate_series(1, 12) g
UNION ALL
-- 13-20: "Flagged as invalid", overridable only when the number still normalizes
SELECT g, 'Alex', 'Chen', CASE WHEN g % 2 = 1 THEN '(919) 555-0123' ELSE '(200) 555-0123' END,
       NULL, NULL, NULL, true, NULL
FROM generate_series(13, 20) g
UNION ALL
-- 21-24: a reason too long to keep, then ready contacts and unrecognized numbers
SELECT 21, 'Alex', 'Chen', '(919) 555-0123', true, repeat('very long reason ', 6), 'registry', NULL, NULL
UNION ALL SELECT 22, 'Alex', 'Chen', '(919) 555-0123', NULL, NULL, NULL, NULL, NULL
UNION ALL SELECT 23, 'Alex', 'Chen', '(200) 555-0123', NULL, NULL, NULL, NULL, NULL
UNION ALL SELECT 24, 'Alex', 'Chen', 'n/a', NULL, NULL, NULL, NULL, NULL
UNION ALL
-- 25-28: the first reasons again, after the cache is full
SELECT 24 + g, 'Alex', 'Chen', '(919) 555-0123', true, format('reason %s', lpad(g::text, 2, '0')),
       CASE WHEN g % 2 = 1 THEN 'internal' ELSE 'registry' END, NULL, NULL
FROM generate_series(1, 4) g;

-- The whole row, as the planner rewrites it into the column form.
SELECT id, (dialer.exclusion(c)).* FROM excl_results c ORDER BY id;

-- The same answers from the whole-row form, which the rewrite leaves alone
-- when the row comes out of a subquery (a call site of its own).
SELECT count(*) AS rows_compared, count(*) FILTER (WHERE w.e IS NOT NULL) AS excluded,
       count(*) FILTER (WHERE dialer.exclusion(c) IS DISTINCT FROM w.e) AS rows_differing
FROM excl_results c
JOIN (SELECT s.id, dialer.exclusion(s.r) AS e FROM (SELECT id, c AS r FROM excl_results c OFFSET 0) s) w
  USING (id);
EXPLAIN (COSTS OFF, VERBOSE)
SELECT dialer.exclusion(s.r) FROM (SELECT id, c AS r FROM excl_results c OFFSET 0) s;

RESET dialer.default_region;
