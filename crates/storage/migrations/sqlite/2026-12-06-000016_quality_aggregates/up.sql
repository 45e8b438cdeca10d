-- The automated quality indicators of every live case, stored so a unit's automated rating is a
-- GROUP BY rather than a recomputation of every case (storage::quality::case_indicators, and the
-- quality section of docs/architecture.md).
--
-- One row per live case: where it sits (its current team, its PDU and region) and the result of
-- every indicator of the catalogue (keepsafe_domain::quality::CATALOGUE), one letter each in
-- catalogue order: 'm' met, 'n' not met, '-' not applicable. The key-question answers of each
-- framework follow from those letters alone, so one row serves every framework. computed_on is the
-- day the windows were measured from, rule_version the indicator rules used.
CREATE TABLE quality_case_indicators (
    person_id TEXT PRIMARY KEY,
    crn TEXT NOT NULL,
    team_id TEXT,
    pdu_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    results TEXT NOT NULL,
    computed_on DATE NOT NULL,
    rule_version TEXT NOT NULL
);
-- A unit's tally groups its rows by child unit and results; the drill-down pages its cases by CRN.
CREATE INDEX quality_case_indicators_nation ON quality_case_indicators (region_id, results, computed_on);
CREATE INDEX quality_case_indicators_region ON quality_case_indicators (region_id, pdu_id, results, computed_on);
CREATE INDEX quality_case_indicators_pdu ON quality_case_indicators (pdu_id, team_id, results, computed_on);
CREATE INDEX quality_case_indicators_team ON quality_case_indicators (team_id, results, computed_on);
CREATE INDEX quality_case_indicators_crn ON quality_case_indicators (crn);
CREATE INDEX quality_case_indicators_computed ON quality_case_indicators (computed_on, rule_version);

-- The cases whose facts changed since their row was computed. Triggers on every table the
-- indicators read (storage::quality::facts and units) add the person in the same transaction as
-- the change, so no write path can forget; the server drains the queue every few seconds and every
-- quality page drains it before reading. marked counts the changes since the case was last drained.
CREATE TABLE quality_dirty_cases (
    person_id TEXT PRIMARY KEY,
    marked INTEGER NOT NULL DEFAULT 1
);
-- Every existing case is computed once by the first drain.
INSERT INTO quality_dirty_cases (person_id) SELECT id FROM people;


-- SQLite runs one writer at a time, so a plain INSERT OR IGNORE is enough: no drain can run
-- between a change and its mark.
CREATE TRIGGER quality_mark_people_insert AFTER INSERT ON people BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.id);
END;
CREATE TRIGGER quality_mark_people_update AFTER UPDATE OF crn, pdu_id ON people BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.id);
END;
CREATE TRIGGER quality_mark_people_delete AFTER DELETE ON people BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.id);
END;
CREATE TRIGGER quality_mark_events_insert AFTER INSERT ON events BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_events_update AFTER UPDATE ON events BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_events_delete AFTER DELETE ON events BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_allocations_insert AFTER INSERT ON allocations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_allocations_update AFTER UPDATE ON allocations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_allocations_delete AFTER DELETE ON allocations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_registrations_insert AFTER INSERT ON registrations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_registrations_update AFTER UPDATE ON registrations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_registrations_delete AFTER DELETE ON registrations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_household_members_insert AFTER INSERT ON household_members BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_household_members_update AFTER UPDATE ON household_members BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_household_members_delete AFTER DELETE ON household_members BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_rosh_assessments_insert AFTER INSERT ON rosh_assessments BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_rosh_assessments_update AFTER UPDATE ON rosh_assessments BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_rosh_assessments_delete AFTER DELETE ON rosh_assessments BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_check_requests_insert AFTER INSERT ON check_requests BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_check_requests_update AFTER UPDATE ON check_requests BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_check_requests_delete AFTER DELETE ON check_requests BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_contacts_insert AFTER INSERT ON contacts BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_contacts_update AFTER UPDATE ON contacts BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_contacts_delete AFTER DELETE ON contacts BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_review_tasks_insert AFTER INSERT ON review_tasks BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_review_tasks_update AFTER UPDATE ON review_tasks BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_review_tasks_delete AFTER DELETE ON review_tasks BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_management_oversight_insert AFTER INSERT ON management_oversight BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER quality_mark_management_oversight_update AFTER UPDATE ON management_oversight BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (NEW.person_id);
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_management_oversight_delete AFTER DELETE ON management_oversight BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id) VALUES (OLD.person_id);
END;
CREATE TRIGGER quality_mark_rosh_considerations_insert AFTER INSERT ON rosh_considerations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = NEW.assessment_id;
END;
CREATE TRIGGER quality_mark_rosh_considerations_update AFTER UPDATE ON rosh_considerations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id IN (NEW.assessment_id, OLD.assessment_id);
END;
CREATE TRIGGER quality_mark_rosh_considerations_delete AFTER DELETE ON rosh_considerations BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = OLD.assessment_id;
END;
CREATE TRIGGER quality_mark_rosh_check_references_insert AFTER INSERT ON rosh_check_references BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = NEW.assessment_id;
END;
CREATE TRIGGER quality_mark_rosh_check_references_update AFTER UPDATE ON rosh_check_references BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id IN (NEW.assessment_id, OLD.assessment_id);
END;
CREATE TRIGGER quality_mark_rosh_check_references_delete AFTER DELETE ON rosh_check_references BEGIN
    INSERT OR IGNORE INTO quality_dirty_cases (person_id)
        SELECT person_id FROM rosh_assessments WHERE id = OLD.assessment_id;
END;
