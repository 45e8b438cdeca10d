-- The automated rating of every unit, recorded weekly (storage::quality::snapshots), so the
-- automated source has a trend as the audit source does: per unit, framework, week and key
-- question, the cases answered yes and the cases where the question applied.
CREATE TABLE quality_snapshots (
    -- 'team', 'pdu', 'region' or 'nation'; scope_id is '' for the nation.
    scope_kind TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    framework TEXT NOT NULL,
    week_start DATE NOT NULL,
    question TEXT NOT NULL,
    yes INTEGER NOT NULL,
    applicable INTEGER NOT NULL,
    -- Live cases rated that week.
    cases INTEGER NOT NULL,
    measured_on DATE NOT NULL,
    PRIMARY KEY (scope_kind, scope_id, framework, week_start, question)
);
