-- Partner information exchange (reference §4): police forces and local authorities with their own
-- users and API clients, and check requests sent to them through keepsafe rather than recorded by
-- the practitioner. A request with a partner organisation has a status (domain::partner
-- RequestStatus); one without is a check the practitioner requested outside keepsafe and recorded.

CREATE TABLE partner_organisations (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- domain::partner PartnerOrganisationKind: police_force, childrens_services, adult_social_care.
    kind TEXT NOT NULL,
    region_id TEXT NOT NULL REFERENCES regions (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_organisations_region ON partner_organisations (region_id);

-- Partner users sign in like staff, with grade 'partner', and belong to one organisation.
ALTER TABLE staff ADD COLUMN partner_organisation_id TEXT REFERENCES partner_organisations (id);
-- domain::partner PartnerRole: responder, manager.
ALTER TABLE staff ADD COLUMN partner_role TEXT;

-- API clients of partner systems. Only the token's SHA-256 is kept; the token is shown once.
CREATE TABLE partner_api_tokens (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES partner_organisations (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX partner_api_tokens_organisation ON partner_api_tokens (organisation_id);

ALTER TABLE check_requests ADD COLUMN partner_organisation_id TEXT REFERENCES partner_organisations (id);
-- sent, acknowledged, responded, declined, withdrawn; NULL for checks recorded by the practitioner.
ALTER TABLE check_requests ADD COLUMN status TEXT;
ALTER TABLE check_requests ADD COLUMN acknowledged_on DATE;
-- The day it was responded to, declined or withdrawn.
ALTER TABLE check_requests ADD COLUMN closed_on DATE;
ALTER TABLE check_requests ADD COLUMN decline_reason TEXT;
-- Why it was declined (with reason 'other') or withdrawn.
ALTER TABLE check_requests ADD COLUMN close_detail TEXT;
ALTER TABLE check_requests ADD COLUMN response_risk_notes TEXT;
-- Who answered for the partner: "Name (Organisation)" or "API client: name (Organisation)".
ALTER TABLE check_requests ADD COLUMN responded_by TEXT;
CREATE INDEX check_requests_partner_queue ON check_requests (partner_organisation_id, status, deadline);

CREATE TABLE check_response_incidents (
    check_id TEXT NOT NULL REFERENCES check_requests (id),
    position INTEGER NOT NULL,
    occurred_on DATE NOT NULL,
    -- domain::partner IncidentKind.
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (check_id, position)
);

CREATE TABLE check_response_involvement (
    check_id TEXT NOT NULL REFERENCES check_requests (id),
    -- domain::partner Involvement.
    involvement TEXT NOT NULL,
    PRIMARY KEY (check_id, involvement)
);

-- Idempotency keys on partner API writes: the same key from the same token returns the first
-- answer instead of acting twice; the same key with a different body is refused.
CREATE TABLE partner_idempotency (
    token_id TEXT NOT NULL REFERENCES partner_api_tokens (id),
    idempotency_key TEXT NOT NULL,
    request_fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
