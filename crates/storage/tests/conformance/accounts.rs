use crate::conformance;
use crate::support::{conn, with_small_region};
use chrono::Duration;
use keepsafe_domain::staff::{ContractedHours, Grade, Username};
use keepsafe_storage::sign_in::{attempts, passwords};
use keepsafe_storage::staff::{self, NewAccount, Placement};
use keepsafe_storage::StorageError;

fn new_account(region: &keepsafe_demo::DemoRegion, username: &str) -> NewAccount {
    let team = &region.teams[0];
    NewAccount {
        username: Username::parse(username).unwrap(),
        first_name: "Sam".into(),
        last_name: "Okafor".into(),
        grade: Grade::ProbationServiceOfficer,
        contracted_hours: ContractedHours::parse(30.0).unwrap(),
        placement: Placement {
            region_id: region.region.id,
            pdu_id: Some(team.pdu_id),
            team_id: Some(team.id),
        },
        password_hash: passwords::hash("a long enough password").unwrap(),
    }
}

conformance!(an_added_account_can_be_found_by_username, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let id = staff::add_account(
        &mut conn,
        &new_account(&region, "sam.okafor"),
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    let found = staff::find_by_username(&mut conn, &Username::parse("sam.okafor").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert_eq!(found.grade, Grade::ProbationServiceOfficer);
    assert_eq!(found.team_id, Some(region.teams[0].id));
    assert!(passwords::verify(
        "a long enough password",
        found.password_hash.as_deref().unwrap()
    ));
    assert!(staff::list_accounts(&mut conn)
        .unwrap()
        .iter()
        .any(|a| a.username == "sam.okafor"));
});

conformance!(a_taken_username_is_refused, |db| {
    let region = with_small_region(db);
    let mut conn = conn(db);
    let error = staff::add_account(
        &mut conn,
        &new_account(&region, "po.demo"),
        keepsafe_test_support::clock::now(),
    )
    .unwrap_err();
    assert!(
        matches!(error, StorageError::Conflict(ref m) if m.contains("po.demo")),
        "{error}"
    );
});

conformance!(resetting_a_password_lifts_the_lock, |db| {
    with_small_region(db);
    let mut conn = conn(db);
    let name = Username::parse("po.demo").unwrap();
    let account = staff::find_by_username(&mut conn, &name).unwrap().unwrap();
    staff::set_locked_until(
        &mut conn,
        account.id,
        Some(keepsafe_test_support::clock::now() + Duration::minutes(15)),
    )
    .unwrap();
    staff::set_password(&mut conn, &name, "new-hash").unwrap();
    let after = staff::find(&mut conn, account.id).unwrap();
    assert_eq!(after.locked_until, None);
    assert_eq!(after.password_hash.as_deref(), Some("new-hash"));
    let missing = staff::set_password(&mut conn, &Username::parse("nobody").unwrap(), "x");
    assert!(matches!(missing, Err(StorageError::NotFound)));
});

conformance!(failed_sign_ins_count_from_the_last_success, |db| {
    let mut conn = conn(db);
    let now = keepsafe_test_support::clock::now();
    let window = now - Duration::minutes(15);
    for minutes in [10, 9, 8] {
        attempts::record(
            &mut conn,
            "jo",
            "10.0.0.1",
            false,
            now - Duration::minutes(minutes),
        )
        .unwrap();
    }
    assert_eq!(
        attempts::recent_failures_for_username(&mut conn, "jo", window).unwrap(),
        3
    );
    attempts::record(
        &mut conn,
        "jo",
        "10.0.0.1",
        true,
        now - Duration::minutes(5),
    )
    .unwrap();
    attempts::record(
        &mut conn,
        "jo",
        "10.0.0.1",
        false,
        now - Duration::minutes(1),
    )
    .unwrap();
    assert_eq!(
        attempts::recent_failures_for_username(&mut conn, "jo", window).unwrap(),
        1
    );
    assert_eq!(
        attempts::recent_failures_from_address(&mut conn, "10.0.0.1", window).unwrap(),
        4
    );
    attempts::record(
        &mut conn,
        "jo",
        "10.0.0.2",
        false,
        now - Duration::minutes(30),
    )
    .unwrap();
    assert_eq!(
        attempts::recent_failures_from_address(&mut conn, "10.0.0.2", window).unwrap(),
        0
    );
});

conformance!(
    accounts_are_searched_by_name_or_username_in_any_case_and_filtered,
    |db| {
        use keepsafe_storage::staff::AccountSearch;
        let region = with_small_region(db);
        let mut conn = conn(db);
        let now = keepsafe_test_support::clock::now();
        let id = staff::add_account(&mut conn, &new_account(&region, "sam.okafor"), now).unwrap();
        let search = |conn: &mut keepsafe_storage::AnyConnection, search: AccountSearch| {
            staff::search_accounts(conn, &search, 0, 100)
                .unwrap()
                .into_iter()
                .map(|a| a.username)
                .collect::<Vec<_>>()
        };
        let text = |t: &str| AccountSearch {
            text: Some(t.into()),
            ..Default::default()
        };
        assert_eq!(search(&mut conn, text("SAM OKA")), ["sam.okafor"]);
        assert_eq!(search(&mut conn, text("m.oka")), ["sam.okafor"]);
        assert!(
            search(&mut conn, text("100%_")).is_empty(),
            "wildcards are literal"
        );
        let pso_in_team = search(
            &mut conn,
            AccountSearch {
                grade: Some(Grade::ProbationServiceOfficer),
                team_id: Some(region.teams[0].id),
                ..Default::default()
            },
        );
        assert!(pso_in_team.contains(&"sam.okafor".to_owned()));
        assert!(!pso_in_team.contains(&"po.demo".to_owned()));
        let two = staff::search_accounts(&mut conn, &AccountSearch::default(), 1, 2).unwrap();
        assert_eq!(two.len(), 2);

        staff::set_active(&mut conn, id, false).unwrap();
        staff::change_role(
            &mut conn,
            id,
            Grade::HeadOfPdu,
            &Placement {
                region_id: region.region.id,
                pdu_id: Some(region.pdus[0].id),
                team_id: None,
            },
        )
        .unwrap();
        let changed = staff::find(&mut conn, id).unwrap();
        assert!(!changed.active);
        assert_eq!(changed.grade, Grade::HeadOfPdu);
        assert_eq!(changed.team_id, None);
        assert!(matches!(
            staff::set_active(&mut conn, uuid::Uuid::new_v4(), true),
            Err(StorageError::NotFound)
        ));
    }
);
