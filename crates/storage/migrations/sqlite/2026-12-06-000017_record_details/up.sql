-- Keeping the case record current (issue 15): personal details beyond the name, date of birth
-- and sex the predictors read; aliases; disabilities and the adjustments agreed; personal
-- contacts; corrections that need a reason; and reviewing and ending registrations.
-- Every new column is NULL or has a default, so the bulk loader, the dataset import and the demo
-- installer, which do not name them, keep working.

-- Personal details. gender is a code of keepsafe_domain::person::Gender (NULL: not recorded),
-- distinct from sex, which the predictors read; gender_self_description is the person's own words
-- when they chose to self-describe. Phone numbers are kept in national form (07700900982).
ALTER TABLE people ADD COLUMN preferred_name TEXT;
ALTER TABLE people ADD COLUMN gender TEXT;
ALTER TABLE people ADD COLUMN gender_self_description TEXT;
ALTER TABLE people ADD COLUMN telephone TEXT;
ALTER TABLE people ADD COLUMN mobile TEXT;
ALTER TABLE people ADD COLUMN email TEXT;
ALTER TABLE people ADD COLUMN preferred_language TEXT;
ALTER TABLE people ADD COLUMN interpreter_needed BOOLEAN NOT NULL DEFAULT 0;

-- Other names the person is or was known by. An alias is ended, never deleted: a name once used
-- still matters to a police or children's-services check.
CREATE TABLE person_aliases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth DATE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES staff (id),
    ended_on DATE,
    ended_by TEXT REFERENCES staff (id)
);
CREATE INDEX person_aliases_person ON person_aliases (person_id);
-- Finding a case by an alias searches names as people_name does.
CREATE INDEX person_aliases_name ON person_aliases (last_name, first_name);

-- Disabilities and conditions, with the adjustments agreed for supervision. kind is a code of
-- keepsafe_domain::person::DisabilityKind.
CREATE TABLE person_disabilities (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    adjustments TEXT NOT NULL DEFAULT '',
    start_date DATE NOT NULL,
    end_date DATE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES staff (id),
    ended_by TEXT REFERENCES staff (id)
);
CREATE INDEX person_disabilities_person ON person_disabilities (person_id);

-- Next of kin, GP and other professionals. kind is a code of
-- keepsafe_domain::person::PersonalContactKind; relationship holds the relationship to the
-- person or, for a professional, the organisation.
CREATE TABLE personal_contacts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    relationship TEXT NOT NULL DEFAULT '',
    telephone TEXT,
    email TEXT,
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES staff (id),
    updated_at TIMESTAMP,
    ended_on DATE,
    ended_by TEXT REFERENCES staff (id)
);
CREATE INDEX personal_contacts_person ON personal_contacts (person_id);

-- Corrections of facts that other records were computed from (the date of birth: OGRS3 reads the
-- age), each with the reason given, shown on the record beside the corrected value.
CREATE TABLE person_corrections (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    field TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    reason TEXT NOT NULL,
    corrected_by TEXT NOT NULL REFERENCES staff (id),
    corrected_at TIMESTAMP NOT NULL
);
CREATE INDEX person_corrections_person ON person_corrections (person_id, corrected_at);

-- Who registered and who ended a registration, and why it ended (NULL for the records loaded
-- before this migration). Staff ids without a foreign key: SQLite cannot drop such a column again.
ALTER TABLE registrations ADD COLUMN registered_by TEXT;
ALTER TABLE registrations ADD COLUMN end_reason TEXT;
ALTER TABLE registrations ADD COLUMN ended_by TEXT;
-- The flags due for review, for the task lists: only registrations still in force.
CREATE INDEX registrations_review_due ON registrations (next_review_on) WHERE ended_on IS NULL;

-- Each review of a registration: who, when, what was said and the next review date set. For
-- MAPPA, the category and level confirmed or changed at the review, and the cadence rules used.
CREATE TABLE registration_reviews (
    id TEXT PRIMARY KEY,
    registration_id TEXT NOT NULL REFERENCES registrations (id),
    reviewed_on DATE NOT NULL,
    reviewed_by TEXT NOT NULL REFERENCES staff (id),
    notes TEXT NOT NULL,
    next_review_on DATE,
    mappa_category TEXT,
    mappa_level TEXT,
    rule_version TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX registration_reviews_registration ON registration_reviews (registration_id, reviewed_on);
