-- Files a partner attaches to an answer (domain::partner::response Attachment): the declared name
-- and type the domain checked, the size and SHA-256 of the bytes actually received, and the bytes.
-- Kept beside the answer they belong to and written in the same transaction.
CREATE TABLE check_response_attachments (
    check_id TEXT NOT NULL REFERENCES check_requests (id),
    position INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (check_id, position)
);

-- A partner organisation's own timescale for one request type (domain::partner::deadlines
-- OrganisationOverride), agreed with that partner; applies to requests sent after it is set.
CREATE TABLE partner_deadline_overrides (
    organisation_id TEXT NOT NULL REFERENCES partner_organisations (id),
    -- domain::partner RequestType.
    request_type TEXT NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days > 0),
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (organisation_id, request_type)
);
