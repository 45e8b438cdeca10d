//! The audit workflow as its users meet it: a sample drawn, a sampled case audited (and refused
//! while answers are missing), the audit moderated blind by a second auditor, the ratings panel's
//! decisions, action plans and management oversight — each refusal proved as carefully as each
//! success, and each write found in the audit log.

use crate::support::{today, Session, TestApp};
use axum::http::StatusCode;
use keepsafe_domain::quality::{
    validate, Answer, AnswerGiven, CaseAudit, Framework, HMIP_PDU_2023,
};
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::quality::audits::{self, EnteredBy, NewAudit};
use keepsafe_storage::quality::plans::{self, NewRecommendation};
use keepsafe_storage::quality::{judgements, samples, Unit};
use keepsafe_web::routes::Access;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Fixtures, also used by the route walk (`route_rules::concrete`)
// ---------------------------------------------------------------------------------------------

fn midw(app: &TestApp) -> Uuid {
    app.region
        .pdus
        .iter()
        .find(|p| p.code == "MIDW")
        .expect("the demo has MIDW")
        .id
}

/// A sample of five MIDW cases drawn by head.demo (once per app; later calls return it).
pub fn sample(app: &TestApp) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    if let Some(existing) = samples::for_pdu(&mut conn, midw(app)).unwrap().last() {
        return existing.id;
    }
    samples::draw_and_store(
        &mut conn,
        midw(app),
        HMIP_PDU_2023,
        5,
        42,
        app.staff_id("head.demo"),
        keepsafe_test_support::clock::now(),
    )
    .unwrap()
    .unwrap()
    .0
}

/// spo.demo's audit, every answer Yes, of the first case of [`sample`] (once per app), so
/// quality.demo and head.demo may both moderate it.
pub fn audit(app: &TestApp) -> Uuid {
    let sample_id = sample(app);
    let mut conn = app.db.database.connection().unwrap();
    let stored = samples::find(&mut conn, sample_id).unwrap();
    let case = &stored.cases[0];
    if let Some(existing) = case.audit {
        return existing;
    }
    let located = keepsafe_storage::cases::record::locate(&mut conn, &case.crn)
        .unwrap()
        .unwrap();
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    let validated = validate(
        &framework,
        CaseAudit {
            case: case.crn.clone(),
            team: String::new(),
            pdu: "MIDW".into(),
            region: String::new(),
            answers: framework
                .key_questions()
                .map(|(_, q)| AnswerGiven {
                    question: q.code.clone(),
                    answer: Answer::Yes,
                    reason: None,
                })
                .collect(),
        },
    )
    .unwrap();
    audits::record(
        &mut conn,
        &NewAudit {
            audit: &validated,
            person_id: case.person_id,
            team_id: located.location.team,
            pdu_id: located.location.pdu,
            sample_id: Some(sample_id),
            moderates: None,
            audited_on: today(),
            auditor_id: app.staff_id("spo.demo"),
            auditor_name: "Senior Demo".into(),
            entered_by: EnteredBy::Form,
        },
        keepsafe_test_support::clock::now(),
    )
    .unwrap()
}

/// A recommendation to MIDW with one open action (once per app): (recommendation, action).
pub fn recommendation_and_action(app: &TestApp) -> (Uuid, Uuid) {
    let mut conn = app.db.database.connection().unwrap();
    let unit = Unit::Pdu(midw(app));
    // An action still open, so its status can be moved on (the demo's plan has done and dropped
    // ones too).
    for existing in plans::for_unit(&mut conn, unit).unwrap() {
        if let Some(action) = existing.actions.iter().find(|a| {
            matches!(
                a.action.status,
                keepsafe_domain::quality::ActionStatus::Open
                    | keepsafe_domain::quality::ActionStatus::InProgress
            )
        }) {
            return (existing.id, action.id);
        }
    }
    let framework = Framework::by_code(HMIP_PDU_2023).unwrap();
    let recommendation = keepsafe_domain::quality::Recommendation::new(
        &framework,
        "Analyse every domestic-abuse check before the first assessment",
        Some("2.1"),
    )
    .unwrap();
    let by = app.staff_id("head.demo");
    let id = plans::add_recommendation(
        &mut conn,
        &NewRecommendation {
            unit,
            framework: HMIP_PDU_2023,
            recommendation: &recommendation,
            made_by: "HM Inspectorate of Probation",
            made_on: today(),
            recorded_by: by,
        },
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    let action = keepsafe_domain::quality::Action::new(
        "Audit checks in new cases monthly",
        "Head of PDU",
        today() + chrono::Duration::days(60),
    )
    .unwrap();
    let action_id = plans::add_action(
        &mut conn,
        id,
        &action,
        by,
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    (id, action_id)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn framework() -> Framework {
    Framework::by_code(HMIP_PDU_2023).unwrap()
}

/// The audit form's fields: every key question answered Yes, except those in `no` (answered No
/// with a reason) and those in `skip` (left out).
fn answers(no: &[&str], skip: &[&str]) -> Vec<(String, String)> {
    framework()
        .key_questions()
        .filter(|(_, q)| !skip.contains(&q.code.as_str()))
        .flat_map(|(_, q)| {
            let no = no.contains(&q.code.as_str());
            [
                (
                    format!("answer-{}", q.code),
                    if no { "no" } else { "yes" }.to_owned(),
                ),
                (
                    format!("reason-{}", q.code),
                    if no {
                        "The police check was never analysed".to_owned()
                    } else {
                        String::new()
                    },
                ),
            ]
        })
        .collect()
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    session: &Session,
    fields: &[(String, String)],
) -> crate::support::Page {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(path, session, &pairs).await
}

fn actions_of(app: &TestApp, username: &str, outcome: Outcome) -> Vec<String> {
    app.audit(AuditFilter {
        actor: Some(username.into()),
        outcome: Some(outcome),
        ..Default::default()
    })
    .into_iter()
    .map(|r| r.action)
    .collect()
}

fn first_crn_in(body: &str) -> String {
    let marker = "data-crn=\"";
    let start = body.find(marker).expect("the sample lists cases") + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

fn person_id(app: &TestApp, crn: &str) -> Uuid {
    app.region
        .people
        .iter()
        .find(|p| p.crn == crn)
        .map(|p| p.id)
        .unwrap()
}

fn audits_of(app: &TestApp, crn: &str) -> usize {
    let mut conn = app.db.database.connection().unwrap();
    audits::for_person(&mut conn, person_id(app, crn))
        .unwrap()
        .len()
}

// ---------------------------------------------------------------------------------------------
// Case audits and moderation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_practitioner_cannot_open_the_audit_form_and_the_refusal_is_audited() {
    let app = TestApp::sqlite_without_quality_history();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/quality/audit"), Some(&po))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let post = post_owned(
        &app,
        &format!("/cases/{crn}/quality/audit"),
        &po,
        &answers(&[], &[]),
    )
    .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(audits_of(&app, &crn), 0);
    let refused = actions_of(&app, "po.demo", Outcome::Refused);
    assert!(
        refused.iter().any(|a| a == "open_case_audit"),
        "{refused:?}"
    );
    assert!(
        refused.iter().any(|a| a == "record_case_audit"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn quality_staff_draw_a_sample_and_audit_a_case_that_a_senior_officer_moderates_blind() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    let spo = app.sign_in("spo.demo").await;

    // Draw a sample of MIDW with a chosen seed.
    let list = app.get("/quality/pdu/MIDW/samples", Some(&quality)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("data-testid=\"draw-form\""));
    assert!(list.body.contains("value=\"50\""), "50 is offered first");
    let drawn = app
        .post(
            "/quality/pdu/MIDW/samples",
            &quality,
            &[
                ("framework", HMIP_PDU_2023),
                ("size", "5"),
                ("seed", "4821"),
            ],
        )
        .await;
    assert_eq!(drawn.status, StatusCode::SEE_OTHER, "{}", drawn.body);
    let sample_path = drawn.location().unwrap().to_owned();
    assert!(
        sample_path.starts_with("/quality/samples/"),
        "{sample_path}"
    );
    let sample_page = app.get(&sample_path, Some(&quality)).await;
    assert_eq!(sample_page.status, StatusCode::OK, "{}", sample_page.body);
    assert!(sample_page.body.contains("data-testid=\"seed\">4821<"));
    assert!(
        sample_page.body.contains("0 of 5 cases"),
        "{}",
        sample_page.body
    );
    assert!(sample_page.body.contains("sampling-2026/1"));
    assert!(sample_page.body.contains("data-testid=\"strata\""));
    let crn = first_crn_in(&sample_page.body);
    let sample_id = sample_path
        .trim_start_matches("/quality/samples/")
        .to_owned();

    // The form for the sampled case.
    let form_path =
        format!("/cases/{crn}/quality/audit?sample={sample_id}&framework={HMIP_PDU_2023}");
    assert!(sample_page.body.contains(&form_path.replace('&', "&amp;")));
    let form = app.get(&form_path, Some(&quality)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"answer-2.1.safe\""));
    assert!(
        form.body.contains("What to consider"),
        "the prompts are shown"
    );

    // A missing answer and a No without its reason are each named; the rest is kept; nothing is
    // stored.
    let mut incomplete = answers(&[], &["2.1.safe"]);
    for (name, value) in incomplete.iter_mut() {
        if name == "answer-2.2.safe" {
            *value = "no".into();
        }
    }
    incomplete.push(("framework".into(), HMIP_PDU_2023.into()));
    incomplete.push(("sample".into(), sample_id.clone()));
    let refused = post_owned(
        &app,
        &format!("/cases/{crn}/quality/audit"),
        &quality,
        &incomplete,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<a href=\"#answer-2.1.safe\">Answer key question 2.1.safe"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("<a href=\"#reason-2.2.safe\">"),
        "{}",
        refused.body
    );
    assert_eq!(refused.body.matches("govuk-error-summary__list").count(), 1);
    assert!(
        refused.body.contains(
            "id=\"answer-2.3.safe\" name=\"answer-2.3.safe\" type=\"radio\" value=\"yes\" checked"
        ),
        "the answers given are kept"
    );
    assert!(
        refused.body.contains("value=\"no\" checked"),
        "the No is kept"
    );
    assert_eq!(audits_of(&app, &crn), 0, "nothing is stored");

    // Complete, it is stored and shown.
    let mut complete = answers(&[], &[]);
    complete.push(("framework".into(), HMIP_PDU_2023.into()));
    complete.push(("sample".into(), sample_id.clone()));
    let saved = post_owned(
        &app,
        &format!("/cases/{crn}/quality/audit"),
        &quality,
        &complete,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let audit_path = saved.location().unwrap().to_owned();
    let shown = app.get(&audit_path, Some(&quality)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("Not moderated"));
    assert!(
        !shown.body.contains("data-testid=\"moderate-link\""),
        "not for the auditor"
    );
    assert!(app
        .get(&sample_path, Some(&quality))
        .await
        .body
        .contains("1 of 5 cases"));
    // The same case is not audited twice for the sample: the form leads to its audit.
    let again = app.get(&form_path, Some(&quality)).await;
    assert_eq!(again.location(), Some(audit_path.as_str()));

    // The auditor cannot moderate their own audit.
    let own = app
        .get(&format!("{audit_path}/moderate"), Some(&quality))
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own
        .body
        .contains("You made this audit, so you cannot moderate it"));

    // The senior officer moderates blind, disagreeing on one key question.
    let blind = app.get(&format!("{audit_path}/moderate"), Some(&spo)).await;
    assert_eq!(blind.status, StatusCode::OK, "{}", blind.body);
    assert!(
        !blind.body.contains(" checked"),
        "the moderation form is not prefilled"
    );
    let moderation = answers(&["2.1.safe"], &[]);
    let moderated = post_owned(&app, &format!("{audit_path}/moderate"), &spo, &moderation).await;
    assert_eq!(
        moderated.status,
        StatusCode::SEE_OTHER,
        "{}",
        moderated.body
    );
    assert_eq!(moderated.location(), Some(audit_path.as_str()));
    let compared = app.get(&audit_path, Some(&spo)).await;
    let questions = framework().key_questions().count();
    assert!(
        compared.body.contains(&format!(
            "Agreement: {} of {questions} key questions",
            questions - 1
        )),
        "{}",
        compared.body
    );
    assert_eq!(compared.body.matches("data-disagrees=\"true\"").count(), 1);
    assert!(compared
        .body
        .contains("The police check was never analysed"));
    let twice = post_owned(&app, &format!("{audit_path}/moderate"), &spo, &moderation).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("This audit has already been moderated"));
    assert!(app
        .get(&sample_path, Some(&spo))
        .await
        .body
        .contains("Moderated</strong>"));

    let written = actions_of(&app, "quality.demo", Outcome::Allowed);
    for action in ["draw_sample", "record_case_audit"] {
        assert!(
            written.iter().filter(|a| *a == action).count() >= 2,
            "{action}: {written:?}"
        );
    }
    assert!(actions_of(&app, "spo.demo", Outcome::Allowed)
        .iter()
        .any(|a| a == "record_moderation"));
}

#[tokio::test]
async fn an_audit_names_only_a_sample_of_the_cases_own_pdu_holding_the_case() {
    let app = TestApp::sqlite_without_quality_history();
    let quality = app.sign_in("quality.demo").await;
    let sample_id = sample(&app);
    let mut conn = app.db.database.connection().unwrap();
    let sampled: Vec<String> = samples::find(&mut conn, sample_id)
        .unwrap()
        .cases
        .into_iter()
        .map(|c| c.crn)
        .collect();
    drop(conn);
    let outside = app
        .region
        .people
        .iter()
        .find(|p| p.pdu_id == midw(&app) && !sampled.contains(&p.crn))
        .map(|p| p.crn.clone())
        .unwrap();
    let page = app
        .get(
            &format!("/cases/{outside}/quality/audit?sample={sample_id}"),
            Some(&quality),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("This case is not in that sample"));
    let unknown = app
        .get(
            &format!("/cases/{outside}/quality/audit?framework=hmip-1999"),
            Some(&quality),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    // Outside a sample, the auditor may choose the older framework, and its questions are asked.
    let default = app
        .get(&format!("/cases/{outside}/quality/audit"), Some(&quality))
        .await;
    assert!(default.body.contains("quality/audit?framework=hmip-2018"));
    let older = app
        .get(
            &format!("/cases/{outside}/quality/audit?framework=hmip-2018"),
            Some(&quality),
        )
        .await;
    assert_eq!(older.status, StatusCode::OK);
    for (_, question) in Framework::by_code("hmip-2018").unwrap().key_questions() {
        assert!(
            older
                .body
                .contains(&format!("name=\"answer-{}\"", question.code)),
            "{}",
            question.code
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Samples and the ratings panel: who may manage
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn senior_officers_see_samples_and_decisions_but_only_the_head_of_pdu_draws_and_records() {
    let app = TestApp::sqlite_without_quality_history();
    let spo = app.sign_in("spo.demo").await;
    let head = app.sign_in("head.demo").await;

    let list = app.get("/quality/pdu/MIDW/samples", Some(&spo)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains("data-testid=\"draw-form\""));
    let draw = [("framework", HMIP_PDU_2023), ("size", "5"), ("seed", "")];
    assert_eq!(
        app.post("/quality/pdu/MIDW/samples", &spo, &draw)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let decisions = app.get("/quality/pdu/MIDW/judgements", Some(&spo)).await;
    assert_eq!(decisions.status, StatusCode::OK);
    assert!(!decisions.body.contains("data-testid=\"judgement-form\""));
    let judgement = [
        ("framework", HMIP_PDU_2023),
        ("kind", "judgement"),
        ("judgement-standard", "1.1"),
        ("judgement-rating", "good"),
        ("judgement-reason", "Leaders know their cases"),
    ];
    assert_eq!(
        app.post("/quality/pdu/MIDW/judgements", &spo, &judgement)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = actions_of(&app, "spo.demo", Outcome::Refused);
    assert!(refused.contains(&"draw_sample".to_owned()), "{refused:?}");
    assert!(
        refused.contains(&"record_panel_decision".to_owned()),
        "{refused:?}"
    );

    // The head of PDU draws (a blank seed is chosen at random and shown) and records.
    let drawn = app.post("/quality/pdu/MIDW/samples", &head, &draw).await;
    assert_eq!(drawn.status, StatusCode::SEE_OTHER, "{}", drawn.body);
    let page = app.get(drawn.location().unwrap(), Some(&head)).await;
    assert!(page.body.contains("data-testid=\"seed\">"));
    let recorded = app
        .post("/quality/pdu/MIDW/judgements", &head, &judgement)
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let shown = app.get(recorded.location().unwrap(), Some(&spo)).await;
    assert!(shown.body.contains("Leaders know their cases"));
    assert!(shown.body.contains("data-testid=\"decision-history\""));
    assert_eq!(
        shown.body.matches("Not judged yet").count(),
        2,
        "1.2 and 1.3 still wait for the panel"
    );
    let written = actions_of(&app, "head.demo", Outcome::Allowed);
    assert!(written.contains(&"draw_sample".to_owned()));
    assert!(written.contains(&"record_panel_decision".to_owned()));
}

#[tokio::test]
async fn bad_sample_sizes_and_seeds_are_named_and_the_form_keeps_what_was_typed() {
    let app = TestApp::sqlite_without_quality_history();
    let head = app.sign_in("head.demo").await;
    for (size, seed, message) in [
        ("0", "", "Choose a sample size of at least 1"),
        ("fifty", "", "The sample size must be a whole number"),
        ("", "", "Enter the sample size"),
        ("5", "-3", "The seed must be a whole number"),
    ] {
        let page = app
            .post(
                "/quality/pdu/MIDW/samples",
                &head,
                &[("framework", HMIP_PDU_2023), ("size", size), ("seed", seed)],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{size} {seed}"
        );
        assert!(page.body.contains(message), "{size} {seed}: {}", page.body);
        assert!(page.body.contains(&format!("value=\"{size}\"")));
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(samples::for_pdu(&mut conn, midw(&app)).unwrap().is_empty());
}

#[tokio::test]
async fn a_panel_decision_needs_a_reason_and_the_right_kind_of_standard() {
    let app = TestApp::sqlite_without_quality_history();
    let head = app.sign_in("head.demo").await;
    let cases = [
        (
            "judgement",
            "1.1",
            "good",
            "",
            "Record the panel's reason for its judgement",
        ),
        ("judgement", "2.1", "good", "Strong", "rated from cases"),
        ("departure", "1.1", "good", "Strong", "is a judgement"),
        (
            "departure",
            "2.1",
            "good",
            " ",
            "Record the panel's reason for departing",
        ),
        ("departure", "", "", "x", "Select the standard"),
        (
            "departure",
            "9.9",
            "good",
            "x",
            "Standard 9.9 is not in the framework",
        ),
    ];
    for (kind, standard, rating, reason, message) in cases {
        let fields = [
            ("framework".to_owned(), HMIP_PDU_2023.to_owned()),
            ("kind".to_owned(), kind.to_owned()),
            (format!("{kind}-standard"), standard.to_owned()),
            (format!("{kind}-rating"), rating.to_owned()),
            (format!("{kind}-reason"), reason.to_owned()),
        ];
        let page = post_owned(&app, "/quality/pdu/MIDW/judgements", &head, &fields).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{kind} {standard}"
        );
        let shown = message.replace('\'', "&#39;");
        assert!(page.body.contains(&shown), "{kind} {standard}: {message}");
    }
    let mut conn = app.db.database.connection().unwrap();
    assert!(
        judgements::history(&mut conn, Unit::Pdu(midw(&app)), HMIP_PDU_2023)
            .unwrap()
            .is_empty(),
        "nothing refused is stored"
    );
    drop(conn);
    let departure = app
        .post(
            "/quality/pdu/MIDW/judgements",
            &head,
            &[
                ("framework", HMIP_PDU_2023),
                ("kind", "departure"),
                ("departure-standard", "2.1"),
                ("departure-rating", "requires_improvement"),
                ("departure-reason", "Two audits were of transferred cases"),
            ],
        )
        .await;
    assert_eq!(
        departure.status,
        StatusCode::SEE_OTHER,
        "{}",
        departure.body
    );
}

// ---------------------------------------------------------------------------------------------
// Action plans
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_action_plan_flags_overdue_actions_and_a_done_action_cannot_be_reopened() {
    let app = TestApp::sqlite_without_quality_history();
    let head = app.sign_in("head.demo").await;
    let day = today();
    let (d, m, y) = (
        day.format("%-d").to_string(),
        day.format("%-m").to_string(),
        day.format("%Y").to_string(),
    );

    let empty = app
        .post(
            "/quality/pdu/MIDW/plan/recommendations",
            &head,
            &[("framework", HMIP_PDU_2023)],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for missing in ["#text", "#made-by", "#made-on-day"] {
        assert!(
            empty.body.contains(&format!("href=\"{missing}\"")),
            "{missing}"
        );
    }
    let added = app
        .post(
            "/quality/pdu/MIDW/plan/recommendations",
            &head,
            &[
                ("framework", HMIP_PDU_2023),
                ("text", "Analyse every police check before assessing risk"),
                ("standard", "2.1"),
                ("made-by", "HM Inspectorate of Probation"),
                ("made-on-day", &d),
                ("made-on-month", &m),
                ("made-on-year", &y),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let mut conn = app.db.database.connection().unwrap();
    let recommendation = plans::for_unit(&mut conn, Unit::Pdu(midw(&app))).unwrap()[0].id;
    drop(conn);
    let actions_path = format!("/quality/pdu/MIDW/plan/recommendations/{recommendation}/actions");
    assert_eq!(
        app.get(&actions_path, Some(&head)).await.status,
        StatusCode::OK
    );

    let blank = app.post(&actions_path, &head, &[]).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    for missing in ["#description", "#owner", "#due-day"] {
        assert!(
            blank.body.contains(&format!("href=\"{missing}\"")),
            "{missing}: {}",
            blank.body
        );
    }
    let yesterday = day - chrono::Duration::days(1);
    let (yd, ym, yy) = (
        yesterday.format("%-d").to_string(),
        yesterday.format("%-m").to_string(),
        yesterday.format("%Y").to_string(),
    );
    for description in ["Audit ten new cases a month", "Retrain duty officers"] {
        let page = app
            .post(
                &actions_path,
                &head,
                &[
                    ("description", description),
                    ("owner", "Head of PDU"),
                    ("due-day", &yd),
                    ("due-month", &ym),
                    ("due-year", &yy),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let plan = app.get("/quality/pdu/MIDW/plan", Some(&head)).await;
    assert_eq!(
        plan.body.matches("data-testid=\"overdue\"").count(),
        2,
        "{}",
        plan.body
    );

    let mut conn = app.db.database.connection().unwrap();
    let stored = plans::for_unit(&mut conn, Unit::Pdu(midw(&app))).unwrap();
    drop(conn);
    let ids: Vec<Uuid> = stored[0].actions.iter().map(|a| a.id).collect();
    let status = |id: Uuid| format!("/quality/pdu/MIDW/plan/actions/{id}/status");
    let dropped = app
        .post(
            &status(ids[1]),
            &head,
            &[("status", "dropped"), ("reason", " ")],
        )
        .await;
    assert_eq!(dropped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dropped
        .body
        .contains("Record why the action is being dropped"));
    let done = app
        .post(&status(ids[0]), &head, &[("status", "done")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let reopened = app
        .post(&status(ids[0]), &head, &[("status", "in_progress")])
        .await;
    assert_eq!(reopened.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reopened
            .body
            .contains("An action that is done cannot become in progress"),
        "{}",
        reopened.body
    );
    let plan = app.get("/quality/pdu/MIDW/plan", Some(&head)).await;
    assert_eq!(
        plan.body.matches("data-testid=\"overdue\"").count(),
        1,
        "a done action is not overdue"
    );

    let written = actions_of(&app, "head.demo", Outcome::Allowed);
    for action in ["add_recommendation", "add_action", "move_action"] {
        assert!(written.iter().any(|a| a == action), "{action}: {written:?}");
    }
    let spo = app.sign_in("spo.demo").await;
    assert_eq!(
        app.get("/quality/pdu/MIDW/plan", Some(&spo)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post(&status(ids[1]), &spo, &[("status", "done")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

// ---------------------------------------------------------------------------------------------
// Management oversight
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn oversight_is_recorded_by_the_cases_senior_officer_and_read_by_its_practitioner() {
    let app = TestApp::sqlite_without_quality_history();
    let crn = app.case_of("po.demo");
    let path = format!("/cases/{crn}/oversight");
    let po = app.sign_in("po.demo").await;
    let spo = app.sign_in("spo.demo").await;
    let read = app.get(&path, Some(&po)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.body.contains("data-testid=\"oversight-form\""));
    assert_eq!(
        app.post(&path, &po, &[("kind", "supervision"), ("note", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let empty = app.post(&path, &spo, &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for missing in ["#kind", "#recorded-on-day", "#note"] {
        assert!(
            empty.body.contains(&format!("href=\"{missing}\"")),
            "{missing}"
        );
    }
    let tomorrow = today() + chrono::Duration::days(1);
    let future = app
        .post(
            &path,
            &spo,
            &[
                ("kind", "supervision"),
                ("recorded-on-day", &tomorrow.format("%-d").to_string()),
                ("recorded-on-month", &tomorrow.format("%-m").to_string()),
                ("recorded-on-year", &tomorrow.format("%Y").to_string()),
                ("note", "Discussed the risk management plan"),
            ],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("cannot be in the future"));
    assert!(
        future.body.contains("Discussed the risk management plan"),
        "the note is kept"
    );
    let day = today();
    let saved = app
        .post(
            &path,
            &spo,
            &[
                ("kind", "risk_review"),
                ("recorded-on-day", &day.format("%-d").to_string()),
                ("recorded-on-month", &day.format("%-m").to_string()),
                ("recorded-on-year", &day.format("%Y").to_string()),
                ("note", "Agreed a home visit within the week"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = app.get(&path, Some(&po)).await;
    assert!(shown.body.contains("Agreed a home visit within the week"));
    assert!(shown
        .body
        .contains(keepsafe_domain::quality::OversightKind::RiskReview.label()));
    assert!(actions_of(&app, "spo.demo", Outcome::Allowed)
        .iter()
        .any(|a| a == "record_oversight"));
}

// ---------------------------------------------------------------------------------------------
// Every unit route's rule
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unit_routes_refuse_practitioners_and_partners_and_admit_the_head_of_pdu() {
    let app = TestApp::sqlite_without_quality_history();
    let po = app.sign_in("po.demo").await;
    let police = app.sign_in("police.demo").await;
    let head = app.sign_in("head.demo").await;
    let mut walked = 0;
    for route in app.routes.iter().filter(|r| r.access == Access::Unit) {
        let path = crate::route_rules::concrete(&app, route.path);
        let send = |session: &Session| {
            let (method, path) = (route.method.clone(), path.clone());
            let session = session.clone();
            let app = &app;
            async move {
                if method == axum::http::Method::GET {
                    app.get(&path, Some(&session)).await
                } else {
                    app.post(&path, &session, &[]).await
                }
            }
        };
        for refused in [&po, &police] {
            let page = send(refused).await;
            assert_eq!(
                page.status,
                StatusCode::FORBIDDEN,
                "{} {path}",
                route.method
            );
        }
        let page = send(&head).await;
        if route.method == axum::http::Method::GET {
            assert_eq!(
                page.status,
                StatusCode::OK,
                "head.demo: GET {path}: {}",
                page.body
            );
        } else {
            assert!(
                page.status == StatusCode::UNPROCESSABLE_ENTITY || page.status.is_redirection(),
                "head.demo: POST {path}: {}",
                page.status
            );
        }
        walked += 1;
    }
    assert!(
        walked >= 14,
        "every audit workflow route was walked ({walked})"
    );
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.len() >= walked, "each refusal is audited");
}

#[tokio::test]
async fn a_departure_names_the_computed_rating_it_departs_from() {
    let app = TestApp::sqlite();
    let head = app.sign_in("head.demo").await;
    let page = app.get("/quality/pdu/MIDW/judgements", Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("2.1 Assessment (computed from audits: "),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("1.1 Leadership (computed"),
        "a judged standard has no computed rating"
    );
}
