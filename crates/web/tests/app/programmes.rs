//! Programmes and interventions: a referral made under the case's accredited programme
//! requirement, assessed, started, its sessions recorded in the contact log (an unacceptable
//! failure going on to enforcement) and ended; each bad input refused with the field named and
//! nothing written; a requirement with no programme started in time flagged on the case, the
//! dashboard and /tasks; the dashboard's waits, starts and rates; and who may do what.

use crate::record_details::error_fields;
use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use keepsafe_domain::programmes::ReferralStatus;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::programmes::referrals::{self, ReferralRecord};
use keepsafe_test_support::clock;
use keepsafe_test_support::programmes::{programme_case, referral, Reached};
use uuid::Uuid;

/// po.demo's case made a community case with one accredited programme requirement that began on
/// `began_on`: (CRN, person, requirement).
fn case_with_requirement(app: &TestApp, began_on: NaiveDate) -> (String, Uuid, Uuid) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    let (_, requirement) = programme_case(&mut conn, person, began_on);
    (crn, person, requirement)
}

/// A referral on po.demo's case taken to `reached`: (CRN, person, referral).
fn case_with_referral(
    app: &TestApp,
    referred_on: NaiveDate,
    reached: Reached,
) -> (String, Uuid, Uuid) {
    let (crn, person, requirement) = case_with_requirement(app, referred_on - Duration::days(10));
    let mut conn = app.db.database.connection().unwrap();
    let id = referral(
        &mut conn,
        person,
        requirement,
        referred_on,
        reached,
        app.staff_id("po.demo"),
    );
    (crn, person, id)
}

/// Fills `{programme_referral}` and `{programme_step}` for the route walk: a started referral on
/// po.demo's case, and its session step.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{programme_referral}") {
        return path.to_owned();
    }
    let (_, _, id) =
        case_with_referral(app, clock::today() - Duration::days(120), Reached::Started);
    path.replace("{programme_referral}", &id.to_string())
        .replace("{programme_step}", "session")
}

fn date_fields(name: &str, day: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), day.day().to_string()),
        (format!("{name}-month"), day.month().to_string()),
        (format!("{name}-year"), day.year().to_string()),
    ]
}

async fn post(
    app: &TestApp,
    session: &Session,
    path: &str,
    fields: &[(String, String)],
) -> crate::support::Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(path, session, &form).await
}

fn stored(app: &TestApp, person: Uuid, id: Uuid) -> ReferralRecord {
    let mut conn = app.db.database.connection().unwrap();
    referrals::find(&mut conn, person, id).unwrap()
}

fn refused_with(page: &crate::support::Page, fields: &[&str]) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert_eq!(error_fields(page), fields, "{}", page.body);
}

#[tokio::test]
async fn a_referral_made_under_the_requirement_shows_on_the_case_and_is_audited() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, requirement) = case_with_requirement(&app, today - Duration::weeks(4));
    let session = app.sign_in("po.demo").await;
    let form = app
        .get(&format!("/cases/{crn}/programmes/new"), Some(&session))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("Building Better Relationships"),
        "the catalogue is offered"
    );
    let mut fields = date_fields("referred", today - Duration::days(3));
    fields.push(("programme".into(), "tsp".into()));
    fields.push(("requirement".into(), requirement.to_string()));
    let saved = post(
        &app,
        &session,
        &format!("/cases/{crn}/programmes/new"),
        &fields,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some(format!("/cases/{crn}/programmes?done=referred").as_str())
    );
    let mut conn = app.db.database.connection().unwrap();
    let made = referrals::for_person(&mut conn, person).unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].status, ReferralStatus::AwaitingAssessment);
    assert_eq!(made[0].requirement_id, Some(requirement));
    let page = app
        .get(
            &format!("/cases/{crn}/programmes?done=referred"),
            Some(&session),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The referral has been made."));
    assert!(page.body.contains("Thinking Skills Programme"));
    assert!(page.body.contains("Waiting for a suitability assessment"));
    let rows = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        ..Default::default()
    });
    assert!(rows
        .iter()
        .any(|r| r.action == "refer_to_programme" && r.outcome == "allowed"));
    assert!(rows.iter().any(|r| r.action == "view_programmes"));
}

#[tokio::test]
async fn a_referral_without_a_programme_or_dated_in_the_future_or_before_its_requirement_is_refused_and_nothing_written(
) {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, requirement) = case_with_requirement(&app, today - Duration::weeks(4));
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/new");
    let mut fields = date_fields("referred", today + Duration::days(1));
    fields.push(("requirement".into(), requirement.to_string()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["programme", "referred-day"]);
    assert!(page.body.contains("must be today or in the past"));
    let mut fields = date_fields("referred", today - Duration::weeks(5));
    fields.push(("programme".into(), "tsp".into()));
    fields.push(("requirement".into(), requirement.to_string()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["referred-day"]);
    assert!(page.body.contains("on or after the requirement began"));
    let mut conn = app.db.database.connection().unwrap();
    assert!(referrals::for_person(&mut conn, person).unwrap().is_empty());
}

#[tokio::test]
async fn not_suitable_without_the_reason_is_refused_and_with_it_is_recorded() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(30), Reached::Referred);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/assessment");
    assert_eq!(app.get(&path, Some(&session)).await.status, StatusCode::OK);
    let mut fields = date_fields("assessed", today - Duration::days(2));
    fields.push(("suitable".into(), "no".into()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["reason"]);
    assert_eq!(
        stored(&app, person, id).status,
        ReferralStatus::AwaitingAssessment
    );
    fields.push(("reason".into(), "Denies the offence entirely".into()));
    let page = post(&app, &session, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = stored(&app, person, id);
    assert_eq!(record.status, ReferralStatus::NotSuitable);
    assert_eq!(record.suitability_reason, "Denies the offence entirely");
}

#[tokio::test]
async fn a_start_before_the_referral_is_refused_with_the_field_named_and_nothing_written() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let referred_on = today - Duration::days(60);
    let (crn, person, id) = case_with_referral(&app, referred_on, Reached::Suitable);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/start");
    let fields = date_fields("started", referred_on - Duration::days(1));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["started-day"]);
    assert!(
        page.body.contains("on or after the referral"),
        "{}",
        page.body
    );
    assert_eq!(stored(&app, person, id).status, ReferralStatus::Suitable);
    let mut fields = date_fields("started", today - Duration::days(1));
    fields.push(("cohort".into(), "Saturday group".into()));
    let page = post(&app, &session, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = stored(&app, person, id);
    assert_eq!(record.status, ReferralStatus::Started);
    assert_eq!(record.cohort.as_deref(), Some("Saturday group"));
}

#[tokio::test]
async fn a_completion_before_the_start_is_refused_with_the_field_named_and_nothing_written() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let referred_on = today - Duration::days(200);
    let (crn, person, id) = case_with_referral(&app, referred_on, Reached::Started);
    let started_on = referred_on + Duration::days(42);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/end");
    let mut fields = date_fields("ended", started_on - Duration::days(1));
    fields.push(("completed".into(), "yes".into()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["ended-day"]);
    assert!(
        page.body.contains("must be on or after it started"),
        "{}",
        page.body
    );
    let record = stored(&app, person, id);
    assert_eq!(record.status, ReferralStatus::Started);
    assert_eq!(record.ended_on, None);
}

#[tokio::test]
async fn completing_a_programme_never_started_is_refused() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(90), Reached::Suitable);
    let session = app.sign_in("po.demo").await;
    let mut fields = date_fields("ended", today - Duration::days(1));
    fields.push(("completed".into(), "yes".into()));
    let page = post(
        &app,
        &session,
        &format!("/cases/{crn}/programmes/{id}/end"),
        &fields,
    )
    .await;
    refused_with(&page, &["completed"]);
    assert!(page.body.contains("it has not started"), "{}", page.body);
    assert_eq!(stored(&app, person, id).status, ReferralStatus::Suitable);
}

#[tokio::test]
async fn a_non_completion_needs_its_reason_and_is_then_recorded_with_it() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(200), Reached::Started);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/end");
    let mut fields = date_fields("ended", today - Duration::days(1));
    fields.push(("completed".into(), "no".into()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["reason"]);
    assert_eq!(stored(&app, person, id).status, ReferralStatus::Started);
    fields.push(("reason".into(), "other".into()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["detail"]);
    fields.push(("detail".into(), "Started full-time night work".into()));
    let page = post(&app, &session, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = stored(&app, person, id);
    assert_eq!(record.status, ReferralStatus::NotCompleted);
    assert_eq!(record.end_detail, "Started full-time night work");
    let shown = app
        .get(&format!("/cases/{crn}/programmes"), Some(&session))
        .await;
    assert!(shown.body.contains("Not completed"), "{}", shown.body);
    assert!(shown
        .body
        .contains("Another reason (Started full-time night work)"));
}

#[tokio::test]
async fn a_session_is_recorded_in_the_contact_log_once() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(100), Reached::Started);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/session");
    let form = app.get(&path, Some(&session)).await;
    assert_eq!(form.status, StatusCode::OK);
    let mut fields = date_fields("held", today - Duration::days(2));
    fields.push(("number".into(), "1".into()));
    fields.push(("outcome".into(), "attended".into()));
    let page = post(&app, &session, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = stored(&app, person, id);
    assert_eq!(record.sessions.len(), 1);
    assert_eq!(record.attended(), 1);
    let log = app
        .get(&format!("/cases/{crn}/contacts"), Some(&session))
        .await;
    assert!(
        log.body.contains("Programme session"),
        "the session is in the contact log"
    );
    let again = post(&app, &session, &path, &fields).await;
    refused_with(&again, &["number"]);
    assert!(again.body.contains("Session 1 has already been recorded"));
    assert_eq!(stored(&app, person, id).sessions.len(), 1);
}

#[tokio::test]
async fn an_unacceptable_failure_to_attend_a_session_goes_on_to_enforcement() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(100), Reached::Started);
    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/programmes/{id}/session");
    let mut fields = date_fields("held", today - Duration::days(1));
    fields.push(("number".into(), "2".into()));
    fields.push(("outcome".into(), "failed_to_attend".into()));
    let page = post(&app, &session, &path, &fields).await;
    refused_with(&page, &["judgement"]);
    fields.push(("judgement".into(), "unacceptable".into()));
    let page = post(&app, &session, &path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = stored(&app, person, id);
    let contact = record.sessions[0].contact_id;
    let mut conn = app.db.database.connection().unwrap();
    let warnings = keepsafe_storage::supervision::enforcement::warnings(&mut conn, person).unwrap();
    assert!(
        warnings.iter().any(|w| w.contact_id == contact),
        "a warning for the missed session: {warnings:?}"
    );
}

#[tokio::test]
async fn a_requirement_with_no_programme_started_in_twelve_weeks_is_flagged_on_the_case_the_dashboard_and_tasks(
) {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, _, _) = case_with_requirement(&app, today - Duration::weeks(13));
    let session = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/programmes"), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"not-started-flag\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("within 12 weeks (keepsafe"));
    let tasks = app.get("/tasks", Some(&session)).await;
    assert!(
        tasks
            .body
            .contains(&format!("/cases/{crn}/programmes#requirements")),
        "on /tasks"
    );
    let spo = app.sign_in("spo.demo").await;
    let dashboard = app.get("/programmes", Some(&spo)).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains(&format!("data-testid=\"late-row\" data-crn=\"{crn}\"")),
        "on the dashboard"
    );
}

#[tokio::test]
async fn a_requirement_whose_programme_started_in_time_is_not_flagged() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, _, _) = case_with_referral(&app, today - Duration::weeks(20), Reached::Started);
    let session = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/programmes"), Some(&session))
        .await;
    assert!(
        !page.body.contains("data-testid=\"not-started-flag\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Programme started"));
}

#[tokio::test]
async fn the_dashboard_shows_waits_starts_and_completion_rates_with_charts_and_the_longest_waiting()
{
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, _, _) = case_with_referral(&app, today - Duration::days(400), Reached::Suitable);
    for grade in ["spo.demo", "head.demo", "quality.demo"] {
        let session = app.sign_in(grade).await;
        let page = app.get("/programmes", Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK, "{grade}");
        for testid in [
            "waiting-times",
            "waits-worked-out",
            "rates-worked-out",
            "late-worked-out",
        ] {
            assert!(page.body.contains(testid), "{grade}: {testid}");
        }
        assert!(
            page.body.contains("<desc id=\"waits-desc\">"),
            "{grade}: a text alternative"
        );
        assert!(page.body.contains("data-testid=\"waits-table\""));
        let first = page
            .body
            .split("data-testid=\"waiting-row\"")
            .nth(1)
            .expect("someone is waiting");
        assert!(
            first.contains(&format!("data-crn=\"{crn}\"")),
            "{grade}: the longest waiting leads"
        );
    }
    let rows = app.audit(AuditFilter {
        actor: None,
        ..Default::default()
    });
    assert!(rows.iter().any(|r| r.action == "view_programmes_dashboard"));
}

#[tokio::test]
async fn the_catalogue_says_who_each_programme_is_for() {
    let app = TestApp::sqlite();
    let session = app.sign_in("po.demo").await;
    let page = app.get("/programmes/catalogue", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    for name in [
        "Building Better Relationships",
        "Thinking Skills Programme",
        "Horizon",
        "Kaizen",
        "Becoming New Me+",
        "New Me Strengths",
        "Resolve",
        "Building Choices",
        "Emotional management",
        "Domestic abuse awareness",
        "Dependency and recovery",
    ] {
        assert!(page.body.contains(name), "{name}");
    }
    assert_eq!(
        page.body.matches("data-testid=\"programme-entry\"").count(),
        12
    );
}

#[tokio::test]
async fn practitioners_administrators_and_partners_may_not_see_the_dashboard() {
    let app = TestApp::sqlite();
    for username in ["po.demo", "admin.demo", "vlo.demo"] {
        let session = app.sign_in(username).await;
        let page = app.get("/programmes", Some(&session)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{username}");
    }
    let police = app.sign_in("police.demo").await;
    let page = app.get("/programmes", Some(&police)).await;
    assert_ne!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn a_practitioner_of_another_pdu_may_not_see_or_refer_and_is_audited() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, id) = case_with_referral(&app, today - Duration::days(60), Reached::Suitable);
    let outsider = crate::predictors::practitioner_of_another_pdu(&app).await;
    for path in [
        format!("/cases/{crn}/programmes"),
        format!("/cases/{crn}/programmes/new"),
        format!("/cases/{crn}/programmes/{id}/start"),
    ] {
        assert_eq!(
            app.get(&path, Some(&outsider)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let fields = date_fields("started", today - Duration::days(1));
    let page = post(
        &app,
        &outsider,
        &format!("/cases/{crn}/programmes/{id}/start"),
        &fields,
    )
    .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(stored(&app, person, id).status, ReferralStatus::Suitable);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.elsewhere".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals
        .iter()
        .any(|r| r.action == "view_programmes" && r.detail == "outside_pdu"));
    assert!(refusals
        .iter()
        .any(|r| r.action == "record_programme_step" && r.detail == "outside_pdu"));
}

#[tokio::test]
async fn victim_liaison_and_partners_may_not_refer() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, requirement) = case_with_requirement(&app, today - Duration::weeks(4));
    let mut fields = date_fields("referred", today);
    fields.push(("programme".into(), "tsp".into()));
    fields.push(("requirement".into(), requirement.to_string()));
    for username in ["vlo.demo", "police.demo"] {
        let session = app.sign_in(username).await;
        let page = post(
            &app,
            &session,
            &format!("/cases/{crn}/programmes/new"),
            &fields,
        )
        .await;
        assert_ne!(page.status, StatusCode::SEE_OTHER, "{username}");
        assert!(page.status.is_client_error(), "{username}: {}", page.status);
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(referrals::for_person(&mut conn, person).unwrap().is_empty());
}
