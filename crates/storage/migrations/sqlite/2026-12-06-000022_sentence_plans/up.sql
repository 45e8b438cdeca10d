-- The sentence plan (issue 16; keepsafe_domain::plans, storage::plans). A plan belongs to a case
-- and moves draft -> awaiting_countersignature (high and very high RoSH) -> active -> superseded
-- (by the next active plan). version guards against saving over an edit made meanwhile.
-- Every child table carries person_id so the quality triggers queue the case directly and a
-- case's whole plan history reads with one query per table.
CREATE TABLE sentence_plans (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    -- The day the plan started: no action may be due before it.
    starts_on DATE NOT NULL,
    -- The person's own words about the plan, whether they agree (a code of
    -- keepsafe_domain::plans::Agreement, NULL until answered) and, if not, why.
    persons_words TEXT NOT NULL DEFAULT '',
    agreement TEXT,
    disagreement_reason TEXT NOT NULL DEFAULT '',
    -- The case's RoSH level when it was submitted, which decided whether it needed countersigning.
    case_level TEXT,
    created_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES staff (id),
    updated_at TIMESTAMP NOT NULL,
    submitted_by TEXT REFERENCES staff (id),
    submitted_at TIMESTAMP,
    countersigned_by TEXT REFERENCES staff (id),
    countersigned_at TIMESTAMP,
    activated_on DATE,
    superseded_at TIMESTAMP
);
CREATE INDEX sentence_plans_person ON sentence_plans (person_id, status);
-- Countersigning lists (plans awaiting a senior officer) filter by status.
CREATE INDEX sentence_plans_status ON sentence_plans (status);

-- An objective: what the person will achieve. progress is a code of
-- keepsafe_domain::plans::Progress, with the practitioner's note.
CREATE TABLE plan_objectives (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES sentence_plans (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT 'not_started',
    progress_note TEXT NOT NULL DEFAULT '',
    progress_updated_by TEXT REFERENCES staff (id),
    progress_updated_at TIMESTAMP
);
CREATE INDEX plan_objectives_plan ON plan_objectives (plan_id, position);
CREATE INDEX plan_objectives_person ON plan_objectives (person_id);

-- What an objective addresses: kind 'need' with a keepsafe_domain::needs::Section code, or
-- 'risk' with a keepsafe_domain::rosh::RiskGroup code. Linked by code, not by assessment, so the
-- plan stays linked when the needs or risk assessment is reviewed.
CREATE TABLE plan_objective_links (
    objective_id TEXT NOT NULL REFERENCES plan_objectives (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (objective_id, kind, code)
);
CREATE INDEX plan_objective_links_person ON plan_objective_links (person_id);

-- An action: kind (constructive or restrictive), what, who (a code of
-- keepsafe_domain::plans::ActionOwner, with the provider's name for a named provider) and by when.
CREATE TABLE plan_actions (
    id TEXT PRIMARY KEY,
    objective_id TEXT NOT NULL REFERENCES plan_objectives (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    what TEXT NOT NULL,
    owner TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    due_on DATE NOT NULL
);
CREATE INDEX plan_actions_objective ON plan_actions (objective_id, position);
CREATE INDEX plan_actions_person ON plan_actions (person_id);

-- A review of an active plan: when, why (a code of keepsafe_domain::plans::ReviewReason), what
-- the review found.
CREATE TABLE plan_reviews (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES sentence_plans (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    reviewed_on DATE NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewed_by TEXT NOT NULL REFERENCES staff (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, reviewed_on);
CREATE INDEX plan_reviews_person ON plan_reviews (person_id);

-- "Review the sentence plan" tasks: the regular review (due the plan rules' interval after the
-- plan became active or was last reviewed) and reviews after significant change (the RoSH
-- assessment reviewed, a change of circumstances recorded). Recording a review completes every
-- open task of the plan.
CREATE TABLE plan_review_tasks (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES sentence_plans (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    occurred_on DATE NOT NULL,
    due_on DATE NOT NULL,
    rule_version TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    completed_on DATE,
    completed_by_review TEXT REFERENCES plan_reviews (id)
);
CREATE INDEX plan_review_tasks_plan ON plan_review_tasks (plan_id);
CREATE INDEX plan_review_tasks_person ON plan_review_tasks (person_id, completed_on);
-- The worklists read open tasks by due date.
CREATE INDEX plan_review_tasks_open ON plan_review_tasks (completed_on, due_on);
CREATE INDEX plan_review_tasks_review ON plan_review_tasks (completed_by_review);

-- The planning indicators read the plan in force and the levels of the RoSH assessment in force:
-- a change to either queues the case for the quality aggregates (as migration 000016 does).
CREATE TRIGGER quality_mark_sentence_plans_insert AFTER INSERT ON sentence_plans BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_sentence_plans_update AFTER UPDATE ON sentence_plans BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_sentence_plans_delete AFTER DELETE ON sentence_plans BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_objectives_insert AFTER INSERT ON plan_objectives BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_plan_objectives_update AFTER UPDATE ON plan_objectives BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_objectives_delete AFTER DELETE ON plan_objectives BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_objective_links_insert AFTER INSERT ON plan_objective_links BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_plan_objective_links_update AFTER UPDATE ON plan_objective_links BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_objective_links_delete AFTER DELETE ON plan_objective_links BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_actions_insert AFTER INSERT ON plan_actions BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_plan_actions_update AFTER UPDATE ON plan_actions BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_plan_actions_delete AFTER DELETE ON plan_actions BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_rosh_levels_insert AFTER INSERT ON rosh_levels BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = NEW.assessment_id;
END;
CREATE TRIGGER quality_mark_rosh_levels_update AFTER UPDATE ON rosh_levels BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id IN (NEW.assessment_id, OLD.assessment_id);
END;
CREATE TRIGGER quality_mark_rosh_levels_delete AFTER DELETE ON rosh_levels BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = OLD.assessment_id;
END;
-- Rows stored under the previous indicator rules are recomputed by the first drain.
INSERT OR IGNORE INTO quality_dirty_cases (person_id) SELECT person_id FROM quality_case_indicators;
