-- Needs assessments (issue 16): the criminogenic needs, section by section, with the evidence in
-- the practitioner's words, a severity and whether each is linked to risk of serious harm and to
-- reoffending; the answers the OASys general predictor and the women's tier factors read; and the
-- reviews a change in circumstances calls for.

-- status is a code of keepsafe_domain::needs::AssessmentStatus (draft, completed, superseded); at
-- most one completed assessment per person, the one in force. completed_on and valid_until (the
-- last day it counts for tiering) are set on completion by the NeedsRules whose version is kept in
-- rule_version, so a later change of the rules does not silently change an old assessment.
CREATE TABLE needs_assessments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL,
    completed_by TEXT REFERENCES staff (id),
    completed_at TIMESTAMP,
    completed_on DATE,
    valid_until DATE,
    rule_version TEXT,
    superseded_at TIMESTAMP
);
-- A person's assessments (the needs page) and the one in force (the bulk read for tiering).
CREATE INDEX needs_assessments_person ON needs_assessments (person_id, status);
CREATE INDEX needs_assessments_created_by ON needs_assessments (created_by);
CREATE INDEX needs_assessments_updated_by ON needs_assessments (updated_by);
CREATE INDEX needs_assessments_completed_by ON needs_assessments (completed_by);

-- One row per section answered so far. section is a code of keepsafe_domain::needs::Section;
-- severity a code of keepsafe_domain::needs::Severity (none, standard, severe), NULL while not
-- chosen; the links NULL while not answered.
CREATE TABLE needs_sections (
    assessment_id TEXT NOT NULL REFERENCES needs_assessments (id),
    section TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    severity TEXT,
    linked_to_harm BOOLEAN,
    linked_to_reoffending BOOLEAN,
    PRIMARY KEY (assessment_id, section)
);

-- The questions asked inside the sections (keepsafe_domain::needs::Question codes), each stored
-- as a small number: yes 1 / no 0; no 0 / some 1 / significant 2; or an item score 0-2.
CREATE TABLE needs_answers (
    assessment_id TEXT NOT NULL REFERENCES needs_assessments (id),
    question TEXT NOT NULL,
    answer INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 2),
    PRIMARY KEY (assessment_id, question)
);

-- "Review the needs assessment" after a change in circumstances, made beside the risk
-- assessment's review task and answered by the next completed needs assessment. Kept apart from
-- review_tasks, which the quality indicators and supervisor insights read as risk-assessment
-- reviews.
CREATE TABLE needs_reviews (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    assessment_id TEXT NOT NULL REFERENCES needs_assessments (id),
    trigger_kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    details TEXT NOT NULL,
    due_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    completed_on DATE,
    completed_by_assessment TEXT REFERENCES needs_assessments (id)
);
CREATE INDEX needs_reviews_person ON needs_reviews (person_id, completed_on);
CREATE INDEX needs_reviews_assessment ON needs_reviews (assessment_id);
CREATE INDEX needs_reviews_completed_by_assessment ON needs_reviews (completed_by_assessment);
CREATE INDEX needs_reviews_created_by ON needs_reviews (created_by);
-- The tasks page lists the open reviews due soonest.
CREATE INDEX needs_reviews_open_due ON needs_reviews (due_on) WHERE completed_on IS NULL;
