//! The tier and OGRS3 pages and the OGRS3 JSON API: computed values shown with their working and
//! rule versions, refusals audited, and the API answering as the CLI does.

use crate::support::{Page, Session, TestApp};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use keepsafe_domain::predictors::ogrs3::RULE_VERSION;
use keepsafe_domain::tiering::{LEGACY_TIERING_RULE_VERSION, SINGLE_TIERING_RULE_VERSION};
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::risk::scores::{self as risk_scores, RiskScores};
use serde_json::{json, Value};

/// A case of po.demo's whose main event has an OGRS3 score, with its stored scores.
fn scored_case_of_po_demo(app: &TestApp) -> (String, RiskScores) {
    let staff_id = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    app.region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff_id)
        })
        .find_map(|p| {
            let scores = risk_scores::for_person(&mut conn, p.id).unwrap();
            let scored = scores.ogrs3.first().is_some_and(|s| s.error.is_none());
            scored.then(|| (p.crn.clone(), scores))
        })
        .expect("po.demo holds a case with an OGRS3 score")
}

async fn post_json(app: &TestApp, body: &Value, session: Option<&Session>) -> Page {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/predictors/ogrs3")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(session) = session {
        request = request
            .header(
                header::COOKIE,
                format!("keepsafe_session={}", session.cookie),
            )
            .header("x-csrf-token", &session.csrf);
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

fn worked_example_1() -> Value {
    json!({
        "sex": "male",
        "date_of_birth": "1965-12-07",
        "conviction_date": "2025-05-13",
        "followup_start_date": "2026-12-12",
        "total_sanctions": 2,
        "age_at_first_sanction": 47,
        "offence_category": "soliciting"
    })
}

#[tokio::test]
async fn the_tier_page_shows_the_computed_tiers_every_factor_and_the_rule_versions() {
    let app = TestApp::sqlite();
    let (crn, scores) = scored_case_of_po_demo(&app);
    let tier = scores.tier.expect("a computed tier");
    let session = app.sign_in("po.demo").await;
    let page = app.get(&format!("/cases/{crn}/tier"), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("data-testid=\"legacy-tier\">{}<", tier.legacy)),
        "{}",
        page.body
    );
    assert!(page.body.contains(LEGACY_TIERING_RULE_VERSION));
    assert!(page.body.contains(SINGLE_TIERING_RULE_VERSION));
    // keepsafe computes no ARP or CSRP yet, so the single tier says what to record.
    assert!(page
        .body
        .contains("Not computed: Record the all-reoffending predictor"));
    for factor in &tier.factors {
        assert!(
            page.body.contains(&factor.effect.replace('\'', "&#39;")),
            "{}",
            factor.effect
        );
    }
    assert!(page.body.contains("What keepsafe does not hold yet"));

    let views = app.audit(AuditFilter {
        crn: Some(crn),
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(views
        .iter()
        .any(|v| v.action == "view_tier" && v.outcome == "allowed"));
}

#[tokio::test]
async fn the_ogrs3_page_shows_each_score_with_its_inputs_working_and_rule_version() {
    let app = TestApp::sqlite();
    let (crn, scores) = scored_case_of_po_demo(&app);
    let score = &scores.ogrs3[0];
    let session = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/ogrs3"), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(RULE_VERSION), "{}", page.body);
    assert!(page.body.contains(&format!("{}%", score.one_year.unwrap())));
    assert!(page.body.contains(&format!("{}%", score.two_year.unwrap())));
    assert!(page.body.contains(&score.band.unwrap().to_string()));
    assert!(page.body.contains("Age at first sanction"));
    let y = score
        .explanation
        .iter()
        .find(|line| line.starts_with("y = "))
        .expect("the working includes y");
    assert!(page.body.contains(y.as_str()));
    assert_eq!(
        page.body.matches("data-testid=\"ogrs3-event\"").count(),
        scores.ogrs3.len()
    );
}

#[tokio::test]
async fn a_practitioner_from_another_team_is_refused_both_pages_and_the_refusals_are_audited() {
    let app = TestApp::sqlite();
    let (crn, _) = scored_case_of_po_demo(&app);
    let person = app.region.people.iter().find(|p| p.crn == crn).unwrap();
    let session = app.sign_in("po.other").await;
    for (path, purpose) in [("tier", "view_tier"), ("ogrs3", "view_ogrs3")] {
        let page = app
            .get(&format!("/cases/{crn}/{path}"), Some(&session))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!page.body.contains(&person.last_name), "no personal data");
        let refusals = app.audit(AuditFilter {
            crn: Some(crn.clone()),
            actor: Some("po.other".into()),
            outcome: Some(Outcome::Refused),
        });
        assert!(
            refusals
                .iter()
                .any(|r| r.action == purpose && r.detail == "case_outside_team"),
            "the refusal of {path} is audited"
        );
    }
}

#[tokio::test]
async fn the_api_scores_the_first_worked_example_as_the_cli_does() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let page = post_json(&app, &worked_example_1(), Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let answer: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(
        answer,
        json!({"one_year": 8, "two_year": 16, "band": "low", "rule_version": RULE_VERSION})
    );
}

#[tokio::test]
async fn the_api_names_the_field_it_cannot_use() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;

    let mut bad_date = worked_example_1();
    bad_date["date_of_birth"] = json!("1965-02-30");
    let page = post_json(&app, &bad_date, Some(&session)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(answer["field"], "date_of_birth");
    assert_eq!(
        answer["error"],
        "date_of_birth (1965-02-30) is not a real date"
    );

    let mut too_young = worked_example_1();
    too_young["age_at_first_sanction"] = json!(9);
    let page = post_json(&app, &too_young, Some(&session)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(answer["field"], "age_at_first_sanction");

    let page = post_json(&app, &json!([1, 2]), Some(&session)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(answer["field"], Value::Null);
    assert_eq!(
        answer["error"],
        "the request body must be a JSON object, not a list"
    );
}

#[tokio::test]
async fn the_api_needs_a_session_and_its_csrf_token() {
    let app = TestApp::sqlite();
    let anonymous = post_json(&app, &worked_example_1(), None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous
        .location()
        .unwrap_or_default()
        .starts_with("/sign-in"));

    let session = app.sign_in("po.demo").await;
    let without_token = Session {
        csrf: "not-the-token".into(),
        ..session
    };
    let forged = post_json(&app, &worked_example_1(), Some(&without_token)).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
