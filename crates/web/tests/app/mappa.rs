//! MAPPA: a meeting recorded through its form reviews the MAPPA registration (level, category and
//! the next review on the level's cadence), refused input names each field and writes nothing, an
//! overdue review is flagged on the case's MAPPA page and leads the MAPPA list, and only those who
//! work on the case may record a meeting.

use crate::record_details::error_fields;
use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use keepsafe_domain::registration::{MappaLevel, RegistrationKind};
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::cases::registrations;
use keepsafe_storage::mappa::meetings;
use keepsafe_test_support::clock;
use uuid::Uuid;

/// po.demo's case, registered under MAPPA at `level` on `registered_on` with the next review on
/// `next_review_on`: (CRN, person, registration).
fn mappa_case(
    app: &TestApp,
    level: MappaLevel,
    registered_on: NaiveDate,
    next_review_on: NaiveDate,
) -> (String, Uuid, Uuid) {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    // Any MAPPA registration the demo gave the case is ended, so the test's is the current one.
    for entry in registrations::for_person(&mut conn, person).unwrap() {
        if entry.kind == RegistrationKind::Mappa && entry.ended_on.is_none() {
            keepsafe_storage::transaction::write(&mut conn, |conn| {
                registrations::end(
                    conn,
                    person,
                    entry.id,
                    "Replaced for the test",
                    app.staff_id("po.demo"),
                    clock::now(),
                )
            })
            .unwrap();
        }
    }
    let registration = keepsafe_test_support::mappa::registered(
        &mut conn,
        person,
        level,
        registered_on,
        next_review_on,
        app.staff_id("po.demo"),
    )
    .unwrap();
    (crn, person, registration)
}

/// Fills `{mappa_registration}` for the route walk with a current MAPPA registration on
/// po.demo's case.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{mappa_registration}") {
        return path.to_owned();
    }
    let today = clock::today();
    let (_, _, registration) = mappa_case(
        app,
        MappaLevel::ActiveMultiAgency,
        today - Duration::weeks(10),
        today + Duration::weeks(6),
    );
    path.replace("{mappa_registration}", &registration.to_string())
}

fn date_fields(name: &str, day: NaiveDate) -> Vec<(String, String)> {
    vec![
        (format!("{name}-day"), day.day().to_string()),
        (format!("{name}-month"), day.month().to_string()),
        (format!("{name}-year"), day.year().to_string()),
    ]
}

async fn record_meeting(
    app: &TestApp,
    session: &Session,
    crn: &str,
    registration: Uuid,
    fields: &[(String, String)],
) -> crate::support::Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(
        &format!("/cases/{crn}/mappa/{registration}/meetings/new"),
        session,
        &form,
    )
    .await
}

#[tokio::test]
async fn a_meeting_that_raises_a_case_to_level_3_sets_the_next_review_within_eight_weeks() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, registration) = mappa_case(
        &app,
        MappaLevel::ActiveMultiAgency,
        today - Duration::weeks(12),
        today + Duration::weeks(4),
    );
    let session = app.sign_in("po.demo").await;
    let held = today - Duration::days(2);
    let mut fields = date_fields("held", held);
    fields.extend([
        ("category".to_owned(), "2".to_owned()),
        ("level".to_owned(), "3".to_owned()),
        ("chair".to_owned(), "DI Sam Morgan, police".to_owned()),
        ("agencies".to_owned(), "police".to_owned()),
        ("agencies".to_owned(), "probation".to_owned()),
        ("agencies".to_owned(), "housing".to_owned()),
        (
            "decisions".to_owned(),
            "Raised to level 3: approved premises to be sought.".to_owned(),
        ),
    ]);
    let saved = record_meeting(&app, &session, &crn, registration, &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.location().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/cases/{crn}/mappa?recorded=meeting")),
        "{location}"
    );

    let next = held + Duration::weeks(8);
    let mut conn = app.db.database.connection().unwrap();
    let entry = registrations::registration(&mut conn, person, registration).unwrap();
    assert_eq!(entry.mappa_level, Some(MappaLevel::SeniorOversight));
    assert_eq!(entry.next_review_on, Some(next));
    let held_meetings = meetings::for_person(&mut conn, person).unwrap();
    assert_eq!(held_meetings.len(), 1);
    assert_eq!(held_meetings[0].chair, "DI Sam Morgan, police");
    drop(conn);

    let page = app.get(&location, Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The MAPPA meeting has been recorded."));
    assert!(page
        .body
        .contains("Level 3: active multi-agency management with senior oversight"));
    assert!(
        page.body.contains("Police, Probation, Housing"),
        "{}",
        page.body
    );
    let next_words = next.format("%-d %B %Y").to_string();
    assert!(page.body.contains(&next_words), "{next_words}");

    let audit = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        ..Default::default()
    });
    let row = audit
        .iter()
        .find(|r| r.action == "record_mappa_meeting" && r.outcome == "allowed")
        .expect("the meeting is audit-logged");
    assert!(row.detail.contains("level 3 (was 2 2)"), "{}", row.detail);
}

#[tokio::test]
async fn a_meeting_with_nothing_filled_in_is_refused_naming_each_field_and_nothing_is_written() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, person, registration) = mappa_case(
        &app,
        MappaLevel::ActiveMultiAgency,
        today - Duration::weeks(12),
        today + Duration::weeks(4),
    );
    let session = app.sign_in("po.demo").await;
    let refused = record_meeting(&app, &session, &crn, registration, &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&refused),
        [
            "held-day",
            "category",
            "level",
            "chair",
            "agencies",
            "decisions"
        ]
    );
    let mut conn = app.db.database.connection().unwrap();
    assert!(meetings::for_person(&mut conn, person).unwrap().is_empty());
    let entry = registrations::registration(&mut conn, person, registration).unwrap();
    assert_eq!(entry.next_review_on, Some(today + Duration::weeks(4)));
}

#[tokio::test]
async fn a_next_meeting_beyond_the_level_2_cadence_is_refused_with_the_latest_date_allowed() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, _, registration) = mappa_case(
        &app,
        MappaLevel::ActiveMultiAgency,
        today - Duration::weeks(12),
        today + Duration::weeks(4),
    );
    let session = app.sign_in("po.demo").await;
    let mut fields = date_fields("held", today);
    fields.extend(date_fields("next_meeting", today + Duration::weeks(17)));
    fields.extend([
        ("category".to_owned(), "2".to_owned()),
        ("level".to_owned(), "2".to_owned()),
        ("chair".to_owned(), "Sam Morgan".to_owned()),
        ("agencies".to_owned(), "police".to_owned()),
        ("agencies".to_owned(), "probation".to_owned()),
        ("decisions".to_owned(), "Continue at level 2.".to_owned()),
    ]);
    let refused = record_meeting(&app, &session, &crn, registration, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["next_meeting-day"]);
    let latest = (today + Duration::weeks(16))
        .format("%-d %B %Y")
        .to_string();
    assert!(refused.body.contains(&latest), "{latest}");
    assert!(
        refused.body.contains("Continue at level 2."),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn an_overdue_mappa_review_is_flagged_on_the_case_and_leads_the_mappa_list() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let (crn, _, registration) = mappa_case(
        &app,
        MappaLevel::SeniorOversight,
        today - Duration::weeks(20),
        today - Duration::days(3),
    );
    let session = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{crn}/mappa"), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("overdue by 3 days"), "{}", page.body);
    assert!(page.body.contains("at least every 8 weeks"));

    let list = app.get("/mappa", Some(&session)).await;
    assert_eq!(list.status, StatusCode::OK);
    let row = list
        .body
        .split("data-testid=\"mappa-row\"")
        .find(|row| row.contains(&format!("data-crn=\"{crn}\"")))
        .expect("the case is listed");
    assert!(row.contains("Overdue"), "{row}");
    let tasks = app.get("/tasks", Some(&session)).await;
    let flags = tasks
        .body
        .split("data-testid=\"flags-to-review\"")
        .nth(1)
        .expect("a flags to review table")
        .split("</table>")
        .next()
        .unwrap();
    assert!(
        flags.contains("Hold and record the MAPPA level 3 meeting"),
        "{flags}"
    );
    assert!(flags.contains(&format!("/cases/{crn}/mappa/{registration}/meetings/new")));
    let level_1 = app.get("/mappa?level=1", Some(&session)).await;
    assert!(!level_1.body.contains(&format!("data-crn=\"{crn}\"")));
}

#[tokio::test]
async fn victim_liaison_sees_the_regions_mappa_cases_most_overdue_first_but_cannot_record_a_meeting(
) {
    let app = TestApp::sqlite();
    let today = clock::today();
    // Reviewed last a generation ago: more overdue than any other case in the region.
    let (crn, _, registration) = mappa_case(
        &app,
        MappaLevel::ActiveMultiAgency,
        today - Duration::weeks(52 * 30),
        today - Duration::weeks(52 * 29),
    );
    let vlo = app
        .sign_in_as(keepsafe_domain::staff::Grade::VictimLiaisonOfficer)
        .await;
    let list = app.get("/mappa", Some(&vlo)).await;
    assert_eq!(list.status, StatusCode::OK);
    let first_row = list
        .body
        .split("data-testid=\"mappa-row\"")
        .nth(1)
        .expect("a MAPPA case is listed");
    assert!(
        first_row.contains(&format!("data-crn=\"{crn}\"")),
        "the most overdue leads"
    );
    let form = app
        .get(
            &format!("/cases/{crn}/mappa/{registration}/meetings/new"),
            Some(&vlo),
        )
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
}
