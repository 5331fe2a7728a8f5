-- Deal-aware talking points: the deals relation (dialer.configure_deals),
-- the active deals that fit a buyer in dialer.talking_points and the
-- payload, and "View in PhoneBurner" (dialer.phoneburner_link).
CREATE SCHEMA test_deals;
SET search_path TO test_deals;
\set VERBOSITY terse
\set SHOW_CONTEXT never
\i sql/include/reset.sql
CREATE TABLE contacts (
    id bigint PRIMARY KEY, contact_type text, first_name text, last_name text, phone text,
    target_industries text[], target_geographies text[], target_ebitda_range text, last_deal_presented text
);
INSERT INTO contacts VALUES
 (1, 'buyer', 'Lisa', 'Chen', '(617) 555-0188', '{HVAC,Plumbing}', '{Southeast,Texas}', '$2M - $10M', NULL),
 (2, 'buyer', 'Tom', 'Wilson', '(617) 555-0110', '{Software}', NULL, NULL, 'Vertical SaaS - Jan 2026'),
 (3, 'seller', 'Bob', 'Reed', '(919) 555-0107', NULL, NULL, NULL, NULL),
 (4, 'buyer', 'Ann', 'Lee', '(919) 555-0106', '{hvac}', NULL, '$5M+', NULL);
CREATE TABLE deals (id int PRIMARY KEY, name text, sector text, geography text, ebitda numeric, status text);
INSERT INTO deals VALUES
 (1, 'Beta Plumbing', 'Plumbing', 'Texas', 2500000, 'Active'),
 (2, 'Acme HVAC', 'HVAC', 'Southeast', 4000000, ' active '),
 (3, 'Gamma HVAC', 'HVAC', 'Midwest', 6000000, 'active'),
 (4, 'Delta HVAC', 'HVAC', 'Southeast', 15000000, 'active'),
 (5, 'Old HVAC', 'HVAC', 'Southeast', 3000000, 'closed'),
 (6, 'Echo Software', 'Software', 'Texas', NULL, 'active');

-- Without a deals relation the talking points are the row's facts only.
SELECT c.id, dialer.talking_points(c) FROM contacts c ORDER BY c.id;

-- Registering it: admins only, the columns checked, audited.
CREATE TABLE not_deals (name text, sector text);
SELECT dialer.configure_deals('not_deals');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE text_ebitda (name text, sector text, geography text, ebitda text, status text);
SELECT dialer.configure_deals('text_ebitda');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE ROLE deals_rep LOGIN IN ROLE dialer_rep;
SET SESSION AUTHORIZATION deals_rep;
SELECT dialer.configure_deals(NULL);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT dialer.configure_deals('deals');
SELECT action, object_id, details FROM dialer.audit_log WHERE object_id = 'deal_relation';

-- Active deals that fit: sector, then geography and EBITDA range when the
-- buyer has them; in name order; only the deals' own facts.
SELECT c.id, dialer.talking_points(c) FROM contacts c ORDER BY c.id;
SELECT dialer.payload(c) -> 'custom_fields' ->> 'call_talking_points' FROM contacts c WHERE c.id = 1;
SELECT v.contact_id, v.payload -> 'custom_fields' ->> 'call_talking_points' AS talking_points
FROM (SELECT array_agg(c ORDER BY c.id) AS list FROM contacts c) l, dialer.classify_list(l.list) v;

-- Read once per statement: a deal closed counts from the next statement.
UPDATE deals SET status = 'closed' WHERE name = 'Beta Plumbing';
SELECT dialer.talking_points(c) FROM contacts c WHERE c.id = 1;

-- Read with the caller's rights: without SELECT on the deals, an error
-- rather than talking points that silently leave them out.
GRANT USAGE ON SCHEMA test_deals TO deals_rep;
GRANT SELECT ON contacts TO deals_rep;
SET SESSION AUTHORIZATION deals_rep;
SELECT dialer.talking_points(c) FROM test_deals.contacts c WHERE c.id = 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
GRANT SELECT ON deals TO deals_rep;
SET SESSION AUTHORIZATION deals_rep;
SELECT dialer.talking_points(c) FROM test_deals.contacts c WHERE c.id = 1;
RESET SESSION AUTHORIZATION;

-- NULL unregisters it.
SELECT dialer.configure_deals(NULL);
SELECT dialer.talking_points(c) FROM contacts c WHERE c.id = 1;

-- "View in PhoneBurner": the session's folder, owner or admin; NULL before
-- the folder exists.
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.push(array_agg(c), 'HVAC buyers') AS job FROM contacts c WHERE c.id = 1 \gset
SELECT session_id AS session FROM dialer.push_jobs WHERE id = :job \gset
SELECT dialer.phoneburner_link(:session) IS NULL AS before_the_folder;
RESET dialer.acting_user;
SELECT id FROM dialer.claim_push_job('w1') \gset
SELECT dialer.set_session_folder(:id, 'w1', '77120');
SET dialer.acting_user = 'sarah@sourceco.example';
SELECT dialer.phoneburner_link(:session);
RESET dialer.acting_user;
SELECT dialer.add_rep('deals_rep', 'Dee Rep');
SET SESSION AUTHORIZATION deals_rep;
SELECT dialer.phoneburner_link(:session);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT dialer.phoneburner_link(:session) AS as_admin;
SELECT dialer.phoneburner_link(999);
\echo SQLSTATE :LAST_ERROR_SQLSTATE

\i sql/include/reset.sql
DROP SCHEMA test_deals CASCADE;
DROP OWNED BY deals_rep;
DROP ROLE deals_rep;
RESET search_path;
