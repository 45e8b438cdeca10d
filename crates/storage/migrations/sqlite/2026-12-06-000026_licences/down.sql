DROP TABLE licence_conditions;
DROP TABLE licence_versions;
DROP TABLE licences;
DROP TABLE licence_tasks;
DROP TABLE custody_key_dates;
DROP TABLE licence_condition_catalogue;
