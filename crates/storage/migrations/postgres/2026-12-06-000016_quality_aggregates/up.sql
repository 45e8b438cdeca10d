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


-- Statement-level triggers with transition tables, so a bulk COPY marks its people with one
-- INSERT rather than one per row. A mark on a case already queued updates its row: that takes the
-- row's lock, so a drain that has read the queue cannot delete the mark until this transaction
-- commits, and then reads the case's facts as changed (READ COMMITTED: each statement sees the
-- commits before it).
CREATE FUNCTION quality_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0]: the changed rows' person column; TG_ARGV[1], when given: 'assessment' for rows
    -- that name a risk of serious harm assessment rather than a person.
    EXECUTE format(
        'INSERT INTO quality_dirty_cases (person_id) SELECT DISTINCT person FROM (%s) changed '
        'WHERE person IS NOT NULL ORDER BY person '
        'ON CONFLICT (person_id) DO UPDATE SET marked = quality_dirty_cases.marked + 1',
        CASE TG_OP
            WHEN 'INSERT' THEN format('SELECT %I AS person FROM new_rows', TG_ARGV[0])
            WHEN 'DELETE' THEN format('SELECT %I AS person FROM old_rows', TG_ARGV[0])
            ELSE format('SELECT %1$I AS person FROM new_rows UNION SELECT %1$I FROM old_rows', TG_ARGV[0])
        END
    );
    RETURN NULL;
END
$$;
CREATE FUNCTION quality_mark_assessment_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO quality_dirty_cases (person_id) SELECT DISTINCT a.person_id '
        'FROM rosh_assessments a JOIN (%s) changed ON changed.assessment = a.id ORDER BY a.person_id '
        'ON CONFLICT (person_id) DO UPDATE SET marked = quality_dirty_cases.marked + 1',
        CASE TG_OP
            WHEN 'INSERT' THEN 'SELECT assessment_id AS assessment FROM new_rows'
            WHEN 'DELETE' THEN 'SELECT assessment_id AS assessment FROM old_rows'
            ELSE 'SELECT assessment_id AS assessment FROM new_rows UNION SELECT assessment_id FROM old_rows'
        END
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER quality_mark_people_insert AFTER INSERT ON people
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('id');
CREATE TRIGGER quality_mark_people_update AFTER UPDATE ON people
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('id');
CREATE TRIGGER quality_mark_people_delete AFTER DELETE ON people
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('id');
CREATE TRIGGER quality_mark_events_insert AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_events_update AFTER UPDATE ON events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_events_delete AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_allocations_insert AFTER INSERT ON allocations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_allocations_update AFTER UPDATE ON allocations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_allocations_delete AFTER DELETE ON allocations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_registrations_insert AFTER INSERT ON registrations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_registrations_update AFTER UPDATE ON registrations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_registrations_delete AFTER DELETE ON registrations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_household_members_insert AFTER INSERT ON household_members
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_household_members_update AFTER UPDATE ON household_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_household_members_delete AFTER DELETE ON household_members
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_rosh_assessments_insert AFTER INSERT ON rosh_assessments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_rosh_assessments_update AFTER UPDATE ON rosh_assessments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_rosh_assessments_delete AFTER DELETE ON rosh_assessments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_check_requests_insert AFTER INSERT ON check_requests
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_check_requests_update AFTER UPDATE ON check_requests
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_check_requests_delete AFTER DELETE ON check_requests
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_contacts_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_contacts_update AFTER UPDATE ON contacts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_contacts_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_review_tasks_insert AFTER INSERT ON review_tasks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_review_tasks_update AFTER UPDATE ON review_tasks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_review_tasks_delete AFTER DELETE ON review_tasks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_management_oversight_insert AFTER INSERT ON management_oversight
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_management_oversight_update AFTER UPDATE ON management_oversight
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_management_oversight_delete AFTER DELETE ON management_oversight
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_changed('person_id');
CREATE TRIGGER quality_mark_rosh_considerations_insert AFTER INSERT ON rosh_considerations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
CREATE TRIGGER quality_mark_rosh_considerations_update AFTER UPDATE ON rosh_considerations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
CREATE TRIGGER quality_mark_rosh_considerations_delete AFTER DELETE ON rosh_considerations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
CREATE TRIGGER quality_mark_rosh_check_references_insert AFTER INSERT ON rosh_check_references
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
CREATE TRIGGER quality_mark_rosh_check_references_update AFTER UPDATE ON rosh_check_references
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
CREATE TRIGGER quality_mark_rosh_check_references_delete AFTER DELETE ON rosh_check_references
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_mark_assessment_changed();
