-- Court work (issue 17; storage::court): the courts each PDU's court team covers, the hearings of
-- their lists by day, the pre-sentence reports written for hearings, and the requests to adjourn
-- for the information a proposal needs.
CREATE TABLE courts (
    id TEXT PRIMARY KEY,
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE INDEX courts_pdu ON courts (pdu_id, name);

-- A hearing on a court's list: matched to an existing case (matched_by 'crn' or
-- 'name_and_date_of_birth') or the pre-sentence case made for it ('new_case'). The event is the
-- case's event the hearing is about. Once sentenced, the sentence recorded from the court's result.
CREATE TABLE court_hearings (
    id TEXT PRIMARY KEY,
    court_id TEXT NOT NULL REFERENCES courts (id),
    hearing_on DATE NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT NOT NULL REFERENCES events (id),
    matched_by TEXT NOT NULL,
    offence TEXT NOT NULL,
    added_by TEXT NOT NULL REFERENCES staff (id),
    added_at TIMESTAMP NOT NULL,
    sentence_type TEXT,
    sentence_length_months INTEGER CHECK (sentence_length_months > 0),
    sentenced_on DATE,
    sentence_recorded_by TEXT REFERENCES staff (id)
);
-- The list of a court's day, in the order added; a person's hearings.
CREATE INDEX court_hearings_list ON court_hearings (court_id, hearing_on, added_at);
CREATE INDEX court_hearings_person ON court_hearings (person_id);

-- A pre-sentence report asked for at a hearing (one per hearing). kind is a code of
-- keepsafe_domain::court::ReportType, status of ReportStatus; due_on was worked out by the
-- CourtRules of rule_version. proposed_requirements holds RequirementKind codes separated by
-- spaces. workload_report_id is the court_reports row that counts it in the author's workload.
CREATE TABLE pre_sentence_reports (
    id TEXT PRIMARY KEY,
    hearing_id TEXT NOT NULL UNIQUE REFERENCES court_hearings (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_on DATE NOT NULL,
    due_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES staff (id),
    sources TEXT NOT NULL DEFAULT '',
    offence_analysis TEXT NOT NULL DEFAULT '',
    risk_analysis TEXT NOT NULL DEFAULT '',
    checks_analysis TEXT NOT NULL DEFAULT '',
    needs_analysis TEXT NOT NULL DEFAULT '',
    proposed_sentence TEXT,
    proposed_requirements TEXT NOT NULL DEFAULT '',
    justification TEXT NOT NULL DEFAULT '',
    workload_report_id TEXT REFERENCES court_reports (id),
    completed_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX pre_sentence_reports_author ON pre_sentence_reports (author_id, status, due_on);
CREATE INDEX pre_sentence_reports_person ON pre_sentence_reports (person_id);

-- A request to the court to adjourn (reference §4: when the checks' results are not back), and
-- what the court decided (a code of AdjournmentOutcome, NULL until known).
CREATE TABLE court_adjournments (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES pre_sentence_reports (id),
    asked_on DATE NOT NULL,
    reason TEXT NOT NULL,
    outcome TEXT,
    new_hearing_on DATE,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX court_adjournments_report ON court_adjournments (report_id, asked_on);

-- Matching a hearing to a case by name and date of birth.
CREATE INDEX people_date_of_birth ON people (date_of_birth);
