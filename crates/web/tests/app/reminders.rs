//! Reminders to the person on probation: their choice (validated, with consent), and the outbox
//! sending through a real SMTP server started here, retrying a failing one with back-off, keeping
//! text messages unsent with no provider, and cancelling a reminder whose appointment moved.

use crate::support::{self, TestApp};
use axum::http::StatusCode;
use chrono::Duration;
use keepsafe_domain::supervision::contact::ContactStatus;
use keepsafe_domain::supervision::reminders::OutboxStatus;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_storage::supervision::outbox::{self, OutboxMessage};
use keepsafe_storage::Clock;
use keepsafe_test_support::clock;
use keepsafe_test_support::diary::{move_to, set_status, Appointment};
use keepsafe_web::supervision::delivery::{run_outbox, Delivery, SmtpMail, NO_TEXT_PROVIDER};
use mailin_embedded::{response, Handler, Response, Server};
use std::sync::{Arc, Mutex};

const FROM: &str = "Probation service <reminders@probation.example>";

/// One message the test SMTP server received.
#[derive(Debug, Clone)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// A real SMTP server on a free local port, keeping what it receives.
#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.received.lock().unwrap().push(Received {
            to: std::mem::take(&mut self.to),
            data: unquote(&String::from_utf8_lossy(&std::mem::take(&mut self.data))),
        });
        response::OK
    }
}

/// A quoted-printable body as the person reads it (soft line breaks joined, =XX decoded).
fn unquote(data: &str) -> String {
    let joined = data.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Starts the SMTP server; returns its smtp:// address and what it receives.
fn smtp_server() -> (String, Arc<Mutex<Vec<Received>>>) {
    let inbox = Inbox::default();
    let received = inbox.received.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("localhost")
        .with_num_threads(2)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

/// An smtp:// address where nothing listens: connections are refused.
fn refusing_smtp() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}

fn email_delivery(smtp_url: &str) -> Delivery {
    Delivery {
        email: Some(SmtpMail::new(smtp_url, FROM).unwrap()),
        ..Default::default()
    }
}

/// The message written for one appointment.
fn message_for(app: &TestApp, crn: &str, contact: uuid::Uuid) -> Option<OutboxMessage> {
    let mut conn = app.db.database.connection().unwrap();
    let case = keepsafe_storage::cases::record::locate(&mut conn, crn)
        .unwrap()
        .unwrap();
    outbox::for_person(&mut conn, case.person_id, 100)
        .unwrap()
        .into_iter()
        .find(|m| m.contact_id == Some(contact))
}

/// A clock reading `minutes` after the tests' moment.
fn later(minutes: i64) -> Clock {
    Clock::starting_at(clock::start() + Duration::minutes(minutes))
}

async fn choose_email(app: &TestApp, crn: &str, address: &str) {
    let po = app.sign_in("po.demo").await;
    let saved = app
        .post(
            &format!("/cases/{crn}/reminders"),
            &po,
            &[
                ("channel", "email"),
                ("email", address),
                ("consent-day", "1"),
                ("consent-month", "12"),
                ("consent-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

fn tomorrow() -> chrono::NaiveDate {
    support::today() + Duration::days(1)
}

#[tokio::test]
async fn the_reminder_choice_is_validated_and_recorded_with_consent() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let path = format!("/cases/{crn}/reminders");

    let page = app.get(&path, Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page
        .body
        .contains("No reminders. The person has not asked for any."));

    let refused = app
        .post(
            &path,
            &po,
            &[("channel", "text"), ("mobile", "0116 496 0000")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#mobile\""));
    assert!(refused.body.contains("Enter a UK mobile phone number"));
    assert!(refused.body.contains("href=\"#consent-day\""));
    assert!(
        refused.body.contains("value=\"0116 496 0000\""),
        "what was typed is kept"
    );

    let refused = app
        .post(
            &path,
            &po,
            &[
                ("channel", "email"),
                ("email", "not an address"),
                ("consent-day", "1"),
                ("consent-month", "1"),
                ("consent-year", "2027"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#email\""));
    assert!(refused.body.contains("cannot be in the future"));
    let unchanged = app.get(&path, Some(&po)).await;
    assert!(
        unchanged.body.contains("No reminders."),
        "nothing was saved"
    );

    let saved = app
        .post(
            &path,
            &po,
            &[
                ("channel", "text"),
                ("mobile", "07700 900 982"),
                ("consent-day", "1"),
                ("consent-month", "12"),
                ("consent-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&path, Some(&po)).await;
    assert!(
        page.body
            .contains("Text message to 07700900982, consent given on 1 December 2026"),
        "{}",
        page.body
    );
    let changes = app.audit(AuditFilter {
        crn: Some(crn.clone()),
        outcome: Some(Outcome::Allowed),
        ..Default::default()
    });
    assert!(changes
        .iter()
        .any(|row| row.action == "record_reminder_preference" && row.detail.starts_with("text")));
}

#[tokio::test]
async fn only_staff_who_work_on_the_case_see_or_change_the_reminders() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let path = format!("/cases/{crn}/reminders");
    let other = app.sign_in("po.other").await;
    assert_eq!(
        app.get(&path, Some(&other)).await.status,
        StatusCode::FORBIDDEN
    );
    let posted = app.post(&path, &other, &[("channel", "none")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    let police = app.sign_in("police.demo").await;
    assert_eq!(
        app.get(&path, Some(&police)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_reminder_is_delivered_through_a_real_smtp_server_and_the_case_shows_it_delivered() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    choose_email(&app, &crn, "sam.reminders@example.com").await;
    let appointment = Appointment::new(&crn, "po.demo", tomorrow(), "14:30")
        .at("Interview room 3, Midchester probation office")
        .arrange(&app);
    let (smtp_url, received) = smtp_server();
    let delivery = email_delivery(&smtp_url);

    let run = run_outbox(&app.db.database, clock::clock(), &delivery)
        .await
        .unwrap();
    assert!(run.queued >= 1 && run.sent >= 1, "{run:?}");

    let mail = received
        .lock()
        .unwrap()
        .iter()
        .find(|m| m.data.contains("Interview room 3"))
        .cloned()
        .expect("the SMTP server received the reminder");
    assert!(
        mail.to
            .iter()
            .any(|to| to.contains("sam.reminders@example.com")),
        "{:?}",
        mail.to
    );
    assert!(
        mail.data.contains("To: sam.reminders@example.com"),
        "{}",
        mail.data
    );
    assert!(mail
        .data
        .contains("Subject: Your probation appointment tomorrow"));
    assert!(
        mail.data.contains(
            "You have an appointment with the probation service tomorrow, Thursday 3 December \
             2026, at 14:30 at Interview room 3, Midchester probation office."
        ),
        "{}",
        mail.data
    );
    assert!(
        !mail.data.contains(&crn),
        "no case reference in the message"
    );
    assert!(
        mail.data.contains("Date: Wed, 02 Dec 2026 10:"),
        "dated by keepsafe's clock: {}",
        mail.data
    );

    let stored = message_for(&app, &crn, appointment).unwrap();
    assert_eq!(stored.status, OutboxStatus::Sent);
    assert_eq!(stored.attempts, 1);
    assert!(stored.sent_at.is_some());

    let po = app.sign_in("po.demo").await;
    let page = app.get(&format!("/cases/{crn}/reminders"), Some(&po)).await;
    let row = page
        .body
        .split("data-testid=\"reminder-message\"")
        .find(|row| row.contains("Interview room 3"))
        .expect("the case lists the reminder");
    assert!(row.contains("Delivered to the provider"), "{row}");
    assert!(row.contains("Sent 2 Dec 2026"), "{row}");

    // At most one reminder per appointment, however often the outbox runs.
    let again = run_outbox(&app.db.database, clock::clock(), &delivery)
        .await
        .unwrap();
    assert_eq!(again.queued, 0);
    let count = received
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.data.contains("Interview room 3"))
        .count();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn a_refusing_smtp_server_is_retried_with_back_off_and_then_the_message_fails() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    choose_email(&app, &crn, "sam.reminders@example.com").await;
    let appointment = Appointment::new(&crn, "po.demo", tomorrow(), "14:30")
        .at("Back-off room")
        .arrange(&app);
    let delivery = email_delivery(&refusing_smtp());
    let db = &app.db.database;

    run_outbox(db, later(0), &delivery).await.unwrap();
    let first = message_for(&app, &crn, appointment).unwrap();
    assert_eq!(first.status, OutboxStatus::Queued);
    assert_eq!(first.attempts, 1);
    assert!(first
        .last_error
        .as_deref()
        .unwrap()
        .contains("email server"));
    let wait = first.next_attempt_at - clock::start().naive_utc();
    assert!(
        wait >= Duration::seconds(55) && wait <= Duration::seconds(90),
        "first retry after a minute, not {wait}"
    );

    // Not due again yet: nothing is attempted.
    run_outbox(db, later(0), &delivery).await.unwrap();
    assert_eq!(message_for(&app, &crn, appointment).unwrap().attempts, 1);

    // Then after 5, 30 and 120 minutes more.
    for (minutes, attempts) in [(2, 2), (8, 3), (40, 4)] {
        run_outbox(db, later(minutes), &delivery).await.unwrap();
        let message = message_for(&app, &crn, appointment).unwrap();
        assert_eq!(message.attempts, attempts, "at +{minutes} minutes");
        assert_eq!(message.status, OutboxStatus::Queued);
    }
    let fourth = message_for(&app, &crn, appointment).unwrap();
    let wait = fourth.next_attempt_at - (clock::start().naive_utc() + Duration::minutes(40));
    assert!(
        wait >= Duration::minutes(120) && wait < Duration::minutes(121),
        "{wait}"
    );

    run_outbox(db, later(170), &delivery).await.unwrap();
    let last = message_for(&app, &crn, appointment).unwrap();
    assert_eq!(last.status, OutboxStatus::Failed);
    assert_eq!(last.attempts, 5);

    let po = app.sign_in("po.demo").await;
    let page = app.get(&format!("/cases/{crn}/reminders"), Some(&po)).await;
    let row = page
        .body
        .split("data-testid=\"reminder-message\"")
        .find(|row| row.contains("Back-off room"))
        .unwrap();
    assert!(row.contains(">Failed<"), "{row}");
    assert!(row.contains("Gave up after 5 attempts"), "{row}");
}

#[tokio::test]
async fn with_no_text_provider_a_text_is_kept_unsent_and_the_case_says_why() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let saved = app
        .post(
            &format!("/cases/{crn}/reminders"),
            &po,
            &[
                ("channel", "text"),
                ("mobile", "07700900982"),
                ("consent-day", "2"),
                ("consent-month", "12"),
                ("consent-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let appointment = Appointment::new(&crn, "po.demo", tomorrow(), "16:00")
        .at("Women's centre, 4 Mill Lane")
        .sensitive()
        .arrange(&app);

    let run = run_outbox(&app.db.database, clock::clock(), &Delivery::default())
        .await
        .unwrap();
    assert!(run.not_sent >= 1, "{run:?}");
    let message = message_for(&app, &crn, appointment).unwrap();
    assert_eq!(message.status, OutboxStatus::NotSent);
    assert_eq!(message.attempts, 0);
    assert_eq!(message.last_error.as_deref(), Some(NO_TEXT_PROVIDER));
    assert_eq!(
        message.body,
        "You have an appointment with the probation service tomorrow at 16:00."
    );

    let page = app.get(&format!("/cases/{crn}/reminders"), Some(&po)).await;
    let row = page
        .body
        .split("data-testid=\"reminder-message\"")
        .find(|row| row.contains("tomorrow at 16:00."))
        .unwrap();
    assert!(row.contains(">Not sent<"), "{row}");
    assert!(
        row.contains("No text message provider is configured"),
        "{row}"
    );
    assert!(!page.body.contains("Mill Lane"));
}

#[tokio::test]
async fn a_reminder_for_a_cancelled_or_moved_appointment_is_cancelled_not_sent() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    choose_email(&app, &crn, "sam.reminders@example.com").await;
    let cancelled = Appointment::new(&crn, "po.demo", tomorrow(), "09:30")
        .at("Cancelled room")
        .arrange(&app);
    let moved = Appointment::new(&crn, "po.demo", tomorrow(), "10:30")
        .at("Moved room")
        .arrange(&app);

    // Written while no email server is configured, so they wait.
    run_outbox(&app.db.database, clock::clock(), &Delivery::default())
        .await
        .unwrap();
    assert_eq!(
        message_for(&app, &crn, cancelled).unwrap().status,
        OutboxStatus::NotSent
    );
    set_status(&app, cancelled, ContactStatus::Cancelled);
    move_to(&app, moved, tomorrow().and_hms_opt(15, 0, 0).unwrap());

    let (smtp_url, received) = smtp_server();
    run_outbox(&app.db.database, clock::clock(), &email_delivery(&smtp_url))
        .await
        .unwrap();
    let first = message_for(&app, &crn, cancelled).unwrap();
    assert_eq!(first.status, OutboxStatus::Cancelled);
    assert_eq!(
        first.last_error.as_deref(),
        Some("The appointment was cancelled or rescheduled")
    );
    let second = message_for(&app, &crn, moved).unwrap();
    assert_eq!(second.status, OutboxStatus::Cancelled);
    assert_eq!(
        second.last_error.as_deref(),
        Some("The appointment's time has changed")
    );
    assert!(received
        .lock()
        .unwrap()
        .iter()
        .all(|m| !m.data.contains("Cancelled room") && !m.data.contains("Moved room")));
}

/// What the stand-in for GOV.UK Notify was sent: the bearer token and the JSON body.
type NotifyRequests = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A stand-in for GOV.UK Notify's API on a free local port, answering as Notify does: 201 with
/// the notification's id, or 400 with its errors for a number it will not text.
async fn notify_stand_in() -> (String, NotifyRequests) {
    use axum::extract::State;
    use axum::http::HeaderMap;
    use axum::routing::post;
    use axum::Json;
    let requests: NotifyRequests = Default::default();
    let router = axum::Router::new()
        .route(
            "/v2/notifications/sms",
            post(
                |State(requests): State<NotifyRequests>,
                 headers: HeaderMap,
                 Json(body): Json<serde_json::Value>| async move {
                    let auth = headers["authorization"].to_str().unwrap().to_owned();
                    let refused = body["phone_number"] == "07700900000";
                    requests.lock().unwrap().push((auth, body));
                    if refused {
                        (
                            StatusCode::BAD_REQUEST,
                            Json(serde_json::json!({"status_code": 400, "errors": [
                                {"error": "BadRequestError", "message": "Can't send to this recipient using a team-only API key"}
                            ]})),
                        )
                    } else {
                        (
                            StatusCode::CREATED,
                            Json(serde_json::json!({"id": "740e5834-3a29-46b4-9a6f-16142fde533a"})),
                        )
                    }
                },
            ),
        )
        .with_state(requests.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{address}"), requests)
}

#[tokio::test]
async fn text_messages_go_to_gov_uk_notify_signed_with_the_services_key() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    use keepsafe_web::supervision::delivery::Notify;

    const SERVICE: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
    const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";
    const TEMPLATE: &str = "f33517ff-2a88-4f6e-b855-c550268ce08a";
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let saved = app
        .post(
            &format!("/cases/{crn}/reminders"),
            &po,
            &[
                ("channel", "text"),
                ("mobile", "07700 900 982"),
                ("consent-day", "2"),
                ("consent-month", "12"),
                ("consent-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    Appointment::new(&crn, "po.demo", tomorrow(), "09:15")
        .at("Texted room")
        .arrange(&app);
    let (base_url, requests) = notify_stand_in().await;
    let delivery = Delivery {
        text: Some(Box::new(
            Notify::new(
                &format!("keepsafe-{SERVICE}-{SECRET}"),
                TEMPLATE,
                Some(&base_url),
            )
            .unwrap(),
        )),
        ..Default::default()
    };

    let run = run_outbox(&app.db.database, clock::clock(), &delivery)
        .await
        .unwrap();
    assert!(run.sent >= 1, "{run:?}");
    let (auth, body) = requests
        .lock()
        .unwrap()
        .iter()
        .find(|(_, body)| {
            body["personalisation"]["message"]
                .as_str()
                .unwrap()
                .contains("Texted room")
        })
        .cloned()
        .expect("Notify was asked to send the reminder");
    assert_eq!(body["phone_number"], "07700900982");
    assert_eq!(body["template_id"], TEMPLATE);
    assert!(body["personalisation"]["message"]
        .as_str()
        .unwrap()
        .contains("tomorrow, Thursday 3 December 2026, at 09:15 at Texted room."));
    let token = auth.strip_prefix("Bearer ").expect("a bearer token");
    let parts: Vec<&str> = token.split('.').collect();
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["iss"], SERVICE);
    let issued = claims["iat"].as_i64().unwrap();
    assert!(
        (issued - clock::start().timestamp()).abs() < 60,
        "iat from keepsafe's clock"
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
        .expect("signed with the key's secret");

    let page = app.get(&format!("/cases/{crn}/reminders"), Some(&po)).await;
    let row = page
        .body
        .split("data-testid=\"reminder-message\"")
        .find(|row| row.contains("Texted room"))
        .unwrap();
    assert!(row.contains("Delivered to the provider"), "{row}");

    // A number Notify refuses: the reason is kept and the message tried again later.
    let saved = app
        .post(
            &format!("/cases/{crn}/reminders"),
            &po,
            &[
                ("channel", "text"),
                ("mobile", "07700900000"),
                ("consent-day", "2"),
                ("consent-month", "12"),
                ("consent-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let refused = Appointment::new(&crn, "po.demo", tomorrow(), "11:45")
        .at("Refused room")
        .arrange(&app);
    run_outbox(&app.db.database, clock::clock(), &delivery)
        .await
        .unwrap();
    let message = message_for(&app, &crn, refused).unwrap();
    assert_eq!(message.status, OutboxStatus::Queued);
    assert_eq!(message.attempts, 1);
    assert!(
        message
            .last_error
            .as_deref()
            .unwrap()
            .contains("Can't send to this recipient"),
        "{:?}",
        message.last_error
    );
}
