DROP INDEX practitioner_tasks_open_due;
ALTER TABLE practitioner_tasks DROP COLUMN completed_by;
