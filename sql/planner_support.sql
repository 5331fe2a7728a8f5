-- The planner support function passes only the columns the rules read,
CREATE SCHEMA test_planner_support;
SET search_path TO test_planner_support;
-- where that is certainly equivalent to passing the whole row.
CREATE TABLE contacts (
    id int PRIMARY KEY, first_name text, last_name text, phone text, phone_e164 text,
    do_not_call boolean, suppressed boolean, notes text, company text
);
INSERT INTO contacts VALUES
 (1, 'Ann', 'Lee', '919-555-0123', '+19195550123', false, false, repeat('x', 5000), 'KKR'),
 (2, 'Bo',  NULL,  '919-555-0124', NULL,           true,  false, NULL, 'TPG'),
 (3, 'Cy',  'Oh',  'bad',          NULL,           false, false, NULL, 'TPG');
CREATE TABLE deals (id int, contact_id int);
INSERT INTO deals VALUES (10, 1), (11, 2), (12, 99);

-- A plain table: rewritten to the column form.
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM contacts c WHERE dialer.exclusion(c) IS NULL;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM contacts c WHERE dialer.is_dialable(c);

-- Same answers either way.
SELECT id, (dialer.exclusion(c)).reason, dialer.is_dialable(c) FROM contacts c ORDER BY id;

-- Inner join: still rewritten.
EXPLAIN (VERBOSE, COSTS OFF)
SELECT d.id FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE dialer.is_dialable(c);

-- The nullable side of an outer join keeps the whole row, so a missing
-- contact stays NULL rather than looking like a contact with no phone.
EXPLAIN (VERBOSE, COSTS OFF)
SELECT d.id, dialer.exclusion(c) FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id;
SELECT d.id, (dialer.exclusion(c)).reason, dialer.is_dialable(c)
FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id ORDER BY d.id;

-- A view is pulled up into the query and rewritten too.
CREATE VIEW callable AS SELECT id, first_name, last_name, phone, do_not_call FROM contacts WHERE id < 3;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT count(*) FROM callable v WHERE dialer.exclusion(v) IS NULL;
SELECT id, (dialer.exclusion(v)).reason FROM callable v ORDER BY id;

-- Schema-qualified or not, with arguments by name.
SELECT count(*) FROM contacts c
WHERE dialer.exclusion(contact => c, min_days => 3, as_of => now()) IS NULL;
