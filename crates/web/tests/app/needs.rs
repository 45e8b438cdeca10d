//! Needs assessments through the web: started, saved as a draft with everything kept, completed
//! only when every section and question is answered; bad values refused with the field named;
//! the tier's change level reading the valid assessment, and falling back to 2 when it expires;
//! OGP worked out from it; and another team's practitioner kept out.

use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::needs::{Question, Section, Severity};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::testing::Backend;
use keepsafe_test_support::{enforcement, needs as fixtures};
use uuid::Uuid;

/// po.demo's case, made a licence case (a custodial sentence, so a mandate for change).
fn case_with_mandate_for_change(app: &TestApp) -> (String, Uuid) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = keepsafe_storage::cases::record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    enforcement::make_case(&mut conn, person, CaseType::Licence);
    keepsafe_storage::risk::scores::recompute(
        &mut conn,
        &[person],
        keepsafe_test_support::clock::today(),
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    (crn, person)
}

async fn start(app: &TestApp, session: &Session, crn: &str) -> String {
    let started = app.post(&format!("/cases/{crn}/needs"), session, &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    started.location().unwrap().to_owned()
}

fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).expect("a version field") + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

/// Every field of the form answered: each section at `severity`, every question `answer`.
fn answered(severity: Severity, answer: u8) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for section in Section::ALL {
        let code = section.code();
        form.push((
            format!("evidence-{code}"),
            format!("What I found about {}.", section.label().to_lowercase()),
        ));
        form.push((format!("severity-{code}"), severity.score().to_string()));
        form.push((format!("harm-{code}"), "no".to_owned()));
        form.push((format!("reoffending-{code}"), "yes".to_owned()));
    }
    for question in Question::ALL {
        form.push((
            format!("answer-{}", question.code()),
            answer.min(question.kind().max()).to_string(),
        ));
    }
    form
}

async fn submit(
    app: &TestApp,
    session: &Session,
    path: &str,
    action: &str,
    fields: &[(String, String)],
) -> crate::support::Page {
    let form = app.get(path, Some(session)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let version = version_in(&form.body);
    let mut pairs: Vec<(&str, &str)> = vec![("version", version.as_str()), ("action", action)];
    pairs.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.post(path, session, &pairs).await
}

async fn legacy_tier(app: &TestApp, session: &Session, crn: &str) -> (String, String) {
    let page = app.get(&format!("/cases/{crn}/tier"), Some(session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let marker = "data-testid=\"legacy-tier\">";
    let at = page.body.find(marker).expect("a legacy tier") + marker.len();
    let tier = page.body[at..at + 2].to_owned();
    (tier, page.body)
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
    a_needs_assessment_is_started_saved_as_a_draft_and_completed,
    |app| {
        let (crn, _) = case_with_mandate_for_change(&app);
        let session = app.sign_in("po.demo").await;
        let overview = app
            .get(&format!("/cases/{crn}/needs"), Some(&session))
            .await;
        assert!(
            overview
                .body
                .contains("data-testid=\"no-needs-assessment\""),
            "{}",
            overview.body
        );
        let path = start(&app, &session, &crn).await;

        let draft = vec![(
            "evidence-accommodation".to_owned(),
            "Lives with his sister; the tenancy is hers.".to_owned(),
        )];
        let saved = submit(&app, &session, &path, "save", &draft).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert!(saved.body.contains("Your changes have been saved."));
        let again = app.get(&path, Some(&session)).await;
        assert!(
            again
                .body
                .contains("Lives with his sister; the tenancy is hers."),
            "a saved draft keeps what was typed"
        );
        assert!(again.body.contains("In progress"), "the section is started");

        let done = submit(
            &app,
            &session,
            &path,
            "complete",
            &answered(Severity::Standard, 1),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(
            done.location(),
            Some(format!("/cases/{crn}/needs").as_str())
        );

        let overview = app
            .get(&format!("/cases/{crn}/needs"), Some(&session))
            .await;
        assert!(
            overview
                .body
                .contains("Counts for the tier until 1 December 2027"),
            "{}",
            overview.body
        );
        let view = app.get(&path, Some(&session)).await;
        assert!(view.body.contains("Completed"), "{}", view.body);
        assert!(!view.body.contains("Save and continue later"), "read-only");

        let completions = app.audit(AuditFilter {
            crn: Some(crn.clone()),
            ..Default::default()
        });
        assert!(completions
            .iter()
            .any(|r| r.action == "complete_needs_assessment" && r.outcome == "allowed"));
        assert!(completions
            .iter()
            .any(|r| r.action == "view_needs" && r.outcome == "allowed"));

        let ogp = app.get(&format!("/cases/{crn}/ogp"), Some(&session)).await;
        assert_eq!(ogp.status, StatusCode::OK);
        assert!(
            ogp.body.contains("data-testid=\"ogp-score\""),
            "{}",
            ogp.body
        );
    }
);

#[tokio::test]
async fn completing_a_needs_assessment_with_a_section_unanswered_is_refused_naming_it() {
    let app = TestApp::sqlite();
    let (crn, _) = case_with_mandate_for_change(&app);
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, &crn).await;
    let mut fields = answered(Severity::Standard, 1);
    fields.retain(|(field, _)| !field.ends_with("-finance"));

    let refused = submit(&app, &session, &path, "complete", &fields).await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Finance: give the evidence for this section"));
    assert!(refused.body.contains("href=\"#evidence-finance\""));
    assert!(refused
        .body
        .contains("Finance: choose how severe the need is"));
    assert!(refused.body.contains("href=\"#severity-finance\""));
    assert!(
        !refused.body.contains("href=\"#evidence-accommodation\""),
        "only the gaps are listed"
    );
    assert!(
        refused.body.contains("What I found about accommodation."),
        "the rest is kept and saved"
    );
    let overview = app
        .get(&format!("/cases/{crn}/needs"), Some(&session))
        .await;
    assert!(overview.body.contains("Continue the needs assessment"));
}

#[tokio::test]
async fn a_severity_outside_0_to_2_is_refused_with_the_field_named() {
    let app = TestApp::sqlite();
    let (crn, _) = case_with_mandate_for_change(&app);
    let session = app.sign_in("po.demo").await;
    let path = start(&app, &session, &crn).await;
    let fields = vec![
        ("severity-accommodation".to_owned(), "3".to_owned()),
        (
            "evidence-accommodation".to_owned(),
            "Sofa-surfing for a month.".to_owned(),
        ),
    ];

    let refused = submit(&app, &session, &path, "save", &fields).await;

    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#severity-accommodation\""));
    assert!(refused.body.contains(
        "Accommodation: the severity must be 0 (no need), 1 (standard) or 2 (severe), not “3”"
    ));
    assert!(
        refused.body.contains("Sofa-surfing for a month."),
        "what was typed is kept"
    );
    let again = app.get(&path, Some(&session)).await;
    assert!(
        !again.body.contains("Sofa-surfing for a month."),
        "nothing was saved"
    );
}

#[tokio::test]
async fn another_teams_practitioner_cannot_open_or_start_a_needs_assessment() {
    let app = TestApp::sqlite();
    let (crn, _) = case_with_mandate_for_change(&app);
    let outsider = app.sign_in("po.other").await;

    let page = app
        .get(&format!("/cases/{crn}/needs"), Some(&outsider))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let started = app
        .post(&format!("/cases/{crn}/needs"), &outsider, &[])
        .await;
    assert_eq!(started.status, StatusCode::FORBIDDEN);
    let ogp = app.get(&format!("/cases/{crn}/ogp"), Some(&outsider)).await;
    assert_eq!(ogp.status, StatusCode::FORBIDDEN);

    let refusals = app.audit(AuditFilter {
        crn: Some(crn),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    let actions: Vec<&str> = refusals.iter().map(|r| r.action.as_str()).collect();
    assert!(actions.contains(&"view_needs"), "{actions:?}");
    assert!(actions.contains(&"start_needs_assessment"), "{actions:?}");
    assert!(actions.contains(&"view_ogp"), "{actions:?}");
}

on_both_backends!(
    completing_an_assessment_of_severe_needs_puts_a_case_with_a_mandate_for_change_at_change_level_3,
    |app| {
        let (crn, _) = case_with_mandate_for_change(&app);
        let session = app.sign_in("po.demo").await;
        let (before, _) = legacy_tier(&app, &session, &crn).await;
        assert!(before.ends_with('2'), "no needs assessment yet: {before}");

        let path = start(&app, &session, &crn).await;
        let done = submit(
            &app,
            &session,
            &path,
            "complete",
            &answered(Severity::Severe, 2),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

        let (after, body) = legacy_tier(&app, &session, &crn).await;
        assert!(after.ends_with('3'), "severe needs: {after}");
        assert!(
            body.contains("Needs assessment: completed on 2 December 2026, valid for tiering until 1 December 2027"),
            "{body}"
        );
    }
);

#[tokio::test]
async fn an_expired_needs_assessment_puts_the_change_level_back_to_2_and_the_tier_says_so() {
    let app = TestApp::sqlite();
    let (crn, person) = case_with_mandate_for_change(&app);
    let by = app.staff_id("po.demo");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::completed(
            &mut conn,
            person,
            by,
            &fixtures::content(Severity::Severe, 2),
        )
        .unwrap();
    }
    let session = app.sign_in("po.demo").await;
    let (valid, _) = legacy_tier(&app, &session, &crn).await;
    assert!(valid.ends_with('3'), "{valid}");

    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::expire(&mut conn, person).unwrap();
    }

    let (expired, body) = legacy_tier(&app, &session, &crn).await;
    assert!(expired.ends_with('2'), "{expired}");
    assert!(
        body.contains("completed on 1 December 2025, expired on 1 December 2026"),
        "{body}"
    );
    let overview = app
        .get(&format!("/cases/{crn}/needs"), Some(&session))
        .await;
    assert!(
        overview.body.contains("Expired on 1 December 2026"),
        "{}",
        overview.body
    );
    let ogp = app.get(&format!("/cases/{crn}/ogp"), Some(&session)).await;
    assert!(
        ogp.body.contains("data-testid=\"ogp-not-computed\""),
        "no OGP without a valid assessment"
    );
}

#[tokio::test]
async fn a_needs_review_asked_for_by_a_change_is_on_the_practitioners_tasks_and_not_another_teams()
{
    let app = TestApp::sqlite();
    let (crn, person) = case_with_mandate_for_change(&app);
    let by = app.staff_id("po.demo");
    {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::completed(
            &mut conn,
            person,
            by,
            &fixtures::content(Severity::Standard, 1),
        )
        .unwrap();
        keepsafe_storage::needs::reviews::ask_for_review(
            &mut conn,
            person,
            keepsafe_domain::review::ReviewTrigger::AddressChange,
            keepsafe_test_support::clock::today(),
            "Moved to 4 Mill Lane",
            by,
            keepsafe_test_support::clock::now(),
        )
        .unwrap()
        .expect("a completed assessment is in force, so a review is asked for");
    }

    let session = app.sign_in("po.demo").await;
    let tasks = app.get("/tasks", Some(&session)).await;
    assert_eq!(tasks.status, StatusCode::OK);
    let section = tasks
        .body
        .split("data-testid=\"needs-reviews\"")
        .nth(1)
        .expect("the needs reviews section");
    assert!(section.contains(&crn), "{section}");
    assert!(section.contains("Moved to 4 Mill Lane"), "{section}");
    assert!(
        section.contains(&format!("/cases/{crn}/needs")),
        "{section}"
    );

    let other = app.sign_in("po.other").await;
    let theirs = app.get("/tasks", Some(&other)).await;
    assert!(!theirs.body.contains("Moved to 4 Mill Lane"));
}
