DROP TABLE quality_snapshots;
