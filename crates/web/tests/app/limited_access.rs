//! Limited access cases: an exclusion list (named staff never see the case) and a restriction list
//! (only the named, and the heads of the case's PDU, see it), applied to the case's pages, search,
//! lists, drill-downs and the calendar feed, and kept by the heads of the case's PDU.

use crate::support::TestApp;
use axum::http::StatusCode;
use chrono::Duration;
use keepsafe_domain::access::limited::Limits;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::limited;
use keepsafe_storage::testing::Backend;
use keepsafe_test_support::diary::Appointment;
use keepsafe_test_support::limited_access::{exclude, restrict_to};
use uuid::Uuid;

fn person_of(app: &TestApp, crn: &str) -> Uuid {
    app.region
        .people
        .iter()
        .find(|p| p.crn == crn)
        .map(|p| p.id)
        .unwrap()
}

fn last_name(app: &TestApp, crn: &str) -> String {
    app.region
        .people
        .iter()
        .find(|p| p.crn == crn)
        .map(|p| p.last_name.clone())
        .unwrap()
}

fn limits(app: &TestApp, crn: &str) -> Limits {
    let mut conn = app.db.database.connection().unwrap();
    limited::limits_for(&mut conn, person_of(app, crn)).unwrap()
}

/// Excludes `who` from `crn`, as the head of PDU would.
fn excluded(app: &TestApp, crn: &str, who: &str) {
    let mut conn = app.db.database.connection().unwrap();
    exclude(
        &mut conn,
        person_of(app, crn),
        app.staff_id(who),
        app.staff_id("head.demo"),
        "A relative of the person on probation",
    )
    .unwrap();
}

async fn an_excluded_practitioner_is_refused_on_every_case_page_and_the_refusal_is_audited(
    app: TestApp,
) {
    let crn = app.case_of("po.demo");
    excluded(&app, &crn, "spo.demo");
    let spo = app.sign_in("spo.demo").await;
    for path in [format!("/cases/{crn}"), format!("/cases/{crn}/contacts")] {
        let page = app.get(&path, Some(&spo)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            page.body.contains("This case has limited access"),
            "{}",
            page.body
        );
        assert!(!page.body.contains(&last_name(&app, &crn)));
    }
    let refusals = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert_eq!(refusals.len(), 2);
    assert!(refusals
        .iter()
        .all(|r| r.detail == "limited_access_excluded" && r.actor == "spo.demo"));
    // The rest of the team is not touched by the exclusion.
    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get(&format!("/cases/{crn}"), Some(&po)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_excluded_senior_officer_is_refused_and_audited_on_sqlite() {
    an_excluded_practitioner_is_refused_on_every_case_page_and_the_refusal_is_audited(
        TestApp::new(Backend::Sqlite),
    )
    .await;
}

#[tokio::test]
async fn an_excluded_senior_officer_is_refused_and_audited_on_postgres() {
    an_excluded_practitioner_is_refused_on_every_case_page_and_the_refusal_is_audited(
        TestApp::new(Backend::Postgres),
    )
    .await;
}

#[tokio::test]
async fn an_excluded_case_is_shown_restricted_in_search_and_left_off_lists_and_drill_downs() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let name = last_name(&app, &crn);
    excluded(&app, &crn, "spo.demo");
    let spo = app.sign_in("spo.demo").await;

    let found = app.get(&format!("/find?crn={crn}"), Some(&spo)).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(
        found.body.contains("data-restricted=\"true\""),
        "{}",
        found.body
    );
    assert!(!found.body.contains(&name));

    let team = app.team_code_of("po.demo");
    for path in [
        format!("/teams/{team}"),
        format!("/teams/{team}/attention"),
        "/tasks".to_owned(),
    ] {
        let page = app.get(&path, Some(&spo)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        assert!(!page.body.contains(&crn), "{path} lists the excluded case");
    }

    let drill = app
        .get(
            &format!("/workload/staff/{}", app.staff_id("po.demo")),
            Some(&spo),
        )
        .await;
    assert_eq!(drill.status, StatusCode::OK, "{}", drill.body);
    assert!(!drill.body.contains(&crn));
    assert!(drill
        .body
        .contains("1 limited access case is counted but not listed."));

    // Its practitioner still lists it.
    let po = app.sign_in("po.demo").await;
    assert!(app.get("/cases", Some(&po)).await.body.contains(&crn));
}

#[tokio::test]
async fn the_calendar_feed_leaves_out_the_appointments_of_a_case_its_owner_may_no_longer_see() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let tomorrow = keepsafe_test_support::clock::today() + Duration::days(1);
    Appointment::new(&crn, "po.demo", tomorrow, "14:30")
        .at("Limited case room")
        .arrange(&app);
    let file = crate::diary::feed_file(&app);
    let before = app.get(&format!("/calendar/{file}"), None).await;
    assert!(before.body.contains("Limited case room"), "{}", before.body);

    let mut conn = app.db.database.connection().unwrap();
    restrict_to(
        &mut conn,
        person_of(&app, &crn),
        &[app.staff_id("po.other")],
        app.staff_id("head.demo"),
        "Moved to a named officer",
    )
    .unwrap();
    let after = app.get(&format!("/calendar/{file}"), None).await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(!after.body.contains("Limited case room"), "{}", after.body);
    assert!(!after.body.contains(&crn));
}

#[tokio::test]
async fn a_restricted_case_is_seen_only_by_the_named_and_the_head_of_its_pdu() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    restrict_to(
        &mut conn,
        person_of(&app, &crn),
        &[app.staff_id("po.demo")],
        app.staff_id("head.demo"),
        "A member of staff's relative",
    )
    .unwrap();
    let path = format!("/cases/{crn}");
    for (who, status) in [
        ("po.demo", StatusCode::OK),
        ("head.demo", StatusCode::OK),
        ("spo.demo", StatusCode::FORBIDDEN),
        ("quality.demo", StatusCode::FORBIDDEN),
    ] {
        let session = app.sign_in(who).await;
        assert_eq!(app.get(&path, Some(&session)).await.status, status, "{who}");
    }
    let refused = app.audit(AuditFilter {
        crn: Some(crn),
        actor: Some("spo.demo".into()),
        outcome: Some(Outcome::Refused),
    });
    assert_eq!(refused[0].detail, "limited_access_restricted");
}

#[tokio::test]
async fn the_head_of_pdu_excludes_and_readmits_a_member_of_staff_each_change_audited() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let head = app.sign_in("head.demo").await;
    let record = app.get(&format!("/cases/{crn}"), Some(&head)).await;
    assert!(record
        .body
        .contains(&format!("href=\"/cases/{crn}/access\"")));
    let page = app.get(&format!("/cases/{crn}/access"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("govuk-back-link"));

    let added = app
        .post(
            &format!("/cases/{crn}/access"),
            &head,
            &[
                ("list", "excluded"),
                ("username", "spo.demo"),
                ("reason", "Lives next door to the person on probation"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(limits(&app, &crn).excluded, [app.staff_id("spo.demo")]);
    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        actor: Some("head.demo".into()),
        ..Default::default()
    });
    assert!(audit
        .iter()
        .any(|r| r.action == "add_limited_access" && r.detail.contains("Lives next door")));

    let spo = app.sign_in("spo.demo").await;
    assert_eq!(
        app.get(&format!("/cases/{crn}"), Some(&spo)).await.status,
        StatusCode::FORBIDDEN
    );

    let listed = app.get(&format!("/cases/{crn}/access"), Some(&head)).await;
    let entry = listed
        .body
        .split("name=\"entry\" value=\"")
        .nth(1)
        .map(|rest| rest[..36].to_owned())
        .expect("the entry's remove button");
    let removed = app
        .post(
            &format!("/cases/{crn}/access/remove"),
            &head,
            &[("entry", entry.as_str())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(!limits(&app, &crn).is_limited());
    assert!(app
        .audit(AuditFilter {
            crn: Some(crn.clone()),
            actor: Some("head.demo".into()),
            ..Default::default()
        })
        .iter()
        .any(|r| r.action == "remove_limited_access"));
    assert_eq!(
        app.get(&format!("/cases/{crn}"), Some(&spo)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn practitioners_and_senior_officers_may_not_keep_the_lists_and_nothing_is_written() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    for who in ["po.demo", "spo.demo"] {
        let session = app.sign_in(who).await;
        assert_eq!(
            app.get(&format!("/cases/{crn}/access"), Some(&session))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let posted = app
            .post(
                &format!("/cases/{crn}/access"),
                &session,
                &[
                    ("list", "excluded"),
                    ("username", "po.other"),
                    ("reason", "Trying"),
                ],
            )
            .await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "{who}");
        let refused = app.audit(AuditFilter {
            crn: Some(crn.clone()),
            actor: Some(who.into()),
            outcome: Some(Outcome::Refused),
        });
        assert!(refused
            .iter()
            .any(|r| r.action == "change_limited_access" && r.detail == "grade_not_permitted"));
    }
    assert!(!limits(&app, &crn).is_limited());
}

#[tokio::test]
async fn an_excluded_head_of_pdu_may_not_keep_the_lists() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    excluded(&app, &crn, "head.demo");
    let head = app.sign_in("head.demo").await;
    let page = app.get(&format!("/cases/{crn}/access"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_additions_are_refused_naming_the_field_and_nothing_is_written() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let head = app.sign_in("head.demo").await;
    let path = format!("/cases/{crn}/access");
    let long = "x".repeat(501);
    for (form, field, words) in [
        (
            vec![
                ("list", "excluded"),
                ("username", "nobody.here"),
                ("reason", ""),
            ],
            "username",
            "no member of staff with that username",
        ),
        (
            vec![
                ("list", "excluded"),
                ("username", "spo.demo"),
                ("reason", "  "),
            ],
            "reason",
            "Enter the reason",
        ),
        (
            vec![
                ("list", "excluded"),
                ("username", "spo.demo"),
                ("reason", long.as_str()),
            ],
            "reason",
            "500 characters or fewer",
        ),
        (
            vec![("username", "spo.demo"), ("reason", "Why")],
            "list",
            "Select which list",
        ),
        (
            vec![
                ("list", "excluded"),
                ("username", "po.demo"),
                ("reason", "Why"),
            ],
            "username",
            "reallocate the case before excluding them",
        ),
        (
            vec![
                ("list", "restricted"),
                ("username", "spo.demo"),
                ("reason", "Why"),
            ],
            "username",
            "Restrict the case to the practitioner who manages it first",
        ),
    ] {
        let page = app.post(&path, &head, &form).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{words}: {}",
            page.body
        );
        assert!(page.body.contains(&format!("href=\"#{field}\"")), "{words}");
        assert!(page.body.contains(words), "{words}: {}", page.body);
    }
    assert!(!limits(&app, &crn).is_limited());
    assert!(app
        .audit(AuditFilter {
            crn: Some(crn),
            actor: Some("head.demo".into()),
            ..Default::default()
        })
        .iter()
        .all(|r| r.action != "add_limited_access"));
}
