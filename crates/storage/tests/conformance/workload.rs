use crate::conformance;
use crate::support::{conn, today, with_small_region};
use chrono::{Days, TimeZone, Utc};
use diesel::prelude::*;
use keepsafe_demo::{DemoRegion, StaffMember};
use keepsafe_domain::age::age_on;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::workload::{
    available_points, capacity_percent, case_points, ReductionKind, ReportKind, WeightsHistory,
    CAPACITY_RULE_VERSION,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::risk::scores as risk_scores;
use keepsafe_storage::schema::{tier_results, workload_snapshots};
use keepsafe_storage::workload::{self, NewCourtReport, NewReduction, PractitionerWorkload};
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use std::collections::HashMap;
use uuid::Uuid;

fn officer(region: &DemoRegion) -> &StaffMember {
    region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .expect("the demo has po.demo")
}

fn measured(conn: &mut AnyConnection, region: &DemoRegion) -> Vec<PractitionerWorkload> {
    workload::for_pdu(conn, region.pdus[0].id, today()).unwrap()
}

fn one(conn: &mut AnyConnection, region: &DemoRegion, staff_id: Uuid) -> PractitionerWorkload {
    measured(conn, region)
        .into_iter()
        .find(|p| p.staff_id == staff_id)
        .expect("the practitioner is measured")
}

/// The people each member of staff currently holds, from the generated region.
fn current_cases(region: &DemoRegion) -> HashMap<Uuid, Vec<&keepsafe_demo::Person>> {
    let mut held: HashMap<Uuid, Vec<_>> = HashMap::new();
    for person in &region.people {
        for allocation in person.allocations.iter().filter(|a| a.end_date.is_none()) {
            held.entry(allocation.staff_id).or_default().push(person);
        }
    }
    held
}

fn reduction(staff_id: Uuid, kind: ReductionKind, hours: f64) -> NewReduction {
    NewReduction {
        staff_id,
        kind,
        hours,
        from: today() - Days::new(10),
        to: None,
        reason: "Branch secretary".into(),
        created_by: None,
    }
}

fn add_reduction(conn: &mut AnyConnection, new: &NewReduction) -> Result<Uuid, StorageError> {
    transaction::write(conn, |conn| {
        workload::add_reduction(conn, new, keepsafe_test_support::clock::now())
    })
}

conformance!(
    each_practitioners_cases_are_their_current_allocations,
    |db| {
        let region = with_small_region(db);
        let held = current_cases(&region);
        let mut conn = conn(db);
        let practitioners = measured(&mut conn, &region);

        let pdu_teams: Vec<Uuid> = region
            .teams
            .iter()
            .filter(|t| t.pdu_id == region.pdus[0].id)
            .map(|t| t.id)
            .collect();
        let expected_people: Vec<Uuid> = region
            .staff
            .iter()
            .filter(|s| s.grade.holds_caseload())
            .filter(|s| s.team_id.is_some_and(|team| pdu_teams.contains(&team)))
            .map(|s| s.id)
            .collect();
        let mut listed: Vec<Uuid> = practitioners.iter().map(|p| p.staff_id).collect();
        listed.sort();
        let mut expected = expected_people.clone();
        expected.sort();
        assert_eq!(
            listed, expected,
            "every practitioner in the PDU, and only them"
        );

        let mut with_cases = 0;
        for practitioner in &practitioners {
            let cases = held
                .get(&practitioner.staff_id)
                .cloned()
                .unwrap_or_default();
            assert_eq!(
                practitioner.cases as usize,
                cases.len(),
                "{}",
                practitioner.name
            );
            let mut crns: Vec<&str> = cases.iter().map(|p| p.crn.as_str()).collect();
            crns.sort();
            let listed: Vec<&str> = practitioner
                .case_list
                .iter()
                .map(|c| c.crn.as_str())
                .collect();
            assert_eq!(listed, crns);

            let by_type = practitioner.cases_by_type;
            for case_type in CaseType::ALL {
                let expected = cases
                    .iter()
                    .filter(|p| {
                        p.events
                            .iter()
                            .filter(|e| e.active)
                            .max_by_key(|e| e.number)
                            .is_some_and(|e| e.case_type == *case_type)
                    })
                    .count();
                assert_eq!(by_type.of(*case_type) as usize, expected, "{case_type}");
            }
            let typed: u32 = CaseType::ALL.iter().map(|t| by_type.of(*t)).sum();
            assert_eq!(typed + by_type.no_active_event, practitioner.cases);
            assert_eq!(
                practitioner.total_points,
                practitioner.case_points + practitioner.report_points
            );
            if practitioner.cases > 0 {
                with_cases += 1;
            }
        }
        assert!(
            with_cases >= 3,
            "the small region's practitioners hold cases"
        );

        // A team is part of its PDU; the small region is one PDU.
        let team = workload::for_team(&mut conn, region.teams[0].id, today()).unwrap();
        assert!(!team.is_empty());
        assert!(team.iter().all(|p| p.team_id == region.teams[0].id));
        assert!(team.iter().all(|p| practitioners.contains(p)));
        let whole_region = workload::for_region(&mut conn, region.region.id, today()).unwrap();
        assert_eq!(whole_region, practitioners);
        assert_eq!(
            workload::for_all(&mut conn, today()).unwrap(),
            practitioners
        );
    }
);

conformance!(points_are_the_domains_for_a_practitioner, |db| {
    let region = with_small_region(db);
    let officer = officer(&region);
    let held = current_cases(&region);
    let cases = &held[&officer.id];
    let mut conn = conn(db);
    let ids: Vec<String> = cases.iter().map(|p| p.id.to_string()).collect();
    let tiers = risk_scores::tiers_for(&mut conn, &ids).unwrap();
    let weights = WeightsHistory::reference()
        .in_force_on(today())
        .unwrap()
        .clone();

    let mut expected_points = 0;
    for person in cases {
        let main = person
            .events
            .iter()
            .filter(|e| e.active)
            .max_by_key(|e| e.number)
            .expect("an allocated demo case has an active event");
        let tier = tiers[&person.id.to_string()].legacy.parse().unwrap();
        let age = age_on(person.date_of_birth, today()).unwrap();
        expected_points += case_points(main.case_type, tier, age, &weights).points;
    }

    let measured = one(&mut conn, &region, officer.id);
    assert_eq!(measured.case_points, expected_points);
    assert_eq!(measured.report_points, 0);
    assert_eq!(measured.total_points, expected_points);
    assert_eq!(measured.weights_version, weights.version);
    assert_eq!(measured.capacity_rule_version, CAPACITY_RULE_VERSION);
    assert_eq!(measured.available_hours, officer.contracted_hours);
    let available = available_points(officer.contracted_hours);
    assert_eq!(measured.available_points, available);
    assert_eq!(
        measured.percent,
        capacity_percent(expected_points, available)
    );
    assert_eq!(
        measured.explanation[0],
        "Weights: workload-weights-2026/1, in force from 1 January 2026"
    );
    for person in cases {
        assert!(
            measured
                .explanation
                .iter()
                .any(|line| line.starts_with(&format!("{} (", person.crn))),
            "{} is explained",
            person.crn
        );
    }
    assert!(measured
        .explanation
        .last()
        .unwrap()
        .starts_with("Capacity: "));

    // A case whose tier has not been computed scores nothing, and says so.
    let untiered = measured
        .case_list
        .iter()
        .find(|c| c.points > 0)
        .expect("a case with points")
        .clone();
    diesel::delete(
        tier_results::table.filter(tier_results::person_id.eq(untiered.person_id.to_string())),
    )
    .execute(&mut conn)
    .unwrap();
    let again = one(&mut conn, &region, officer.id);
    assert_eq!(again.cases, measured.cases);
    assert_eq!(again.case_points, measured.case_points - untiered.points);
    let case = again
        .case_list
        .iter()
        .find(|c| c.person_id == untiered.person_id)
        .unwrap();
    assert_eq!((case.points, case.tier), (0, None));
    assert!(
        again
            .explanation
            .iter()
            .any(|line| line.starts_with(&untiered.crn)
                && line.contains("the tier is not computed, so the case scores 0 points")),
        "{:?}",
        again.explanation
    );
});

conformance!(a_reduction_lowers_available_points, |db| {
    let region = with_small_region(db);
    let officer = officer(&region);
    let mut conn = conn(db);
    let before = one(&mut conn, &region, officer.id);

    add_reduction(
        &mut conn,
        &reduction(officer.id, ReductionKind::UnionDuties, 1.8),
    )
    .unwrap();
    let after = one(&mut conn, &region, officer.id);
    let hours = officer.contracted_hours - 1.8;
    assert!((after.available_hours - hours).abs() < 1e-9);
    assert_eq!(after.available_points, available_points(hours));
    assert!(after.available_points < before.available_points);
    if officer.contracted_hours == 37.0 {
        assert_eq!(after.available_points, 2070);
    }
    assert_eq!(after.total_points, before.total_points);
    assert!(after
        .explanation
        .iter()
        .any(|line| line.starts_with("Available hours: ") && line.contains(" − 1.8 = ")));

    // Union duties over half of contracted hours are refused, alone or together.
    let half = officer.contracted_hours / 2.0;
    let refused = add_reduction(
        &mut conn,
        &reduction(officer.id, ReductionKind::UnionDuties, half + 1.0),
    )
    .unwrap_err();
    assert!(
        matches!(&refused, StorageError::Conflict(message)
            if message.starts_with("Union duties can reduce hours by at most half")),
        "{refused}"
    );
    let together = add_reduction(
        &mut conn,
        &reduction(officer.id, ReductionKind::UnionDuties, half - 1.0),
    )
    .unwrap_err();
    assert!(matches!(together, StorageError::Conflict(_)), "{together}");
    let blank_reason = NewReduction {
        reason: "  ".into(),
        ..reduction(officer.id, ReductionKind::Other, 1.0)
    };
    assert!(matches!(
        add_reduction(&mut conn, &blank_reason),
        Err(StorageError::Conflict(_))
    ));
    let backwards = NewReduction {
        to: Some(today() - Days::new(20)),
        ..reduction(officer.id, ReductionKind::Other, 1.0)
    };
    assert!(matches!(
        add_reduction(&mut conn, &backwards),
        Err(StorageError::Conflict(_))
    ));

    // A reduction that starts later does not count today.
    let later = NewReduction {
        from: today() + Days::new(30),
        ..reduction(officer.id, ReductionKind::Other, 5.0)
    };
    let later_id = add_reduction(&mut conn, &later).unwrap();
    assert_eq!(
        one(&mut conn, &region, officer.id).available_points,
        after.available_points
    );

    let recorded = workload::reductions_for(&mut conn, officer.id).unwrap();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].reduction.kind, ReductionKind::UnionDuties);
    assert_eq!(recorded[0].reason, "Branch secretary");
    workload::delete_reduction(&mut conn, later_id).unwrap();
    assert_eq!(
        workload::reductions_for(&mut conn, officer.id)
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        workload::delete_reduction(&mut conn, later_id),
        Err(StorageError::NotFound)
    ));
});

conformance!(an_open_court_report_counts_until_completed, |db| {
    let region = with_small_region(db);
    let officer = officer(&region);
    let mut conn = conn(db);
    let before = one(&mut conn, &region, officer.id);
    let person = region.people[0].id;
    let report = workload::add_court_report(
        &mut conn,
        &NewCourtReport {
            person_id: person,
            staff_id: officer.id,
            kind: ReportKind::StandardCourtReport,
            requested_on: today() - Days::new(3),
            due_on: today() + Days::new(11),
        },
    )
    .unwrap();
    let writing = one(&mut conn, &region, officer.id);
    assert_eq!(writing.report_points, 138);
    assert_eq!(writing.total_points, before.total_points + 138);
    assert_eq!(writing.reports.len(), 1);
    assert_eq!(writing.reports[0].report_id, report);
    assert_eq!(writing.cases, before.cases, "a report is not a case");
    assert!(writing
        .explanation
        .iter()
        .any(|line| line.contains("standard court report, due") && line.ends_with("138 points")));

    workload::complete_court_report(&mut conn, report, today()).unwrap();
    assert_eq!(
        one(&mut conn, &region, officer.id).total_points,
        before.total_points
    );
    assert!(matches!(
        workload::complete_court_report(&mut conn, report, today()),
        Err(StorageError::NotFound)
    ));
});

conformance!(
    snapshots_upsert_by_week_and_four_weeks_over_110_percent_is_excessive,
    |db| {
        let region = with_small_region(db);
        let officer = officer(&region);
        let mut conn = conn(db);
        // The demo load records its own history; this test records from nothing.
        let history: i64 = workload_snapshots::table
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert!(history > 0, "the demo records weeks of snapshot history");
        diesel::delete(workload_snapshots::table)
            .execute(&mut conn)
            .unwrap();
        let practitioners = measured(&mut conn, &region);
        let ids: Vec<Uuid> = practitioners.iter().map(|p| p.staff_id).collect();
        let this_week = workload::week_start(today());
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();

        let record = |conn: &mut AnyConnection, list: &[PractitionerWorkload], week| {
            transaction::write(conn, |conn| {
                workload::record_snapshots(conn, list, week, now)
            })
            .unwrap()
        };
        let count = |conn: &mut AnyConnection| -> i64 {
            workload_snapshots::table.count().get_result(conn).unwrap()
        };
        assert_eq!(record(&mut conn, &practitioners, this_week), ids.len());
        assert_eq!(record(&mut conn, &practitioners, this_week), ids.len());
        assert_eq!(
            count(&mut conn),
            ids.len() as i64,
            "recording a week again replaces it"
        );
        let stored = workload::snapshots_for(&mut conn, &ids, this_week).unwrap();
        assert_eq!(stored.len(), ids.len());
        let mine = stored.iter().find(|s| s.staff_id == officer.id).unwrap();
        let measured_now = practitioners
            .iter()
            .find(|p| p.staff_id == officer.id)
            .unwrap();
        assert_eq!(mine.total_points, measured_now.total_points);
        assert_eq!(mine.available_points, measured_now.available_points);
        assert_eq!(mine.percent, measured_now.percent);
        assert_eq!(mine.cases, measured_now.cases);
        assert_eq!(mine.weights_version, "workload-weights-2026/1");
        assert_eq!(mine.computed_at, now.naive_utc());

        // A week starts on a Monday.
        let sunday = this_week + Days::new(6);
        assert!(matches!(
            transaction::write(&mut conn, |conn| {
                workload::record_snapshots(conn, &practitioners, sunday, now)
            }),
            Err(StorageError::Conflict(_))
        ));

        // Cut the officer's hours until their capacity is far over 110%, then record it for
        // consecutive weeks: excessive on the fourth.
        add_reduction(
            &mut conn,
            &reduction(
                officer.id,
                ReductionKind::Other,
                officer.contracted_hours - 3.0,
            ),
        )
        .unwrap();
        let overloaded = one(&mut conn, &region, officer.id);
        assert!(
            overloaded.percent.unwrap() > 110.0,
            "{:?}",
            overloaded.percent
        );
        let weeks: Vec<_> = (0..4u64)
            .map(|n| this_week - Days::new(7 * (3 - n)))
            .collect();
        for week in &weeks[..3] {
            record(&mut conn, std::slice::from_ref(&overloaded), *week);
        }
        // This week still holds the ordinary snapshot recorded above: the run is broken.
        let now_under = workload::excessive(&mut conn, &[officer.id], today()).unwrap();
        assert!(!now_under[&officer.id].excessive);
        assert_eq!(now_under[&officer.id].weeks_over, 0);
        // As at last week, three weeks over: not yet excessive.
        let three = workload::excessive(&mut conn, &[officer.id], weeks[2]).unwrap();
        assert!(!three[&officer.id].excessive);
        assert_eq!(three[&officer.id].weeks_over, 3);
        // Recording this week again replaces its snapshot: the fourth week over.
        record(&mut conn, std::slice::from_ref(&overloaded), weeks[3]);
        let replaced = workload::snapshots_for(&mut conn, &[officer.id], this_week).unwrap();
        assert_eq!(replaced.len(), 1);
        assert_eq!(replaced[0].percent, overloaded.percent);
        assert_eq!(replaced[0].available_points, overloaded.available_points);
        let four = workload::excessive(&mut conn, &ids, today()).unwrap();
        assert_eq!(four.len(), ids.len());
        let assessed = &four[&officer.id];
        assert!(assessed.excessive, "{:?}", assessed.explanation.steps);
        assert_eq!(assessed.weeks_over, 4);
        assert_eq!(assessed.excessive_since, Some(this_week));
        assert_eq!(assessed.over_threshold_since, Some(weeks[0]));
        assert_eq!(
            assessed.explanation.rule_version,
            "excessive-workload/1 (over 110% for 4 consecutive weeks)"
        );
        // Everyone else has one week on record, so nobody else is excessive.
        assert!(four
            .iter()
            .filter(|(id, _)| **id != officer.id)
            .all(|(_, a)| !a.excessive));
        assert_eq!(count(&mut conn), ids.len() as i64 + 3);

        // Snapshots of weeks that have not started yet are not read.
        let future = workload::excessive(&mut conn, &[officer.id], weeks[0]).unwrap();
        assert_eq!(future[&officer.id].weeks_over, 1);
    }
);
