DROP TABLE court_reports;
DROP TABLE workload_snapshots;
DROP TABLE staff_reductions;
