//! Court work: a court list imported and matched (by CRN, by name and date of birth, or a new
//! pre-sentence case), bad and ambiguous lists refused with nothing written, reports started in
//! the workload and guarded by their version, the proposal's facts read from the checks and the
//! address check, and a sentence recorded as the event, its requirements and a task at once.

use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::NaiveDate;
use diesel::prelude::*;
use keepsafe_domain::checks::CheckResponse;
use keepsafe_domain::court::{
    parse_list, CheckState, CourtRules, OccupierState, ReportStatus, Sentence,
};
use keepsafe_domain::event::{CaseType, SentenceType};
use keepsafe_domain::partner::RequestType;
use keepsafe_domain::requirement::RequirementKind;
use keepsafe_domain::text::LongText;
use keepsafe_storage::court::hearings::{self, ListDay};
use keepsafe_storage::court::reports::{self, ReportContent};
use keepsafe_storage::court::sentences;
use keepsafe_storage::risk::checks::{self, NewCheck};
use keepsafe_storage::schema::{
    court_hearings, court_reports, events, people, practitioner_tasks, requirements,
};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use keepsafe_test_support::clock::{now, today};
use keepsafe_test_support::court::{court_of, hearing_with_report};
use uuid::Uuid;

const HEADER: &str = "crn,first_name,last_name,date_of_birth,sex,offence,offence_category,offence_date,report_type\n";

fn count(conn: &mut AnyConnection) -> (i64, i64, i64) {
    (
        court_hearings::table.count().get_result(conn).unwrap(),
        people::table.count().get_result(conn).unwrap(),
        court_reports::table.count().get_result(conn).unwrap(),
    )
}

/// Two people of the region's first PDU with a name and date of birth no one else has, and a
/// practitioner of it.
fn region_and_people(
    db: &keepsafe_storage::testing::TestDatabase,
) -> (Uuid, Vec<keepsafe_demo::Person>, Uuid) {
    let region = with_small_region(db);
    let pdu = region.pdus[0].id;
    let unique: Vec<_> = region
        .people
        .iter()
        .filter(|p| p.pdu_id == pdu)
        .filter(|p| {
            region
                .people
                .iter()
                .filter(|q| {
                    q.date_of_birth == p.date_of_birth
                        && q.first_name.eq_ignore_ascii_case(&p.first_name)
                        && q.last_name.eq_ignore_ascii_case(&p.last_name)
                })
                .count()
                == 1
        })
        .filter(|p| p.allocations.iter().any(|a| a.end_date.is_none()))
        .take(2)
        .cloned()
        .collect();
    let staff = region
        .staff
        .iter()
        .find(|s| {
            s.pdu_id == Some(pdu) && s.grade == keepsafe_domain::staff::Grade::ProbationOfficer
        })
        .unwrap()
        .id;
    (pdu, unique, staff)
}

fn import(
    conn: &mut AnyConnection,
    pdu: Uuid,
    by: Uuid,
    text: &str,
) -> Result<Vec<hearings::AddedHearing>, Vec<keepsafe_domain::court::RowError>> {
    let court = court_of(conn, pdu);
    let lines = parse_list(text, today())?;
    transaction::write(conn, |conn| {
        let day = ListDay {
            court: &court,
            hearing_on: today(),
            by,
            now: now(),
        };
        hearings::import(conn, &day, &lines, &CourtRules::default())
    })
    .unwrap()
}

conformance!(
    a_court_list_is_matched_by_crn_then_by_name_and_date_of_birth_and_makes_new_pre_sentence_cases,
    |db| {
        let mut conn = conn(db);
        let (pdu, people_found, po) = region_and_people(db);
        let (a, b) = (&people_found[0], &people_found[1]);
        let before = count(&mut conn);
        let text = format!(
            "{HEADER}{},{},{},{},male,Theft,theft_non_motor,2026-11-01,\n,{},{},{},female,Assault,violence,2026-11-02,standard\n,Nadia,Okafor,1994-07-12,female,Criminal damage,criminal_damage,2026-11-03,short_format\n,Nadia,Okafor,1994-07-12,female,Criminal damage,criminal_damage,2026-11-03,\n",
            a.crn,
            a.first_name,
            a.last_name,
            a.date_of_birth,
            b.first_name.to_uppercase(),
            b.last_name,
            b.date_of_birth
        );
        let added = import(&mut conn, pdu, po, &text).unwrap();
        assert_eq!(added.len(), 4);
        assert_eq!(added[0].matched_by, "crn");
        assert_eq!(added[0].person_id, a.id);
        assert_eq!(added[1].matched_by, "name_and_date_of_birth");
        assert_eq!(added[1].person_id, b.id);
        assert_eq!(added[2].matched_by, "new_case");
        assert_eq!(
            added[3].person_id, added[2].person_id,
            "the same new person twice in one file is one case"
        );
        assert_ne!(added[2].crn, a.crn);
        let after = count(&mut conn);
        assert_eq!(after.0 - before.0, 4, "four hearings");
        assert_eq!(after.1 - before.1, 1, "one new person");
        assert_eq!(after.2 - before.2, 2, "two reports counted in the workload");
        let (case_type, sentence_type): (String, String) = events::table
            .filter(events::person_id.eq(added[2].person_id.to_string()))
            .select((events::case_type, events::sentence_type))
            .first(&mut conn)
            .unwrap();
        assert_eq!(case_type, "pre_sentence");
        assert_eq!(sentence_type, "awaiting_sentence");
        let report = reports::for_hearing(&mut conn, added[1].hearing_id)
            .unwrap()
            .unwrap();
        assert_eq!(report.status, ReportStatus::Draft);
        assert_eq!(
            report.due_on,
            NaiveDate::from_ymd_opt(2026, 12, 23).unwrap(),
            "a standard report is due 15 working days after 2 December 2026"
        );
        let (page, total) = {
            let court = court_of(&mut conn, pdu).id;
            hearings::list(&mut conn, court, today(), 1, 3).unwrap()
        };
        assert_eq!((page.len(), total), (3, 4));
    }
);

conformance!(
    a_list_with_a_bad_or_ambiguous_row_is_refused_naming_it_and_nothing_is_written,
    |db| {
        let mut conn = conn(db);
        let (pdu, found, po) = region_and_people(db);
        let a = &found[0];
        // A second person with a's name and date of birth makes matching by name ambiguous.
        diesel::insert_into(people::table)
            .values((
                people::id.eq(Uuid::new_v4().to_string()),
                people::crn.eq("Z999999"),
                people::first_name.eq(&a.first_name),
                people::last_name.eq(&a.last_name),
                people::date_of_birth.eq(a.date_of_birth),
                people::sex.eq("male"),
                people::pdu_id.eq(pdu.to_string()),
                people::created_at.eq(now().naive_utc()),
                people::interpreter_needed.eq(false),
            ))
            .execute(&mut conn)
            .unwrap();
        let before = count(&mut conn);
        let ambiguous = format!(
            "{HEADER},Nadia,Okafor,1994-07-12,female,Criminal damage,criminal_damage,2026-11-03,short_format\n,{},{},{},male,Theft,theft_non_motor,2026-11-01,\nZ000001,Tom,Reed,1985-02-03,male,Theft,theft_non_motor,2026-11-01,\n",
            a.first_name, a.last_name, a.date_of_birth
        );
        let errors = import(&mut conn, pdu, po, &ambiguous).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].row, 3);
        assert!(
            errors[0].message.contains("Z999999"),
            "the candidates are named: {}",
            errors[0].message
        );
        assert_eq!((errors[1].row, errors[1].column.as_str()), (4, "crn"));
        assert_eq!(count(&mut conn), before, "nothing was written");
        let bad = format!(
            "{HEADER},Nadia,,1994-07-12,female,Criminal damage,criminal_damage,2026-11-03,\n"
        );
        let errors = import(&mut conn, pdu, po, &bad).unwrap_err();
        assert_eq!(
            errors[0].describe().split(':').next(),
            Some("Row 2, column last_name")
        );
        assert_eq!(count(&mut conn), before);
    }
);

conformance!(
    the_proposal_reads_the_latest_checks_and_the_address_checks_occupier,
    |db| {
        let mut conn = conn(db);
        let (pdu, _, po) = region_and_people(db);
        let court = court_of(&mut conn, pdu);
        let added = keepsafe_test_support::court::add(
            &mut conn,
            &court,
            today(),
            &keepsafe_test_support::court::line(
                "Nadia",
                "Okafor",
                NaiveDate::from_ymd_opt(1994, 7, 12).unwrap(),
                None,
                None,
            ),
            po,
        );
        let person = added.person_id;
        let facts = reports::proposal_facts(&mut conn, person, today()).unwrap();
        assert_eq!(facts.police, CheckState::NotRequested);
        assert_eq!(facts.childrens_services, CheckState::NotRequested);
        assert_eq!(facts.occupier, OccupierState::NoAddressCheck);
        let requested_on = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let check = checks::request(
            &mut conn,
            &NewCheck {
                person_id: person,
                kind: RequestType::PoliceDomesticAbuse,
                address_id: None,
                address_description: String::new(),
                requested_on,
                deadline: NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
                deadline_rule: "test".into(),
                requested_by: po,
            },
            now(),
        )
        .unwrap();
        let facts = reports::proposal_facts(&mut conn, person, today()).unwrap();
        assert!(matches!(facts.police, CheckState::Awaiting { .. }));
        let response = CheckResponse::parse(
            today(),
            true,
            "Two call-outs in 2025",
            requested_on,
            today(),
        )
        .unwrap();
        checks::record_response(&mut conn, check, &response, po).unwrap();
        let facts = reports::proposal_facts(&mut conn, person, today()).unwrap();
        assert_eq!(
            facts.police,
            CheckState::Answered {
                received_on: today()
            }
        );
    }
);

fn text(t: &str) -> LongText {
    LongText::required(t).unwrap()
}

conformance!(
    a_report_is_saved_by_version_and_completing_it_ends_its_workload,
    |db| {
        let mut conn = conn(db);
        let (pdu, found, po) = region_and_people(db);
        let added = hearing_with_report(&mut conn, pdu, &found[0].crn, po);
        let report = reports::for_hearing(&mut conn, added.hearing_id)
            .unwrap()
            .unwrap();
        let content = ReportContent {
            sources: text("Interview on 2 December 2026"),
            proposed_sentence: Some(SentenceType::CommunityOrder),
            proposed_requirements: vec![RequirementKind::UnpaidWork],
            ..ReportContent::default()
        };
        transaction::write(&mut conn, |c| {
            reports::save_draft(c, report.id, 1, &content, now())
        })
        .unwrap();
        let stale = transaction::write(&mut conn, |c| {
            reports::save_draft(c, report.id, 1, &content, now())
        });
        assert!(
            matches!(stale, Err(StorageError::Conflict(ref m)) if m == keepsafe_storage::court::STALE_MESSAGE)
        );
        let saved = reports::for_hearing(&mut conn, added.hearing_id)
            .unwrap()
            .unwrap();
        assert_eq!(saved.content, content);
        transaction::write(&mut conn, |c| {
            reports::complete(c, report.id, 2, today(), now())
        })
        .unwrap();
        let open: i64 = court_reports::table
            .filter(court_reports::staff_id.eq(po.to_string()))
            .filter(court_reports::person_id.eq(found[0].id.to_string()))
            .filter(court_reports::completed_on.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(
            open, 0,
            "the completed report no longer counts in the workload"
        );
        let done = reports::for_hearing(&mut conn, added.hearing_id)
            .unwrap()
            .unwrap();
        assert_eq!(done.status, ReportStatus::Completed);
        assert!(transaction::write(&mut conn, |c| reports::save_draft(
            c,
            report.id,
            3,
            &content,
            now()
        ))
        .is_err());
    }
);

conformance!(
    recording_a_sentence_makes_the_event_its_requirements_and_a_task_together_and_only_once,
    |db| {
        let mut conn = conn(db);
        let (pdu, found, po) = region_and_people(db);
        let person = &found[0];
        let added = hearing_with_report(&mut conn, pdu, &person.crn, po);
        let hearing = hearings::find(&mut conn, added.hearing_id)
            .unwrap()
            .unwrap();
        let sentence = Sentence::check(
            Some(SentenceType::CommunityOrder),
            Some(12),
            Some(today()),
            vec![
                (RequirementKind::UnpaidWork, Some(120)),
                (RequirementKind::Curfew, Some(3)),
            ],
            today(),
            today(),
        )
        .unwrap();
        let recorded = transaction::write(&mut conn, |c| {
            sentences::record(c, &hearing, &sentence, po, now())
        })
        .unwrap();
        assert_eq!(recorded.requirement_ids.len(), 2);
        let holder = person
            .allocations
            .iter()
            .find(|a| a.end_date.is_none())
            .unwrap()
            .staff_id;
        assert_eq!(
            recorded.task_for, holder,
            "the case's practitioner arranges the induction"
        );
        let (case_type, sentence_type, length): (String, String, Option<i32>) = events::table
            .find(hearing.event_id.to_string())
            .select((
                events::case_type,
                events::sentence_type,
                events::sentence_length_months,
            ))
            .first(&mut conn)
            .unwrap();
        assert_eq!(case_type, CaseType::Community.to_string().to_lowercase());
        assert_eq!(sentence_type, "community_order");
        assert_eq!(length, Some(12));
        let on_event = |conn: &mut AnyConnection| -> i64 {
            requirements::table
                .filter(requirements::event_id.eq(hearing.event_id.to_string()))
                .count()
                .get_result(conn)
                .unwrap()
        };
        assert_eq!(on_event(&mut conn), 2);
        let tasks: i64 = practitioner_tasks::table
            .filter(practitioner_tasks::id.eq(recorded.task_id.to_string()))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(tasks, 1);
        let again = transaction::write(&mut conn, |c| {
            sentences::record(c, &hearing, &sentence, po, now())
        });
        assert!(matches!(again, Err(StorageError::Conflict(_))));
        assert_eq!(on_event(&mut conn), 2, "a second recording changes nothing");
    }
);
