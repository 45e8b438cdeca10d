//! Outcomes, judgements and enforcement through the pages: a failure judged unacceptable on a
//! community order gets a warning letter (a document of the case), a second one starts breach
//! action; on licence it opens consider recall, countersigned by the senior officer and then the
//! head of PDU, after which the case is a custody case with a risk review due. And the refusals:
//! an outcome recorded twice, a warning for an acceptable absence, a recall countersigned by its
//! author, another team's practitioner, a partner user.

use crate::support::{today, Page, Session, TestApp};
use axum::http::StatusCode;
use chrono::{NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use keepsafe_domain::event::CaseType;
use keepsafe_domain::supervision::enforcement::{RecallStatus, WarningStatus};
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::schema::{contacts, events, review_tasks};
use keepsafe_storage::supervision::enforcement as storage;
use keepsafe_test_support::enforcement::{self as fixtures, OFFICE};
use uuid::Uuid;

struct Case {
    crn: String,
    person: Uuid,
}

/// po.demo's case, made a case of `case_type` with no enforcement history.
fn case(app: &TestApp, case_type: CaseType) -> Case {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = keepsafe_storage::cases::record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    fixtures::make_case(&mut conn, person, case_type);
    Case { crn, person }
}

fn at(days_ago: i64, hour: u32, minute: u32) -> NaiveDateTime {
    (today() - chrono::Duration::days(days_ago))
        .and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap())
}

/// An appointment with po.demo on the case.
fn appointment(app: &TestApp, case: &Case, starts_at: NaiveDateTime) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    fixtures::appointment(
        &mut conn,
        case.person,
        app.staff_id("po.demo"),
        starts_at,
        keepsafe_test_support::clock::now(),
    )
}

async fn record(
    app: &TestApp,
    session: &Session,
    case: &Case,
    id: Uuid,
    form: &[(&str, &str)],
) -> Page {
    app.post(
        &format!("/cases/{}/appointments/{id}/outcome", case.crn),
        session,
        form,
    )
    .await
}

const UNACCEPTABLE: &[(&str, &str)] = &[
    ("outcome", "failed_to_attend"),
    ("judgement", "unacceptable"),
];

fn warnings(app: &TestApp, case: &Case) -> Vec<storage::Warning> {
    let mut conn = app.db.database.connection().unwrap();
    storage::warnings(&mut conn, case.person).unwrap()
}

fn review_triggers(app: &TestApp, case: &Case) -> Vec<String> {
    let mut conn = app.db.database.connection().unwrap();
    review_tasks::table
        .filter(review_tasks::person_id.eq(case.person.to_string()))
        .select(review_tasks::trigger_kind)
        .load(&mut conn)
        .unwrap()
}

/// Records an unacceptable failure yesterday and sends its warning; returns the letter's path.
async fn warned(app: &TestApp, po: &Session, case: &Case) -> String {
    let missed = appointment(app, case, at(1, 14, 30));
    let saved = record(app, po, case, missed, UNACCEPTABLE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        Some(format!("/cases/{}/enforcement", case.crn).as_str())
    );
    let warning = warnings(app, case).remove(0);
    let sent = app
        .post(
            &format!("/cases/{}/warnings/{}/send", case.crn, warning.id),
            po,
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    sent.location().unwrap().to_owned()
}

#[tokio::test]
async fn an_unacceptable_failure_on_a_community_order_gets_a_warning_letter_to_send_and_print() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let missed = appointment(&app, &case, at(1, 14, 30));

    let form = app
        .get(
            &format!("/cases/{}/appointments/{missed}/outcome", case.crn),
            Some(&po),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Failed to attend"), "{}", form.body);
    assert!(
        !form.body.contains("late_reason"),
        "recorded the next morning, it is on time"
    );

    let saved = record(&app, &po, &case, missed, UNACCEPTABLE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let warning = warnings(&app, &case).remove(0);
    assert_eq!(warning.due_on, today());

    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(tasks.body.contains("data-testid=\"warnings-to-send\""));
    assert!(tasks.body.contains(&case.crn));

    let enforcement = app
        .get(&format!("/cases/{}/enforcement", case.crn), Some(&po))
        .await;
    assert!(enforcement.body.contains("Send the warning letter"));

    let sent = app
        .post(
            &format!("/cases/{}/warnings/{}/send", case.crn, warning.id),
            &po,
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let letter_path = sent.location().unwrap().to_owned();
    let letter = app.get(&letter_path, Some(&po)).await;
    assert_eq!(letter.status, StatusCode::OK);
    assert!(
        letter.body.contains("1 December 2026 at 14:30"),
        "{}",
        letter.body
    );
    assert!(letter.body.contains(OFFICE));
    assert!(letter.body.contains(&case.crn));
    assert!(letter.body.contains("Community order"));
    assert!(letter.body.contains("taken back to court"));
    assert!(letter.body.contains("app-no-print"));

    let list = app
        .get(&format!("/cases/{}/documents", case.crn), Some(&po))
        .await;
    assert!(list.body.contains(&letter_path), "{}", list.body);
    assert!(list.body.contains("Warning letter"));
    assert_eq!(warnings(&app, &case)[0].status, WarningStatus::Sent);

    let opened = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(opened.iter().any(|r| r.action == "open_document"));
    assert!(opened.iter().any(|r| r.action == "send_warning"));

    // Sending again is refused.
    let again = app
        .post(
            &format!("/cases/{}/warnings/{}/send", case.crn, warning.id),
            &po,
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_second_unacceptable_failure_after_a_warning_starts_breach_action_with_a_review() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    warned(&app, &po, &case).await;

    let second = appointment(&app, &case, at(0, 9, 0));
    let saved = record(&app, &po, &case, second, UNACCEPTABLE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let breach = {
        let mut conn = app.db.database.connection().unwrap();
        storage::breaches(&mut conn, case.person).unwrap().remove(0)
    };
    assert_eq!(
        breach.due_on,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 16).unwrap(),
        "ten working days"
    );
    assert_eq!(warnings(&app, &case).len(), 1, "no second warning");
    assert!(review_triggers(&app, &case).contains(&"breach".to_owned()));

    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(tasks.body.contains("data-testid=\"breach-actions-due\""));
    assert!(tasks
        .body
        .contains(&format!("/cases/{}/breaches/{}", case.crn, breach.id)));

    let path = format!("/cases/{}/breaches/{}", case.crn, breach.id);
    let refused = app
        .post(&format!("{path}/report"), &po, &[("proposal", "")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#proposal\""));

    let reported = app
        .post(
            &format!("{path}/report"),
            &po,
            &[(
                "proposal",
                "Continue the order with a curfew requirement added.",
            )],
        )
        .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.body);
    let page = app.get(&path, Some(&po)).await;
    assert!(page.body.contains("Breach report"), "{}", page.body);
    let list = app
        .get(&format!("/cases/{}/documents", case.crn), Some(&po))
        .await;
    assert!(list.body.contains("Breach report:"));

    let concluded = app
        .post(
            &format!("{path}/court-outcome"),
            &po,
            &[
                ("court_outcome", "order_amended"),
                ("outcome_on-day", "2"),
                ("outcome_on-month", "12"),
                ("outcome_on-year", "2026"),
                ("notes", "Curfew added for three months."),
            ],
        )
        .await;
    assert_eq!(
        concluded.status,
        StatusCode::SEE_OTHER,
        "{}",
        concluded.body
    );
    let page = app.get(&path, Some(&po)).await;
    assert!(page.body.contains("Order amended"), "{}", page.body);
}

fn recalls(app: &TestApp, case: &Case) -> Vec<storage::Recall> {
    let mut conn = app.db.database.connection().unwrap();
    storage::recalls(&mut conn, case.person).unwrap()
}

const RECOMMENDATION: &[(&str, &str)] = &[
    (
        "reasons",
        "Missed appointments and stopped answering the phone.",
    ),
    ("alternatives", "Increased reporting; a final warning."),
    (
        "current_risk",
        "High risk to a known adult: contact with the victim reported.",
    ),
    ("recall_type", "standard"),
    ("emergency", "no"),
];

#[tokio::test]
async fn a_licence_recall_is_countersigned_by_the_senior_officer_then_the_head_and_the_case_becomes_custody(
) {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Licence);
    let missed = appointment(&app, &case, at(1, 11, 0));
    let saved = record(&app, &po, &case, missed, UNACCEPTABLE).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(warnings(&app, &case).is_empty(), "no warning on licence");
    let recall = recalls(&app, &case).remove(0);
    assert_eq!(recall.status, RecallStatus::Considering);
    let path = format!("/cases/{}/recalls/{}", case.crn, recall.id);

    let missing = app
        .post(&format!("{path}/recommendation"), &po, &[("reasons", "x")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["alternatives", "current_risk", "recall_type", "emergency"] {
        assert!(
            missing.body.contains(&format!("href=\"#{field}\"")),
            "{field}"
        );
    }
    let recommended = app
        .post(&format!("{path}/recommendation"), &po, RECOMMENDATION)
        .await;
    assert_eq!(
        recommended.status,
        StatusCode::SEE_OTHER,
        "{}",
        recommended.body
    );
    assert_eq!(recalls(&app, &case)[0].status, RecallStatus::AwaitingSenior);

    // The practitioner cannot countersign at all; the head cannot before the senior officer.
    let by_po = app
        .post(
            &format!("{path}/countersign"),
            &po,
            &[("decision", "countersigned")],
        )
        .await;
    assert_eq!(by_po.status, StatusCode::FORBIDDEN);
    let head = app.sign_in("head.demo").await;
    let early = app
        .post(
            &format!("{path}/countersign"),
            &head,
            &[("decision", "countersigned")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);

    let spo = app.sign_in("spo.demo").await;
    let tasks = app.get("/tasks", Some(&spo)).await;
    assert!(tasks
        .body
        .contains("data-testid=\"recalls-to-countersign\""));
    assert!(tasks.body.contains(&path), "{}", tasks.body);
    let senior = app
        .post(
            &format!("{path}/countersign"),
            &spo,
            &[("decision", "countersigned")],
        )
        .await;
    assert_eq!(senior.status, StatusCode::SEE_OTHER, "{}", senior.body);
    assert_eq!(recalls(&app, &case)[0].status, RecallStatus::AwaitingHead);

    let tasks = app.get("/tasks", Some(&head)).await;
    assert!(tasks.body.contains(&path), "{}", tasks.body);
    let recalled = app
        .post(
            &format!("{path}/countersign"),
            &head,
            &[("decision", "countersigned")],
        )
        .await;
    assert_eq!(recalled.status, StatusCode::SEE_OTHER, "{}", recalled.body);
    let done = recalls(&app, &case).remove(0);
    assert_eq!(done.status, RecallStatus::Recalled);
    assert_eq!(done.recall_date, Some(today()));

    let case_types: Vec<String> = {
        let mut conn = app.db.database.connection().unwrap();
        events::table
            .filter(events::person_id.eq(case.person.to_string()))
            .filter(events::active.eq(true))
            .select(events::case_type)
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(case_types, ["custody"]);
    assert!(review_triggers(&app, &case).contains(&"recall".to_owned()));
    let recall_events: i64 = {
        let mut conn = app.db.database.connection().unwrap();
        contacts::table
            .filter(contacts::person_id.eq(case.person.to_string()))
            .filter(contacts::contact_type.eq("recall"))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(recall_events, 4, "opened, recommended, countersigned twice");
    let list = app
        .get(&format!("/cases/{}/documents", case.crn), Some(&po))
        .await;
    assert!(list.body.contains("Recall recommendation:"));
    assert!(list.body.contains("Recall decision:"));
}

#[tokio::test]
async fn a_recall_countersigned_by_its_author_is_refused() {
    let app = TestApp::sqlite();
    let case = case(&app, CaseType::Licence);
    let spo = app.sign_in("spo.demo").await;
    let opened = app
        .post(
            &format!("/cases/{}/recalls", case.crn),
            &spo,
            &[("reason", "Police report contact with the victim.")],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let path = opened.location().unwrap().to_owned();
    let recommended = app
        .post(&format!("{path}/recommendation"), &spo, RECOMMENDATION)
        .await;
    assert_eq!(
        recommended.status,
        StatusCode::SEE_OTHER,
        "{}",
        recommended.body
    );
    let own = app
        .post(
            &format!("{path}/countersign"),
            &spo,
            &[("decision", "countersigned")],
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        own.body.contains("You wrote this recall recommendation"),
        "{}",
        own.body
    );
    assert_eq!(recalls(&app, &case)[0].status, RecallStatus::AwaitingSenior);
}

#[tokio::test]
async fn an_acceptable_absence_needs_its_evidence_and_cannot_get_a_warning() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let missed = appointment(&app, &case, at(1, 10, 0));
    let incomplete = record(
        &app,
        &po,
        &case,
        missed,
        &[
            ("outcome", "failed_to_attend"),
            ("judgement", "acceptable"),
            ("reason", "In hospital"),
        ],
    )
    .await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(incomplete.body.contains("href=\"#evidence\""));
    assert!(
        incomplete.body.contains("In hospital"),
        "what was typed is kept"
    );

    let saved = record(
        &app,
        &po,
        &case,
        missed,
        &[
            ("outcome", "failed_to_attend"),
            ("judgement", "acceptable"),
            ("reason", "In hospital"),
            ("evidence", "Discharge letter seen"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(warnings(&app, &case).is_empty());
    let warning = app
        .post(
            &format!("/cases/{}/appointments/{missed}/warning", case.crn),
            &po,
            &[],
        )
        .await;
    assert_eq!(warning.status, StatusCode::CONFLICT);
    assert!(
        warning.body.contains("judged acceptable"),
        "{}",
        warning.body
    );
    assert!(warnings(&app, &case).is_empty());
}

#[tokio::test]
async fn an_unacceptable_failure_recorded_elsewhere_can_be_given_a_warning_once() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let id = appointment(&app, &case, at(1, 10, 0));
    {
        // As a contact recorded after the fact is written: outcome and judgement at once.
        let mut conn = app.db.database.connection().unwrap();
        diesel::update(contacts::table.find(id.to_string()))
            .set((
                contacts::outcome.eq("attended_failed_to_comply"),
                contacts::judgement.eq("unacceptable"),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let outcome = format!("/cases/{}/appointments/{id}/outcome", case.crn);
    let page = app.get(&outcome, Some(&po)).await;
    assert!(
        page.body.contains("Give a warning for this failure"),
        "{}",
        page.body
    );
    let warn = format!("/cases/{}/appointments/{id}/warning", case.crn);
    let given = app.post(&warn, &po, &[]).await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
    assert_eq!(warnings(&app, &case).len(), 1);
    let page = app.get(&outcome, Some(&po)).await;
    assert!(!page.body.contains("Give a warning for this failure"));
    assert_eq!(app.post(&warn, &po, &[]).await.status, StatusCode::CONFLICT);
    assert_eq!(warnings(&app, &case).len(), 1);
}

#[tokio::test]
async fn an_outcome_recorded_twice_tells_the_second_who_recorded_it_and_writes_nothing() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let spo = app.sign_in("spo.demo").await;
    let case = case(&app, CaseType::Community);
    let id = appointment(&app, &case, at(1, 10, 0));
    let first = record(&app, &po, &case, id, &[("outcome", "attended")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = record(&app, &spo, &case, id, UNACCEPTABLE).await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    let po_name = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .map(|s| format!("{} {}", s.first_name, s.last_name))
        .unwrap();
    assert!(
        second
            .body
            .contains(&format!("{po_name} recorded the outcome")),
        "{}",
        second.body
    );
    let mut conn = app.db.database.connection().unwrap();
    let stored: Option<String> = contacts::table
        .find(id.to_string())
        .select(contacts::outcome)
        .first(&mut conn)
        .unwrap();
    assert_eq!(stored.as_deref(), Some("attended"));
    assert!(warnings(&app, &case).is_empty());
}

#[tokio::test]
async fn a_late_outcome_asks_why_and_a_future_appointment_takes_none() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let old = appointment(&app, &case, at(7, 10, 0));
    let refused = record(&app, &po, &case, old, &[("outcome", "attended")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#late_reason\""),
        "{}",
        refused.body
    );
    let saved = record(
        &app,
        &po,
        &case,
        old,
        &[
            ("outcome", "attended"),
            ("late_reason", "On leave last week"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = app.get(saved.location().unwrap(), Some(&po)).await;
    assert!(shown.body.contains("On leave last week"));

    let future = appointment(&app, &case, at(-2, 10, 0));
    let page = app
        .get(
            &format!("/cases/{}/appointments/{future}/outcome", case.crn),
            Some(&po),
        )
        .await;
    assert!(page.body.contains("has not happened yet"), "{}", page.body);
    let refused = record(&app, &po, &case, future, &[("outcome", "attended")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn waiting_for_evidence_becomes_a_task_after_its_deadline_and_is_judged_then() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let id = appointment(&app, &case, at(1, 10, 0));
    let saved = record(
        &app,
        &po,
        &case,
        id,
        &[
            ("outcome", "failed_to_attend"),
            ("judgement", "awaiting_evidence"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mut conn = app.db.database.connection().unwrap();
    let due: Option<chrono::NaiveDate> = contacts::table
        .find(id.to_string())
        .select(contacts::evidence_due_on)
        .first(&mut conn)
        .unwrap();
    assert_eq!(
        due,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 9),
        "five working days"
    );
    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(!tasks.body.contains(&format!("{id}/judgement")), "not yet");

    // The wait ends.
    diesel::update(contacts::table.find(id.to_string()))
        .set(contacts::evidence_due_on.eq(today() - chrono::Duration::days(1)))
        .execute(&mut conn)
        .unwrap();
    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(tasks.body.contains("data-testid=\"evidence-to-judge\""));
    assert!(
        tasks.body.contains(&format!("{id}/judgement")),
        "{}",
        tasks.body
    );
    let judged = app
        .post(
            &format!("/cases/{}/appointments/{id}/judgement", case.crn),
            &po,
            &[("judgement", "unacceptable")],
        )
        .await;
    assert_eq!(judged.status, StatusCode::SEE_OTHER, "{}", judged.body);
    assert_eq!(warnings(&app, &case).len(), 1);
}

#[tokio::test]
async fn another_teams_practitioner_and_partner_users_are_refused() {
    let app = TestApp::sqlite();
    let case = case(&app, CaseType::Community);
    let id = appointment(&app, &case, at(1, 10, 0));
    let outcome = format!("/cases/{}/appointments/{id}/outcome", case.crn);
    for username in ["po.other", "police.demo"] {
        let session = app.sign_in(username).await;
        assert_eq!(
            app.get(&outcome, Some(&session)).await.status,
            StatusCode::FORBIDDEN
        );
        let posted = app.post(&outcome, &session, UNACCEPTABLE).await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN, "{username}");
        for path in ["documents", "enforcement"] {
            let page = app
                .get(&format!("/cases/{}/{path}", case.crn), Some(&session))
                .await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{username} {path}");
        }
    }
    assert!(warnings(&app, &case).is_empty());
    let mut conn = app.db.database.connection().unwrap();
    let stored: Option<String> = contacts::table
        .find(id.to_string())
        .select(contacts::outcome)
        .first(&mut conn)
        .unwrap();
    assert_eq!(stored, None);
}

#[tokio::test]
async fn an_uploaded_document_is_checked_like_a_partner_attachment_and_its_download_audited() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let crn = app.case_of("po.demo");
    let path = format!("/cases/{crn}/documents");
    let disguised = app
        .post_multipart(
            &path,
            &po,
            &[("title", "Sick note")],
            &[("file", "note.pdf", "application/pdf", b"MZ\x90\x00")],
        )
        .await;
    assert_eq!(disguised.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised.body.contains("note.pdf is not a PDF file"),
        "{}",
        disguised.body
    );

    let text = b"Fit note: unfit for work 1 to 3 December 2026.";
    let uploaded = app
        .post_multipart(
            &path,
            &po,
            &[("title", "Fit note")],
            &[("file", "fit-note.txt", "text/plain", text)],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let list = app.get(&path, Some(&po)).await;
    assert!(list.body.contains("Fit note"));
    assert!(list.body.contains("fit-note.txt"));
    let marker = format!("{path}/");
    let start = list.body.find(&marker).unwrap();
    let link: String = list.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let download = app.get(&link, Some(&po)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.body.as_bytes(), text);
    assert!(download
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    let audited = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(audited
        .iter()
        .any(|r| r.action == "download_document" && r.detail.contains("Fit note")));
}

/// Fills in the enforcement parameters of a route pattern (for the route walk), making one of
/// each record on po.demo's case when the pattern names any.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    let names = ["{warning}", "{breach}", "{recall}", "{document}"];
    if !names.iter().any(|n| path.contains(n)) {
        return path.to_owned();
    }
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = keepsafe_storage::cases::record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    let records = fixtures::records(
        &mut conn,
        person,
        app.staff_id("po.demo"),
        keepsafe_test_support::clock::now(),
    );
    path.replace("{id}", &records.appointment.to_string())
        .replace("{warning}", &records.warning.to_string())
        .replace("{breach}", &records.breach.to_string())
        .replace("{recall}", &records.recall.to_string())
        .replace("{document}", &records.document.to_string())
}

#[tokio::test]
async fn an_unacceptable_failure_recorded_after_the_fact_gets_a_warning_to_send() {
    use keepsafe_test_support::supervision::PastContact;
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let case = case(&app, CaseType::Community);
    let missed = PastContact {
        kind: "office_visit".into(),
        date: today() - chrono::Duration::days(1),
        time: "11:00".into(),
        location: "office".into(),
        outcome: "failed_to_attend".into(),
        judgement: Some("unacceptable".into()),
        notes: "Did not come and has not been in touch.".into(),
        ..PastContact::default()
    };
    let saved = app.record_contact(&po, &case.crn, &missed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let due = warnings(&app, &case);
    assert_eq!(due.len(), 1, "one warning for the failure");
    assert_eq!(due[0].status, WarningStatus::Due);
}
