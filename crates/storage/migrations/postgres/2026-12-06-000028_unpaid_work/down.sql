DROP TABLE upw_attendance;
DROP TABLE upw_allocations;
DROP TABLE upw_sessions;
DROP TABLE upw_projects;
DROP TABLE upw_rules;
