//! Serious further offences: a charge recorded on a case is decided by the domain (refused, on
//! the field that decides it, when it is not one), the head of PDU notifies it and assigns an
//! independent reviewer, the reviewer saves draft findings and completes the review, whose
//! actions join the PDU's quality improvement plan; bad input is refused with the field named and
//! nothing written; overdue cases are flagged on the list and the managers' tasks; and the review
//! is never shown to the case's practitioner or senior officer, on any route (the leak walk).

use crate::record_details::error_fields;
use crate::route_rules::concrete;
use crate::support::{Page, Session, TestApp};
use axum::http::{Method, StatusCode};
use chrono::{Datelike, Duration, NaiveDate};
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::sfo::cases as sfo_cases;
use keepsafe_storage::testing::Backend;
use keepsafe_test_support::clock;
use keepsafe_test_support::sfo::{charged, drafted, notified, reviewed_by, FINDINGS};
use uuid::Uuid;

fn person_of(app: &TestApp, crn: &str) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    case_record::locate(&mut conn, crn)
        .unwrap()
        .unwrap()
        .person_id
}

/// A charge on po.demo's case, known five days ago, recorded by po.demo: (CRN, person, SFO).
fn sfo_on_po_case(app: &TestApp) -> (String, Uuid, Uuid) {
    let crn = app.case_of("po.demo");
    let person = person_of(app, &crn);
    let mut conn = app.db.database.connection().unwrap();
    let id = charged(
        &mut conn,
        person,
        clock::today() - Duration::days(5),
        app.staff_id("po.demo"),
    )
    .unwrap();
    (crn, person, id)
}

/// Fills `{sfo}` for the route walk: a case on po.demo's case, notified, with spo.demo (who
/// never held it) as its reviewer, so every grade the list admits reaches it.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{sfo}") {
        return path.to_owned();
    }
    let (_, _, id) = sfo_on_po_case(app);
    let mut conn = app.db.database.connection().unwrap();
    notified(
        &mut conn,
        id,
        clock::today() - Duration::days(1),
        app.staff_id("head.demo"),
    )
    .unwrap();
    reviewed_by(&mut conn, id, app.staff_id("spo.demo")).unwrap();
    path.replace("{sfo}", &id.to_string())
}

fn date_fields(name: &str, day: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), day.day().to_string()),
        (format!("{name}-month"), day.month().to_string()),
        (format!("{name}-year"), day.year().to_string()),
    ]
}

fn charge_form(
    committed: NaiveDate,
    charged: NaiveDate,
    known: NaiveDate,
) -> Vec<(String, String)> {
    let mut form = vec![
        ("offence".to_owned(), "gbh_with_intent".to_owned()),
        ("reference".to_owned(), "MID/26/7781".to_owned()),
    ];
    form.extend(date_fields("committed", committed));
    form.extend(date_fields("charged", charged));
    form.extend(date_fields("known", known));
    form
}

async fn post(app: &TestApp, path: &str, session: &Session, form: &[(String, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post(path, session, &pairs).await
}

fn cases_of(app: &TestApp, person: Uuid) -> usize {
    let mut conn = app.db.database.connection().unwrap();
    sfo_cases::for_person(&mut conn, person).unwrap().len()
}

#[tokio::test]
async fn a_practitioner_records_a_qualifying_charge_and_is_told_only_that_it_was_recorded() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let person = person_of(&app, &crn);
    let po = app.sign_in("po.demo").await;
    let today = clock::today();
    let record = app.get(&format!("/cases/{crn}"), Some(&po)).await;
    assert!(record.body.contains(&format!("/cases/{crn}/sfo/new")));
    let page = post(
        &app,
        &format!("/cases/{crn}/sfo/new"),
        &po,
        &charge_form(
            today - Duration::days(12),
            today - Duration::days(4),
            today - Duration::days(2),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let to = page.location().unwrap().to_owned();
    assert_eq!(to, format!("/cases/{crn}/sfo/new?recorded=yes"));
    let told = app.get(&to, Some(&po)).await;
    assert!(told.body.contains("The charge has been recorded."));
    assert_eq!(cases_of(&app, person), 1);

    // The head of PDU finds it on the list and opens it, with why it qualifies and the deadline.
    let head = app.sign_in("head.demo").await;
    let list = app.get("/sfo", Some(&head)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains(&format!("data-crn=\"{crn}\"")),
        "{}",
        list.body
    );
    let mut conn = app.db.database.connection().unwrap();
    let (id, _) = sfo_cases::for_person(&mut conn, person).unwrap()[0];
    let page = app.get(&format!("/sfo/{id}"), Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Wounding or causing grievous bodily harm with intent is a qualifying serious offence.",
        "while the person was under supervision",
        "Awaiting notification",
        // Known Monday 30 November 2026: 10 working days on is Monday 14 December.
        "Due 14 December 2026",
        "Notification is due 10 working days later, on 14 December 2026",
        "MID/26/7781",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let rows = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        ..Default::default()
    });
    for action in ["record_sfo_charge", "view_sfo"] {
        assert!(rows.iter().any(|r| r.action == action), "{action} audited");
    }
}

#[tokio::test]
async fn a_charge_for_an_offence_more_than_28_days_after_supervision_ended_is_refused_and_nothing_written(
) {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let person = person_of(&app, &crn);
    let today = clock::today();
    let ended = today - Duration::days(60);
    {
        let mut conn = app.db.database.connection().unwrap();
        keepsafe_test_support::sfo::supervision_ended(&mut conn, person, ended).unwrap();
    }
    let po = app.sign_in("po.demo").await;
    // The 29th day after supervision ended is refused on the date committed...
    let page = post(
        &app,
        &format!("/cases/{crn}/sfo/new"),
        &po,
        &charge_form(
            ended + Duration::days(29),
            today - Duration::days(4),
            today - Duration::days(2),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&page), vec!["committed-day"]);
    assert!(page
        .body
        .contains("more than 28 days after supervision ended"));
    assert_eq!(cases_of(&app, person), 0, "nothing written");
    // ...and the 28th qualifies.
    let page = post(
        &app,
        &format!("/cases/{crn}/sfo/new"),
        &po,
        &charge_form(
            ended + Duration::days(28),
            today - Duration::days(4),
            today - Duration::days(2),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(cases_of(&app, person), 1);
}

#[tokio::test]
async fn future_dates_a_charge_before_the_offence_and_missing_fields_are_each_refused_by_name() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let person = person_of(&app, &crn);
    let po = app.sign_in("po.demo").await;
    let today = clock::today();
    let page = post(
        &app,
        &format!("/cases/{crn}/sfo/new"),
        &po,
        &charge_form(
            today + Duration::days(1),
            today + Duration::days(1),
            today + Duration::days(1),
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&page),
        vec!["committed-day", "charged-day", "known-day"]
    );
    let page = post(
        &app,
        &format!("/cases/{crn}/sfo/new"),
        &po,
        &charge_form(
            today - Duration::days(5),
            today - Duration::days(6),
            today - Duration::days(2),
        ),
    )
    .await;
    assert_eq!(error_fields(&page), vec!["charged-day"]);
    let page = app.post(&format!("/cases/{crn}/sfo/new"), &po, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&page),
        vec![
            "offence",
            "committed-day",
            "charged-day",
            "known-day",
            "reference"
        ]
    );
    assert_eq!(cases_of(&app, person), 0, "nothing written");
}

async fn notify_review_and_complete(app: TestApp) {
    let (crn, person, id) = sfo_on_po_case(&app);
    let head = app.sign_in("head.demo").await;
    let today = clock::today();
    let charged_on = today - Duration::days(8);

    // A notification before the charge, or in the future, is refused.
    let page = post(
        &app,
        &format!("/sfo/{id}/notification"),
        &head,
        &date_fields("notified", charged_on - Duration::days(1)),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&page), vec!["notified-day"]);
    assert!(page.body.contains("on or after the date of the charge"));
    let page = post(
        &app,
        &format!("/sfo/{id}/notification"),
        &head,
        &date_fields("notified", today + Duration::days(1)),
    )
    .await;
    assert_eq!(error_fields(&page), vec!["notified-day"]);

    // The practitioner who held the case cannot review it; a senior officer of another team can.
    let page = app
        .post(
            &format!("/sfo/{id}/reviewer"),
            &head,
            &[("reviewer", &app.staff_id("po.demo").to_string())],
        )
        .await;
    assert_eq!(error_fields(&page), vec!["reviewer"]);
    let reviewer = app.staff_id("quality.demo");
    let page = app
        .post(
            &format!("/sfo/{id}/reviewer"),
            &head,
            &[("reviewer", &reviewer.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // The reviewer cannot complete a review of a case not yet notified.
    let quality = app.sign_in("quality.demo").await;
    let mut completion = vec![
        ("intent".to_owned(), "complete".to_owned()),
        ("went_well".to_owned(), "Weekly contact kept".to_owned()),
        (
            "could_be_better".to_owned(),
            "The police check was not chased".to_owned(),
        ),
        ("learning".to_owned(), FINDINGS.to_owned()),
        (
            "actions".to_owned(),
            "Audit check chasing in March\nBrief teams on escalation".to_owned(),
        ),
        ("action_owner".to_owned(), "Head of PDU".to_owned()),
    ];
    completion.extend(date_fields("actions_due", today + Duration::days(90)));
    let mut dated = completion.clone();
    dated.extend(date_fields("completed", today));
    let page = post(&app, &format!("/sfo/{id}/review"), &quality, &dated).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&page), vec!["completed-day"]);
    assert!(page
        .body
        .contains("cannot be completed before HMPPS is notified"));

    let notified_on = today - Duration::days(2);
    let page = post(
        &app,
        &format!("/sfo/{id}/notification"),
        &head,
        &date_fields("notified", notified_on),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // Completed before the notification, or with empty findings: refused, nothing written.
    let mut early = completion.clone();
    early.extend(date_fields("completed", notified_on - Duration::days(1)));
    let page = post(&app, &format!("/sfo/{id}/review"), &quality, &early).await;
    assert_eq!(error_fields(&page), vec!["completed-day"]);
    assert!(page
        .body
        .contains("cannot be completed before it was notified"));
    let mut empty = vec![("intent".to_owned(), "complete".to_owned())];
    empty.extend(date_fields("completed", today));
    let page = post(&app, &format!("/sfo/{id}/review"), &quality, &empty).await;
    assert_eq!(
        error_fields(&page),
        vec![
            "went_well",
            "could_be_better",
            "learning",
            "actions",
            "action_owner",
            "actions_due-day"
        ]
    );
    {
        let mut conn = app.db.database.connection().unwrap();
        let record = sfo_cases::load(&mut conn, id).unwrap();
        assert_eq!(record.dates.completed_on, None, "nothing written");
        assert_eq!(record.recommendation_id, None);
    }

    // A draft, then the completion.
    let page = app
        .post(
            &format!("/sfo/{id}/review"),
            &quality,
            &[("intent", "draft"), ("learning", "First thoughts")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = app.get(&format!("/sfo/{id}"), Some(&quality)).await;
    assert!(page.body.contains("Under review"));
    assert!(page.body.contains("First thoughts"));
    let page = post(&app, &format!("/sfo/{id}/review"), &quality, &dated).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = app.get(&format!("/sfo/{id}"), Some(&head)).await;
    assert!(page.body.contains("Review completed"));
    assert!(page.body.contains(FINDINGS));

    // The actions are on the PDU's quality improvement plan.
    let plan = app.get("/quality/pdu/MIDW/plan", Some(&head)).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(
        plan.body.contains("Audit check chasing in March"),
        "{}",
        plan.body
    );
    assert!(plan.body.contains("Brief teams on escalation"));
    assert!(plan.body.contains("serious further offence review"));
    assert!(
        !plan.body.contains(FINDINGS),
        "the findings stay with the review"
    );

    let rows = app.audit(AuditFilter {
        crn: Some(crn),
        ..Default::default()
    });
    for action in [
        "record_sfo_notification",
        "assign_sfo_reviewer",
        "review_sfo",
    ] {
        assert!(
            rows.iter()
                .any(|r| r.action == action && r.outcome == "allowed"),
            "{action} audited"
        );
    }
    let _ = person;
}

#[tokio::test]
async fn the_head_of_pdu_notifies_and_assigns_and_the_reviewer_completes_with_actions_on_the_plan()
{
    notify_review_and_complete(TestApp::sqlite()).await;
}

#[tokio::test]
async fn the_review_is_completed_the_same_way_on_postgresql() {
    notify_review_and_complete(TestApp::new(Backend::Postgres)).await;
}

#[tokio::test]
async fn overdue_cases_are_flagged_on_the_list_and_the_head_of_pdus_tasks() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let person = person_of(&app, &crn);
    let id = {
        let mut conn = app.db.database.connection().unwrap();
        // Known 1 October 2026: notification was due 15 October.
        charged(
            &mut conn,
            person,
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            app.staff_id("po.demo"),
        )
        .unwrap()
    };
    let head = app.sign_in("head.demo").await;
    let tasks = app.get("/tasks", Some(&head)).await;
    assert!(tasks.body.contains(&format!("/sfo/{id}")), "{}", tasks.body);
    assert!(tasks.body.contains("Notify the serious further offence"));
    assert!(tasks
        .body
        .contains("<strong class=\"govuk-tag govuk-tag--red\">15 October 2026</strong>"));
    let list = app.get("/sfo", Some(&head)).await;
    assert!(list.body.contains("data-testid=\"sfo-overdue\""));
    let page = app.get(&format!("/sfo/{id}"), Some(&head)).await;
    assert!(page.body.contains("Overdue: Awaiting notification"));
    // The practitioner's tasks say nothing of it.
    let po = app.sign_in("po.demo").await;
    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(!tasks.body.contains(&format!("/sfo/{id}")));
    assert!(!tasks.body.contains("serious further offence"));
}

#[tokio::test]
async fn the_practitioner_the_teams_senior_officer_and_victim_liaison_are_refused_the_review_and_audited(
) {
    let app = TestApp::sqlite();
    let (crn, _, id) = sfo_on_po_case(&app);
    {
        let mut conn = app.db.database.connection().unwrap();
        reviewed_by(&mut conn, id, app.staff_id("quality.demo")).unwrap();
    }
    for username in ["po.demo", "spo.demo", "vlo.demo", "po.other", "admin.demo"] {
        let session = app.sign_in(username).await;
        let page = app.get(&format!("/sfo/{id}"), Some(&session)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{username}");
        for (path, form) in [
            ("notification", vec![("notified-day", "1")]),
            ("reviewer", vec![("reviewer", "x")]),
            ("review", vec![("intent", "draft")]),
        ] {
            let page = app
                .post(&format!("/sfo/{id}/{path}"), &session, &form)
                .await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{username} POST {path}");
        }
    }
    // The head of PDU reads it but may not write the review; the reviewer may.
    let head = app.sign_in("head.demo").await;
    let page = app
        .post(&format!("/sfo/{id}/review"), &head, &[("intent", "draft")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        crn: Some(crn),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    for (actor, action) in [
        ("po.demo", "view_sfo"),
        ("spo.demo", "view_sfo"),
        ("head.demo", "review_sfo"),
    ] {
        assert!(
            refusals
                .iter()
                .any(|r| r.action == action && r.actor.contains(actor)),
            "{actor} {action} refused and audited"
        );
    }
    // Practitioners and victim liaison are refused the list by their grade.
    for username in ["po.demo", "vlo.demo"] {
        let session = app.sign_in(username).await;
        assert_eq!(
            app.get("/sfo", Some(&session)).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn the_review_is_never_shown_to_the_practitioner_or_senior_officer_on_any_route() {
    let app = TestApp::sqlite();
    let (_, _, id) = sfo_on_po_case(&app);
    {
        let mut conn = app.db.database.connection().unwrap();
        notified(
            &mut conn,
            id,
            clock::today() - Duration::days(1),
            app.staff_id("head.demo"),
        )
        .unwrap();
        reviewed_by(&mut conn, id, app.staff_id("quality.demo")).unwrap();
        drafted(&mut conn, id).unwrap();
    }
    let po = app.sign_in("po.demo").await;
    let spo = app.sign_in("spo.demo").await;
    let walkers: [(&str, &Session); 2] = [("po.demo", &po), ("spo.demo", &spo)];
    let mut walked = 0;
    for route in app.routes.iter().filter(|r| r.method == Method::GET) {
        let path = concrete(&app, route.path);
        for (name, session) in walkers {
            let page = app.get(&path, Some(session)).await;
            assert!(
                !page.body.contains(FINDINGS),
                "GET {path} as {name} shows the findings"
            );
            walked += 1;
        }
        let own = format!("/sfo/{id}");
        for (name, session) in walkers {
            let page = app.get(&own, Some(session)).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{name}");
            assert!(!page.body.contains(FINDINGS));
        }
    }
    assert!(walked > 100, "every GET route walked ({walked})");
    // The walk would see a leak: the reviewer's own page shows the findings.
    let quality = app.sign_in("quality.demo").await;
    let own = app.get(&format!("/sfo/{id}"), Some(&quality)).await;
    assert!(
        own.body.contains(FINDINGS),
        "the reviewer sees the findings"
    );
}
