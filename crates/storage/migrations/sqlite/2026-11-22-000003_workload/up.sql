-- Workload measurement (reference §9): reductions of a practitioner's available hours, the weekly
-- capacity snapshots the excessive-workload rule reads, and court and parole reports, whose work
-- counts as workload points of its own. Points are computed, never stored, except in a snapshot,
-- which keeps the weights version it was computed with.

CREATE TABLE staff_reductions (
    id TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    -- domain::workload::ReductionKind code: trainee, newly_qualified, union_duties, other.
    kind TEXT NOT NULL,
    -- Hours a week taken off contracted hours.
    hours REAL NOT NULL CHECK (hours >= 0),
    from_date DATE NOT NULL,
    -- The last day in force, both days included; NULL until further notice.
    to_date DATE,
    reason TEXT NOT NULL,
    created_by TEXT REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX staff_reductions_staff ON staff_reductions (staff_id, from_date);

-- One row per practitioner per week (week_start is a Monday); recording a week again replaces it.
CREATE TABLE workload_snapshots (
    staff_id TEXT NOT NULL REFERENCES staff (id),
    week_start DATE NOT NULL,
    total_points INTEGER NOT NULL CHECK (total_points >= 0),
    available_points INTEGER NOT NULL CHECK (available_points >= 0),
    -- Capacity %, unrounded; NULL when there were no available points to be a percentage of.
    percent REAL CHECK (percent IS NULL OR percent >= 0),
    cases INTEGER NOT NULL CHECK (cases >= 0),
    weights_version TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (staff_id, week_start)
);

-- Pre-sentence and parole reports being written: open until completed_on is set.
CREATE TABLE court_reports (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    -- The practitioner writing it, whose workload it counts in.
    staff_id TEXT NOT NULL REFERENCES staff (id),
    -- domain::workload::ReportKind code: standard_court_report, fast_court_report, parole_report.
    kind TEXT NOT NULL,
    requested_on DATE NOT NULL,
    due_on DATE NOT NULL,
    completed_on DATE,
    CHECK (due_on >= requested_on),
    CHECK (completed_on IS NULL OR completed_on >= requested_on)
);
CREATE INDEX court_reports_staff_open ON court_reports (staff_id, completed_on);
CREATE INDEX court_reports_person ON court_reports (person_id);
