//! Opening case records: the refusal the inspectorate would expect, on both databases.

use crate::support::TestApp;
use axum::http::StatusCode;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::testing::Backend;

macro_rules! on_both_backends {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;

            async fn check($app: TestApp) $body

            #[tokio::test]
            async fn on_sqlite() {
                check(TestApp::new(Backend::Sqlite)).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                check(TestApp::new(Backend::Postgres)).await;
            }
        }
    };
}

on_both_backends!(
    a_practitioner_opening_another_teams_case_is_refused_and_the_refusal_is_audited,
    |app| {
        let crn = app.case_of("po.demo");
        let session = app.sign_in("po.other").await;
        let page = app.get(&format!("/cases/{crn}"), Some(&session)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(
            page.body.contains("managed by another team"),
            "{}",
            page.body
        );
        let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
        assert!(
            !page.body.contains(&person.last_name),
            "no personal data on the refusal page"
        );

        let refusals = app.audit(AuditFilter {
            crn: Some(crn.clone()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        });
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0].actor, "po.other");
        assert_eq!(refusals[0].action, "view_case");
        assert_eq!(refusals[0].detail, "case_outside_team");
        assert_eq!(refusals[0].staff_id, Some(app.staff_id("po.other")));
    }
);

on_both_backends!(
    a_practitioners_view_of_their_own_case_is_shown_and_audited,
    |app| {
        let crn = app.case_of("po.demo");
        let session = app.sign_in("po.demo").await;
        let page = app.get(&format!("/cases/{crn}"), Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK);
        let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
        assert!(page.body.contains(&person.last_name));
        let views = app.audit(AuditFilter {
            crn: Some(crn),
            actor: Some("po.demo".into()),
            ..Default::default()
        });
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].outcome, "allowed");
    }
);

#[tokio::test]
async fn unknown_and_malformed_case_references_are_not_found() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/cases/Z999999", Some(&session)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/cases/not-a-crn", Some(&session)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn administrators_cannot_open_case_records() {
    let app = TestApp::sqlite();
    let session = app.sign_in("admin.demo").await;
    let page = app
        .get(
            &format!("/cases/{}", app.case_of("po.demo")),
            Some(&session),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Administrator"));
}

#[tokio::test]
async fn a_head_of_pdu_opens_cases_in_every_team_of_the_pdu() {
    let app = TestApp::sqlite();
    let session = app.sign_in("head.demo").await;
    for owner in ["po.demo", "po.other"] {
        let page = app
            .get(&format!("/cases/{}", app.case_of(owner)), Some(&session))
            .await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "head of PDU opens {owner}'s case"
        );
    }
}

#[tokio::test]
async fn a_senior_officer_opens_unallocated_cases_to_allocate_them_but_not_other_teams_cases() {
    let app = TestApp::sqlite();
    let waiting = app
        .region
        .people
        .iter()
        .find(|p| p.allocations.iter().all(|a| a.end_date.is_some()))
        .expect("an unallocated case");
    let session = app.sign_in("spo.demo").await;
    let page = app
        .get(&format!("/cases/{}", waiting.crn), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not allocated"));
    let other = app
        .get(
            &format!("/cases/{}", app.case_of("po.other")),
            Some(&session),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
}

/// A 404 rolls back the transaction that ended in it; the probe is audited all the same.
#[tokio::test]
async fn asking_for_another_cases_assessment_under_ones_own_case_is_not_found_and_audited() {
    let app = TestApp::sqlite();
    let own = app.case_of("po.demo");
    let other = app.case_of("po.other");
    let (assessment, _) = app.draft_and_check(&other);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{own}/risk/assessments/{assessment}");
    let page = app.get(&path, Some(&session)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let refused = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    let probe = refused
        .iter()
        .find(|r| r.action == "not_found")
        .expect("the probe is audited");
    assert_eq!(probe.crn.as_deref(), Some(own.as_str()));
    assert_eq!(probe.detail, format!("GET {path}"));
}
