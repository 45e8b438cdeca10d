//! The workload dashboard and a practitioner's workload explanation, for whom.

use crate::support::TestApp;
use axum::http::StatusCode;
use keepsafe_storage::audit::{AuditFilter, Outcome};

#[tokio::test]
async fn a_senior_officer_sees_their_teams_workload_with_capacity_and_a_chart() {
    let app = TestApp::sqlite();
    let session = app.sign_in("spo.demo").await;
    let page = app.get("/workload", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"capacity-chart\""));
    assert!(page.body.contains("Average cases per probation officer"));
    let officer = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(page.body.contains(&officer.last_name));
    let other = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.other"))
        .unwrap();
    assert!(
        !page.body.contains(&format!("/workload/staff/{}", other.id)),
        "only their own team"
    );
    assert!(
        page.body.contains("workload-weights-2026/1"),
        "the rule version is shown"
    );
}

#[tokio::test]
async fn a_head_of_pdu_sees_every_team_and_the_cases_waiting() {
    let app = TestApp::sqlite();
    let session = app.sign_in("head.demo").await;
    let page = app.get("/workload", Some(&session)).await;
    for username in ["po.demo", "po.other"] {
        let id = app.staff_id(username);
        assert!(
            page.body.contains(&format!("/workload/staff/{id}")),
            "{username}"
        );
    }
    assert!(page.body.contains("Waiting for allocation"));
}

#[tokio::test]
async fn practitioners_see_how_their_own_workload_was_worked_out_but_not_a_colleagues() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/workload", Some(&session)).await.status,
        StatusCode::FORBIDDEN
    );
    let own = app
        .get(
            &format!("/workload/staff/{}", app.staff_id("po.demo")),
            Some(&session),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("How it was worked out"));
    assert!(own.body.contains(&app.case_of("po.demo")));
    let colleague = app
        .get(
            &format!("/workload/staff/{}", app.staff_id("po.other")),
            Some(&session),
        )
        .await;
    assert_eq!(colleague.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.action == "view_staff_workload"));
}
