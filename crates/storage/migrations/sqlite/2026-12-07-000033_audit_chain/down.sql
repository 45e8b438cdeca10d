DROP TABLE sign_in_throttles;
DROP TABLE audit_chain_head;
DROP INDEX audit_log_chain_position;
ALTER TABLE audit_log DROP COLUMN row_hash;
ALTER TABLE audit_log DROP COLUMN previous_hash;
ALTER TABLE audit_log DROP COLUMN chain_position;
