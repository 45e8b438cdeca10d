-- Supervision in practice (domain::supervision): contacts become appointments that are arranged,
-- moved, cancelled and given an outcome; failures are judged; enforcement (warnings, breach, recall)
-- and its documents; contact standards; reminders through an outbox; calendar feeds.

-- Contacts and appointments: one row per contact, whether arranged in advance or recorded after it.
ALTER TABLE contacts ADD COLUMN requirement_id TEXT REFERENCES requirements (id);
ALTER TABLE contacts ADD COLUMN ends_at TIMESTAMP;
-- domain::supervision LocationKind: 'office', 'home', 'remote' or 'other'.
ALTER TABLE contacts ADD COLUMN location_kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE contacts ADD COLUMN sensitive BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN enforceable BOOLEAN NOT NULL DEFAULT 0;
-- domain::supervision ContactStatus: 'arranged', 'rescheduled' (replaced by rescheduled_to) or
-- 'cancelled'. A contact recorded after the fact is 'arranged' with its outcome set.
ALTER TABLE contacts ADD COLUMN status TEXT NOT NULL DEFAULT 'arranged';
ALTER TABLE contacts ADD COLUMN series_id TEXT;
ALTER TABLE contacts ADD COLUMN created_by TEXT REFERENCES staff (id);
ALTER TABLE contacts ADD COLUMN created_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN outcome_recorded_by TEXT REFERENCES staff (id);
ALTER TABLE contacts ADD COLUMN outcome_recorded_at TIMESTAMP;
-- Why an outcome was recorded late (domain::supervision::outcome lateness rule).
ALTER TABLE contacts ADD COLUMN late_reason TEXT;
-- domain::supervision FailureJudgement: 'acceptable', 'unacceptable' or 'awaiting_evidence'.
ALTER TABLE contacts ADD COLUMN judgement TEXT;
ALTER TABLE contacts ADD COLUMN judgement_reason TEXT;
-- The evidence seen for an acceptable failure (a sick note, a hospital letter).
ALTER TABLE contacts ADD COLUMN judgement_evidence TEXT;
ALTER TABLE contacts ADD COLUMN evidence_due_on DATE;
ALTER TABLE contacts ADD COLUMN judged_by TEXT REFERENCES staff (id);
ALTER TABLE contacts ADD COLUMN judged_at TIMESTAMP;
-- 'person', 'practitioner' or 'other' (domain::supervision RescheduleRequester).
ALTER TABLE contacts ADD COLUMN reschedule_requested_by TEXT;
ALTER TABLE contacts ADD COLUMN change_reason TEXT;
ALTER TABLE contacts ADD COLUMN rescheduled_to TEXT;
ALTER TABLE contacts ADD COLUMN changed_by TEXT REFERENCES staff (id);
ALTER TABLE contacts ADD COLUMN changed_at TIMESTAMP;

-- The outcome codes split into what happened and, for a failure, its judgement.
UPDATE contacts SET outcome = 'failed_to_attend', judgement = 'acceptable'
    WHERE outcome = 'acceptable_absence';
UPDATE contacts SET outcome = 'failed_to_attend', judgement = 'unacceptable'
    WHERE outcome = 'unacceptable_absence';
UPDATE contacts SET judgement = 'unacceptable' WHERE outcome = 'attended_failed_to_comply';
UPDATE contacts SET outcome = NULL, status = 'rescheduled' WHERE outcome = 'rescheduled';

CREATE INDEX contacts_staff_time ON contacts (staff_id, starts_at);
CREATE INDEX contacts_series ON contacts (series_id);
CREATE INDEX contacts_awaiting_outcome ON contacts (status, outcome, starts_at);
CREATE INDEX contacts_awaiting_evidence ON contacts (judgement, evidence_due_on);

-- Generated and uploaded documents of a case: warning letters, breach reports, recall
-- recommendations and decisions (body: the text generated from the record when it was made, so a
-- letter never changes after it is sent), and files practitioners upload.
CREATE TABLE case_documents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- domain::supervision::enforcement DocumentKind.
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT,
    file_name TEXT,
    media_type TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    content BLOB,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_documents_person ON case_documents (person_id, created_at);

-- Warning letters for unacceptable failures on community and suspended sentence orders.
CREATE TABLE enforcement_warnings (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT REFERENCES events (id),
    contact_id TEXT NOT NULL UNIQUE REFERENCES contacts (id),
    -- 'due' or 'sent'.
    status TEXT NOT NULL,
    due_on DATE NOT NULL,
    sent_on DATE,
    sent_by TEXT REFERENCES staff (id),
    document_id TEXT REFERENCES case_documents (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX enforcement_warnings_person ON enforcement_warnings (person_id, status);

-- Breach action: a further unacceptable failure within the warning period (Sentencing Code,
-- Schedule 10), a report to court with a proposal, then the court's outcome.
CREATE TABLE breach_actions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT REFERENCES events (id),
    contact_id TEXT NOT NULL UNIQUE REFERENCES contacts (id),
    -- 'open', 'reported' or 'concluded'.
    status TEXT NOT NULL,
    opened_on DATE NOT NULL,
    due_on DATE NOT NULL,
    proposal TEXT,
    report_document_id TEXT REFERENCES case_documents (id),
    reported_on DATE,
    court_outcome TEXT,
    court_outcome_on DATE,
    court_outcome_notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES staff (id)
);
CREATE INDEX breach_actions_person ON breach_actions (person_id, status);

-- Recall of a licence case: consider, recommend, countersign by the senior officer and then the
-- head of PDU (or decline), or decide not to recall.
CREATE TABLE recalls (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT REFERENCES events (id),
    contact_id TEXT REFERENCES contacts (id),
    -- domain::supervision::enforcement RecallStatus.
    status TEXT NOT NULL,
    opened_on DATE NOT NULL,
    opened_reason TEXT NOT NULL,
    reasons TEXT,
    alternatives_tried TEXT,
    current_risk TEXT,
    -- 'standard' or 'fixed_term'.
    recall_type TEXT,
    emergency BOOLEAN NOT NULL DEFAULT 0,
    recommended_by TEXT REFERENCES staff (id),
    recommended_at TIMESTAMP,
    recommendation_document_id TEXT REFERENCES case_documents (id),
    senior_decision TEXT,
    senior_by TEXT REFERENCES staff (id),
    senior_at TIMESTAMP,
    senior_reason TEXT,
    head_decision TEXT,
    head_by TEXT REFERENCES staff (id),
    head_at TIMESTAMP,
    head_reason TEXT,
    recall_date DATE,
    decision_document_id TEXT REFERENCES case_documents (id),
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX recalls_person ON recalls (person_id, status);
CREATE INDEX recalls_status ON recalls (status);

-- Minimum contact frequency, effective-dated (domain::supervision::standards): one row per RoSH
-- level in each version; a new version applies from its date.
CREATE TABLE contact_standards (
    effective_from DATE NOT NULL,
    rosh_level TEXT NOT NULL,
    -- The first weeks of an order or licence, contacted more often.
    early_weeks INTEGER NOT NULL CHECK (early_weeks >= 0),
    early_every_days INTEGER NOT NULL CHECK (early_every_days > 0),
    then_every_days INTEGER NOT NULL CHECK (then_every_days > 0),
    source TEXT NOT NULL,
    set_by TEXT REFERENCES staff (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (effective_from, rosh_level)
);

-- keepsafe's default contact standard (domain::supervision::standards, where it is explained):
-- at least every 7 days in the first 8, 12 or 16 weeks of an order or licence, then every 28
-- (low), 14 (medium) or 7 (high and very high) days. The numbers are keepsafe's: they follow the
-- former National Standards for the Management of Offenders: Standards and Implementation
-- Guidance 2007 (National Offender Management Service) — first contact within five working days
-- of sentence or release (two for the highest tier), then contact by tier of risk; earlier
-- editions (2000, 2005) asked for more frequent contact early in an order or licence — whose
-- successors (the
-- National Standards Practice Framework, 2015, and the Probation Service's operating model) leave
-- the frequency to local policy. After the first weeks they match the contact-frequency quality
-- indicator's defaults. A case with no completed RoSH assessment is held to the medium row.
INSERT INTO contact_standards
    (effective_from, rosh_level, early_weeks, early_every_days, then_every_days, source, set_by, set_at)
VALUES
    ('2020-01-01', 'low', 8, 7, 28, 'keepsafe''s default, not a national figure. It follows the former National Standards for the Management of Offenders (NOMS, 2007: first contact within five working days of sentence or release, two for the highest tier, then contact by tier of risk; earlier editions asked for more frequent contact in the first weeks of an order or licence). Current national guidance (National Standards Practice Framework, 2015) leaves the frequency to local policy.', NULL, '2020-01-01 00:00:00'),
    ('2020-01-01', 'medium', 12, 7, 14, 'keepsafe''s default, not a national figure. It follows the former National Standards for the Management of Offenders (NOMS, 2007: first contact within five working days of sentence or release, two for the highest tier, then contact by tier of risk; earlier editions asked for more frequent contact in the first weeks of an order or licence). Current national guidance (National Standards Practice Framework, 2015) leaves the frequency to local policy.', NULL, '2020-01-01 00:00:00'),
    ('2020-01-01', 'high', 16, 7, 7, 'keepsafe''s default, not a national figure. It follows the former National Standards for the Management of Offenders (NOMS, 2007: first contact within five working days of sentence or release, two for the highest tier, then contact by tier of risk; earlier editions asked for more frequent contact in the first weeks of an order or licence). Current national guidance (National Standards Practice Framework, 2015) leaves the frequency to local policy.', NULL, '2020-01-01 00:00:00'),
    ('2020-01-01', 'very_high', 16, 7, 7, 'keepsafe''s default, not a national figure. It follows the former National Standards for the Management of Offenders (NOMS, 2007: first contact within five working days of sentence or release, two for the highest tier, then contact by tier of risk; earlier editions asked for more frequent contact in the first weeks of an order or licence). Current national guidance (National Standards Practice Framework, 2015) leaves the frequency to local policy.', NULL, '2020-01-01 00:00:00');

-- How the person wants appointment reminders (none by default), with their consent.
CREATE TABLE reminder_preferences (
    person_id TEXT PRIMARY KEY REFERENCES people (id),
    -- 'none', 'text' or 'email'.
    channel TEXT NOT NULL,
    mobile TEXT,
    email TEXT,
    consent_on DATE,
    recorded_by TEXT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);

-- Messages to people on probation, stored before sending and retried with back-off.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    contact_id TEXT REFERENCES contacts (id),
    -- 'text' or 'email'.
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'queued', 'sent', 'failed', 'cancelled' or 'not_sent'.
    status TEXT NOT NULL,
    send_after TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    sent_at TIMESTAMP,
    provider_reference TEXT,
    -- For a reminder: the appointment's time when the message was written, checked again before
    -- sending so a moved appointment's reminder is cancelled rather than sent.
    appointment_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_person ON outbox (person_id, created_at);
-- At most one reminder per appointment.
CREATE UNIQUE INDEX outbox_contact ON outbox (contact_id);

-- Private calendar feed addresses; a renewed one is kept revoked so it can be told apart from a
-- mistyped one.
CREATE TABLE calendar_feeds (
    token TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX calendar_feeds_staff ON calendar_feeds (staff_id, revoked_at);
