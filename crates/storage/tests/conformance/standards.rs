//! Contact standards, and the computed things that read recorded contacts: the standard of a case,
//! the quality indicators and the supervisor insights all respond to contacts written through
//! `supervision::contacts::insert`, and leave out what is not contact.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::quality::{indicators, IndicatorResult, IndicatorRules};
use keepsafe_domain::rosh::RoshLevel;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{
    ContactOutcome, ContactStatus, ContactType, FailureJudgement, LocationKind,
};
use keepsafe_domain::supervision::standards::{
    assess, ContactStandard, LevelStandard, Standing, FALLBACK_LEVEL,
};
use keepsafe_domain::workload::insights::{InsightMeasure, InsightRules};
use keepsafe_storage::bulk::{self, AllocationRow, EventRow, PersonRow};
use keepsafe_storage::supervision::contacts::{self, NewContact};
use keepsafe_storage::supervision::standards::{self, Caseload};
use keepsafe_storage::AnyConnection;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    today().and_hms_opt(10, 0, 0).unwrap().and_utc()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A case made for the test: a community order (or licence) starting on `start`, allocated to a
/// practitioner of the region's first team, with no contacts and no assessment.
struct NewCase {
    person_id: Uuid,
    event_id: Uuid,
    crn: String,
    staff_id: Uuid,
    team_id: Uuid,
    pdu_id: Uuid,
}

fn new_case(
    conn: &mut AnyConnection,
    region: &DemoRegion,
    crn: &str,
    case_type: CaseType,
    start: NaiveDate,
) -> NewCase {
    let practitioner = region
        .staff
        .iter()
        .find(|s| s.grade == Grade::ProbationOfficer && s.team_id.is_some())
        .expect("the region has probation officers");
    let team_id = practitioner.team_id.unwrap();
    let pdu_id = practitioner.pdu_id.unwrap();
    let person_id = Uuid::new_v4();
    let event_id = Uuid::new_v4();
    bulk::insert_people(
        conn,
        &[PersonRow {
            id: person_id.to_string(),
            crn: crn.to_owned(),
            first_name: "Test".to_owned(),
            last_name: "Person".to_owned(),
            date_of_birth: date(1990, 5, 1),
            sex: "male",
            pdu_id: pdu_id.to_string(),
            created_at: now().naive_utc(),
            age_at_first_sanction: Some(18),
        }],
    )
    .unwrap();
    let (sentence_type, release) = match case_type {
        CaseType::Licence => ("determinate_custody", Some(start)),
        _ => ("community_order", None),
    };
    bulk::insert_events(
        conn,
        &[EventRow {
            id: event_id.to_string(),
            person_id: person_id.to_string(),
            event_number: 1,
            offence_description: "Theft from a shop".to_owned(),
            offence_category: "theft_non_motor",
            offence_date: date(2025, 10, 1),
            conviction_date: date(2025, 12, 1),
            court: "Test Magistrates' Court".to_owned(),
            sentence_type,
            case_type: case_type_code(case_type),
            sentence_date: Some(match case_type {
                CaseType::Licence => date(2025, 1, 5),
                _ => start,
            }),
            sentence_length_months: Some(12),
            release_date: release,
            expected_end_date: Some(date(2027, 6, 1)),
            active: true,
            sanctions_before: Some(1),
        }],
    )
    .unwrap();
    bulk::insert_allocations(
        conn,
        &[AllocationRow {
            id: Uuid::new_v4().to_string(),
            person_id: person_id.to_string(),
            staff_id: practitioner.id.to_string(),
            team_id: team_id.to_string(),
            start_date: start,
            end_date: None,
            reason: "New case for the test".to_owned(),
        }],
    )
    .unwrap();
    NewCase {
        person_id,
        event_id,
        crn: crn.to_owned(),
        staff_id: practitioner.id,
        team_id,
        pdu_id,
    }
}

fn case_type_code(case_type: CaseType) -> &'static str {
    use keepsafe_domain::CodedValue;
    case_type.code()
}

fn contact(
    case: &NewCase,
    kind: ContactType,
    at: NaiveDateTime,
    outcome: Option<ContactOutcome>,
    judgement: Option<FailureJudgement>,
) -> NewContact {
    NewContact {
        id: Uuid::new_v4(),
        person_id: case.person_id,
        event_id: Some(case.event_id),
        requirement_id: None,
        kind,
        starts_at: at,
        ends_at: None,
        location_kind: LocationKind::Office,
        location: "Office".to_owned(),
        with_staff: Some(case.staff_id),
        sensitive: false,
        enforceable: true,
        notes: String::new(),
        series_id: None,
        outcome,
        judgement,
        created_by: case.staff_id,
    }
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0).unwrap()
}

conformance!(the_default_standard_is_seeded_with_its_source, |db| {
    let mut conn = conn(db);
    let history = standards::history(&mut conn).unwrap();
    assert_eq!(history.versions(), [ContactStandard::keepsafe_default()]);
});

conformance!(
    a_new_version_is_kept_with_who_set_it_and_applies_from_its_date,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let admin = region
            .staff
            .iter()
            .find(|s| s.grade == Grade::Administrator)
            .expect("the region has an administrator");
        let level = |then_every_days| LevelStandard {
            early_weeks: 12,
            early_every_days: 7,
            then_every_days,
        };
        standards::add_version(
            &mut conn,
            date(2027, 1, 1),
            &[
                (RoshLevel::Low, level(21)),
                (RoshLevel::Medium, level(10)),
                (RoshLevel::High, level(7)),
                (RoshLevel::VeryHigh, level(7)),
            ],
            "Regional policy 2027",
            admin.id,
            now(),
        )
        .unwrap();
        let history = standards::history(&mut conn).unwrap();
        assert_eq!(history.versions().len(), 2);
        let added = history.in_force_on(date(2027, 1, 1)).unwrap();
        assert_eq!(added.medium.then_every_days, 10);
        assert_eq!(added.low.then_every_days, 21);
        assert_eq!(
            added.set_by.as_deref(),
            Some(format!("{} {}", admin.first_name, admin.last_name).as_str())
        );
        assert_eq!(
            history
                .in_force_on(date(2026, 12, 31))
                .unwrap()
                .effective_from,
            date(2020, 1, 1)
        );
    }
);

conformance!(
    a_case_falls_behind_and_catches_up_through_recorded_contacts,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let case = new_case(
            &mut conn,
            &region,
            "Z900001",
            CaseType::Community,
            date(2026, 1, 5),
        );
        let history = standards::history(&mut conn).unwrap();
        let standing = |conn: &mut AnyConnection| {
            let found = standards::for_people(conn, &[case.person_id], today()).unwrap();
            assess(&history, &found[&case.person_id], today())
        };

        let never_seen = standing(&mut conn);
        assert_eq!(never_seen.level, Some(FALLBACK_LEVEL));
        assert!(never_seen.is_behind(), "{never_seen:?}");
        let behind: Vec<_> = standards::caseload(&mut conn, Caseload::Team(case.team_id), today())
            .unwrap()
            .into_iter()
            .filter(|c| c.crn == case.crn)
            .collect();
        assert_eq!(behind.len(), 1);
        assert_eq!(behind[0].practitioner_id, case.staff_id);

        // Neither an absence, nor an unpaid work session, nor a system event is contact.
        let lately = today() - chrono::Days::new(3);
        contacts::insert(
            &mut conn,
            &[
                contact(
                    &case,
                    ContactType::OfficeVisit,
                    at(lately, 10),
                    Some(ContactOutcome::FailedToAttend),
                    Some(FailureJudgement::Unacceptable),
                ),
                contact(
                    &case,
                    ContactType::UnpaidWorkSession,
                    at(lately, 9),
                    Some(ContactOutcome::Attended),
                    None,
                ),
                contact(
                    &case,
                    ContactType::AssessmentCompleted,
                    at(lately, 11),
                    None,
                    None,
                ),
            ],
            now(),
        )
        .unwrap();
        assert!(standing(&mut conn).is_behind());

        contacts::insert(
            &mut conn,
            &[contact(
                &case,
                ContactType::HomeVisit,
                at(lately, 15),
                Some(ContactOutcome::Attended),
                None,
            )],
            now(),
        )
        .unwrap();
        let seen = standing(&mut conn);
        assert_eq!(seen.last_contact, Some(lately));
        assert_eq!(
            seen.standing,
            Standing::Meeting {
                due_by: lately + chrono::Days::new(14)
            }
        );
    }
);

conformance!(the_indicators_read_contacts_recorded_through_insert, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let case = new_case(
        &mut conn,
        &region,
        "Z900002",
        CaseType::Community,
        date(2026, 1, 5),
    );
    let rules = IndicatorRules::default();
    let attendance = |conn: &mut AnyConnection| {
        let live = keepsafe_storage::quality::units::live_case(conn, case.person_id)
            .unwrap()
            .unwrap();
        let facts = keepsafe_storage::quality::facts::for_cases(conn, &[live], today(), &rules)
            .unwrap()
            .remove(&case.person_id)
            .unwrap();
        indicators(&facts, &rules)
            .into_iter()
            .find(|i| i.code == "2.3.attendance")
            .unwrap()
    };
    assert_eq!(attendance(&mut conn).result, IndicatorResult::NotApplicable);

    let weeks_ago = |weeks: u64| at(today() - chrono::Days::new(7 * weeks), 10);
    let attended = |weeks| {
        contact(
            &case,
            ContactType::OfficeVisit,
            weeks_ago(weeks),
            Some(ContactOutcome::Attended),
            None,
        )
    };
    contacts::insert(
        &mut conn,
        &[
            attended(1),
            attended(2),
            attended(3),
            contact(
                &case,
                ContactType::OfficeVisit,
                weeks_ago(4),
                Some(ContactOutcome::FailedToAttend),
                Some(FailureJudgement::Unacceptable),
            ),
            // A system event is not an appointment, so it is not "no outcome recorded".
            contact(&case, ContactType::WarningLetter, weeks_ago(4), None, None),
        ],
        now(),
    )
    .unwrap();
    let found = attendance(&mut conn);
    assert_eq!(found.result, IndicatorResult::NotMet, "{}", found.why);
    assert!(
        found.why.starts_with("3 of 4 appointments attended"),
        "{}",
        found.why
    );

    // A cancelled appointment was never due.
    let cancelled = contact(&case, ContactType::OfficeVisit, weeks_ago(5), None, None);
    contacts::insert(&mut conn, std::slice::from_ref(&cancelled), now()).unwrap();
    cancel(&mut conn, cancelled.id);
    contacts::insert(&mut conn, &[attended(6)], now()).unwrap();
    let found = attendance(&mut conn);
    // 4 of 5 is 80%, the threshold.
    assert_eq!(found.result, IndicatorResult::Met);
    assert!(
        found.why.starts_with("4 of 5 appointments attended"),
        "{}",
        found.why
    );
    assert!(
        found.why.contains("1 acceptable absences or rescheduled"),
        "{}",
        found.why
    );
});

/// Cancels an appointment as the appointments page does (its status only).
fn cancel(conn: &mut AnyConnection, id: Uuid) {
    use keepsafe_domain::CodedValue;
    use keepsafe_storage::schema::contacts::dsl;
    let target = dsl::contacts.filter(dsl::id.eq(id.to_string()));
    let status = dsl::status.eq(ContactStatus::Cancelled.code());
    match conn {
        AnyConnection::Sqlite(c) => diesel::update(target).set(status).execute(c),
        AnyConnection::Postgresql(c) => diesel::update(target).set(status).execute(c),
    }
    .unwrap();
}

conformance!(
    the_missed_contacts_insight_reads_contacts_recorded_through_insert,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let case = new_case(
            &mut conn,
            &region,
            "Z900003",
            CaseType::Licence,
            date(2026, 6, 1),
        );
        let rules = InsightRules::reference();
        let missed = |conn: &mut AnyConnection| {
            let insight =
                keepsafe_storage::workload::insights::for_pdu(conn, case.pdu_id, &rules, now())
                    .unwrap()
                    .into_iter()
                    .find(|p| p.staff_id == case.staff_id)
                    .unwrap();
            let mine = insight
                .behind
                .get(&InsightMeasure::MissedContacts)
                .map_or(0, |crns| {
                    crns.iter().filter(|crn| **crn == case.crn).count()
                });
            (mine, insight.missed_contacts)
        };
        let (before, rate_before) = missed(&mut conn);
        assert_eq!(before, 0);

        let day = today() - chrono::Days::new(10);
        contacts::insert(
            &mut conn,
            &[
                contact(
                    &case,
                    ContactType::OfficeVisit,
                    at(day, 10),
                    Some(ContactOutcome::FailedToAttend),
                    Some(FailureJudgement::Acceptable),
                ),
                contact(
                    &case,
                    ContactType::PhoneCall,
                    at(day, 14),
                    Some(ContactOutcome::Attended),
                    None,
                ),
                // System events are no appointments: neither missed nor held.
                contact(&case, ContactType::CheckAnswered, at(day, 11), None, None),
                contact(&case, ContactType::Recall, at(day, 12), None, None),
            ],
            now(),
        )
        .unwrap();
        let (after, rate_after) = missed(&mut conn);
        assert_eq!(after, 1);
        assert_eq!(rate_after.count, rate_before.count + 1);
        assert_eq!(rate_after.out_of, rate_before.out_of + 2);
    }
);
