DROP TABLE victim_conditions;
DROP TABLE victim_views;
DROP TABLE victim_contacts;
DROP TABLE victims;
DROP TABLE victim_referrals;
