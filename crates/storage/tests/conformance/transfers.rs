//! Reallocation and bulk transfer: every case moves with a handover task and its open tasks, or
//! none does; practitioners complete only their own tasks.

use crate::conformance;
use crate::support::{conn, today, with_small_region};
use diesel::prelude::*;
use keepsafe_demo::DemoRegion;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::workload::InsightRules;
use keepsafe_storage::schema::{allocations, practitioner_tasks};
use keepsafe_storage::workload::allocation::{self, Move, HANDOVER_TASK};
use keepsafe_storage::workload::insights;
use keepsafe_storage::{transaction, AnyConnection, StorageError};
use std::collections::HashMap;
use uuid::Uuid;

/// Two practitioners of the first PDU's first team: one holding cases, one to take them.
fn two_practitioners(region: &DemoRegion) -> (Uuid, Uuid) {
    let team = region
        .teams
        .iter()
        .find(|t| t.pdu_id == region.pdus[0].id)
        .unwrap();
    let mut in_team = region
        .staff
        .iter()
        .filter(|s| s.team_id == Some(team.id) && s.grade == Grade::ProbationOfficer);
    (in_team.next().unwrap().id, in_team.next().unwrap().id)
}

fn held_by(conn: &mut AnyConnection, staff_id: Uuid) -> Vec<String> {
    let mut held: Vec<String> = allocations::table
        .filter(allocations::staff_id.eq(staff_id.to_string()))
        .filter(allocations::end_date.is_null())
        .select(allocations::person_id)
        .load(conn)
        .unwrap();
    held.sort();
    held
}

fn current_holders(conn: &mut AnyConnection) -> HashMap<String, String> {
    allocations::table
        .filter(allocations::end_date.is_null())
        .select((allocations::person_id, allocations::staff_id))
        .load::<(String, String)>(conn)
        .unwrap()
        .into_iter()
        .collect()
}

fn moving(by: Uuid) -> Move<'static> {
    let now = keepsafe_test_support::clock::now();
    Move {
        reason: "Covering an absence: on leave until 4 January",
        override_reason: None,
        by,
        today: today(),
        now,
    }
}

conformance!(
    a_bulk_transfer_moves_every_case_with_a_handover_task_and_its_open_tasks,
    |db| {
        let region = with_small_region(db);
        let (from, to) = two_practitioners(&region);
        let mut conn = conn(db);
        let cases: Vec<Uuid> = held_by(&mut conn, from)
            .iter()
            .map(|id| Uuid::parse_str(id).unwrap())
            .collect();
        assert!(cases.len() >= 2, "the practitioner holds cases to move");
        let before_to = held_by(&mut conn, to).len();
        // An open task of the old practitioner's on one of the cases goes with it.
        diesel::insert_into(practitioner_tasks::table)
            .values((
                practitioner_tasks::id.eq(Uuid::new_v4().to_string()),
                practitioner_tasks::staff_id.eq(from.to_string()),
                practitioner_tasks::person_id.eq(cases[0].to_string()),
                practitioner_tasks::kind.eq("induction_appointment"),
                practitioner_tasks::title.eq("Arrange the induction appointment"),
                practitioner_tasks::due_on.eq(today()),
                practitioner_tasks::created_at.eq(keepsafe_test_support::clock::now().naive_utc()),
            ))
            .execute(&mut conn)
            .unwrap();

        let done = transaction::write(&mut conn, |conn| {
            allocation::transfer(conn, from, &cases, to, &moving(from))
        })
        .unwrap();

        assert_eq!(done.moved.len(), cases.len());
        assert!(held_by(&mut conn, from).is_empty());
        assert_eq!(held_by(&mut conn, to).len(), before_to + cases.len());
        assert!(done.moved.iter().all(|m| m.task_kind == HANDOVER_TASK));
        assert!(done.moved.iter().all(|m| m.from_staff == Some(from)));
        let open_for_to: i64 = practitioner_tasks::table
            .filter(practitioner_tasks::staff_id.eq(to.to_string()))
            .filter(practitioner_tasks::completed_on.is_null())
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(
            open_for_to as usize,
            cases.len() + 1,
            "a handover each, and the task handed on"
        );
        let reason: String = allocations::table
            .filter(allocations::person_id.eq(cases[0].to_string()))
            .filter(allocations::end_date.is_null())
            .select(allocations::reason)
            .first(&mut conn)
            .unwrap();
        assert!(reason.starts_with("Covering an absence"));
    }
);

conformance!(
    a_failed_bulk_transfer_leaves_every_case_where_it_was,
    |db| {
        let region = with_small_region(db);
        let (from, to) = two_practitioners(&region);
        let mut conn = conn(db);
        let before = current_holders(&mut conn);
        let mut cases: Vec<Uuid> = held_by(&mut conn, from)
            .iter()
            .map(|id| Uuid::parse_str(id).unwrap())
            .collect();
        // One case that someone else holds, as when another manager moved it after the form was shown.
        let elsewhere = before
            .iter()
            .find(|(_, staff)| **staff != from.to_string())
            .map(|(person, _)| Uuid::parse_str(person).unwrap())
            .unwrap();
        cases.push(elsewhere);

        let refused = transaction::write(&mut conn, |conn| {
            allocation::transfer(conn, from, &cases, to, &moving(from))
        })
        .unwrap_err();
        match refused {
            StorageError::Conflict(message) => {
                assert!(
                    message.contains("no longer held by this practitioner"),
                    "{message}"
                );
                assert!(message.contains("nothing was moved"), "{message}");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(current_holders(&mut conn), before);

        // A failure after the first write rolls the whole transaction back too.
        let cases: Vec<Uuid> = held_by(&mut conn, from)
            .iter()
            .map(|id| Uuid::parse_str(id).unwrap())
            .collect();
        let failed: Result<(), StorageError> = transaction::write(&mut conn, |conn| {
            allocation::transfer(conn, from, &cases, to, &moving(from))?;
            Err(StorageError::Conflict(
                "the audit row could not be written".into(),
            ))
        });
        assert!(failed.is_err());
        assert_eq!(current_holders(&mut conn), before);
    }
);

conformance!(cases_cannot_be_moved_to_someone_in_another_pdu, |db| {
    let region = with_small_region(db);
    let (from, _) = two_practitioners(&region);
    let mut conn = conn(db);
    let before = current_holders(&mut conn);
    // A senior probation officer holds no caseload.
    let spo = region
        .staff
        .iter()
        .find(|s| s.grade == Grade::SeniorProbationOfficer)
        .unwrap()
        .id;
    let cases: Vec<Uuid> = held_by(&mut conn, from)
        .iter()
        .map(|id| Uuid::parse_str(id).unwrap())
        .collect();
    let refused = transaction::write(&mut conn, |conn| {
        allocation::transfer(conn, from, &cases, spo, &moving(from))
    })
    .unwrap_err();
    assert!(matches!(refused, StorageError::Conflict(m) if m.contains("does not hold a caseload")));
    assert_eq!(current_holders(&mut conn), before);
});

conformance!(practitioners_complete_only_their_own_tasks, |db| {
    let region = with_small_region(db);
    let (from, to) = two_practitioners(&region);
    let mut conn = conn(db);
    let case = Uuid::parse_str(&held_by(&mut conn, from)[0]).unwrap();
    let done = transaction::write(&mut conn, |conn| {
        allocation::transfer(conn, from, &[case], to, &moving(from))
    })
    .unwrap();
    let task = done.moved[0].task_id;

    let refused = transaction::write(&mut conn, |conn| {
        allocation::complete_task(conn, task, from, today())
    })
    .unwrap_err();
    assert!(matches!(refused, StorageError::Conflict(m) if m.contains("another practitioner's")));

    let (completed, _) = transaction::write(&mut conn, |conn| {
        allocation::complete_task(conn, task, to, today())
    })
    .unwrap();
    assert_eq!(completed.completed_on, Some(today()));
    let again = transaction::write(&mut conn, |conn| {
        allocation::complete_task(conn, task, to, today())
    })
    .unwrap_err();
    assert!(matches!(again, StorageError::Conflict(m) if m.contains("already marked done")));
});

conformance!(
    insights_count_each_practitioners_cases_with_the_crns_behind_them,
    |db| {
        let region = with_small_region(db);
        let mut conn = conn(db);
        let rules = InsightRules::reference();
        let found = insights::for_pdu(
            &mut conn,
            region.pdus[0].id,
            &rules,
            keepsafe_test_support::clock::now(),
        )
        .unwrap();
        assert!(!found.is_empty());
        for p in &found {
            assert!(p.overdue_assessments.count <= p.overdue_assessments.out_of);
            assert!(p.overdue_reviews.count <= p.overdue_reviews.out_of);
            assert!(p.missed_contacts.count <= p.missed_contacts.out_of);
            for (measure, crns) in &p.behind {
                assert_eq!(crns.len() as u32, p.rate(*measure).count, "{measure:?}");
            }
        }
        // The demo's public-protection history has overdue reviews somewhere in the PDU.
        assert!(found.iter().any(|p| p.overdue_reviews.count > 0));
        assert!(found.iter().any(|p| p.missed_contacts.out_of > 0));
    }
);
