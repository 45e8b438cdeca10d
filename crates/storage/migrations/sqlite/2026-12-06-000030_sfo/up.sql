-- Serious further offences (issue 18; storage::sfo, reference §8): a charge with a qualifying
-- offence committed while the person was supervised or within 28 days after, recorded by the
-- practitioner or a manager, and the review that follows. The domain decided that it qualifies
-- (keepsafe_domain::sfo::charge) and the reasons it gave are kept in words (one a line), with the
-- rules' version the deadlines were worked out by. The state is never stored: it follows from
-- the dates (notified_on, review_started_on, completed_on). On completion the review's actions
-- are added to the PDU's quality improvement plan (quality_recommendations, quality_actions) in
-- the same transaction, and recommendation_id links the two.
--
-- offence is a code of keepsafe_domain::sfo::QualifyingOffence. Findings are kept here and shown
-- only to those keepsafe_domain::access::Action::ViewSfo allows.
CREATE TABLE sfo_cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    offence TEXT NOT NULL,
    committed_on DATE NOT NULL,
    charged_on DATE NOT NULL,
    known_on DATE NOT NULL,
    reference TEXT NOT NULL,
    supervision_ended_on DATE,
    reasons TEXT NOT NULL,
    notification_due DATE NOT NULL,
    rule_version TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL,
    notified_on DATE,
    notified_by TEXT REFERENCES staff (id),
    reviewer_id TEXT REFERENCES staff (id),
    reviewer_assigned_on DATE,
    review_started_on DATE,
    went_well TEXT NOT NULL,
    could_be_better TEXT NOT NULL,
    learning TEXT NOT NULL,
    completed_on DATE,
    completed_by TEXT REFERENCES staff (id),
    recommendation_id TEXT REFERENCES quality_recommendations (id),
    updated_at TIMESTAMP NOT NULL
);
-- A case's SFOs; the list (open first, soonest deadline); a reviewer's reviews.
CREATE INDEX sfo_cases_person ON sfo_cases (person_id);
CREATE INDEX sfo_cases_open ON sfo_cases (completed_on, notification_due);
CREATE INDEX sfo_cases_reviewer ON sfo_cases (reviewer_id);
CREATE INDEX sfo_cases_recorded_by ON sfo_cases (recorded_by);
CREATE INDEX sfo_cases_notified_by ON sfo_cases (notified_by);
CREATE INDEX sfo_cases_completed_by ON sfo_cases (completed_by);
CREATE INDEX sfo_cases_recommendation ON sfo_cases (recommendation_id);
