-- Allocating a case waiting for allocation (reference §9): who allocated it and, when the grade
-- guidance was overridden, why; and the practitioner's tasks that allocation creates (arranging
-- the induction appointment within 5 working days, reference §2).

ALTER TABLE allocations ADD COLUMN allocated_by TEXT;
ALTER TABLE allocations ADD COLUMN override_reason TEXT;

CREATE TABLE practitioner_tasks (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    -- What kind of task: induction_appointment.
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    -- Open until completed_on is set.
    completed_on DATE
);
CREATE INDEX practitioner_tasks_staff_open ON practitioner_tasks (staff_id, completed_on);
CREATE INDEX practitioner_tasks_person ON practitioner_tasks (person_id);
