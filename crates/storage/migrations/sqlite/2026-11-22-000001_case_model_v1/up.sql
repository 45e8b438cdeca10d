-- keepsafe data model v1: organisation, staff and sign-in, people on probation and their cases,
-- allocation history and the audit log. Ids are UUIDs stored as text; timestamps are UTC.

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE pdus (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL REFERENCES regions (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE INDEX pdus_region ON pdus (region_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE INDEX teams_pdu ON teams (pdu_id);

CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    grade TEXT NOT NULL,
    contracted_hours REAL NOT NULL CHECK (contracted_hours > 0 AND contracted_hours <= 48),
    region_id TEXT NOT NULL REFERENCES regions (id),
    pdu_id TEXT REFERENCES pdus (id),
    team_id TEXT REFERENCES teams (id),
    username TEXT UNIQUE,
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_team ON staff (team_id);
CREATE INDEX staff_pdu ON staff (pdu_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE sign_in_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    client_address TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, attempted_at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (client_address, attempted_at);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    crn TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    date_of_birth DATE NOT NULL,
    sex TEXT NOT NULL,
    pdu_id TEXT NOT NULL REFERENCES pdus (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX people_pdu ON people (pdu_id);
CREATE INDEX people_name ON people (last_name, first_name);

CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    line1 TEXT NOT NULL,
    line2 TEXT,
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    status TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE
);
CREATE INDEX addresses_person ON addresses (person_id);

CREATE TABLE household_members (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    date_of_birth DATE,
    start_date DATE NOT NULL,
    end_date DATE
);
CREATE INDEX household_members_person ON household_members (person_id);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_number INTEGER NOT NULL,
    offence_description TEXT NOT NULL,
    offence_category TEXT NOT NULL,
    offence_date DATE NOT NULL,
    conviction_date DATE NOT NULL,
    court TEXT NOT NULL,
    sentence_type TEXT NOT NULL,
    case_type TEXT NOT NULL,
    sentence_date DATE,
    sentence_length_months INTEGER,
    release_date DATE,
    expected_end_date DATE,
    active BOOLEAN NOT NULL,
    UNIQUE (person_id, event_number)
);
CREATE INDEX events_active_case_type ON events (active, case_type);

CREATE TABLE requirements (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (id),
    kind TEXT NOT NULL,
    length INTEGER,
    detail TEXT,
    start_date DATE NOT NULL,
    end_date DATE,
    active BOOLEAN NOT NULL
);
CREATE INDEX requirements_event ON requirements (event_id);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    mappa_category TEXT,
    mappa_level TEXT,
    registered_on DATE NOT NULL,
    next_review_on DATE,
    ended_on DATE,
    notes TEXT NOT NULL
);
CREATE INDEX registrations_person ON registrations (person_id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    event_id TEXT REFERENCES events (id),
    contact_type TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    location TEXT NOT NULL,
    outcome TEXT,
    notes TEXT NOT NULL,
    staff_id TEXT REFERENCES staff (id)
);
CREATE INDEX contacts_person_time ON contacts (person_id, starts_at);

CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    staff_id TEXT NOT NULL REFERENCES staff (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    start_date DATE NOT NULL,
    end_date DATE,
    reason TEXT NOT NULL
);
CREATE INDEX allocations_person ON allocations (person_id, end_date);
CREATE INDEX allocations_staff_current ON allocations (staff_id, end_date);
CREATE INDEX allocations_team_current ON allocations (team_id, end_date);

-- Append-only: who did what to which case, and whether it was allowed.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TIMESTAMP NOT NULL,
    staff_id TEXT REFERENCES staff (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    person_id TEXT REFERENCES people (id),
    crn TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_person ON audit_log (person_id, occurred_at);
CREATE INDEX audit_log_staff ON audit_log (staff_id, occurred_at);
CREATE INDEX audit_log_time ON audit_log (occurred_at);
