-- A deployment's own rating thresholds or overall bands for a built-in framework
-- (domain::quality::framework RatingThresholds, OverallBands), with who set them and why. Every
-- rating computed from then on uses them and shows them in its explanation.
CREATE TABLE quality_framework_settings (
    framework TEXT PRIMARY KEY,
    -- Whole percentages; all three or none.
    outstanding_from INTEGER,
    good_from INTEGER,
    requires_improvement_from INTEGER,
    -- Four point ranges, worst first: "0-3,4-10,11-17,18-21".
    bands TEXT,
    reason TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL
);
