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

conformance!(
    a_case_search_matches_names_in_any_case_and_reads_percent_and_underscore_as_letters,
    |db| {
        use keepsafe_storage::cases::search::{search, SearchTerms};
        let region = with_small_region(db);
        let person = &region.people[0];
        let mut conn = conn(db);
        let terms = |words: &[&str]| SearchTerms {
            name_words: words.iter().map(|w| w.to_string()).collect(),
            ..SearchTerms::default()
        };
        let last = person.last_name.to_uppercase();
        let first = person.first_name.to_lowercase();
        let found = search(&mut conn, &terms(&[&last, &first]), 1, 20).unwrap();
        assert!(found.hits.iter().any(|h| h.crn == person.crn));
        let expected = region
            .people
            .iter()
            .filter(|p| {
                let name = |w: &str| {
                    p.first_name.to_lowercase().contains(w)
                        || p.last_name.to_lowercase().contains(w)
                };
                name(&last.to_lowercase()) && name(&first)
            })
            .count();
        assert_eq!(found.total, expected as i64);
        for wildcard in ["%", "_", "\\"] {
            let none = search(&mut conn, &terms(&[wildcard]), 1, 20).unwrap();
            assert_eq!(none.total, 0, "{wildcard} is a letter, not a pattern");
        }

        // Date of birth and CRN narrow the search; the hit says where the case sits.
        let by_dob = search(
            &mut conn,
            &SearchTerms {
                date_of_birth: Some(person.date_of_birth),
                crn: Some(person.crn.clone()),
                ..SearchTerms::default()
            },
            1,
            20,
        )
        .unwrap();
        assert_eq!(by_dob.total, 1);
        let hit = &by_dob.hits[0];
        assert_eq!(hit.location.pdu, person.pdu_id);
        assert_eq!(
            hit.location.team,
            person
                .allocations
                .iter()
                .find(|a| a.end_date.is_none())
                .map(|a| a.team_id)
        );

        // Pages follow each other without overlap.
        let everyone = terms(&["a"]);
        let first_page = search(&mut conn, &everyone, 1, 5).unwrap();
        let second_page = search(&mut conn, &everyone, 2, 5).unwrap();
        assert_eq!(first_page.total, second_page.total);
        assert!(first_page.total > 5);
        assert!(second_page
            .hits
            .iter()
            .all(|h| first_page.hits.iter().all(|f| f.crn != h.crn)));
        assert!(search(&mut conn, &SearchTerms::default(), 1, 5)
            .unwrap()
            .hits
            .is_empty());
    }
);

conformance!(
    a_caseload_line_counts_the_checks_reviews_and_flags_waiting,
    |db| {
        use keepsafe_domain::registration::RegistrationKind;
        use keepsafe_test_support::worklist as fixtures;
        let region = with_small_region(db);
        let officer = region
            .staff
            .iter()
            .find(|s| s.username.as_deref() == Some("po.demo"))
            .unwrap();
        let person = region
            .people
            .iter()
            .find(|p| {
                p.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && a.staff_id == officer.id)
            })
            .unwrap();
        let mut conn = conn(db);
        let now = keepsafe_test_support::clock::now().naive_utc();
        let line = |conn: &mut _| {
            caseload::for_staff(conn, officer.id, now)
                .unwrap()
                .into_iter()
                .find(|c| c.crn == person.crn)
                .unwrap()
        };
        let before = line(&mut conn);
        fixtures::check(&mut conn, person.id, officer.id, -1);
        fixtures::check(&mut conn, person.id, officer.id, 3);
        fixtures::review(&mut conn, person.id, -2);
        fixtures::review(&mut conn, person.id, 5);
        fixtures::flag_due_for_review(&mut conn, person.id, RegistrationKind::ChildProtection);
        let after = line(&mut conn);
        assert_eq!(after.checks.outstanding, before.checks.outstanding + 2);
        assert_eq!(after.checks.overdue, before.checks.overdue + 1);
        assert_eq!(after.reviews.open, before.reviews.open + 2);
        assert_eq!(after.reviews.overdue, before.reviews.overdue + 1);
        assert_eq!(after.flags_to_review, before.flags_to_review + 1);
    }
);

conformance!(
    a_pdu_caseload_is_its_teams_caseloads_and_releases_near_are_on_the_victim_worklist,
    |db| {
        let region = with_small_region(db);
        let pdu = &region.pdus[0];
        let mut conn = conn(db);
        let now = keepsafe_test_support::clock::now().naive_utc();
        let whole: HashSet<String> = caseload::for_pdu(&mut conn, pdu.id, now)
            .unwrap()
            .into_iter()
            .map(|c| c.crn)
            .collect();
        let mut by_team = HashSet::new();
        for team in region.teams.iter().filter(|t| t.pdu_id == pdu.id) {
            by_team.extend(
                caseload::for_team(&mut conn, team.id, now)
                    .unwrap()
                    .into_iter()
                    .map(|c| c.crn),
            );
        }
        assert_eq!(whole, by_team);

        let person = &region.people[1];
        let today = keepsafe_test_support::clock::today();
        keepsafe_test_support::worklist::release_on(
            &mut conn,
            person.id,
            today + chrono::Duration::days(10),
        );
        let near = caseload::for_victim_liaison(
            &mut conn,
            region.region.id,
            today - chrono::Duration::days(28),
            today + chrono::Duration::days(56),
            now,
        )
        .unwrap();
        let line = near.iter().find(|c| c.crn == person.crn).unwrap();
        assert_eq!(
            line.main_event.as_ref().and_then(|e| e.release_date),
            Some(today + chrono::Duration::days(10))
        );
    }
);
