use crate::conformance;
use crate::support::{conn, with_small_region};
use keepsafe_storage::cases::caseload;
use keepsafe_storage::organisation;
use std::collections::HashSet;

conformance!(
    a_practitioners_caseload_is_their_current_allocations,
    |db| {
        let region = with_small_region(db);
        let officer = region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some("po.demo"))
            .unwrap();
        let expected: HashSet<String> = region
            .people
            .iter()
            .filter(|p| {
                p.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && a.staff_id == officer.id)
            })
            .map(|p| p.crn.clone())
            .collect();
        assert!(!expected.is_empty(), "po.demo holds cases");
        let mut conn = conn(db);
        let listed: HashSet<String> = caseload::for_staff(
            &mut conn,
            officer.id,
            keepsafe_test_support::clock::now().naive_utc(),
        )
        .unwrap()
        .into_iter()
        .map(|c| c.crn)
        .collect();
        assert_eq!(listed, expected);
    }
);

conformance!(a_team_caseload_covers_everyone_in_the_team, |db| {
    let region = with_small_region(db);
    let team = &region.teams[0];
    let expected = region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.team_id == team.id)
        })
        .count();
    let mut conn = conn(db);
    let cases = caseload::for_team(
        &mut conn,
        team.id,
        keepsafe_test_support::clock::now().naive_utc(),
    )
    .unwrap();
    assert_eq!(cases.len(), expected);
    assert!(cases.iter().all(|c| c.allocation.is_some()));
    let counts = caseload::case_counts_by_team(&mut conn).unwrap();
    assert_eq!(counts.get(&team.id).copied(), Some(expected as i64));
    let by_code = organisation::team_by_code(&mut conn, &team.code).unwrap();
    assert_eq!(by_code.id, team.id);
});

conformance!(
    unallocated_cases_are_those_with_no_current_allocation,
    |db| {
        let region = with_small_region(db);
        let pdu = &region.pdus[0];
        let expected: HashSet<String> = region
            .people
            .iter()
            .filter(|p| p.pdu_id == pdu.id && p.allocations.iter().all(|a| a.end_date.is_some()))
            .map(|p| p.crn.clone())
            .collect();
        assert!(!expected.is_empty(), "the small region has cases waiting");
        let mut conn = conn(db);
        let waiting: HashSet<String> = caseload::unallocated_in_pdu(
            &mut conn,
            pdu.id,
            keepsafe_test_support::clock::now().naive_utc(),
        )
        .unwrap()
        .into_iter()
        .map(|c| c.crn)
        .collect();
        assert_eq!(waiting, expected);
    }
);

conformance!(flags_and_appointments_are_summarised, |db| {
    let region = with_small_region(db);
    let now = keepsafe_test_support::clock::now().naive_utc();
    let mut conn = conn(db);
    let team = &region.teams[0];
    let cases = caseload::for_team(&mut conn, team.id, now).unwrap();
    for case in &cases {
        let person = region
            .people
            .iter()
            .find(|p| p.id == case.person_id)
            .unwrap();
        let active_kinds: HashSet<_> = person
            .registrations
            .iter()
            .filter(|r| r.ended_on.is_none())
            .map(|r| r.kind)
            .collect();
        assert_eq!(
            case.flags.iter().copied().collect::<HashSet<_>>(),
            active_kinds
        );
        let next = person
            .contacts
            .iter()
            .filter(|c| c.starts_at >= now && c.outcome.is_none())
            .map(|c| c.starts_at)
            .min();
        assert_eq!(case.next_appointment, next, "{}", case.crn);
    }
});
