-- Limited access cases (issue 19; storage::cases::limited, keepsafe_domain::access::limited): the
-- staff excluded from a case (list 'excluded': they never see it) and the staff a case is
-- restricted to (list 'restricted': while any are named, only they and the heads of the case's
-- PDU see it). Kept by the heads of the case's PDU, each addition with its reason. A removal keeps
-- the row (removed_by, removed_at), so the lists' history stays; the audit log has every change.
CREATE TABLE case_access_limits (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    staff_id TEXT NOT NULL REFERENCES staff (id),
    list TEXT NOT NULL CHECK (list IN ('excluded', 'restricted')),
    reason TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES staff (id),
    added_at TIMESTAMP NOT NULL,
    removed_by TEXT REFERENCES staff (id),
    removed_at TIMESTAMP
);
-- A member of staff is on at most one current list of a case, once.
CREATE UNIQUE INDEX case_access_limits_current ON case_access_limits (person_id, staff_id)
    WHERE removed_at IS NULL;
-- What every list reads: the cases excluding a member of staff, and the restricted cases.
CREATE INDEX case_access_limits_staff ON case_access_limits (staff_id, list)
    WHERE removed_at IS NULL;
CREATE INDEX case_access_limits_list ON case_access_limits (list, person_id)
    WHERE removed_at IS NULL;
