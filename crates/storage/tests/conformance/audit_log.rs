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
