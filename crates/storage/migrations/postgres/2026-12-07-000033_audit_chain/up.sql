-- Tamper evidence for the audit log (#19): every row gets a place in one chain and a SHA-256 hash
-- over the previous row's hash and its own fields, so altering, deleting or reordering a row
-- breaks the chain at that row (`keepsafe audit verify`). Rows are written unchained and given
-- their place just before their transaction commits; rows already here are chained by keepsafe
-- when it first opens the database after this migration (the hash is computed in Rust, the same
-- way on both backends).
ALTER TABLE audit_log ADD COLUMN chain_position BIGINT;
ALTER TABLE audit_log ADD COLUMN previous_hash TEXT;
ALTER TABLE audit_log ADD COLUMN row_hash TEXT;
CREATE UNIQUE INDEX audit_log_chain_position ON audit_log (chain_position);

-- The end of the chain: its one row is locked by the committing transaction while it chains its
-- rows, so chains written at the same time never fork. Position 0 with a hash of zeros is the
-- start, before any row.
CREATE TABLE audit_chain_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_position BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_position, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Sign-in throttling by subject: a username as typed (whether or not an account has it) or a
-- network address. While a subject is locked or throttled, refused attempts are counted here
-- instead of each writing a sign-in attempt and an audit row, so anonymous requests cannot grow
-- the database without bound. `locked_until` locks a username no account has, exactly as an
-- account's own lock does, so the lockout does not tell whether an account exists.
CREATE TABLE sign_in_throttles (
    subject TEXT PRIMARY KEY,
    locked_until TIMESTAMP,
    refused_since TIMESTAMP NOT NULL,
    refused INTEGER NOT NULL
);
