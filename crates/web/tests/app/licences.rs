//! Licences and release through the web: a practitioner drafts a licence with a curfew and an
//! exclusion zone and a senior officer approves it; bad conditions are refused naming their
//! fields with everything typed kept; the author cannot approve, a curfew waits for a suitable
//! address and a practitioner cannot approve at all (refused and audited); the prison's dates
//! put the handover on `/tasks`; recording the release makes the case a licence case.

use crate::support::{Session, TestApp};
use axum::http::StatusCode;
use chrono::NaiveDate;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::cases::record as case_record;
use keepsafe_test_support::licences::{approved_address, custody_case};
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn person_of(app: &TestApp, crn: &str) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    case_record::locate(&mut conn, crn)
        .unwrap()
        .unwrap()
        .person_id
}

/// The practitioner's case, made a custody case (24 months from 1 June 2026); with an address
/// approved as suitable if `address`. Returns the CRN.
fn custody(app: &TestApp, address: bool) -> String {
    let crn = app.case_of("po.demo");
    let person = person_of(app, &crn);
    let mut conn = app.db.database.connection().unwrap();
    custody_case(&mut conn, person, date(2026, 6, 1), 24);
    if address {
        approved_address(
            &mut conn,
            person,
            app.staff_id("po.demo"),
            date(2026, 11, 20),
        );
    }
    crn
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .rfind(&marker)
        .unwrap_or_else(|| panic!("a {name} field in {body}"))
        + marker.len();
    body[start..start + body[start..].find('"').unwrap()].to_owned()
}

/// The version and lock of the licence being written, from the licence page.
async fn version(app: &TestApp, session: &Session, crn: &str) -> (String, String) {
    let page = app
        .get(&format!("/cases/{crn}/licence"), Some(session))
        .await;
    (hidden(&page.body, "version_id"), hidden(&page.body, "lock"))
}

async fn add(
    app: &TestApp,
    session: &Session,
    crn: &str,
    fields: &[(&str, &str)],
) -> crate::support::Page {
    let (id, lock) = version(app, session, crn).await;
    let mut form = vec![("version_id", id.as_str()), ("lock", lock.as_str())];
    form.extend_from_slice(fields);
    app.post(
        &format!("/cases/{crn}/licence/conditions/new"),
        session,
        &form,
    )
    .await
}

/// Starts the licence, adds a curfew and an exclusion zone and sends it for approval.
async fn draft_and_submit(app: &TestApp, session: &Session, crn: &str) {
    let started = app
        .post(&format!("/cases/{crn}/licence"), session, &[])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let curfew = add(
        app,
        session,
        crn,
        &[
            ("condition", "curfew"),
            ("curfew_from", "19:00"),
            ("curfew_to", "07:00"),
        ],
    )
    .await;
    assert_eq!(curfew.status, StatusCode::SEE_OTHER, "{}", curfew.body);
    let zone = add(
        app,
        session,
        crn,
        &[
            ("condition", "exclusion_zone"),
            ("area", "The Old Town inside the ring road"),
            ("victim_requested", "yes"),
            ("vlo_name", "Priya Shah"),
        ],
    )
    .await;
    assert_eq!(zone.status, StatusCode::SEE_OTHER, "{}", zone.body);
    let (id, lock) = version(app, session, crn).await;
    let submitted = app
        .post(
            &format!("/cases/{crn}/licence/submit"),
            session,
            &[("version_id", &id), ("lock", &lock)],
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
}

async fn approve(app: &TestApp, session: &Session, crn: &str) -> crate::support::Page {
    let (id, lock) = version(app, session, crn).await;
    app.post(
        &format!("/cases/{crn}/licence/approve"),
        session,
        &[("version_id", &id), ("lock", &lock)],
    )
    .await
}

#[tokio::test]
async fn a_practitioner_drafts_a_licence_a_senior_officer_approves_it_and_the_printed_licence_shows_its_conditions(
) {
    let app = TestApp::sqlite();
    let crn = custody(&app, true);
    let po = app.sign_in("po.demo").await;
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("1 June 2027"),
        "release at the half-way point: {}",
        page.body
    );
    assert!(page.body.contains("How it was worked out"));
    assert!(page
        .body
        .contains("Address approved as suitable on 20 November 2026"));
    draft_and_submit(&app, &po, &crn).await;

    let spo = app.sign_in("spo.demo").await;
    let approved = approve(&app, &spo, &crn).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert!(
        page.body.contains("data-testid=\"in-force\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Victim request"));
    assert!(page.body.contains("Priya Shah"));

    let print = app
        .get(&format!("/cases/{crn}/licence/print"), Some(&po))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(
        print.body.contains("Between 19:00 and 07:00 every day."),
        "{}",
        print.body
    );
    assert!(print
        .body
        .contains("The area: The Old Town inside the ring road"));
    assert!(print.body.contains("Not commit any offence."));
    assert!(
        !print.body.contains("Priya Shah"),
        "the printed licence does not say who asked"
    );
    assert!(app
        .audit(AuditFilter {
            actor: Some("spo.demo".into()),
            outcome: Some(Outcome::Allowed),
            ..Default::default()
        })
        .iter()
        .any(|r| r.action == "approve_licence"));
}

#[tokio::test]
async fn conditions_without_the_details_they_need_are_refused_naming_the_fields_and_keeping_what_was_typed(
) {
    let app = TestApp::sqlite();
    let crn = custody(&app, true);
    let po = app.sign_in("po.demo").await;
    app.post(&format!("/cases/{crn}/licence"), &po, &[]).await;
    let long = add(
        &app,
        &po,
        &crn,
        &[
            ("condition", "curfew"),
            ("curfew_from", "18:00"),
            ("curfew_to", "12:00"),
        ],
    )
    .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.body.contains("href=\"#curfew_from\""), "{}", long.body);
    assert!(long
        .body
        .contains("A curfew must last between 2 and 16 hours a day"));
    assert!(
        long.body.contains("value=\"18:00\""),
        "what was typed is kept"
    );
    let zone = add(
        &app,
        &po,
        &crn,
        &[("condition", "exclusion_zone"), ("area", " ")],
    )
    .await;
    assert_eq!(zone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zone.body.contains("href=\"#area\""));
    let bespoke = add(
        &app,
        &po,
        &crn,
        &[("condition", "bespoke"), ("wording", "Not to keep a dog")],
    )
    .await;
    assert_eq!(bespoke.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bespoke.body.contains("href=\"#bespoke_reason\""));
    assert!(bespoke.body.contains("Not to keep a dog"));
    let none = add(&app, &po, &crn, &[]).await;
    assert!(none.body.contains("href=\"#condition\""));
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert!(
        page.body.contains("No additional conditions yet."),
        "nothing saved"
    );
}

#[tokio::test]
async fn the_author_cannot_approve_a_curfew_waits_for_a_suitable_address_and_a_practitioner_is_refused(
) {
    let app = TestApp::sqlite();
    let crn = custody(&app, false);
    let spo = app.sign_in("spo.demo").await;
    draft_and_submit(&app, &spo, &crn).await;
    let own = approve(&app, &spo, &crn).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.body.contains("href=\"#approve\""));
    assert!(own.body.contains("You wrote this licence"), "{}", own.body);

    let head = app.sign_in("head.demo").await;
    let no_address = approve(&app, &head, &crn).await;
    assert_eq!(no_address.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_address
            .body
            .contains("the address must be approved as suitable first"),
        "{}",
        no_address.body
    );

    let po = app.sign_in("po.demo").await;
    let (id, lock) = version(&app, &spo, &crn).await;
    let refused = app
        .post(
            &format!("/cases/{crn}/licence/approve"),
            &po,
            &[("version_id", &id), ("lock", &lock)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app
        .audit(AuditFilter {
            actor: Some("po.demo".into()),
            outcome: Some(Outcome::Refused),
            ..Default::default()
        })
        .iter()
        .any(|r| r.action == "approve_licence"));
}

#[tokio::test]
async fn the_prisons_dates_put_the_handover_on_tasks_and_impossible_dates_are_refused() {
    let app = TestApp::sqlite();
    let crn = custody(&app, false);
    let po = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/licence/key-dates");
    let form = app.get(&path, Some(&po)).await;
    assert_eq!(form.status, StatusCode::OK);
    let bad = app
        .post(
            &path,
            &po,
            &[
                ("release_date-day", "15"),
                ("release_date-month", "1"),
                ("release_date-year", "2027"),
                ("licence_end_date-day", "1"),
                ("licence_end_date-month", "1"),
                ("licence_end_date-year", "2027"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("href=\"#licence_end_date-day\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"15\""));
    let saved = app
        .post(
            &path,
            &po,
            &[
                ("release_date-day", "15"),
                ("release_date-month", "1"),
                ("release_date-year", "2027"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert!(page.body.contains("15 January 2027"));
    assert!(
        page.body.contains("Recorded from the prison"),
        "{}",
        page.body
    );
    let tasks = app.get("/tasks", Some(&po)).await;
    assert!(
        tasks.body.contains("data-testid=\"licence-tasks\""),
        "{}",
        tasks.body
    );
    assert!(tasks
        .body
        .contains("Hold the handover meeting with the prison offender manager"));
    assert!(
        !tasks
            .body
            .contains("Confirm the accommodation for the night of release"),
        "release day's tasks come later"
    );
}

#[tokio::test]
async fn recording_the_release_makes_the_case_a_licence_case_from_that_day() {
    let app = TestApp::sqlite();
    let crn = custody(&app, true);
    let po = app.sign_in("po.demo").await;
    let early = app
        .get(&format!("/cases/{crn}/licence/release"), Some(&po))
        .await;
    assert!(early.body.contains("once the licence has been approved"));
    draft_and_submit(&app, &po, &crn).await;
    let spo = app.sign_in("spo.demo").await;
    assert_eq!(
        approve(&app, &spo, &crn).await.status,
        StatusCode::SEE_OTHER
    );
    let path = format!("/cases/{crn}/licence/release");
    let future = app
        .post(
            &path,
            &po,
            &[
                ("on-day", "3"),
                ("on-month", "12"),
                ("on-year", "2026"),
                ("licence_end-day", "1"),
                ("licence_end-month", "6"),
                ("licence_end-year", "2028"),
            ],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("href=\"#on-day\""));
    let saved = app
        .post(
            &path,
            &po,
            &[
                ("on-day", "2"),
                ("on-month", "12"),
                ("on-year", "2026"),
                ("licence_end-day", "1"),
                ("licence_end-month", "6"),
                ("licence_end-year", "2028"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mut conn = app.db.database.connection().unwrap();
    let case_type = case_record::main_case_type(&mut conn, person_of(&app, &crn)).unwrap();
    assert_eq!(case_type, Some(keepsafe_domain::event::CaseType::Licence));
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert!(
        page.body
            .contains("Released on licence on 2 December 2026, to 1 June 2028"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_catalogue_of_conditions_is_listed_in_words() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let page = app.get("/licence-conditions", Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Exclusion zone"));
    assert!(page
        .body
        .contains("Reside permanently at an address approved by the supervising officer"));
}

#[tokio::test]
async fn a_condition_a_victim_asked_for_is_offered_on_the_licence_and_the_release_makes_their_contact_due(
) {
    use diesel::prelude::*;
    use keepsafe_storage::schema::victim_contacts;
    use keepsafe_test_support::victims::{record_victim, NAME, STREET, ZONE};
    let app = TestApp::sqlite();
    let crn = custody(&app, true);
    let person = person_of(&app, &crn);
    {
        let mut conn = app.db.database.connection().unwrap();
        record_victim(&mut conn, person, app.staff_id("vlo.demo"));
    }
    let po = app.sign_in("po.demo").await;
    let started = app.post(&format!("/cases/{crn}/licence"), &po, &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page = app.get(&format!("/cases/{crn}/licence"), Some(&po)).await;
    assert!(page.body.contains("Conditions victims have asked for"));
    assert!(
        page.body.contains(ZONE),
        "the area is shared to be enforced"
    );
    assert!(!page.body.contains(NAME) && !page.body.contains(STREET));
    let href = page
        .body
        .split("href=\"")
        .find(|rest| rest.starts_with(&format!("/cases/{crn}/licence/conditions/new?")))
        .and_then(|rest| rest.split('"').next())
        .expect("a link adding the condition")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let form = app.get(&href, Some(&po)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(ZONE),
        "the form is filled in with the area: {href}"
    );

    // The condition as the form sends it, then approval and release.
    let zone = add(
        &app,
        &po,
        &crn,
        &[
            ("condition", "exclusion_zone"),
            ("area", ZONE),
            ("victim_requested", "yes"),
            ("vlo_name", "Victim liaison"),
        ],
    )
    .await;
    assert_eq!(zone.status, StatusCode::SEE_OTHER, "{}", zone.body);
    let (id, lock) = version(&app, &po, &crn).await;
    let submitted = app
        .post(
            &format!("/cases/{crn}/licence/submit"),
            &po,
            &[("version_id", &id), ("lock", &lock)],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    let spo = app.sign_in("spo.demo").await;
    assert_eq!(
        approve(&app, &spo, &crn).await.status,
        StatusCode::SEE_OTHER
    );
    let released = app
        .post(
            &format!("/cases/{crn}/licence/release"),
            &po,
            &[
                ("on-day", "2"),
                ("on-month", "12"),
                ("on-year", "2026"),
                ("licence_end-day", "1"),
                ("licence_end-month", "6"),
                ("licence_end-year", "2028"),
            ],
        )
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.body);
    let mut conn = app.db.database.connection().unwrap();
    let due: i64 = victim_contacts::table
        .filter(victim_contacts::person_id.eq(person.to_string()))
        .filter(victim_contacts::stage.eq("release"))
        .filter(victim_contacts::contacted_on.is_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(
        due, 1,
        "the victim in the scheme is to be told of the release"
    );
}
