-- Reconvictions (issue 18; storage::reoffending): convictions for offences committed after
-- supervision began, which the proven reoffending measure counts (reference §1, §11;
-- keepsafe_domain::reoffending). A later event of the same person counts too; these rows hold the
-- convictions that did not bring the person back to probation (a fine, a discharge, a sentence
-- served elsewhere), as recorded from court results or the Police National Computer. event_id is
-- the sentence the conviction was recorded against; the measure reads a conviction against every
-- follow-up it falls in. Rows are never changed: the history is the record.
--
-- offence_category is a code of keepsafe_domain::event::OffenceCategory.
CREATE TABLE reconvictions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT NOT NULL REFERENCES events (id),
    offence TEXT NOT NULL,
    offence_category TEXT NOT NULL,
    offence_on DATE NOT NULL,
    convicted_on DATE NOT NULL,
    court TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
-- A case's convictions in date order, and every person's for the cohort measures.
CREATE INDEX reconvictions_person ON reconvictions (person_id, offence_on);
CREATE INDEX reconvictions_event ON reconvictions (event_id);
CREATE INDEX reconvictions_recorded_by ON reconvictions (recorded_by);
