-- Quality assurance against the inspectorate's standards (domain::quality, reference §12).

-- A manager's oversight of a case (domain::quality::oversight): who looked, when, at what, and
-- what they said. The automated oversight indicator reads these.
CREATE TABLE management_oversight (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- domain::quality::oversight OversightKind.
    kind TEXT NOT NULL,
    recorded_on DATE NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX management_oversight_by_person ON management_oversight (person_id, recorded_on);

-- A stratified random sample of a PDU's live cases (domain::quality::sampling), kept with the
-- seed and rule version that reproduce it.
CREATE TABLE quality_samples (
    id TEXT PRIMARY KEY,
    framework TEXT NOT NULL,
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    -- The u64 seed, stored as its decimal text so no backend truncates it.
    seed TEXT NOT NULL,
    requested INTEGER NOT NULL CHECK (requested > 0),
    rule_version TEXT NOT NULL,
    -- The sample's Explanation, as JSON.
    explanation TEXT NOT NULL,
    drawn_by TEXT NOT NULL REFERENCES staff (id),
    drawn_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_samples_by_pdu ON quality_samples (pdu_id, drawn_at);

CREATE TABLE quality_sample_cases (
    sample_id TEXT NOT NULL REFERENCES quality_samples (id),
    position INTEGER NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    stratum TEXT NOT NULL,
    PRIMARY KEY (sample_id, position)
);
CREATE UNIQUE INDEX quality_sample_cases_once ON quality_sample_cases (sample_id, person_id);

-- One audit of one case against one framework (domain::quality::audit). A moderation is a second
-- audit of the same case by another auditor, pointing at the audit it moderates. The team and PDU
-- are those that held the case when it was audited, so later transfers do not move old results.
CREATE TABLE quality_audits (
    id TEXT PRIMARY KEY,
    framework TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    team_id TEXT REFERENCES teams (id),
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    sample_id TEXT REFERENCES quality_samples (id),
    moderates TEXT REFERENCES quality_audits (id),
    audited_on DATE NOT NULL,
    auditor_id TEXT NOT NULL REFERENCES staff (id),
    -- The auditor's name as given: an imported row may name someone without an account.
    auditor_name TEXT NOT NULL,
    -- 'form' (entered in keepsafe) or 'import' (from a CSV file).
    entered_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_audits_by_pdu ON quality_audits (pdu_id, framework, audited_on);
CREATE INDEX quality_audits_by_person ON quality_audits (person_id);
CREATE UNIQUE INDEX quality_audits_one_moderation ON quality_audits (moderates);
-- A sampled case is audited once for its sample (a second look is a moderation), even when two
-- auditors save at the same moment.
CREATE UNIQUE INDEX quality_audits_once_per_sample ON quality_audits (sample_id, person_id)
    WHERE sample_id IS NOT NULL AND moderates IS NULL;

CREATE TABLE quality_audit_answers (
    audit_id TEXT NOT NULL REFERENCES quality_audits (id),
    question TEXT NOT NULL,
    -- domain::quality::audit Answer.
    answer TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (audit_id, question)
);

-- Ratings panel decisions for one unit: a judgement of a domain-one standard (leadership,
-- staffing, services, ...) or a departure from a case standard's computed rating, always with a
-- reason. The latest for a standard stands; earlier ones are kept as history.
CREATE TABLE quality_judgements (
    id TEXT PRIMARY KEY,
    framework TEXT NOT NULL,
    -- 'team', 'pdu', 'region' or 'nation'; scope_id is '' for the nation.
    scope_kind TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    standard TEXT NOT NULL,
    -- 'judgement' or 'departure'.
    kind TEXT NOT NULL,
    rating TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_judgements_by_scope ON quality_judgements (framework, scope_kind, scope_id, recorded_at);

-- Inspection recommendations and the action plan against each (domain::quality::recommendations).
CREATE TABLE quality_recommendations (
    id TEXT PRIMARY KEY,
    scope_kind TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    framework TEXT NOT NULL,
    standard TEXT,
    text TEXT NOT NULL,
    -- Where it came from, e.g. "HM Inspectorate of Probation, PDU inspection 2025".
    made_by TEXT NOT NULL,
    made_on DATE NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_recommendations_by_scope ON quality_recommendations (scope_kind, scope_id);

CREATE TABLE quality_actions (
    id TEXT PRIMARY KEY,
    recommendation_id TEXT NOT NULL REFERENCES quality_recommendations (id),
    description TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on DATE NOT NULL,
    -- 'open', 'in_progress', 'done' or 'dropped'.
    status TEXT NOT NULL,
    dropped_reason TEXT,
    updated_by TEXT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX quality_actions_by_recommendation ON quality_actions (recommendation_id);
