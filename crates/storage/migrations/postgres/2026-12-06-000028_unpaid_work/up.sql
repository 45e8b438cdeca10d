-- Unpaid work (issue 18; storage::unpaid_work): Community Payback projects, their sessions, who is
-- allocated to each (with the appointment, a `contacts` row of type unpaid_work_session linked to
-- the unpaid work requirement, so it shows in the contact log and the diary), the attendance
-- recorded for each allocation, and the rules as effective-dated reference data.
--
-- kind, outcome, quality and behaviour are codes of keepsafe_domain::unpaid_work::{ProjectKind,
-- AttendanceOutcome, Rating}; times credited are whole minutes.
CREATE TABLE upw_rules (
    effective_from DATE PRIMARY KEY,
    version TEXT NOT NULL,
    limit_removed_from DATE,
    ete_share_percent INTEGER NOT NULL,
    max_travel_minutes INTEGER NOT NULL,
    pace_lookback_weeks INTEGER NOT NULL,
    minimum_weekly_hours INTEGER NOT NULL,
    settling_in_weeks INTEGER NOT NULL
);
-- keepsafe's defaults: no commencement date for the 2026 Act's removal of the 12-month limit yet
-- (reference §2); education, training and employment up to 20% of the hours ordered, travel up to
-- 60 minutes a session, pace measured over 4 weeks against at least 6 hours a week after 2 weeks
-- of settling in (keepsafe's own choices, issue 18). A policy change is a new row.
INSERT INTO upw_rules VALUES ('2000-01-01', 'unpaid-work-2026-12', NULL, 20, 60, 4, 6, 2);

CREATE TABLE upw_projects (
    id TEXT PRIMARY KEY,
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    supervisor TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    travel_credited BOOLEAN NOT NULL,
    ete_available BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL,
    updated_by TEXT REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX upw_projects_pdu ON upw_projects (pdu_id, active, name);

CREATE TABLE upw_sessions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES upw_projects (id),
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    session_date DATE NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    supervisor TEXT NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
-- The sessions list, by day in a PDU, and a project's sessions.
CREATE INDEX upw_sessions_pdu_day ON upw_sessions (pdu_id, session_date);
CREATE INDEX upw_sessions_project ON upw_sessions (project_id, session_date);

CREATE TABLE upw_allocations (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES upw_sessions (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    requirement_id TEXT NOT NULL REFERENCES requirements (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    session_date DATE NOT NULL,
    allocated_by TEXT REFERENCES staff (id),
    allocated_at TIMESTAMP NOT NULL
);
-- One allocation a person a day (so never two in one session): the database refuses a second.
CREATE UNIQUE INDEX upw_allocations_person_day ON upw_allocations (person_id, session_date);
CREATE INDEX upw_allocations_session ON upw_allocations (session_id);
CREATE INDEX upw_allocations_requirement ON upw_allocations (requirement_id, session_date);

-- One attendance an allocation: the primary key refuses crediting a session twice.
CREATE TABLE upw_attendance (
    allocation_id TEXT PRIMARY KEY REFERENCES upw_allocations (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    requirement_id TEXT NOT NULL REFERENCES requirements (id),
    session_date DATE NOT NULL,
    outcome TEXT NOT NULL,
    quality TEXT,
    behaviour TEXT,
    worked_minutes INTEGER NOT NULL,
    travel_minutes INTEGER NOT NULL,
    ete_minutes INTEGER NOT NULL,
    notes TEXT NOT NULL,
    recorded_by TEXT REFERENCES staff (id),
    recorded_at TIMESTAMP NOT NULL
);
-- Hours credited to an order (in all, and lately for its pace).
CREATE INDEX upw_attendance_requirement ON upw_attendance (requirement_id, session_date);
CREATE INDEX upw_attendance_person ON upw_attendance (person_id);
