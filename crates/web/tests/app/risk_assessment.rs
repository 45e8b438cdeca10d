//! Risk of serious harm assessments through the web: completion is refused until the police and
//! children's-services information is requested, answered and referenced, and every household
//! member considered; the refusal says exactly what is missing.

use crate::support::{today, Session, TestApp};
use axum::http::StatusCode;
use keepsafe_demo::Person;
use keepsafe_domain::age::is_child_on;
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::cases::{record as case_record, tasks as review_tasks};
use keepsafe_storage::risk::{assessments as rosh_assessments, checks};
use keepsafe_storage::testing::Backend;

/// A po.demo case, preferring one with (or without) a child at home.
fn case_for(app: &TestApp, with_child: bool) -> Person {
    let staff = app.staff_id("po.demo");
    let mine = app
        .region
        .people
        .iter()
        .filter(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff)
        })
        .filter(|p| p.events.iter().any(|e| e.active));
    let has_child = |p: &&Person| {
        p.household.iter().any(|h| {
            h.end_date.is_none_or(|end| end > today())
                && h.date_of_birth.is_some_and(|d| is_child_on(d, today()))
        })
    };
    let flagged = |p: &&Person| {
        p.registrations
            .iter()
            .any(|r| r.ended_on.is_none() && r.kind.concerns_children())
    };
    let mut candidates: Vec<&Person> = mine.collect();
    candidates.retain(|p| has_child(p) == with_child && (with_child || !flagged(p)));
    (*candidates.first().expect("a suitable po.demo case")).clone()
}

fn location(page: &crate::support::Page) -> String {
    page.location().unwrap_or_default().to_owned()
}

async fn start(app: &TestApp, session: &Session, crn: &str) -> String {
    let started = app
        .post(&format!("/cases/{crn}/risk/assessments"), session, &[])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    location(&started)
}

fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("a version field") + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

/// The analysis fields, all filled in, with every group given `level`.
fn analysis(level: &'static str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> =
        ["children", "public", "known_adult", "staff", "prisoners"]
            .iter()
            .map(|g| (format!("level-{g}"), level.to_owned()))
            .collect();
    for (field, text) in [
        (
            "nature_of_harm",
            "Physical and emotional harm to a partner.",
        ),
        ("who_is_at_risk", "Current partner."),
        ("imminence", "Not imminent while sober."),
        ("increasing_factors", "Alcohol misuse."),
        ("reducing_factors", "Stable housing and work."),
    ] {
        form.push((field.to_owned(), text.to_owned()));
    }
    form
}

fn considerations(person: &Person) -> Vec<(String, String)> {
    person
        .household
        .iter()
        .filter(|h| h.end_date.is_none_or(|end| end > today()))
        .map(|h| {
            (
                format!("consider-{}", h.id),
                "Considered: no concerns raised.".to_owned(),
            )
        })
        .collect()
}

async fn save(
    app: &TestApp,
    session: &Session,
    path: &str,
    action: &str,
    fields: &[(String, String)],
) -> crate::support::Page {
    let form = app.get(path, Some(session)).await;
    let version = version_in(&form.body);
    let mut pairs: Vec<(&str, &str)> = vec![("version", version.as_str()), ("action", action)];
    pairs.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.post(path, session, &pairs).await
}

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
    completing_without_police_information_is_refused_until_it_is_recorded_and_referenced,
    |app| {
        let person = case_for(&app, false);
        let crn = &person.crn;
        let session = app.sign_in("po.demo").await;
        let path = start(&app, &session, crn).await;
        let mut fields = analysis("medium");
        fields.extend(considerations(&person));

        let refused = save(&app, &session, &path, "complete", &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains(
                "Request a police domestic-abuse check for the person and their current address"
            ),
            "{}",
            refused.body
        );
        assert!(refused
            .body
            .contains("Your changes have been saved, but the assessment cannot be completed yet"));

        let requested = app
            .post(
                &format!("/cases/{crn}/checks"),
                &session,
                &[("kind", "police_domestic_abuse")],
            )
            .await;
        assert_eq!(requested.status, StatusCode::SEE_OTHER);
        let still = save(&app, &session, &path, "complete", &fields).await;
        assert!(
            still
                .body
                .contains("Record the response to the police domestic-abuse check requested on"),
            "{}",
            still.body
        );

        let mut conn = app.db.database.connection().unwrap();
        let case = case_record::locate(&mut conn, crn).unwrap().unwrap();
        let check = checks::for_person(&mut conn, case.person_id)
            .unwrap()
            .remove(0);
        drop(conn);
        let day = today();
        let (d, m, y) = (
            day.format("%d").to_string(),
            day.format("%m").to_string(),
            day.format("%Y").to_string(),
        );
        let recorded = app
            .post(
                &format!("/cases/{crn}/checks/{}/response", check.id),
                &session,
                &[
                    ("received-day", &d),
                    ("received-month", &m),
                    ("received-year", &y),
                    ("known", "yes"),
                    (
                        "summary",
                        "Two call-outs to the address in 2025, no arrests.",
                    ),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);

        let unreferenced = save(&app, &session, &path, "complete", &fields).await;
        assert!(
            unreferenced
                .body
                .contains("Reference the police domestic-abuse check response received on"),
            "{}",
            unreferenced.body
        );

        fields.push((
            format!("reference-{}", check.id),
            "The call-outs show conflict at home; they raise the risk to the partner.".into(),
        ));
        let completed = save(&app, &session, &path, "complete", &fields).await;
        assert_eq!(
            completed.status,
            StatusCode::SEE_OTHER,
            "{}",
            completed.body
        );
        assert_eq!(location(&completed), format!("/cases/{crn}/risk"));

        let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
        assert!(
            record.body.contains("<strong>Medium</strong>"),
            "the case shows the level in force"
        );
        let audited = app.audit(AuditFilter {
            crn: Some(crn.clone()),
            ..Default::default()
        });
        assert!(audited
            .iter()
            .any(|r| r.action == "complete_assessment" && r.detail.starts_with("Medium")));
    }
);

#[tokio::test]
async fn a_child_at_home_requires_the_childrens_services_check_too() {
    let app = TestApp::sqlite();
    let person = case_for(&app, true);
    let crn = &person.crn;
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, crn).await;
    let mut fields = analysis("low");
    fields.extend(considerations(&person));
    let refused = save(&app, &session, &path, "complete", &fields).await;
    assert!(
        refused
            .body
            .contains("services check for the person and their current address"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("lives in the household"));
}

#[tokio::test]
async fn every_household_member_must_be_considered() {
    let app = TestApp::sqlite();
    let staff = app.staff_id("po.demo");
    let person = app
        .region
        .people
        .iter()
        .find(|p| {
            p.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.staff_id == staff)
                && p.household.iter().any(|h| h.end_date.is_none())
        })
        .expect("a po.demo case with a household")
        .clone();
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, &person.crn).await;
    let refused = save(&app, &session, &path, "complete", &analysis("low")).await;
    let member = person
        .household
        .iter()
        .find(|h| h.end_date.is_none())
        .unwrap();
    assert!(
        refused.body.contains(&format!(
            "Consider {} {}",
            member.first_name, member.last_name
        )),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn a_high_assessment_waits_for_the_senior_officers_countersignature() {
    let app = TestApp::sqlite();
    let person = case_for(&app, false);
    let crn = person.crn.clone();
    let session = app.sign_in("po.demo").await;
    let (draft, check) = app.draft_and_check(&crn);
    let path = format!("/cases/{crn}/risk/assessments/{draft}");
    {
        let mut conn = app.db.database.connection().unwrap();
        let response = keepsafe_domain::checks::CheckResponse::parse(
            today(),
            false,
            "Not known to police.",
            today() - chrono::Duration::days(30),
            today(),
        )
        .unwrap();
        checks::record_response(&mut conn, check, &response, app.staff_id("po.demo")).unwrap();
    }
    let mut fields = analysis("high");
    fields.extend(considerations(&person));
    fields.push((
        format!("reference-{check}"),
        "Not known to police: no recorded incidents.".into(),
    ));
    let completed = save(&app, &session, &path, "complete", &fields).await;
    assert_eq!(
        completed.status,
        StatusCode::SEE_OTHER,
        "{}",
        completed.body
    );
    let waiting = app.get(&path, Some(&session)).await;
    assert!(waiting.body.contains("Awaiting countersignature"));
    assert!(
        !waiting.body.contains("Countersign the assessment"),
        "practitioners cannot countersign"
    );
    assert_eq!(
        app.post(&format!("{path}/countersign"), &session, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let senior = app.sign_in("spo.demo").await;
    assert!(app
        .get(&path, Some(&senior))
        .await
        .body
        .contains("Countersign the assessment"));
    let signed = app.post(&format!("{path}/countersign"), &senior, &[]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    let current = rosh_assessments::current(&mut conn, case.person_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        current.countersigned_by.as_deref().map(|n| !n.is_empty()),
        Some(true)
    );
}

#[tokio::test]
async fn a_senior_officer_may_authorise_completion_without_an_overdue_response_and_the_case_shows_the_open_risk(
) {
    let app = TestApp::sqlite();
    let person = case_for(&app, false);
    let crn = person.crn.clone();
    let (draft, check) = app.draft_and_check(&crn);
    let senior = app.sign_in("spo.demo").await;
    let blank = app
        .post(
            &format!("/cases/{crn}/checks/{check}/authorise"),
            &senior,
            &[("reason", "")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("Reason: enter some text"));
    let authorised = app
        .post(
            &format!("/cases/{crn}/checks/{check}/authorise"),
            &senior,
            &[("reason", "Chased twice; sentencing cannot wait.")],
        )
        .await;
    assert_eq!(
        authorised.status,
        StatusCode::SEE_OTHER,
        "{}",
        authorised.body
    );

    let session = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/risk/assessments/{draft}");
    let mut fields = analysis("medium");
    fields.extend(considerations(&person));
    let completed = save(&app, &session, &path, "complete", &fields).await;
    assert_eq!(
        completed.status,
        StatusCode::SEE_OTHER,
        "{}",
        completed.body
    );
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(
        record.body.contains("Assessed without police information"),
        "the open risk shows"
    );
}

#[tokio::test]
async fn authorising_before_the_deadline_is_refused() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let practitioner = app.sign_in("po.demo").await;
    app.post(
        &format!("/cases/{crn}/checks"),
        &practitioner,
        &[("kind", "police_domestic_abuse")],
    )
    .await;
    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    let check = checks::for_person(&mut conn, case.person_id)
        .unwrap()
        .remove(0);
    drop(conn);
    let senior = app.sign_in("spo.demo").await;
    let page = app
        .post(
            &format!("/cases/{crn}/checks/{}/authorise", check.id),
            &senior,
            &[("reason", "In a hurry")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("only after the deadline has passed"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn two_people_saving_the_same_version_the_second_is_told_and_loses_nothing_silently() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, &crn).await;
    let version = version_in(&app.get(&path, Some(&session)).await.body);
    let first = app
        .post(
            &path,
            &session,
            &[
                ("version", &version),
                ("action", "save"),
                ("nature_of_harm", "First writer"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let second = app
        .post(
            &path,
            &session,
            &[
                ("version", &version),
                ("action", "save"),
                ("nature_of_harm", "Second writer"),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second
        .body
        .contains("Someone else saved this assessment after you opened it"));
    assert!(app
        .get(&path, Some(&session))
        .await
        .body
        .contains("First writer"));
}

#[tokio::test]
async fn oversized_text_is_refused_and_nothing_is_saved() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, &crn).await;
    let version = version_in(&app.get(&path, Some(&session)).await.body);
    let huge = "x".repeat(10_001);
    let page = app
        .post(
            &path,
            &session,
            &[
                ("version", &version),
                ("action", "save"),
                ("imminence", &huge),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("Imminence must be 10000 characters or fewer (it is 10001)"));
    assert_eq!(
        version_in(&app.get(&path, Some(&session)).await.body),
        version,
        "nothing was saved"
    );
}

#[tokio::test]
async fn a_change_in_circumstances_creates_a_review_that_shows_when_overdue() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let session = app.sign_in("po.demo").await;
    let invalid = app
        .post(
            &format!("/cases/{crn}/changes"),
            &session,
            &[
                ("trigger", "arrest_or_charge"),
                ("occurred-day", "30"),
                ("occurred-month", "2"),
                ("occurred-year", "2026"),
                ("details", "Moved"),
            ],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("must be a real date"));
    let month_ago = today() - chrono::Duration::days(30);
    let (d, m, y) = (
        month_ago.format("%d").to_string(),
        month_ago.format("%m").to_string(),
        month_ago.format("%Y").to_string(),
    );
    let recorded = app
        .post(
            &format!("/cases/{crn}/changes"),
            &session,
            &[
                ("trigger", "domestic_abuse_incident"),
                ("occurred-day", &d),
                ("occurred-month", &m),
                ("occurred-year", &y),
                ("details", "Police attended after an argument."),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let mut conn = app.db.database.connection().unwrap();
    let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    let tasks = review_tasks::for_person(&mut conn, case.person_id).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(
        tasks[0].due_on,
        keepsafe_domain::calendar::add_working_days(month_ago, 5)
    );
    drop(conn);
    let mine = app.get("/tasks", Some(&session)).await;
    assert!(mine.body.contains("data-testid=\"overdue-tasks\"") && mine.body.contains(&crn));
    let senior = app.sign_in("spo.demo").await;
    assert!(
        app.get("/tasks", Some(&senior)).await.body.contains(&crn),
        "the senior officer sees it too"
    );
    let head = app.sign_in("head.demo").await;
    assert!(
        app.get("/tasks", Some(&head)).await.body.contains(&crn),
        "the head of PDU sees it too"
    );
    let record = app.get(&format!("/cases/{crn}"), Some(&session)).await;
    assert!(record.body.contains("1 overdue"));
}

#[tokio::test]
async fn read_only_roles_see_no_buttons_to_change_the_risk_picture() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let vlo = app.sign_in("vlo.demo").await;
    let page = app.get(&format!("/cases/{crn}/risk"), Some(&vlo)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Start a new assessment"));
    assert!(!page.body.contains("Record the request"));
}
