-- MAPPA meetings (issue 17; storage::mappa): the level 2 and level 3 meetings at which the
-- agencies manage a case together (reference §7). A meeting is recorded as the review of the
-- case's MAPPA registration — the registration's category, level and next review date are set
-- from it in the same transaction, so the cadence, the tiers and the flag reviews on /tasks read
-- one place — and this row keeps what only a meeting has: who chaired it, the agencies present
-- and what was decided. Rows are never changed or deleted: the history is the record.
--
-- category and level are codes of keepsafe_domain::registration::{MappaCategory, MappaLevel};
-- agencies a comma-separated list of keepsafe_domain::mappa::MappaAgency codes.
CREATE TABLE mappa_meetings (
    id TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    held_on DATE NOT NULL,
    category TEXT NOT NULL,
    level TEXT NOT NULL,
    chair TEXT NOT NULL,
    agencies TEXT NOT NULL,
    decisions TEXT NOT NULL,
    next_meeting_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
-- A case's meetings, newest first; and the latest meeting of each registration on the MAPPA list.
CREATE INDEX mappa_meetings_person ON mappa_meetings (person_id, held_on);
CREATE INDEX mappa_meetings_registration ON mappa_meetings (registration_id, held_on);
CREATE INDEX mappa_meetings_recorded_by ON mappa_meetings (recorded_by);
