-- keepsafe import's bookkeeping, so an interrupted import resumes where it stopped. An import is
-- named by the fingerprint (SHA-256) of its files, so a different dataset never resumes another's.
CREATE TABLE dataset_imports (
    fingerprint TEXT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    -- Whether the database held no people when the import began: then the derived records
    -- (scores and tiers, workload history, quality ratings) are computed at its end.
    into_empty BOOLEAN NOT NULL DEFAULT FALSE,
    finished_at TIMESTAMP
);

-- Per file of an import: the last line written, in the same transaction as the rows.
CREATE TABLE dataset_import_files (
    fingerprint TEXT NOT NULL REFERENCES dataset_imports (fingerprint),
    file TEXT NOT NULL,
    committed_line BIGINT NOT NULL,
    written BIGINT NOT NULL,
    PRIMARY KEY (fingerprint, file)
);
