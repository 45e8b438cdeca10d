-- Reallocation and bulk transfer (reference §13: cover and handover): practitioners mark their
-- own tasks done (induction after a first allocation, handover after a reallocation), and who did
-- so is kept. Transfers find the cases a practitioner holds through allocations_staff_current.

ALTER TABLE practitioner_tasks ADD COLUMN completed_by TEXT REFERENCES staff (id);
CREATE INDEX practitioner_tasks_open_due ON practitioner_tasks (completed_on, due_on);
