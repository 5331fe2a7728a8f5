-- Deterministic sample data for sourceco.contacts: a mid-size M&A advisory
-- CRM with PE and strategic buyers, business owners (sellers) and prospects.
--
--   psql -v contacts=12000 -f demo/sourceco_sample_data.sql     (12,000 is the default)
--
-- The same seed always gives the same people, firms, numbers and flags; only
-- the timestamps move with now() (last calls are "N days ago"). Every
-- exclusion the dialer knows about is present in realistic proportions:
--
--   do_not_call, by source (registry 1.5%, requested 1.5%, internal 1%)
--   suppressed without DNC 1.5%
--   no phone 2.5%, blank phone 0.5%
--   flagged invalid after a call 2% ('Wrong number (last call)', 'Disconnected', ...)
--   numbers that do not normalize 1.5% ('555-CALL-NOW', '123', '+1 (000) 000-0000', ...)
--   called in the last 0..30 days ~25% (independent of the above)
--   missing first and/or last name 2%
--   shared switchboards: ~15% of buyer contacts list their firm's main line
--
-- Phone numbers come in the shapes people type: (919) 555-0123, 919.555.0123,
-- +1 919 555 0123, 1-919-555-0123, 9195550123, with extensions, plus Canadian
-- and UK numbers.
--
-- Ids 1..12 are the spec's own example contacts (John Smith at Heritage
-- Capital, ...); generated contacts follow from id 13.

\if :{?contacts}
\else
  \set contacts 12000
\endif

BEGIN;

SELECT setseed(0.2026) AS seeded \gset

-- ---------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------

-- Where people are. weight: how many sellers/prospects come from there.
CREATE TEMP TABLE place (
    n         serial PRIMARY KEY,
    city      text, state text, region text, country text,
    areas     text[],      -- area codes (NANP) or UK area prefixes
    zip3      text,
    weight    int
) ON COMMIT DROP;

INSERT INTO place (city, state, region, country, areas, zip3, weight) VALUES
  ('New York',       'NY', 'Northeast',     'US', '{212,646,917,332}', '100', 8),
  ('Brooklyn',       'NY', 'Northeast',     'US', '{718,347,929}',     '112', 3),
  ('Albany',         'NY', 'Northeast',     'US', '{518}',             '122', 2),
  ('Boston',         'MA', 'Northeast',     'US', '{617,857}',         '021', 5),
  ('Worcester',      'MA', 'Northeast',     'US', '{508,774}',         '016', 2),
  ('Greenwich',      'CT', 'Northeast',     'US', '{203,475}',         '068', 2),
  ('Stamford',       'CT', 'Northeast',     'US', '{203}',             '069', 2),
  ('Hartford',       'CT', 'Northeast',     'US', '{860,959}',         '061', 2),
  ('Philadelphia',   'PA', 'Northeast',     'US', '{215,267,445}',     '191', 5),
  ('Pittsburgh',     'PA', 'Northeast',     'US', '{412,878}',         '152', 3),
  ('Newark',         'NJ', 'Northeast',     'US', '{973,862}',         '071', 2),
  ('Princeton',      'NJ', 'Northeast',     'US', '{609,640}',         '085', 2),
  ('Providence',     'RI', 'Northeast',     'US', '{401}',             '029', 2),
  ('Portland',       'ME', 'Northeast',     'US', '{207}',             '041', 1),
  ('Burlington',     'VT', 'Northeast',     'US', '{802}',             '054', 1),
  ('Manchester',     'NH', 'Northeast',     'US', '{603}',             '031', 1),
  ('Baltimore',      'MD', 'Mid-Atlantic',  'US', '{410,443,667}',     '212', 3),
  ('Washington',     'DC', 'Mid-Atlantic',  'US', '{202,771}',         '200', 3),
  ('Richmond',       'VA', 'Mid-Atlantic',  'US', '{804}',             '232', 3),
  ('Wilmington',     'DE', 'Mid-Atlantic',  'US', '{302}',             '198', 1),
  ('Raleigh',        'NC', 'Southeast',     'US', '{919,984}',         '276', 6),
  ('Durham',         'NC', 'Southeast',     'US', '{919,984}',         '277', 3),
  ('Charlotte',      'NC', 'Southeast',     'US', '{704,980}',         '282', 5),
  ('Charleston',     'SC', 'Southeast',     'US', '{843,854}',         '294', 2),
  ('Atlanta',        'GA', 'Southeast',     'US', '{404,678,470,770}', '303', 6),
  ('Nashville',      'TN', 'Southeast',     'US', '{615,629}',         '372', 4),
  ('Miami',          'FL', 'Southeast',     'US', '{305,786}',         '331', 4),
  ('Tampa',          'FL', 'Southeast',     'US', '{813,656}',         '336', 4),
  ('Orlando',        'FL', 'Southeast',     'US', '{407,689}',         '328', 3),
  ('Birmingham',     'AL', 'Southeast',     'US', '{205,659}',         '352', 2),
  ('Chicago',        'IL', 'Midwest',       'US', '{312,773,872}',     '606', 6),
  ('Columbus',       'OH', 'Midwest',       'US', '{614,380}',         '432', 3),
  ('Cleveland',      'OH', 'Midwest',       'US', '{216}',             '441', 3),
  ('Detroit',        'MI', 'Midwest',       'US', '{313}',             '482', 3),
  ('Grand Rapids',   'MI', 'Midwest',       'US', '{616}',             '495', 2),
  ('Minneapolis',    'MN', 'Midwest',       'US', '{612}',             '554', 3),
  ('Indianapolis',   'IN', 'Midwest',       'US', '{317,463}',         '462', 3),
  ('Milwaukee',      'WI', 'Midwest',       'US', '{414}',             '532', 2),
  ('St. Louis',      'MO', 'Midwest',       'US', '{314,636}',         '631', 3),
  ('Kansas City',    'MO', 'Midwest',       'US', '{816}',             '641', 2),
  ('Dallas',         'TX', 'Texas',         'US', '{214,469,972,945}', '752', 6),
  ('Houston',        'TX', 'Texas',         'US', '{713,832,281,346}', '770', 6),
  ('Austin',         'TX', 'Texas',         'US', '{512,737}',         '787', 4),
  ('San Antonio',    'TX', 'Texas',         'US', '{210,726}',         '782', 3),
  ('Oklahoma City',  'OK', 'Southwest',     'US', '{405,572}',         '731', 2),
  ('Phoenix',        'AZ', 'Southwest',     'US', '{602,480,623}',     '850', 4),
  ('Denver',         'CO', 'Mountain West', 'US', '{303,720}',         '802', 4),
  ('Salt Lake City', 'UT', 'Mountain West', 'US', '{801,385}',         '841', 2),
  ('Los Angeles',    'CA', 'West Coast',    'US', '{213,310,323,424}', '900', 6),
  ('San Francisco',  'CA', 'West Coast',    'US', '{415,628}',         '941', 4),
  ('Menlo Park',     'CA', 'West Coast',    'US', '{650}',             '940', 1),
  ('San Diego',      'CA', 'West Coast',    'US', '{619,858}',         '921', 3),
  ('Seattle',        'WA', 'West Coast',    'US', '{206,564}',         '981', 3),
  ('Portland',       'OR', 'West Coast',    'US', '{503,971}',         '972', 2),
  ('Toronto',        'ON', 'Canada',        'CA', '{416,647,437}',     'M5V', 2),
  ('Vancouver',      'BC', 'Canada',        'CA', '{604,778}',         'V6B', 1),
  ('Montreal',       'QC', 'Canada',        'CA', '{514,438}',         'H3B', 1),
  ('Calgary',        'AB', 'Canada',        'CA', '{403,587}',         'T2P', 1),
  ('London',         NULL, 'UK',            'GB', '{20}',              'EC2', 1),
  ('Manchester',     NULL, 'UK',            'GB', '{161}',             'M1 ', 1);

-- Buyer firms. hq: a place (first match by city); the rest is derived.
CREATE TEMP TABLE firm_seed (name text, buyer_type text, hq text, hq_state text) ON COMMIT DROP;
INSERT INTO firm_seed VALUES
  -- Large-cap and upper-middle-market private equity
  ('KKR', 'PE Firm', 'New York', 'NY'),
  ('Blackstone', 'PE Firm', 'New York', 'NY'),
  ('Carlyle', 'PE Firm', 'Washington', 'DC'),
  ('TPG', 'PE Firm', 'San Francisco', 'CA'),
  ('Advent International', 'PE Firm', 'Boston', 'MA'),
  ('Bain Capital', 'PE Firm', 'Boston', 'MA'),
  ('Thoma Bravo', 'PE Firm', 'Chicago', 'IL'),
  ('Vista Equity Partners', 'PE Firm', 'Austin', 'TX'),
  ('Summit Partners', 'PE Firm', 'Boston', 'MA'),
  ('Warburg Pincus', 'PE Firm', 'New York', 'NY'),
  ('Hellman & Friedman', 'PE Firm', 'San Francisco', 'CA'),
  ('Genstar Capital', 'PE Firm', 'San Francisco', 'CA'),
  ('Audax Group', 'PE Firm', 'Boston', 'MA'),
  ('H.I.G. Capital', 'PE Firm', 'Miami', 'FL'),
  ('Leonard Green & Partners', 'PE Firm', 'Los Angeles', 'CA'),
  ('Berkshire Partners', 'PE Firm', 'Boston', 'MA'),
  ('Welsh, Carson, Anderson & Stowe', 'PE Firm', 'New York', 'NY'),
  ('Madison Dearborn Partners', 'PE Firm', 'Chicago', 'IL'),
  ('GTCR', 'PE Firm', 'Chicago', 'IL'),
  ('Charlesbank Capital Partners', 'PE Firm', 'Boston', 'MA'),
  ('American Securities', 'PE Firm', 'New York', 'NY'),
  ('TA Associates', 'PE Firm', 'Boston', 'MA'),
  ('Roark Capital', 'PE Firm', 'Atlanta', 'GA'),
  ('New Mountain Capital', 'PE Firm', 'New York', 'NY'),
  ('Stone Point Capital', 'PE Firm', 'Greenwich', 'CT'),
  ('Providence Equity Partners', 'PE Firm', 'Providence', 'RI'),
  ('Harvest Partners', 'PE Firm', 'New York', 'NY'),
  ('Blackstone Growth', 'PE Firm', 'San Francisco', 'CA'),
  -- Lower-middle-market private equity
  ('Heritage Capital', 'PE Firm - LMM', 'Philadelphia', 'PA'),
  ('Shore Capital Partners', 'PE Firm - LMM', 'Chicago', 'IL'),
  ('Alpine Investors', 'PE Firm - LMM', 'San Francisco', 'CA'),
  ('The Riverside Company', 'PE Firm - LMM', 'New York', 'NY'),
  ('Trivest Partners', 'PE Firm - LMM', 'Miami', 'FL'),
  ('Gryphon Investors', 'PE Firm - LMM', 'San Francisco', 'CA'),
  ('LLR Partners', 'PE Firm - LMM', 'Philadelphia', 'PA'),
  ('Sentinel Capital Partners', 'PE Firm - LMM', 'New York', 'NY'),
  ('Gridiron Capital', 'PE Firm - LMM', 'Stamford', 'CT'),
  ('Huron Capital', 'PE Firm - LMM', 'Detroit', 'MI'),
  ('Align Capital Partners', 'PE Firm - LMM', 'Dallas', 'TX'),
  ('Incline Equity Partners', 'PE Firm - LMM', 'Pittsburgh', 'PA'),
  ('Pfingsten Partners', 'PE Firm - LMM', 'Chicago', 'IL'),
  ('Prospect Partners', 'PE Firm - LMM', 'Chicago', 'IL'),
  ('Hidden Harbor Capital Partners', 'PE Firm - LMM', 'Miami', 'FL'),
  ('Osceola Capital', 'PE Firm - LMM', 'Tampa', 'FL'),
  ('Tower Arch Capital', 'PE Firm - LMM', 'Salt Lake City', 'UT'),
  ('Kinderhook Industries', 'PE Firm - LMM', 'New York', 'NY'),
  ('Blue Point Capital Partners', 'PE Firm - LMM', 'Cleveland', 'OH'),
  ('Comvest Partners', 'PE Firm - LMM', 'Miami', 'FL'),
  ('Rotunda Capital Partners', 'PE Firm - LMM', 'Baltimore', 'MD'),
  ('Mill Point Capital', 'PE Firm - LMM', 'New York', 'NY'),
  ('Westview Capital Partners', 'PE Firm - LMM', 'Boston', 'MA'),
  ('Kohlberg & Company', 'PE Firm - LMM', 'New York', 'NY'),
  ('Frontenac', 'PE Firm - LMM', 'Chicago', 'IL'),
  ('Brazos Private Equity Partners', 'PE Firm - LMM', 'Dallas', 'TX'),
  ('Argosy Private Equity', 'PE Firm - LMM', 'Philadelphia', 'PA'),
  ('Saw Mill Capital', 'PE Firm - LMM', 'Albany', 'NY'),
  ('Staple Street Capital', 'PE Firm - LMM', 'New York', 'NY'),
  ('CenterOak Partners', 'PE Firm - LMM', 'Dallas', 'TX'),
  ('Trinity Hunt Partners', 'PE Firm - LMM', 'Dallas', 'TX'),
  ('Bertram Capital', 'PE Firm - LMM', 'San Francisco', 'CA'),
  ('Great Hill Partners', 'PE Firm - LMM', 'Boston', 'MA'),
  ('Greenbriar Equity Group', 'PE Firm - LMM', 'Greenwich', 'CT'),
  ('Balance Point Capital', 'PE Firm - LMM', 'Hartford', 'CT'),
  ('Capitol Peak Partners', 'PE Firm - LMM', 'Denver', 'CO'),
  ('Calder Capital Partners', 'PE Firm - LMM', 'Toronto', 'ON'),
  -- Strategic acquirers (consolidators)
  ('Caliber Collision', 'Strategic', 'Dallas', 'TX'),
  ('Gerber Collision & Glass', 'Strategic', 'Chicago', 'IL'),
  ('Crash Champions', 'Strategic', 'Chicago', 'IL'),
  ('Classic Collision', 'Strategic', 'Atlanta', 'GA'),
  ('Driven Brands', 'Strategic', 'Charlotte', 'NC'),
  ('Service Experts', 'Strategic', 'Dallas', 'TX'),
  ('Wrench Group', 'Strategic', 'Atlanta', 'GA'),
  ('Heartland Dental', 'Strategic', 'Chicago', 'IL'),
  ('Aspen Dental', 'Strategic', 'New York', 'NY'),
  ('Rollins', 'Strategic', 'Atlanta', 'GA'),
  ('BrightView', 'Strategic', 'Philadelphia', 'PA'),
  ('Sila Services', 'Strategic', 'Philadelphia', 'PA'),
  ('Apex Service Partners', 'Strategic', 'Tampa', 'FL'),
  ('Integrated Dental Partners', 'Strategic', 'Boston', 'MA'),
  ('NorthStar Veterinary Group', 'Strategic', 'Princeton', 'NJ'),
  ('Keystone IT Group', 'Strategic', 'Pittsburgh', 'PA'),
  -- Family offices
  ('Whitmore Family Office', 'Family Office', 'Greenwich', 'CT'),
  ('Ridgeline Family Holdings', 'Family Office', 'Denver', 'CO'),
  ('Bluestem Family Capital', 'Family Office', 'Minneapolis', 'MN'),
  ('Castleton Family Office', 'Family Office', 'Boston', 'MA'),
  ('Harbor Point Family Capital', 'Family Office', 'New York', 'NY'),
  ('Lone Oak Family Investments', 'Family Office', 'Houston', 'TX'),
  ('Magnolia Family Partners', 'Family Office', 'Nashville', 'TN'),
  -- Independent sponsors
  ('Northbridge Holdings', 'Independent Sponsor', 'New York', 'NY'),
  ('Cedar Point Capital', 'Independent Sponsor', 'Charlotte', 'NC'),
  ('Keystone Capital Partners', 'Independent Sponsor', 'Pittsburgh', 'PA'),
  ('Lakeview Sponsor Group', 'Independent Sponsor', 'Chicago', 'IL'),
  ('Redwood Crest Partners', 'Independent Sponsor', 'San Francisco', 'CA'),
  ('Granite Ledge Capital', 'Independent Sponsor', 'Manchester', 'NH'),
  -- Search funds
  ('Pinecrest Search Partners', 'Search Fund', 'Boston', 'MA'),
  ('Oak Hollow Capital', 'Search Fund', 'Nashville', 'TN'),
  ('Meridian Search Capital', 'Search Fund', 'Austin', 'TX'),
  ('Bright Harbor Search', 'Search Fund', 'Raleigh', 'NC'),
  ('Copper Trail Capital', 'Search Fund', 'Denver', 'CO'),
  ('Hudson Lane Search', 'Search Fund', 'New York', 'NY');

-- One draw per firm, from the same seeded sequence, in a fixed order.
CREATE TEMP TABLE firm ON COMMIT DROP AS
WITH seeded AS MATERIALIZED (
    SELECT s.*, row_number() OVER (ORDER BY s.buyer_type, s.name) AS k,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
    FROM (SELECT * FROM firm_seed ORDER BY buyer_type, name) s
)
SELECT s.k AS fid, s.name, s.buyer_type,
       p.n AS place_n,
       lower(regexp_replace(regexp_replace(s.name, '^The | (Group|Company|& Company)$', '', 'g'),
                            '[^A-Za-z0-9]', '', 'g')) || '.com' AS domain,
       -- the firm's main line (switchboard)
       p.areas[1 + floor(s.r1 * cardinality(p.areas))::int] AS sb_area,
       200 + floor(s.r2 * 700)::int AS sb_exch,
       (floor(s.r3 * 90)::int + 1) * 100 AS sb_line,
       CASE s.buyer_type
         WHEN 'PE Firm' THEN (ARRAY['$3.2B','$4.5B','$6B','$8.5B','$12B','$18B','$25B','$40B',
                                    '$85B','$150B'])[1 + floor(s.r4 * 10)::int]
         WHEN 'PE Firm - LMM' THEN (ARRAY['$150M','$250M','$350M','$500M','$650M','$800M',
                                          '$1.1B','$1.6B'])[1 + floor(s.r4 * 8)::int]
         WHEN 'Family Office' THEN (ARRAY['$400M','$750M','$1.2B','$2B','$3.5B'])
                                   [1 + floor(s.r4 * 5)::int]
       END AS aum,
       CASE s.buyer_type
         WHEN 'PE Firm' THEN (ARRAY['$1.5B Fund VI','$2.8B Fund VII','$4B Fund VIII',
                                    '$6.5B Fund IX','$11B Fund X','$1.2B Fund V'])
                             [1 + floor(s.r5 * 6)::int]
         WHEN 'PE Firm - LMM' THEN (ARRAY['$125M Fund II','$250M Fund III','$300M Fund IV',
                                          '$180M Fund II','$425M Fund V','$90M Fund I'])
                                   [1 + floor(s.r5 * 6)::int]
         WHEN 'Independent Sponsor' THEN 'Deal-by-deal'
         WHEN 'Search Fund' THEN (ARRAY['$450K search capital','$600K search capital'])
                                 [1 + floor(s.r5 * 2)::int]
       END AS fund_size,
       CASE s.buyer_type
         WHEN 'PE Firm' THEN (ARRAY['$10M - $50M','$15M - $75M','$25M+','$20M - $100M'])
                             [1 + floor(s.r3 * 4)::int]
         WHEN 'PE Firm - LMM' THEN (ARRAY['$1M - $5M','$2M - $10M','$3M - $15M','$2M - $8M'])
                                   [1 + floor(s.r3 * 4)::int]
         WHEN 'Strategic' THEN (ARRAY['$1M - $5M','$500K - $3M','$2M - $10M'])
                               [1 + floor(s.r3 * 3)::int]
         WHEN 'Family Office' THEN (ARRAY['$3M - $15M','$5M - $25M'])[1 + floor(s.r3 * 2)::int]
         WHEN 'Independent Sponsor' THEN (ARRAY['$1M - $5M','$2M - $7M'])
                                         [1 + floor(s.r3 * 2)::int]
         WHEN 'Search Fund' THEN (ARRAY['$1M - $3M','$1.5M - $4M'])[1 + floor(s.r3 * 2)::int]
       END AS target_ebitda_range,
       CASE s.name
         WHEN 'Caliber Collision' THEN 'Collision Repair'
         WHEN 'Gerber Collision & Glass' THEN 'Collision Repair'
         WHEN 'Crash Champions' THEN 'Collision Repair'
         WHEN 'Classic Collision' THEN 'Collision Repair'
         WHEN 'Driven Brands' THEN 'Automotive Aftermarket'
         WHEN 'Service Experts' THEN 'HVAC'
         WHEN 'Wrench Group' THEN 'HVAC'
         WHEN 'Apex Service Partners' THEN 'HVAC'
         WHEN 'Sila Services' THEN 'HVAC'
         WHEN 'Heartland Dental' THEN 'Dental'
         WHEN 'Aspen Dental' THEN 'Dental'
         WHEN 'Integrated Dental Partners' THEN 'Dental'
         WHEN 'Rollins' THEN 'Pest Control'
         WHEN 'BrightView' THEN 'Landscaping'
         WHEN 'NorthStar Veterinary Group' THEN 'Veterinary'
         WHEN 'Keystone IT Group' THEN 'IT Services'
       END AS strategic_industry
FROM seeded s
JOIN LATERAL (SELECT n, areas FROM place WHERE city = s.hq AND state IS NOT DISTINCT FROM s.hq_state
              ORDER BY n LIMIT 1) p ON true;

-- Seller industries: weight, what the businesses are called, how SourceCo
-- describes a deal in them.
CREATE TEMP TABLE seller_industry (
    n serial PRIMARY KEY, industry text, weight int, suffixes text[], deal text
) ON COMMIT DROP;
INSERT INTO seller_industry (industry, weight, suffixes, deal) VALUES
  ('Collision Repair',  20, '{"Collision Center","Auto Body","Collision & Paint","Body Shop","Collision Repair"}', 'Collision Repair Platform'),
  ('HVAC',              14, '{"Heating & Air","Mechanical","Comfort Systems","Heating & Cooling","HVAC Services"}', 'HVAC Services Add-on'),
  ('Dental',            12, '{"Family Dental","Dental Group","Smiles","Dental Care","Dentistry"}', 'Multi-site Dental Practice'),
  ('Plumbing',           8, '{"Plumbing & Drain","Plumbing","Plumbing Services","Rooter"}', 'Residential Plumbing Platform'),
  ('IT Services',        8, '{"IT Solutions","Managed Services","Technology Group","Networks"}', 'Managed IT Services Provider'),
  ('Roofing',            6, '{"Roofing","Roofing & Exteriors","Roofing Co."}', 'Commercial Roofing Contractor'),
  ('Landscaping',        6, '{"Landscape Services","Lawn & Landscape","Grounds Management"}', 'Commercial Landscaping Business'),
  ('Pest Control',       5, '{"Pest Control","Pest Solutions","Exterminating"}', 'Regional Pest Control Operator'),
  ('Veterinary',         5, '{"Animal Hospital","Veterinary Clinic","Pet Hospital"}', 'Veterinary Clinic Group'),
  ('Physical Therapy',   5, '{"Physical Therapy","Rehab & Sports Medicine","PT Associates"}', 'Outpatient PT Platform'),
  ('Accounting',         4, '{"CPA Group","Accounting & Tax","& Associates, CPAs"}', 'Regional CPA Firm'),
  ('Electrical',         4, '{"Electric","Electrical Contractors","Electric Co."}', 'Electrical Contractor'),
  ('Home Health',        3, '{"Home Care","Home Health","Senior Care"}', 'Home Health Agency');

CREATE OR REPLACE TEMP VIEW pools AS SELECT
  ARRAY['James','John','Robert','Michael','William','David','Richard','Joseph','Thomas',
        'Christopher','Daniel','Matthew','Anthony','Mark','Steven','Andrew','Brian','Kevin',
        'Jason','Ryan','Eric','Jonathan','Justin','Scott','Brandon','Benjamin','Gregory',
        'Samuel','Patrick','Alexander','Tyler','Nathan','Peter','Zachary','Kyle','Ethan',
        'Mary','Patricia','Jennifer','Linda','Elizabeth','Susan','Jessica','Sarah','Karen',
        'Lisa','Nancy','Ashley','Emily','Michelle','Amanda','Melissa','Stephanie','Rebecca',
        'Laura','Rachel','Megan','Hannah','Lauren','Olivia','Catherine','Katherine','Allison',
        'Priya','Raj','Arjun','Anika','Wei','Mei','Jun','Hiroshi','Yuki','Min-jun','Ji-woo',
        'Carlos','Luis','Alejandro','Sofia','Isabella','Mateo','Diego','Gabriela','Ahmed',
        'Omar','Fatima','Layla','Tomasz','Anna','Olga','Dmitri','Kwame','Chinedu','Aisha',
        'Liam','Noah','Grace','Claire','Meredith','Colin','Derek','Trevor','Brooke'] AS first_names,
  ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez',
        'Martinez','Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore',
        'Jackson','Martin','Lee','Perez','Thompson','White','Harris','Sanchez','Clark',
        'Ramirez','Lewis','Robinson','Walker','Young','Allen','King','Wright','Scott','Torres',
        'Nguyen','Hill','Flores','Green','Adams','Nelson','Baker','Hall','Rivera','Campbell',
        'Mitchell','Carter','Roberts','Chen','Wang','Kim','Park','Patel','Shah','Singh',
        'Gupta','Wong','Liu','Tanaka','Sato','O''Brien','O''Connor','Murphy','Kelly',
        'Sullivan','McCarthy','Fitzgerald','Kowalski','Nowak','Schmidt','Mueller','Rossi',
        'Russo','Cohen','Levy','Goldberg','Friedman','Okafor','Mensah','Haddad','Khan',
        'Cooper','Reed','Bailey','Bell','Ward','Brooks','Price','Bennett','Hughes','Foster',
        'Sanders','Ross','Morales','Powell','Jenkins','Perry','Russell','Sullivan-Hayes',
        'Van der Berg','St. Clair','Whitfield','Harrington','Delgado','Castillo'] AS last_names,
  ARRAY['Triangle','Blue Ridge','Capitol','Lakeside','Precision','Summit','Coastal',
        'Pioneer','Evergreen','Liberty','Patriot','Riverbend','Oak Creek','Northstar',
        'Keystone','Granite State','Lone Star','Magnolia','Cardinal','Piedmont','Bayside',
        'Mountain View','Heritage','Hometown','First Choice','Premier','Elite','Valley',
        'Metro','Tri-County','Golden Gate','Great Lakes','Prairie','Desert Sun','Harbor',
        'Pinnacle','All-Pro','Reliable','Quality','A-1','Crossroads','Sunrise','Bluegrass',
        'Hill Country','Gulf Coast','Palmetto','Old Dominion','Empire','Bay State','Nutmeg',
        'Ozark','Cascade','Sierra','Mesa','Red Rock','Cornerstone','Legacy','Family',
        'Brothers','Johnson & Sons'] AS business_prefixes,
  ARRAY['Business Services','Healthcare Services','Software','Industrials',
        'Automotive Aftermarket','Home Services','Collision Repair','HVAC & Plumbing',
        'Dental & Veterinary','IT Services','Distribution','Consumer','Healthcare IT',
        'Specialty Manufacturing','Education','Environmental Services'] AS sectors,
  ARRAY['Northeast','Mid-Atlantic','Southeast','Midwest','Texas','Southwest',
        'Mountain West','West Coast'] AS geographies,
  ARRAY['Main','Oak','Maple','Commerce','Market','Washington','Park','Industrial','Elm',
        'Church','Highland','Lake','Mill','Spring','Center','Union','River','Broad',
        'Franklin','Madison','Jefferson','Airport','Technology','Corporate'] AS streets,
  ARRAY['Street','Avenue','Road','Boulevard','Drive','Parkway','Way','Lane'] AS street_suffixes,
  ARRAY['Sarah Johnson','Mike Chen','Priya Patel','Tom Wilson','Rachel Green',
        'Marcus Brown','Jenna Ortiz','Dave Kowalski'] AS reps,
  -- things that do not normalize to a phone number
  ARRAY['555-CALL-NOW','123','+1 (000) 000-0000','TBD','n/a','919-555-012',
        '(919) 123-4567','000-000-0000','999-999-9999','see assistant','+1 (555) 555-5555',
        '911','x204','212-555','call main line','1-800-','+1 (212) 555-01234567',
        '(000) 123-4567'] AS bad_numbers;

-- ---------------------------------------------------------------------------
-- The spec's own example contacts (ids 1..12): a Northeast PE list
-- targeting Business Services, with each exclusion the push modal shows.
-- ---------------------------------------------------------------------------

INSERT INTO sourceco.contacts (id, contact_type, first_name, last_name, company, title, email, phone,
    address_line1, city, state, zip, do_not_call, do_not_call_reason, do_not_call_source,
    phone_number_invalid, phone_invalid_reason, last_call_attempt_at, last_contact_method,
    last_contact_outcome, buyer_type, aum, fund_size, target_ebitda_range, target_industries,
    target_geographies, engagement_score, relationship_strength, active_deals_count,
    last_deal_presented, last_deal_outcome, call_talking_points, preferred_contact_time,
    assistant_name, assistant_phone, contact_owner, contact_source, industry, created_at)
VALUES
  (1, 'buyer', 'John', 'Smith', 'Heritage Capital', 'Managing Director',
   'john.smith@heritagecapital.com', '(215) 555-0142', '1700 Market Street, Suite 2100',
   'Philadelphia', 'PA', '19103', true, 'Requested removal 2025-11-15', 'requested', false, NULL,
   now() - interval '40 days', 'call', 'Asked to be removed from call lists', 'PE Firm - LMM',
   '$500M', '$250M Fund III', '$2M - $10M', '{Business Services,Healthcare IT,Software}',
   '{Northeast,Mid-Atlantic}', 35, 'cold', 0, 'Collision Repair Platform - Dec 2025',
   'Passed - Too early stage', NULL, 'Morning 9-11 AM EST', NULL, NULL, 'Sarah Johnson',
   'SourceCo Remarketing - Feb 2026 Campaign', 'Private Equity', now() - interval '700 days'),
  (2, 'buyer', 'Sarah', 'Johnson', 'Summit Partners', 'Principal',
   'sarah.johnson@summitpartners.com', '617.555.0177', '222 Berkeley Street', 'Boston', 'MA',
   '02116', true, 'Legal DNC list', 'registry', false, NULL, NULL, 'email', 'Opened, no response',
   'PE Firm', '$40B', '$4B Fund VIII', '$10M - $50M', '{Business Services,Software}',
   '{Northeast}', 20, 'cold', 0, NULL, NULL, NULL, NULL, NULL, NULL, 'Mike Chen',
   'PitchBook import', 'Private Equity', now() - interval '900 days'),
  (3, 'buyer', 'Mike', 'Chen', 'Vista Equity Partners', 'Vice President',
   'mike.chen@vistaequitypartners.com', '+1 212 555 0118', '7 Times Square', 'New York', 'NY',
   '10036', true, 'Internal policy', 'internal', false, NULL, now() - interval '95 days',
   'meeting', 'Met at ACG DealMAX', 'PE Firm', '$100B', '$11B Fund X', '$25M+',
   '{Business Services,Software,Healthcare IT}', '{Northeast,West Coast}', 55, 'warm', 1,
   'HVAC Services Add-on - Oct 2025', 'Under NDA', NULL, NULL, NULL, NULL, 'Priya Patel',
   'Conference - ACG DealMAX 2025', 'Private Equity', now() - interval '420 days'),
  (4, 'buyer', 'Emily', 'Davis', 'Thoma Bravo', 'Senior Associate',
   'emily.davis@thomabravo.com', '1-212-555-0163', '375 Park Avenue', 'New York', 'NY', '10152',
   false, NULL, NULL, true, 'Wrong number (last call)', now() - interval '21 days', 'call',
   'Wrong number', 'PE Firm', '$130B', '$6.5B Fund IX', '$20M - $100M',
   '{Business Services,Software}', '{Northeast}', 48, 'warm', 0, NULL, NULL, NULL, NULL, NULL,
   NULL, 'Tom Wilson', 'LinkedIn outreach', 'Private Equity', now() - interval '300 days'),
  (5, 'buyer', 'Robert', 'Lee', 'Blackstone', 'Managing Director', 'robert.lee@blackstone.com',
   '(212) 555-0199', '345 Park Avenue', 'New York', 'NY', '10154', false, NULL, NULL, true,
   'Disconnected', now() - interval '33 days', 'call', 'Number disconnected', 'PE Firm', '$150B',
   '$6.5B Fund IX', '$25M+', '{Business Services,Industrials}', '{Northeast,Southeast}', 61,
   'warm', 2, 'Multi-site Dental Practice - Nov 2025', 'IOI submitted', NULL, NULL,
   'Mary Johnson', '+1-212-555-0124', 'Sarah Johnson', 'Referral', 'Private Equity',
   now() - interval '1000 days'),
  (6, 'buyer', 'Alex', 'Martinez', 'KKR', 'Director', 'alex.martinez@kkr.com', '212-555-0131',
   '30 Hudson Yards', 'New York', 'NY', '10001', false, NULL, NULL, false, NULL,
   now() - interval '2 days 3 hours', 'call', 'Left voicemail', 'PE Firm', '$85B',
   '$11B Fund X', '$20M - $100M', '{Business Services,Healthcare Services}', '{Northeast}', 72,
   'hot', 3, 'Collision Repair Platform - Dec 2025', 'Reviewing CIM', NULL,
   'Afternoon 1-4 PM EST', NULL, NULL, 'Mike Chen', 'Referral', 'Private Equity',
   now() - interval '500 days'),
  (7, 'buyer', 'Jessica', 'Wong', 'Carlyle', 'Vice President', 'jessica.wong@carlyle.com',
   '+1 (202) 555-0150', '1001 Pennsylvania Avenue NW', 'Washington', 'DC', '20004', false,
   NULL, NULL, false, NULL, now() - interval '3 days 2 hours', 'call', 'Connected - not now',
   'PE Firm', '$25B', '$4B Fund VIII', '$15M - $75M', '{Business Services}',
   '{Northeast,Mid-Atlantic}', 66, 'warm', 1, NULL, NULL, NULL, NULL, NULL, NULL,
   'Priya Patel', 'PitchBook import', 'Private Equity', now() - interval '650 days'),
  (8, 'buyer', 'David', 'Kim', 'TPG', 'Principal', 'david.kim@tpg.com', '(203) 555-0107',
   '1 Greenwich Office Park', 'Greenwich', 'CT', '06831', false, NULL, NULL, false, NULL,
   now() - interval '4 days 1 hour', 'email', 'Replied - send teaser', 'PE Firm', '$18B',
   '$2.8B Fund VII', '$10M - $50M', '{Business Services,Consumer}', '{Northeast}', 80, 'hot', 2,
   NULL, NULL, 'Asked for the HVAC teaser on the last call.', NULL, NULL, NULL, 'Tom Wilson',
   'Conference - ACG DealMAX 2025', 'Private Equity', now() - interval '365 days'),
  (9, 'buyer', 'Lisa', 'Chen', 'Advent International', 'Director', 'lisa.chen@adventinternational.com',
   '617-555-0188', '800 Boylston Street', 'Boston', 'MA', '02199', false, NULL, NULL, false,
   NULL, now() - interval '5 days 4 hours', 'call', 'Connected - interested', 'PE Firm', '$12B',
   '$2.8B Fund VII', '$15M - $75M', '{Business Services,Healthcare Services}', '{Northeast}', 77,
   'hot', 1, 'Regional CPA Firm - Jan 2026', 'Under NDA', NULL, NULL, NULL, NULL, 'Mike Chen',
   'Referral', 'Private Equity', now() - interval '800 days'),
  (10, 'buyer', 'Tom', 'Wilson', 'Bain Capital', 'Partner', 'tom.wilson@baincapital.com',
   '617 555 0110', '200 Clarendon Street', 'Boston', 'MA', '02116', false, NULL, NULL, false,
   NULL, now() - interval '6 days 5 hours', 'meeting', 'Meeting held', 'PE Firm', '$160B',
   '$6.5B Fund IX', '$25M+', '{Business Services}', '{Northeast,Midwest}', 88, 'hot', 4,
   'Managed IT Services Provider - Jan 2026', 'Met with management', NULL, NULL, 'Karen Ross',
   '+1-617-555-0111', 'Sarah Johnson', 'Referral', 'Private Equity', now() - interval '1200 days'),
  (11, 'buyer', 'Nina', 'Patel', 'Welsh, Carson, Anderson & Stowe', 'Vice President',
   'nina.patel@wcas.com', '212.555.0105', '599 Lexington Avenue', 'New York', 'NY', '10022',
   false, NULL, NULL, false, NULL, now() - interval '1 day', 'call', 'Left voicemail', 'PE Firm',
   '$30B', '$4B Fund VIII', '$20M - $100M', '{Business Services,Healthcare Services}',
   '{Northeast}', 58, 'warm', 0, NULL, NULL, NULL, NULL, NULL, NULL, 'Marcus Brown',
   'PitchBook import', 'Private Equity', now() - interval '200 days'),
  (12, 'buyer', 'Chris', 'Doyle', 'Stone Point Capital', 'Principal',
   'chris.doyle@stonepointcapital.com', '+1 203 555 0166', '20 Horseneck Lane', 'Greenwich',
   'CT', '06830', false, NULL, NULL, false, NULL, now() - interval '6 hours', 'call',
   'Connected - interested', 'PE Firm', '$40B', '$6.5B Fund IX', '$10M - $50M',
   '{Business Services,Industrials}', '{Northeast}', 70, 'hot', 1, NULL, NULL, NULL, NULL, NULL,
   NULL, 'Rachel Green', 'Referral', 'Private Equity', now() - interval '150 days');

-- ---------------------------------------------------------------------------
-- Generated contacts (ids 13..:contacts)
-- ---------------------------------------------------------------------------

INSERT INTO sourceco.contacts (id, contact_type, first_name, last_name, company, title, email, phone,
    address_line1, city, state, zip, do_not_call, do_not_call_reason, do_not_call_source,
    suppressed, phone_number_invalid, phone_invalid_reason, last_call_attempt_at,
    last_contact_method, last_contact_outcome, buyer_type, aum, fund_size, target_ebitda_range,
    target_industries, target_geographies, engagement_score, relationship_strength,
    active_deals_count, last_deal_presented, last_deal_outcome, call_talking_points,
    preferred_contact_time, assistant_name, assistant_phone, contact_owner, contact_source,
    industry, created_at)
WITH
counts AS (
    SELECT (SELECT count(*) FROM place) AS places,
           (SELECT array_agg(n ORDER BY n) FROM place, generate_series(1, weight)
             WHERE country = 'US') AS us_places,
           (SELECT array_agg(n ORDER BY n) FROM place, generate_series(1, weight))
             AS all_places,
           (SELECT array_agg(n ORDER BY n) FROM seller_industry, generate_series(1, weight))
             AS industries,
           (SELECT jsonb_object_agg(buyer_type, fids) FROM
              (SELECT buyer_type, array_agg(fid ORDER BY fid) AS fids FROM firm GROUP BY 1) t)
             AS firms_by_type
),
-- All random draws, in one seeded sequence: the same rows on every run.
draw AS MATERIALIZED (
    SELECT i, random() AS r_type, random() AS r_sub, random() AS r_first, random() AS r_last,
           random() AS r_firm, random() AS r_place, random() AS r_title, random() AS r_fmt,
           random() AS r_area, random() AS r_exch, random() AS r_line, random() AS r_case,
           random() AS r_case2, random() AS r_call, random() AS r_days, random() AS r_misc,
           random() AS r_misc2, random() AS r_misc3, random() AS r_score, random() AS r_deal,
           random() AS r_addr, random() AS r_created, random() AS r_sb
    FROM generate_series(13, greatest(:contacts, 12)) AS i
),
person AS (
    SELECT d.*, pl.first_names, pl.last_names, pl.business_prefixes, pl.sectors,
           pl.geographies, pl.streets, pl.street_suffixes, pl.reps, pl.bad_numbers,
           CASE WHEN d.r_type < 0.45 THEN 'buyer'
                WHEN d.r_type < 0.80 THEN 'seller' ELSE 'prospect' END AS contact_type,
           CASE WHEN d.r_sub < 0.28 THEN 'PE Firm'
                WHEN d.r_sub < 0.58 THEN 'PE Firm - LMM'
                WHEN d.r_sub < 0.74 THEN 'Strategic'
                WHEN d.r_sub < 0.84 THEN 'Family Office'
                WHEN d.r_sub < 0.93 THEN 'Independent Sponsor'
                ELSE 'Search Fund' END AS drawn_buyer_type,
           c.industries[1 + floor(d.r_sub * cardinality(c.industries))::int] AS industry_n,
           -- exclusion case: one per contact, in realistic proportions
           CASE WHEN d.r_case < 0.015 THEN 'dnc_registry'
                WHEN d.r_case < 0.030 THEN 'dnc_requested'
                WHEN d.r_case < 0.040 THEN 'dnc_internal'
                WHEN d.r_case < 0.055 THEN 'suppressed'
                WHEN d.r_case < 0.080 THEN 'no_phone'
                WHEN d.r_case < 0.085 THEN 'blank_phone'
                WHEN d.r_case < 0.105 THEN 'flagged_invalid'
                WHEN d.r_case < 0.120 THEN 'bad_number'
                WHEN d.r_case < 0.140 THEN 'missing_name'
                ELSE 'clean' END AS case_kind,
           c.us_places, c.all_places, c.firms_by_type
    FROM draw d CROSS JOIN pools pl CROSS JOIN counts c
),
picked AS (
    SELECT p.*,
           CASE WHEN p.contact_type = 'buyer' THEN
             (p.firms_by_type -> p.drawn_buyer_type
               ->> floor(p.r_firm * jsonb_array_length(p.firms_by_type -> p.drawn_buyer_type))::int)::int
           END AS fid
    FROM person p
),
located AS (
    SELECT p.*,
           f.name AS firm_name, f.domain AS firm_domain, f.sb_area, f.sb_exch, f.sb_line,
           f.aum AS firm_aum, f.fund_size AS firm_fund, f.target_ebitda_range AS firm_ebitda,
           f.strategic_industry,
           si.industry AS seller_industry, si.suffixes, si.deal,
           -- buyers sit at their firm's HQ (85%) or another office; sellers and
           -- prospects are spread by place weight (a few in Canada and the UK)
           CASE WHEN p.contact_type = 'buyer' AND p.r_place < 0.85 THEN f.place_n
                WHEN p.contact_type = 'buyer'
                     THEN p.us_places[1 + floor(p.r_misc3 * cardinality(p.us_places))::int]
                ELSE p.all_places[1 + floor(p.r_place * cardinality(p.all_places))::int]
           END AS place_n
    FROM picked p
    LEFT JOIN firm f ON f.fid = p.fid
    LEFT JOIN seller_industry si ON p.contact_type <> 'buyer' AND si.n = p.industry_n
),
shaped AS (
    SELECT l.*, pl.city, pl.state, pl.region, pl.country, pl.zip3,
           pl.areas[1 + floor(l.r_area * cardinality(pl.areas))::int] AS area,
           CASE WHEN l.contact_type = 'buyer' THEN l.drawn_buyer_type END AS buyer_type,
           CASE WHEN l.contact_type = 'buyer' THEN l.firm_name
                WHEN l.r_misc < 0.35
                     THEN pl.city || ' ' || l.suffixes[1 + floor(l.r_misc2 * cardinality(l.suffixes))::int]
                ELSE l.business_prefixes[1 + floor(l.r_misc * cardinality(l.business_prefixes))::int]
                     || ' ' || l.suffixes[1 + floor(l.r_misc2 * cardinality(l.suffixes))::int]
           END AS company,
           l.first_names[1 + floor(l.r_first * cardinality(l.first_names))::int] AS first,
           l.last_names[1 + floor(l.r_last * cardinality(l.last_names))::int] AS last,
           -- the number: the person's direct line, or the firm's switchboard
           -- (~15% of buyers: several contacts share one number)
           l.contact_type = 'buyer' AND l.r_sb < 0.15 AS on_switchboard,
           (200 + floor(l.r_exch * 790)::int) AS exch0,
           floor(l.r_line * 10000)::int AS line0
    FROM located l JOIN place pl ON pl.n = l.place_n
),
numbered AS (
    SELECT s.*,
           CASE WHEN s.on_switchboard THEN s.sb_area ELSE s.area END AS a,
           lpad(CASE WHEN s.on_switchboard THEN s.sb_exch
                     -- no N11 exchanges (211, 311, ..., 911)
                     WHEN s.exch0 % 100 = 11 THEN s.exch0 + 1 ELSE s.exch0 END::text, 3, '0') AS e,
           lpad(CASE WHEN s.on_switchboard THEN s.sb_line ELSE s.line0 END::text, 4, '0') AS l4,
           floor(s.r_fmt * 10)::int AS fmt
    FROM shaped s
),
phoned AS (
    SELECT n.*,
           CASE
             WHEN n.case_kind = 'no_phone' THEN NULL
             WHEN n.case_kind = 'blank_phone' THEN (ARRAY['', ' ', '   '])[1 + floor(n.r_case2 * 3)::int]
             WHEN n.case_kind = 'bad_number'
                  THEN n.bad_numbers[1 + floor(n.r_case2 * cardinality(n.bad_numbers))::int]
             WHEN n.country = 'GB' THEN
               CASE WHEN n.fmt < 4 THEN '+44 ' || n.a || CASE WHEN n.a = '20' THEN ' 7946 0' ELSE ' 496 0' END
                                        || substr(n.l4, 2)
                    WHEN n.fmt < 7 THEN '+44' || n.a || CASE WHEN n.a = '20' THEN '79460' ELSE '4960' END
                                        || substr(n.l4, 2)
                    WHEN n.fmt < 9 THEN '+44 (0)' || n.a || CASE WHEN n.a = '20' THEN ' 7946 0' ELSE ' 496 0' END
                                        || substr(n.l4, 2)
                    -- written the UK way, without the country code
                    ELSE '0' || n.a || CASE WHEN n.a = '20' THEN ' 7946 0' ELSE ' 496 0' END
                         || substr(n.l4, 2)
               END
             ELSE
               CASE n.fmt
                 WHEN 0 THEN format('(%s) %s-%s', n.a, n.e, n.l4)
                 WHEN 1 THEN format('%s.%s.%s', n.a, n.e, n.l4)
                 WHEN 2 THEN format('%s-%s-%s', n.a, n.e, n.l4)
                 WHEN 3 THEN format('+1 %s %s %s', n.a, n.e, n.l4)
                 WHEN 4 THEN format('1-%s-%s-%s', n.a, n.e, n.l4)
                 WHEN 5 THEN n.a || n.e || n.l4
                 WHEN 6 THEN '+1' || n.a || n.e || n.l4
                 WHEN 7 THEN format('(%s) %s-%s x%s', n.a, n.e, n.l4, 100 + floor(n.r_misc2 * 400)::int)
                 WHEN 8 THEN format('+1 (%s) %s-%s', n.a, n.e, n.l4)
                 ELSE format('%s %s %s', n.a, n.e, n.l4)
               END
           END AS phone
    FROM numbered n
)
SELECT
    x.i,
    x.contact_type,
    CASE WHEN x.case_kind = 'missing_name' AND x.r_case2 < 0.40 THEN NULL
         WHEN x.case_kind = 'missing_name' AND x.r_case2 < 0.50 THEN ' '
         WHEN x.case_kind = 'missing_name' AND x.r_case2 >= 0.80 THEN NULL
         ELSE x.first END,
    CASE WHEN x.case_kind = 'missing_name' AND x.r_case2 >= 0.50 THEN NULL
         ELSE x.last END,
    x.company,
    CASE x.contact_type
      WHEN 'buyer' THEN
        CASE x.buyer_type
          WHEN 'Strategic' THEN (ARRAY['VP Corporate Development','Director of M&A',
                                       'Head of Corporate Development','Chief Development Officer',
                                       'Integration Manager','CFO'])[1 + floor(x.r_title * 6)::int]
          WHEN 'Family Office' THEN (ARRAY['Chief Investment Officer','Principal',
                                           'Director of Direct Investments','Managing Director'])
                                    [1 + floor(x.r_title * 4)::int]
          WHEN 'Search Fund' THEN (ARRAY['Founder & Searcher','Co-Founder','Managing Partner'])
                                  [1 + floor(x.r_title * 3)::int]
          WHEN 'Independent Sponsor' THEN (ARRAY['Managing Partner','Founder','Principal'])
                                          [1 + floor(x.r_title * 3)::int]
          ELSE (ARRAY['Managing Director','Partner','Principal','Vice President',
                      'Senior Associate','Associate','Operating Partner',
                      'Director of Business Development','Managing Partner'])
               [1 + floor(x.r_title * 9)::int]
        END
      ELSE (ARRAY['Owner','Founder & CEO','President','Co-Owner','General Manager','CEO',
                  'Managing Partner','Owner / Operator'])[1 + floor(x.r_title * 8)::int]
    END,
    CASE WHEN x.r_misc3 < 0.06 THEN NULL
         WHEN x.contact_type = 'buyer'
              THEN lower(regexp_replace(x.first || '.' || x.last, '[^A-Za-z.]', '', 'g'))
                   || '@' || x.firm_domain
         ELSE lower(regexp_replace(x.first, '[^A-Za-z]', '', 'g')) || '@'
              || lower(regexp_replace(x.company, '[^A-Za-z0-9]', '', 'g')) || '.com'
    END,
    x.phone,
    (100 + floor(x.r_addr * 9800)::int)::text || ' '
      || x.streets[1 + floor(x.r_misc2 * cardinality(x.streets))::int] || ' '
      || x.street_suffixes[1 + floor(x.r_misc * cardinality(x.street_suffixes))::int]
      || CASE WHEN x.contact_type = 'buyer' THEN ', Suite ' || (100 + floor(x.r_title * 40)::int * 100)
              ELSE '' END,
    x.city,
    x.state,
    CASE WHEN x.country = 'US' THEN x.zip3 || lpad(floor(x.r_addr * 100)::int::text, 2, '0')
         WHEN x.country = 'CA' THEN x.zip3 || ' ' || (ARRAY['1A4','2B7','3C9','4E2'])[1 + floor(x.r_addr * 4)::int]
         ELSE trim(x.zip3) || ' ' || (1 + floor(x.r_addr * 9)::int)::text || 'AB'
    END,
    -- do not call
    x.case_kind LIKE 'dnc_%',
    CASE x.case_kind
      WHEN 'dnc_registry' THEN (ARRAY['Legal DNC list','National DNC Registry match',
                                      'State DNC list (legal)'])[1 + floor(x.r_case2 * 3)::int]
      WHEN 'dnc_requested' THEN 'Requested removal '
                                || to_char(date '2024-01-01' + floor(x.r_case2 * 690)::int, 'YYYY-MM-DD')
      WHEN 'dnc_internal' THEN (ARRAY['Internal policy','Internal policy - portfolio company CEO',
                                      'Internal policy - competitor','Internal policy - litigation hold'])
                               [1 + floor(x.r_case2 * 4)::int]
    END,
    CASE x.case_kind WHEN 'dnc_registry' THEN 'registry' WHEN 'dnc_requested' THEN 'requested'
                     WHEN 'dnc_internal' THEN 'internal' END,
    -- suppressed: on its own, or together with a DNC listing (a third of them)
    x.case_kind = 'suppressed' OR (x.case_kind LIKE 'dnc_%' AND x.r_misc < 0.33),
    -- flagged invalid after a call
    x.case_kind = 'flagged_invalid',
    CASE WHEN x.case_kind = 'flagged_invalid'
         THEN (ARRAY['Wrong number (last call)','Disconnected','Fax line',
                     'Number no longer in service','Reached a different business'])
              [1 + floor(x.r_case2 * 5)::int] END,
    -- last call: 25% within 0..30 days, 35% 31..720 days ago, 40% never
    CASE WHEN x.case_kind = 'flagged_invalid' THEN now() - (2 + x.r_days * 60) * interval '1 day'
         WHEN x.r_call < 0.25 THEN now() - (x.r_days * 31) * interval '1 day'
         WHEN x.r_call < 0.60 THEN now() - (31 + x.r_days * 690) * interval '1 day'
    END,
    CASE WHEN x.case_kind = 'flagged_invalid' OR x.r_call < 0.60 THEN
           (ARRAY['call','call','call','email','email','linkedin','meeting'])[1 + floor(x.r_misc2 * 7)::int]
         WHEN x.r_misc < 0.5 THEN 'email' END,
    CASE WHEN x.case_kind = 'flagged_invalid' THEN 'Wrong number'
         WHEN x.r_call < 0.60 OR x.r_misc < 0.5 THEN
           (ARRAY['Opened, no response','Left voicemail','Connected - interested',
                  'Connected - not now','No answer','Meeting held','Replied - send teaser',
                  'Asked to follow up next quarter','Bounced'])[1 + floor(x.r_misc3 * 9)::int]
    END,
    x.buyer_type,
    CASE WHEN x.contact_type = 'buyer' THEN x.firm_aum END,
    CASE WHEN x.contact_type = 'buyer' THEN x.firm_fund END,
    CASE WHEN x.contact_type = 'buyer' THEN x.firm_ebitda END,
    -- target industries and geographies (buyers): a run of the shuffled pools
    CASE WHEN x.contact_type <> 'buyer' THEN NULL
         WHEN x.buyer_type = 'Strategic'
              THEN ARRAY[x.strategic_industry,
                         (x.sectors || x.sectors)[1 + floor(x.r_deal * 16)::int]]
         ELSE (x.sectors || x.sectors)[1 + floor(x.r_deal * 16)::int
                                       : 1 + floor(x.r_deal * 16)::int + 1 + floor(x.r_misc * 3)::int]
    END,
    CASE WHEN x.contact_type <> 'buyer' THEN NULL
         WHEN x.r_misc2 < 0.12 THEN ARRAY['National']
         ELSE ARRAY[x.region] || CASE WHEN x.r_misc3 < 0.5 THEN ARRAY[]::text[]
                                      ELSE ARRAY[x.geographies[1 + floor(x.r_misc3 * 8)::int]] END
    END,
    floor(100 * power(x.r_score, 1.3))::int,
    CASE WHEN power(x.r_score, 1.3) >= 0.70 THEN 'hot'
         WHEN power(x.r_score, 1.3) >= 0.40 THEN 'warm' ELSE 'cold' END,
    CASE WHEN x.contact_type = 'buyer' THEN floor(power(x.r_deal, 2) * 6)::int
         WHEN x.contact_type = 'seller' THEN floor(x.r_deal * 1.3)::int ELSE 0 END,
    -- deal context
    CASE WHEN x.contact_type = 'buyer' AND x.r_deal < 0.55 THEN
           (ARRAY['Collision Repair Platform - Dec 2025','HVAC Services Add-on - Oct 2025',
                  'Multi-site Dental Practice - Nov 2025','Managed IT Services Provider - Jan 2026',
                  'Commercial Roofing Contractor - Sep 2025','Regional Pest Control Operator - Aug 2025',
                  'Veterinary Clinic Group - Jan 2026','Regional CPA Firm - Jan 2026'])
           [1 + floor(x.r_misc2 * 8)::int]
         WHEN x.contact_type = 'seller' AND x.r_deal < 0.30 THEN 'Valuation discussion - ' || x.deal
    END,
    CASE WHEN x.contact_type = 'buyer' AND x.r_deal < 0.55 THEN
           (ARRAY['Passed - Too early stage','Passed - Size','Passed - Geography','Under NDA',
                  'Reviewing CIM','IOI submitted','Met with management','No response'])
           [1 + floor(x.r_misc3 * 8)::int]
         WHEN x.contact_type = 'seller' AND x.r_deal < 0.30 THEN
           (ARRAY['Owner considering timing','Sent valuation range','Engagement letter out'])
           [1 + floor(x.r_misc3 * 3)::int]
    END,
    CASE WHEN x.r_score > 0.85 AND x.contact_type = 'buyer' THEN
           'Ask about appetite for ' || coalesce(x.strategic_industry, 'add-ons in ' || x.region)
           || '; last spoke about their ' || coalesce(x.firm_fund, 'pipeline') || '.'
         WHEN x.r_score > 0.85 THEN
           'Owner mentioned succession planning; follow up on ' || x.deal || ' comps.'
    END,
    CASE WHEN x.r_misc < 0.40 THEN
           (ARRAY['Morning 9-11 AM EST','Afternoon 1-4 PM EST','Mornings before 10 AM CT',
                  'Late afternoon 4-6 PM','Fridays only','After 5 PM PT'])[1 + floor(x.r_misc2 * 6)::int]
    END,
    CASE WHEN x.contact_type = 'buyer' AND x.r_title < 0.25 AND x.r_misc3 < 0.6 THEN
           x.first_names[1 + floor(x.r_misc2 * cardinality(x.first_names))::int] || ' '
           || x.last_names[1 + floor(x.r_misc3 * cardinality(x.last_names))::int]
    END,
    CASE WHEN x.contact_type = 'buyer' AND x.r_title < 0.25 AND x.r_misc3 < 0.6 THEN
           format('+1-%s-%s-%s', x.sb_area, lpad(x.sb_exch::text, 3, '0'),
                  lpad((x.sb_line + 1 + floor(x.r_misc * 50)::int)::text, 4, '0'))
    END,
    x.reps[1 + floor(x.r_misc3 * cardinality(x.reps))::int],
    CASE x.contact_type
      WHEN 'buyer' THEN (ARRAY['SourceCo Remarketing - Feb 2026 Campaign','PitchBook import',
                               'Conference - ACG DealMAX 2025','Referral','LinkedIn outreach',
                               'Inbound - website'])[1 + floor(x.r_created * 6)::int]
      WHEN 'seller' THEN (ARRAY['Owner referral','Inbound - website','Direct mail campaign - Q3 2025',
                                'Industry association list','Banker referral'])
                         [1 + floor(x.r_created * 5)::int]
      ELSE (ARRAY['ZoomInfo list - Q4 2025','Cold outreach','Direct mail campaign - Q3 2025',
                  'Trade show - NACE 2025'])[1 + floor(x.r_created * 4)::int]
    END,
    CASE WHEN x.contact_type = 'buyer' THEN
           CASE x.buyer_type WHEN 'Strategic' THEN x.strategic_industry
                             WHEN 'Family Office' THEN 'Family Office'
                             WHEN 'Independent Sponsor' THEN 'Independent Sponsor'
                             WHEN 'Search Fund' THEN 'Search Fund'
                             ELSE 'Private Equity' END
         ELSE x.seller_industry END,
    now() - (x.r_created * 1100) * interval '1 day'
FROM phoned x
ORDER BY x.i;

-- The last call's disposition text (one in nine "Not a Fit": "Passed on
-- Deals" once that call is 180+ days old) and callbacks due from two days
-- ago to eight days ahead ("Callback Due Today"), by id: no random draw, so
-- the rows above stay the same.
UPDATE sourceco.contacts
SET last_disposition = CASE id % 9 WHEN 0 THEN 'Not a Fit' WHEN 1 THEN 'Left Voicemail' WHEN 2 THEN 'Left Voicemail'
                                   WHEN 3 THEN 'Interested' ELSE 'No Answer' END
WHERE last_call_attempt_at IS NOT NULL AND last_contact_method = 'call';
UPDATE sourceco.contacts
SET next_action_type = 'call', next_action_date = current_date + (id % 11)::int - 2
WHERE id % 37 = 4 AND NOT do_not_call;

ANALYZE sourceco.contacts;

COMMIT;
