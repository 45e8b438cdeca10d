use crate::conformance;
use crate::support::conn;
use chrono::Duration;
use keepsafe_storage::audit::{self, AuditEntry, AuditFilter, Outcome};

fn entry(actor: &str, outcome: Outcome, crn: Option<&str>) -> AuditEntry {
    AuditEntry {
        staff_id: None,
        actor: actor.into(),
        action: "view_case".into(),
        outcome,
        person_id: None,
        crn: crn.map(str::to_owned),
        detail: String::new(),
    }
}

conformance!(audit_entries_read_back_newest_first_and_filter, |db| {
    let mut conn = conn(db);
    let now = keepsafe_test_support::clock::now();
    audit::record(
        &mut conn,
        &entry("ann", Outcome::Allowed, Some("A000001")),
        now - Duration::minutes(2),
    )
    .unwrap();
    audit::record(
        &mut conn,
        &entry("bob", Outcome::Refused, Some("A000001")),
        now - Duration::minutes(1),
    )
    .unwrap();
    audit::record(&mut conn, &entry("ann", Outcome::Allowed, None), now).unwrap();

    let all = audit::recent(&mut conn, &AuditFilter::default(), 10).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all[0].id > all[1].id && all[1].id > all[2].id);

    let refused = audit::recent(
        &mut conn,
        &AuditFilter {
            outcome: Some(Outcome::Refused),
            ..Default::default()
        },
        10,
    )
    .unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].actor, "bob");

    let for_case = audit::recent(
        &mut conn,
        &AuditFilter {
            crn: Some("A000001".into()),
            ..Default::default()
        },
        10,
    )
    .unwrap();
    assert_eq!(for_case.len(), 2);
    let by_ann = audit::recent(
        &mut conn,
        &AuditFilter {
            actor: Some("ann".into()),
            ..Default::default()
        },
        1,
    )
    .unwrap();
    assert_eq!(by_ann.len(), 1, "the limit is respected");
});

conformance!(
    the_log_page_filters_by_day_staff_case_action_and_outcome_and_batches_follow_on,
    |db| {
        use keepsafe_storage::audit::LogFilter;
        crate::support::with_small_region(db);
        let mut conn = conn(db);
        let now = keepsafe_test_support::clock::now();
        let today = now.date_naive();
        // Who acted must be a member of staff.
        let staff = keepsafe_storage::staff::find_by_username(
            &mut conn,
            &keepsafe_domain::staff::Username::parse("po.demo").unwrap(),
        )
        .unwrap()
        .unwrap()
        .id;
        let write = |conn: &mut keepsafe_storage::AnyConnection,
                     action: &str,
                     outcome: Outcome,
                     by: Option<uuid::Uuid>,
                     days_ago: i64| {
            audit::record(
                conn,
                &AuditEntry {
                    staff_id: by,
                    action: action.into(),
                    ..entry("ann", outcome, Some("B000001"))
                },
                now - Duration::days(days_ago),
            )
            .unwrap();
        };
        write(&mut conn, "view_case", Outcome::Refused, Some(staff), 0);
        write(&mut conn, "view_risk", Outcome::Refused, Some(staff), 0);
        write(&mut conn, "view_case", Outcome::Allowed, Some(staff), 1);
        write(&mut conn, "view_case", Outcome::Refused, None, 0);
        write(&mut conn, "view_case", Outcome::Refused, Some(staff), 3);

        let filter = LogFilter {
            from: Some(today - Duration::days(1)),
            to: Some(today),
            staff_id: Some(staff),
            crn: Some("B000001".into()),
            action: Some("view_case".into()),
            outcome: Some(Outcome::Refused),
            actions: None,
        };
        let found = audit::page(&mut conn, &filter, 0, 10).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].staff_id, Some(staff));
        let by_day = LogFilter {
            from: Some(today - Duration::days(1)),
            to: Some(today - Duration::days(1)),
            ..Default::default()
        };
        let one_day = audit::page(&mut conn, &by_day, 0, 10).unwrap();
        assert_eq!(
            one_day.len(),
            1,
            "the end day is included, the days around it are not"
        );
        assert_eq!(one_day[0].outcome, "allowed");

        let case = LogFilter {
            crn: Some("B000001".into()),
            ..Default::default()
        };
        let all = audit::page(&mut conn, &case, 0, 10).unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(audit::page(&mut conn, &case, 4, 10).unwrap().len(), 1);
        let first = audit::batch_before(&mut conn, &case, None, 2).unwrap();
        let second = audit::batch_before(&mut conn, &case, Some(first[1].id), 2).unwrap();
        let third = audit::batch_before(&mut conn, &case, Some(second[1].id), 2).unwrap();
        let ids: Vec<i64> = first
            .iter()
            .chain(&second)
            .chain(&third)
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, all.iter().map(|r| r.id).collect::<Vec<_>>());
    }
);

conformance!(
    audit_rows_written_by_transactions_at_the_same_time_form_one_unbroken_chain,
    |db| {
        let now = keepsafe_test_support::clock::now();
        std::thread::scope(|scope| {
            for writer in 0..6 {
                let database = db.database.clone();
                scope.spawn(move || {
                    for batch in 0..8 {
                        database
                            .write(|conn| {
                                for n in 0..3 {
                                    let actor = format!("writer{writer}-{batch}-{n}");
                                    audit::record(
                                        conn,
                                        &entry(&actor, Outcome::Allowed, None),
                                        now,
                                    )?;
                                }
                                Ok::<_, keepsafe_storage::StorageError>(())
                            })
                            .unwrap();
                    }
                });
            }
        });
        let mut conn = conn(db);
        let verified = audit::chain::verify(&mut conn, &mut |_| {}).unwrap();
        assert_eq!(verified.broken, None);
        assert_eq!(verified.verified, 6 * 8 * 3);
        assert_eq!(audit::chain::length(&mut conn).unwrap(), 6 * 8 * 3);
    }
);

conformance!(
    a_row_written_in_a_transaction_that_rolls_back_leaves_the_chain_whole,
    |db| {
        let now = keepsafe_test_support::clock::now();
        let mut conn = conn(db);
        audit::record(&mut conn, &entry("kept", Outcome::Allowed, None), now).unwrap();
        let failed: Result<(), keepsafe_storage::StorageError> =
            keepsafe_storage::transaction::write(&mut conn, |conn| {
                audit::record(conn, &entry("lost", Outcome::Allowed, None), now)?;
                Err(keepsafe_storage::StorageError::NotFound)
            });
        assert!(failed.is_err());
        audit::record(&mut conn, &entry("kept too", Outcome::Allowed, None), now).unwrap();
        let verified = audit::chain::verify(&mut conn, &mut |_| {}).unwrap();
        assert_eq!(verified.broken, None);
        assert_eq!(verified.verified, 2);
    }
);

conformance!(
    the_log_filters_by_a_kind_of_action_codes_and_prefixes,
    |db| {
        use keepsafe_storage::audit::{ActionMatch, LogFilter};
        let now = keepsafe_test_support::clock::now();
        let mut conn = conn(db);
        for action in ["view_case", "view_special", "add_victim", "delete_x"] {
            let mut row = entry("ann", Outcome::Allowed, None);
            row.action = action.into();
            audit::record(&mut conn, &row, now).unwrap();
        }
        let views = LogFilter {
            actions: Some(ActionMatch {
                codes: vec!["delete_x".into()],
                prefixes: vec!["view_".into()],
                except: vec!["view_special".into()],
            }),
            ..Default::default()
        };
        let mut found: Vec<String> = audit::page(&mut conn, &views, 0, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect();
        found.sort();
        assert_eq!(found, vec!["delete_x", "view_case"]);
    }
);
