-- Public protection: criminal history for OGRS3, safeguarding checks, RoSH assessments,
-- review tasks after changes in circumstances, and the computed predictors and tiers (each
-- stored with its inputs and rule version so every number can say how it was computed).

ALTER TABLE people ADD COLUMN age_at_first_sanction INTEGER;
ALTER TABLE events ADD COLUMN sanctions_before INTEGER;

CREATE TABLE check_requests (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    address_id TEXT REFERENCES addresses (id),
    address_description TEXT NOT NULL,
    requested_on DATE NOT NULL,
    deadline DATE NOT NULL,
    deadline_rule TEXT NOT NULL,
    requested_by TEXT NOT NULL REFERENCES staff (id),
    response_received_on DATE,
    response_known_to_agency BOOLEAN,
    response_summary TEXT,
    response_recorded_by TEXT REFERENCES staff (id),
    authorised_without_by TEXT REFERENCES staff (id),
    authorised_without_on DATE,
    authorised_without_reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX check_requests_person ON check_requests (person_id, requested_on);

CREATE TABLE rosh_assessments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    case_type TEXT NOT NULL,
    nature_of_harm TEXT NOT NULL,
    who_is_at_risk TEXT NOT NULL,
    imminence TEXT NOT NULL,
    increasing_factors TEXT NOT NULL,
    reducing_factors TEXT NOT NULL,
    case_level TEXT,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL,
    completed_by TEXT REFERENCES staff (id),
    completed_at TIMESTAMP,
    countersigned_by TEXT REFERENCES staff (id),
    countersigned_at TIMESTAMP,
    superseded_at TIMESTAMP
);
CREATE INDEX rosh_assessments_person ON rosh_assessments (person_id, status);

CREATE TABLE rosh_levels (
    assessment_id TEXT NOT NULL REFERENCES rosh_assessments (id),
    risk_group TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (assessment_id, risk_group)
);

CREATE TABLE rosh_considerations (
    assessment_id TEXT NOT NULL REFERENCES rosh_assessments (id),
    subject_id TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (assessment_id, subject_id)
);

CREATE TABLE rosh_check_references (
    assessment_id TEXT NOT NULL REFERENCES rosh_assessments (id),
    check_id TEXT NOT NULL REFERENCES check_requests (id),
    note TEXT NOT NULL,
    PRIMARY KEY (assessment_id, check_id)
);

CREATE TABLE review_tasks (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    trigger_kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    details TEXT NOT NULL,
    due_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    completed_on DATE,
    completed_by_assessment TEXT REFERENCES rosh_assessments (id)
);
CREATE INDEX review_tasks_person ON review_tasks (person_id, completed_on);
CREATE INDEX review_tasks_open_due ON review_tasks (completed_on, due_on);

CREATE TABLE predictor_scores (
    event_id TEXT NOT NULL REFERENCES events (id),
    predictor TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    one_year INTEGER,
    two_year INTEGER,
    band TEXT,
    inputs TEXT NOT NULL,
    explanation TEXT NOT NULL,
    error TEXT,
    rule_version TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, predictor)
);
CREATE INDEX predictor_scores_person ON predictor_scores (person_id);

CREATE TABLE tier_results (
    person_id TEXT PRIMARY KEY REFERENCES people (id),
    legacy_tier TEXT NOT NULL,
    protect_points INTEGER NOT NULL,
    change_points INTEGER,
    single_tier TEXT,
    single_status TEXT NOT NULL,
    single_provisional BOOLEAN NOT NULL,
    explanation TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL
);
