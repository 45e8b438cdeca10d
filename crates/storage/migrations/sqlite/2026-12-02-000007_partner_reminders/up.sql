-- Reminders and escalations of requests sent to partners (domain::partner DeadlineRules): one row
-- per request and reminder, so the daily run (`keepsafe partner reminders`, and the server's own
-- hourly pass) never sends the same reminder twice.
CREATE TABLE partner_reminders (
    check_id TEXT NOT NULL REFERENCES check_requests (id),
    -- domain::partner Reminder::key: advance, deadline_day, escalation_1, …
    reminder_key TEXT NOT NULL,
    -- partner_organisation or senior_probation_officer.
    audience TEXT NOT NULL,
    scheduled_for DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    -- Why it was due, with the rule version, as the explanation read.
    explanation TEXT NOT NULL,
    PRIMARY KEY (check_id, reminder_key)
);
