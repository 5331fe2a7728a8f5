-- Where a number is (29_number_states.sql): the US state an area code
-- presumes, from libphonenumber's geocoding metadata.
SELECT dialer.number_state('+13055550100') AS miami, dialer.number_state('+12015550100') AS jersey_city,
       dialer.number_state('+12125550100') AS manhattan, dialer.number_state('+12055550100') AS birmingham;
-- No state: Canada, toll-free, not +1, not E.164, NULL.
SELECT dialer.number_state('+14165550100') AS toronto, dialer.number_state('+18005550100') AS toll_free,
       dialer.number_state('+442079460000') AS london, dialer.number_state('3055550100') AS not_e164,
       dialer.number_state(NULL) AS none;
-- Every state and DC has an area code; Florida's.
SELECT count(DISTINCT state) AS states FROM dialer.area_code_states;
SELECT string_agg(area_code, ' ' ORDER BY area_code) AS florida FROM dialer.area_code_states WHERE state = 'FL';
-- Anyone may read it.
SET ROLE dialer_analyst;
SELECT dialer.number_state('+13055550100');
RESET ROLE;
