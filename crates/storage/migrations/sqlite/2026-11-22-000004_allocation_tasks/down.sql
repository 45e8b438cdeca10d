DROP TABLE practitioner_tasks;
ALTER TABLE allocations DROP COLUMN override_reason;
ALTER TABLE allocations DROP COLUMN allocated_by;
