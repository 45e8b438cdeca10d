//! `keepsafe calendar url` (a practitioner's feed address, which then serves the feed) and
//! `keepsafe outbox send` (one pass of the reminders outbox).

use crate::{keepsafe, small_demo};
use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use chrono::Duration;
use keepsafe_domain::staff::Username;
use keepsafe_domain::supervision::reminders::{OutboxStatus, ReminderChannel};
use keepsafe_storage::supervision::outbox::{self, NewPreference};
use keepsafe_storage::{cases, staff, transaction, Database, DatabaseUrl, StorageError};
use keepsafe_test_support::cli::{stderr, stdout, succeeded};
use keepsafe_test_support::clock;
use keepsafe_test_support::diary::{arrange_in, Appointment};
use keepsafe_web::{AppState, WebConfig};
use tower::ServiceExt;
use uuid::Uuid;

/// The database behind `url`, po.demo's id and one of their cases.
fn open(url: &str) -> (Database, Uuid, String) {
    let database = Database::open(&DatabaseUrl::parse(url).unwrap()).unwrap();
    let mut conn = database.connection().unwrap();
    let po = staff::find_by_username(&mut conn, &Username::parse("po.demo").unwrap())
        .unwrap()
        .unwrap();
    let crn = cases::caseload::for_staff(&mut conn, po.id, clock::now().naive_utc())
        .unwrap()
        .first()
        .expect("po.demo holds cases")
        .crn
        .clone();
    drop(conn);
    (database, po.id, crn)
}

#[tokio::test]
async fn calendar_url_prints_an_address_that_serves_the_feed() {
    let (_folder, url) = small_demo();
    let (database, po, crn) = open(&url);
    let tomorrow = clock::today() + Duration::days(1);
    let appointment = Appointment::new(&crn, "po.demo", tomorrow, "14:30").at("CLI room");
    arrange_in(&database, &appointment, po);

    let args = [
        "calendar",
        "url",
        "--username",
        "po.demo",
        "--base-url",
        "https://keepsafe.example.org/",
    ];
    let printed = succeeded(keepsafe(&url, &args));
    let address = printed.trim();
    assert!(
        address.starts_with("https://keepsafe.example.org/calendar/") && address.ends_with(".ics"),
        "{address}"
    );
    assert_eq!(printed.lines().count(), 1);
    assert_eq!(
        succeeded(keepsafe(&url, &args)).trim(),
        address,
        "the same address until it is renewed"
    );

    let (router, _) = keepsafe_web::build(AppState::new(
        database,
        WebConfig::default(),
        clock::clock(),
    ));
    let path = address.trim_start_matches("https://keepsafe.example.org");
    let response = router
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let feed = String::from_utf8_lossy(&body);
    assert!(
        feed.contains(&format!("SUMMARY:Office appointment: {crn}\r\n")),
        "{feed}"
    );
    assert!(feed.contains("LOCATION:CLI room\r\n"));
    assert!(feed.contains("DTSTART:20261203T143000Z\r\n"));
}

#[test]
fn calendar_url_needs_a_base_address_and_a_practitioner() {
    let (_folder, url) = small_demo();
    let output = keepsafe(&url, &["calendar", "url", "--username", "po.demo"]);
    assert!(!output.status.success());
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("--base-url"));
    let base = ["--base-url", "https://keepsafe.example.org"];
    let output = keepsafe(
        &url,
        &[
            &["calendar", "url", "--username", "nobody.here"][..],
            &base[..],
        ]
        .concat(),
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("there is no user 'nobody.here'"));
    let output = keepsafe(
        &url,
        &[
            &["calendar", "url", "--username", "admin.demo"][..],
            &base[..],
        ]
        .concat(),
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("no diary"), "{}", stderr(&output));
}

#[test]
fn outbox_send_writes_tomorrows_reminders_and_says_why_a_text_was_not_sent() {
    let (_folder, url) = small_demo();
    let (database, po, crn) = open(&url);
    let tomorrow = clock::today() + Duration::days(1);
    let contact = arrange_in(
        &database,
        &Appointment::new(&crn, "po.demo", tomorrow, "10:00").at("Outbox room"),
        po,
    );
    let mut conn = database.connection().unwrap();
    let person = cases::record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    transaction::write(&mut conn, |conn| {
        outbox::set_preference(
            conn,
            person,
            &NewPreference {
                channel: ReminderChannel::Text,
                mobile: Some("07700900982".into()),
                email: None,
                consent_on: Some(clock::today()),
            },
            po,
            clock::now(),
        )?;
        Ok::<_, StorageError>(())
    })
    .unwrap();
    drop(conn);

    let printed = succeeded(keepsafe(&url, &["outbox", "send"]));
    assert!(printed.contains("Reminders written: "), "{printed}");
    assert!(
        printed.contains("no text message provider is configured"),
        "{printed}"
    );
    let mut conn = database.connection().unwrap();
    let message = outbox::for_person(&mut conn, person, 50)
        .unwrap()
        .into_iter()
        .find(|m| m.contact_id == Some(contact))
        .expect("a reminder was written");
    assert_eq!(message.status, OutboxStatus::NotSent);
    assert_eq!(
        message.last_error.as_deref(),
        Some("No text message provider is configured")
    );

    let half = keepsafe(
        &url,
        &["outbox", "send", "--smtp-url", "smtp://127.0.0.1:2525"],
    );
    assert!(!half.status.success());
    assert!(stderr(&half).contains("--mail-from"), "{}", stderr(&half));
    let _ = stdout(&half);
}
