-- Licences and release (issue 17, part 3; keepsafe_domain::licences, storage::licences).

-- The catalogue of additional licence conditions, kept as data so a service can add its own.
-- kind is a code of keepsafe_domain::licences::ConditionKind, which decides the details needed.
CREATE TABLE licence_condition_catalogue (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    wording TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO licence_condition_catalogue (code, kind, title, wording, position, active) VALUES
    ('curfew', 'curfew', 'Curfew', 'Confine yourself to the address approved by your supervising officer between the hours below, and comply with any electronic monitoring of it.', 1, TRUE),
    ('exclusion_zone', 'exclusion_zone', 'Exclusion zone', 'Not to enter the area described below without the prior approval of your supervising officer.', 2, TRUE),
    ('no_contact', 'no_contact', 'No contact with a named person or group', 'Not to approach or communicate with the person or group named below, directly or indirectly, without the prior approval of your supervising officer.', 3, TRUE),
    ('residence', 'residence', 'Residence at an address', 'Reside at the address below and not move without the prior approval of your supervising officer.', 4, TRUE),
    ('no_contact_children', 'other', 'No unsupervised contact with children', 'Not to have unsupervised contact with any child under the age of 18, as described below, without the prior approval of your supervising officer and children''s services.', 5, TRUE),
    ('drug_testing', 'other', 'Drug testing', 'Attend drug testing as directed by your supervising officer, as described below.', 6, TRUE),
    ('programme', 'other', 'Attend a programme', 'Attend the programme or appointments described below, as directed by your supervising officer.', 7, TRUE),
    ('disclose_relationships', 'other', 'Disclose relationships', 'Tell your supervising officer about any developing intimate relationship with a woman or man, as described below.', 8, TRUE);

-- The prison's dates for a custody event, recorded by the practitioner; each replaces the date
-- keepsafe computes from the sentence (keepsafe_domain::licences::compute_key_dates).
CREATE TABLE custody_key_dates (
    event_id TEXT PRIMARY KEY REFERENCES events (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    release_date DATE,
    hdc_eligibility_date DATE,
    licence_end_date DATE,
    sentence_end_date DATE,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX custody_key_dates_person ON custody_key_dates (person_id);

-- The handover and release-day tasks (keepsafe_domain::licences::planned_tasks): listed on /tasks
-- from visible_from. Scheduling again (the release date changed) replaces the open ones.
CREATE TABLE licence_tasks (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT NOT NULL REFERENCES events (id),
    kind TEXT NOT NULL,
    visible_from DATE NOT NULL,
    due_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    completed_on DATE,
    completed_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX licence_tasks_person ON licence_tasks (person_id, due_on);
-- /tasks lists open tasks that have become visible, soonest due first.
CREATE INDEX licence_tasks_open ON licence_tasks (completed_on, visible_from, due_on);

-- A licence: one per custody event. released_on is set when the release is recorded, ended_on
-- when the licence ends (at its end date, or by recall).
CREATE TABLE licences (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT NOT NULL UNIQUE REFERENCES events (id),
    released_on DATE,
    licence_end_date DATE,
    ended_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX licences_person ON licences (person_id);

-- The versions of a licence: the first (initial) and each variation. status is a code of
-- keepsafe_domain::licences::LicenceStatus; approved versions are kept when a later one is
-- approved (superseded), with what changed in words. lock guards against saving over an edit
-- made meanwhile.
CREATE TABLE licence_versions (
    id TEXT PRIMARY KEY,
    licence_id TEXT NOT NULL REFERENCES licences (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    variation_reason TEXT NOT NULL DEFAULT '',
    changes TEXT NOT NULL DEFAULT '',
    lock INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    approved_by TEXT REFERENCES staff (id),
    approved_at TIMESTAMP,
    UNIQUE (licence_id, number)
);
CREATE INDEX licence_versions_person ON licence_versions (person_id);
CREATE INDEX licence_versions_status ON licence_versions (status);

-- The additional and bespoke conditions of a version. The details columns used depend on kind.
-- A victim-requested condition records the victim liaison officer who asked, never the victim.
CREATE TABLE licence_conditions (
    id TEXT PRIMARY KEY,
    version_id TEXT NOT NULL REFERENCES licence_versions (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    position INTEGER NOT NULL,
    catalogue_code TEXT REFERENCES licence_condition_catalogue (code),
    kind TEXT NOT NULL,
    wording TEXT NOT NULL,
    curfew_from TEXT,
    curfew_to TEXT,
    details TEXT NOT NULL DEFAULT '',
    victim_requested BOOLEAN NOT NULL DEFAULT FALSE,
    requested_by_vlo_name TEXT,
    requested_by_vlo TEXT REFERENCES staff (id)
);
CREATE INDEX licence_conditions_version ON licence_conditions (version_id, position);
CREATE INDEX licence_conditions_person ON licence_conditions (person_id);
