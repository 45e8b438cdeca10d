//! Sentence plans through the web: a practitioner writes a plan for their case; an objective
//! without an action is refused naming the field, with everything typed kept; a plan for a high
//! RoSH case waits for a senior officer's countersignature, which its author cannot give; another
//! team's practitioner is refused; the planning indicators say why they are met or not.

use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::plans::{
    ActionKind, ActionOwner, Objective, PlanAction, PlanStatus, Progress,
};
use keepsafe_domain::rosh::{AssessmentContent, RiskGroup, RoshLevel};
use keepsafe_domain::text::LongText;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::plans::{self, write};
use keepsafe_storage::risk::assessments;
use keepsafe_storage::transaction;
use keepsafe_test_support::clock::now;
use uuid::Uuid;

fn person_of(app: &TestApp, crn: &str) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    case_record::locate(&mut conn, crn)
        .unwrap()
        .unwrap()
        .person_id
}

/// Completes an assessment for the case with `level` for a known adult and medium for children
/// (low for the rest), as the assessment form would, without its checks.
fn assessed(app: &TestApp, crn: &str, level: RoshLevel) {
    let person = person_of(app, crn);
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    transaction::write(&mut conn, |conn| {
        let case_type = case_record::main_case_type(conn, person)?.expect("an active event");
        let id = assessments::start(conn, person, case_type, by, now())?;
        let text = |t: &str| LongText::required(t).unwrap();
        let content = AssessmentContent {
            levels: RiskGroup::for_case(case_type)
                .into_iter()
                .map(|g| match g {
                    RiskGroup::KnownAdult => (g, level),
                    RiskGroup::Children => (g, RoshLevel::Medium),
                    _ => (g, RoshLevel::Low),
                })
                .collect(),
            nature_of_harm: text("Violence towards a partner."),
            who_is_at_risk: text("His former partner and her children."),
            imminence: text("When drinking."),
            increasing_factors: text("Alcohol."),
            reducing_factors: text("Work."),
            ..Default::default()
        };
        let version = assessments::save_draft(conn, id, 1, &content, by, now())?;
        assessments::complete(conn, id, version, level, false, by, now())?;
        Ok::<_, keepsafe_storage::StorageError>(())
    })
    .unwrap();
}

/// An objective for the risk to a known adult and to children, with the actions given as
/// (kind, who, what).
fn objective_form(actions: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![
        (
            "description".to_owned(),
            "Keep away from Ms Khan and her children".to_owned(),
        ),
        ("risks".to_owned(), "known_adult".to_owned()),
        ("risks".to_owned(), "children".to_owned()),
        ("needs".to_owned(), "relationships".to_owned()),
        ("version".to_owned(), "0".to_owned()),
    ];
    for (index, (kind, who, what)) in actions.iter().enumerate() {
        let n = index + 1;
        for (field, value) in [
            ("what", *what),
            ("kind", *kind),
            ("who", *who),
            ("by-day", "31"),
            ("by-month", "3"),
            ("by-year", "2027"),
        ] {
            form.push((format!("action-{n}-{field}"), value.to_owned()));
        }
    }
    form
}

async fn post(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(String, String)],
) -> crate::support::Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(path, session, &pairs).await
}

fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.rfind(marker).expect("a version field") + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

/// Writes an objective with `actions` and submits the plan as `session`.
async fn write_and_submit(
    app: &TestApp,
    session: &Session,
    crn: &str,
    actions: &[(&str, &str, &str)],
) {
    let saved = post(
        app,
        session,
        &format!("/cases/{crn}/plan/objectives/new"),
        &objective_form(actions),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&format!("/cases/{crn}/plan"), Some(session)).await;
    let version = version_in(&page.body);
    let submitted = app
        .post(
            &format!("/cases/{crn}/plan/submit"),
            session,
            &[("version", &version)],
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
}

#[tokio::test]
async fn a_practitioner_writes_a_plan_that_becomes_active_for_a_medium_risk_case() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    assessed(&app, &crn, RoshLevel::Medium);
    let po = app.sign_in("po.demo").await;
    let risk = app.get(&format!("/cases/{crn}/risk"), Some(&po)).await;
    assert!(risk.body.contains(&format!("href=\"/cases/{crn}/plan\"")));

    write_and_submit(
        &app,
        &po,
        &crn,
        &[
            (
                "constructive",
                "practitioner",
                "Complete the Building Better Relationships programme",
            ),
            ("restrictive", "police", "Enforce the no-contact condition"),
        ],
    )
    .await;
    let page = app.get(&format!("/cases/{crn}/plan"), Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"active-plan\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Enforce the no-contact condition"));
    assert!(page.body.contains("31 March 2027"));
    assert!(
        page.body.contains("Regular review"),
        "a regular review is scheduled"
    );
    let current = {
        let mut conn = app.db.database.connection().unwrap();
        plans::current(&mut conn, person_of(&app, &crn))
            .unwrap()
            .unwrap()
    };
    assert_eq!(current.status, PlanStatus::Active);
    assert!(app
        .audit(AuditFilter {
            actor: Some("po.demo".into()),
            ..Default::default()
        })
        .iter()
        .any(|r| r.action == "submit_plan"));
}

#[tokio::test]
async fn an_objective_with_no_action_is_refused_naming_the_field_and_keeping_what_was_typed() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let refused = post(
        &app,
        &po,
        &format!("/cases/{crn}/plan/objectives/new"),
        &objective_form(&[]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#action-1-what\""),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("Add at least one action to the objective"));
    assert!(
        refused
            .body
            .contains("Keep away from Ms Khan and her children"),
        "what was typed is kept"
    );
    let mut conn = app.db.database.connection().unwrap();
    assert!(
        plans::for_person(&mut conn, person_of(&app, &crn))
            .unwrap()
            .is_empty(),
        "nothing saved"
    );

    // An action with no one to do it and no date is refused on those fields.
    let mut form = objective_form(&[("constructive", "", "Find work")]);
    form.retain(|(k, _)| !k.starts_with("action-1-by"));
    let refused = post(
        &app,
        &po,
        &format!("/cases/{crn}/plan/objectives/new"),
        &form,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#action-1-who\""));
    assert!(refused.body.contains("href=\"#action-1-by-day\""));
}

#[tokio::test]
async fn a_high_risk_plan_waits_for_a_countersignature_its_author_cannot_give() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    assessed(&app, &crn, RoshLevel::High);
    let spo = app.sign_in("spo.demo").await;
    write_and_submit(
        &app,
        &spo,
        &crn,
        &[("restrictive", "police", "Enforce the exclusion zone")],
    )
    .await;
    let page = app.get(&format!("/cases/{crn}/plan"), Some(&spo)).await;
    assert!(
        page.body.contains("Awaiting countersignature"),
        "{}",
        page.body
    );

    let refused = app
        .post(&format!("/cases/{crn}/plan/countersign"), &spo, &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("You wrote this plan"),
        "{}",
        refused.body
    );
    assert!(app
        .audit(AuditFilter {
            actor: Some("spo.demo".into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        })
        .iter()
        .any(|r| r.action == "countersign_plan"));

    let po = app.sign_in("po.demo").await;
    let not_a_senior = app
        .post(&format!("/cases/{crn}/plan/countersign"), &po, &[])
        .await;
    assert_eq!(not_a_senior.status, StatusCode::FORBIDDEN);

    let head = app.sign_in("head.demo").await;
    let countersigned = app
        .post(&format!("/cases/{crn}/plan/countersign"), &head, &[])
        .await;
    assert_eq!(
        countersigned.status,
        StatusCode::SEE_OTHER,
        "{}",
        countersigned.body
    );
    let mut conn = app.db.database.connection().unwrap();
    let current = plans::current(&mut conn, person_of(&app, &crn))
        .unwrap()
        .unwrap();
    assert_eq!(current.case_level, Some(RoshLevel::High));
    assert!(current.countersigned_by.is_some());
}

#[tokio::test]
async fn a_practitioner_of_another_team_is_refused_the_plan_and_the_refusal_is_audited() {
    // The small region has one PDU, so another team's practitioner is the nearest outsider; the
    // same rule (domain::access) refuses another PDU's.
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let outsider = app.sign_in("po.other").await;
    for page in [
        app.get(&format!("/cases/{crn}/plan"), Some(&outsider))
            .await,
        post(
            &app,
            &outsider,
            &format!("/cases/{crn}/plan/objectives/new"),
            &objective_form(&[("constructive", "person", "Work")]),
        )
        .await,
    ] {
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    let refusals = app.audit(AuditFilter {
        actor: Some("po.other".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.action == "view_plan"));
    assert!(refusals.iter().any(|r| r.action == "save_plan_objective"));
    let mut conn = app.db.database.connection().unwrap();
    assert!(plans::for_person(&mut conn, person_of(&app, &crn))
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_planning_indicators_say_why_a_risk_without_a_restrictive_action_is_not_met() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    assessed(&app, &crn, RoshLevel::High);
    let po = app.sign_in("po.demo").await;
    let before = app.get(&format!("/cases/{crn}/quality"), Some(&po)).await;
    assert!(before
        .body
        .contains("Each risk identified has constructive and restrictive actions"));

    let head = app.sign_in("head.demo").await;
    write_and_submit(
        &app,
        &po,
        &crn,
        &[("constructive", "person", "Attend an alcohol service")],
    )
    .await;
    app.post(&format!("/cases/{crn}/plan/countersign"), &head, &[])
        .await;
    let page = app.get(&format!("/cases/{crn}/quality"), Some(&po)).await;
    assert!(
        page.body
            .contains("the risk to a known adult (high) has no restrictive action"),
        "{}",
        page.body
    );
    assert!(page.body.contains("The person was involved in their plan"));
    assert!(page
        .body
        .contains("own words about the plan nor whether they agree with it"));

    // The person's words and agreement recorded on the plan in force meet the engagement indicator.
    let view = app
        .get(&format!("/cases/{crn}/plan/person"), Some(&po))
        .await;
    let version = version_in(&view.body);
    let saved = app
        .post(
            &format!("/cases/{crn}/plan/person"),
            &po,
            &[
                ("version", &version),
                (
                    "words",
                    "I know I have to stay away. I want help with my drinking.",
                ),
                ("agreement", "agrees"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&format!("/cases/{crn}/quality"), Some(&po)).await;
    assert!(page
        .body
        .contains("own words about the plan are recorded, and whether they agree with it"));
}

#[tokio::test]
async fn agreeing_without_the_persons_words_is_refused() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let refused = app
        .post(
            &format!("/cases/{crn}/plan/person"),
            &po,
            &[("version", "0"), ("agreement", "agrees")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#words\""), "{}", refused.body);
}

/// Fills `{objective}` for the route walk: an objective of a draft plan on po.demo's case.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{objective}") {
        return path.to_owned();
    }
    let person = person_of(app, &app.case_of("po.demo"));
    let by = app.staff_id("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let open = plans::open(&mut conn, person).unwrap();
    let existing = open
        .as_ref()
        .and_then(|p| p.objectives.first().map(|o| o.id));
    let draft = open.map(|p| (p.id, p.version));
    let id = existing.unwrap_or_else(|| {
        transaction::write(&mut conn, |conn| {
            let (plan, version) = match draft {
                Some(draft) => draft,
                None => (write::start(conn, person, by, now())?, 1),
            };
            let objective = Objective {
                id: Uuid::new_v4(),
                description: LongText::required("Find stable work").unwrap(),
                needs: vec![keepsafe_domain::needs::Section::EducationTrainingEmployability],
                risks: Vec::new(),
                actions: vec![PlanAction {
                    kind: ActionKind::Constructive,
                    what: LongText::required("Refer to the employment support provider").unwrap(),
                    who: ActionOwner::Practitioner,
                    provider: String::new(),
                    by_when: now().date_naive() + chrono::Duration::days(30),
                }],
                progress: Progress::NotStarted,
                progress_note: LongText::default(),
            };
            write::save_objective(conn, plan, version, &objective, by, now())?;
            Ok::<_, keepsafe_storage::StorageError>(objective.id)
        })
        .unwrap()
    });
    path.replace("{objective}", &id.to_string())
}
