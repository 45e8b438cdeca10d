DROP TABLE case_access_limits;
