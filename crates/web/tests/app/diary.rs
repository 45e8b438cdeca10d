//! The diary (a practitioner's day and week, a senior officer's team view, appointments without an
//! outcome) and the calendar subscription (the feed parsed by a real iCalendar parser, renewing,
//! what a sensitive appointment shows).

use crate::support::{self, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use keepsafe_domain::supervision::contact::ContactStatus;
use keepsafe_storage::audit::{AuditFilter, Outcome};
use keepsafe_test_support::diary::{set_status, Appointment};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn tomorrow() -> NaiveDate {
    support::today() + Duration::days(1)
}

/// The file part of po.demo's live feed address (`{token}.ics`), issuing one if need be: for the
/// route walk.
pub(crate) fn feed_file(app: &TestApp) -> String {
    let mut conn = app.db.database.connection().unwrap();
    let (token, _) = keepsafe_web::supervision::calendar::live_or_issue(
        &mut conn,
        app.staff_id("po.demo"),
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
    format!("{token}.ics")
}

/// Where a page's calendar address points, as a path on this application.
fn feed_path(page: &support::Page) -> String {
    let marker = "data-testid=\"calendar-url\"";
    let at = page.body.find(marker).expect("the page shows the address");
    let tag_start = page.body[..at].rfind("<input").unwrap();
    let tag = &page.body[tag_start..at];
    let value = tag.split("value=\"").nth(1).unwrap();
    let url = &value[..value.find('"').unwrap()];
    let path_start = url.find("/calendar/").expect("a calendar address");
    url[path_start..].to_owned()
}

#[tokio::test]
async fn a_practitioners_day_shows_each_appointment_with_its_time_person_type_place_and_state() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    Appointment::new(&crn, "po.demo", tomorrow(), "14:30")
        .at("Interview room 7")
        .arrange(&app);
    let po = app.sign_in("po.demo").await;

    let page = app.get("/diary?date=2026-12-03", Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Thursday 3 December 2026"));
    let row = page
        .body
        .split("data-testid=\"diary-entry\"")
        .find(|row| row.contains("Interview room 7"))
        .expect("the appointment is in the diary");
    assert!(row.contains("14:30 to 15:00"), "{row}");
    assert!(row.contains(&format!("href=\"/cases/{crn}\"")), "{row}");
    assert!(row.contains("Office appointment"), "{row}");
    assert!(row.contains(">Arranged<"), "{row}");
    assert!(page.body.contains("href=\"/diary?date=2026-12-02\""));
    assert!(page.body.contains("href=\"/diary?date=2026-12-04\""));
    assert!(page.body.contains("href=\"/diary?week=2026-11-30\""));
    assert!(
        page.body.contains("href=\"/diary\""),
        "the menu offers the diary"
    );

    let today = app.get("/diary", Some(&po)).await;
    assert!(today.body.contains("Wednesday 2 December 2026"));
    assert!(!today.body.contains("Interview room 7"));

    let views = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(views
        .iter()
        .any(|row| row.action == "view_diary" && row.detail.starts_with("date=2026-12-03")));
}

#[tokio::test]
async fn the_week_view_shows_every_day_from_monday_in_order() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    Appointment::new(&crn, "po.demo", day(2026, 12, 4), "16:00")
        .at("Friday room")
        .arrange(&app);
    Appointment::new(&crn, "po.demo", day(2026, 11, 30), "09:00")
        .at("Monday room")
        .arrange(&app);
    Appointment::new(&crn, "po.demo", day(2026, 12, 7), "09:00")
        .at("Next week room")
        .arrange(&app);
    let po = app.sign_in("po.demo").await;

    let page = app.get("/diary?week=2026-12-02", Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Week of 30 November 2026"));
    let monday = page.body.find("Monday 30 November 2026").unwrap();
    let sunday = page.body.find("Sunday 6 December 2026").unwrap();
    let first = page.body.find("Monday room").unwrap();
    let second = page.body.find("Friday room").unwrap();
    assert!(monday < first && first < second && second < sunday);
    assert!(!page.body.contains("Next week room"));
    assert!(page.body.contains("href=\"/diary?week=2026-12-07\""));
    assert!(page.body.contains("href=\"/diary?week=2026-11-23\""));
}

#[tokio::test]
async fn a_senior_officer_sees_the_teams_diary_and_the_view_is_audited() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    Appointment::new(&crn, "po.demo", tomorrow(), "11:00")
        .at("Team view room")
        .arrange(&app);
    let spo = app.sign_in("spo.demo").await;
    let code = app.team_code_of("po.demo");

    let redirect = app.get("/diary", Some(&spo)).await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(
        redirect.location(),
        Some(format!("/diary/team/{code}").as_str())
    );

    let page = app
        .get(&format!("/diary/team/{code}?date=2026-12-03"), Some(&spo))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let row = page
        .body
        .split("data-testid=\"diary-entry\"")
        .find(|row| row.contains("Team view room"))
        .expect("the team's appointment is shown");
    let po = &app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap();
    assert!(
        row.contains(&format!("{} {}", po.first_name, po.last_name)),
        "{row}"
    );
    let views = app.audit(AuditFilter {
        actor: Some("spo.demo".into()),
        outcome: Some(Outcome::Allowed),
        ..Default::default()
    });
    assert!(views
        .iter()
        .any(|row| row.action == "view_team_diary"
            && row.detail.starts_with(&format!("team {code}"))));
}

#[tokio::test]
async fn another_teams_staff_cannot_see_a_team_diary() {
    let app = TestApp::sqlite();
    let code = app.team_code_of("po.demo");
    let crn = app.case_of("po.demo");
    Appointment::new(&crn, "po.demo", tomorrow(), "11:00")
        .at("Hidden room")
        .arrange(&app);

    let other = app.sign_in("po.other").await;
    let page = app
        .get(&format!("/diary/team/{code}?date=2026-12-03"), Some(&other))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("Hidden room"));

    // A senior officer of this team cannot open another team's diary either.
    let spo = app.sign_in("spo.demo").await;
    let other_team = app.team_code_of("po.other");
    let page = app
        .get(&format!("/diary/team/{other_team}"), Some(&spo))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("spo.demo".into()),
        outcome: Some(Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals
        .iter()
        .any(|row| row.action == "view_team_diary" && row.detail.contains(&other_team)));

    let police = app.sign_in("police.demo").await;
    let page = app.get("/diary", Some(&police)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn appointments_without_an_outcome_are_listed_oldest_first() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    // Older than anything in the demo region, so they head the list.
    Appointment::new(&crn, "po.demo", day(2020, 1, 13), "10:00")
        .at("Second oldest")
        .arrange(&app);
    Appointment::new(&crn, "po.demo", day(2020, 1, 6), "10:00")
        .at("Oldest")
        .arrange(&app);
    let cancelled = Appointment::new(&crn, "po.demo", day(2020, 1, 1), "10:00")
        .at("Cancelled one")
        .arrange(&app);
    set_status(&app, cancelled, ContactStatus::Cancelled);
    Appointment::new(&crn, "po.demo", tomorrow(), "10:00")
        .at("Still to come")
        .arrange(&app);
    let po = app.sign_in("po.demo").await;

    let page = app.get("/diary/without-outcome", Some(&po)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let oldest = page.body.find("Oldest").expect("listed");
    let second = page.body.find("Second oldest").expect("listed");
    assert!(oldest < second);
    let first_row = page.body.find("data-testid=\"diary-entry\"").unwrap();
    assert!(first_row < oldest);
    assert!(page.body[first_row..oldest].matches("diary-entry").count() == 1);
    assert!(!page.body.contains("Cancelled one"));
    assert!(!page.body.contains("Still to come"));
    assert!(page.body.contains("Outcome not recorded"));

    let diary = app.get("/diary", Some(&po)).await;
    assert!(diary.body.contains("without an outcome"));

    let spo = app.sign_in("spo.demo").await;
    let code = app.team_code_of("po.demo");
    let team = app
        .get(&format!("/diary/team/{code}/without-outcome"), Some(&spo))
        .await;
    assert_eq!(team.status, StatusCode::OK, "{}", team.body);
    assert!(team.body.find("Oldest").unwrap() < team.body.find("Second oldest").unwrap());
    let beyond = app.get("/diary/without-outcome?page=999", Some(&po)).await;
    assert_eq!(beyond.status, StatusCode::OK);
}

#[tokio::test]
async fn the_calendar_feed_is_valid_icalendar_holding_the_arranged_appointments() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let arranged = Appointment::new(&crn, "po.demo", tomorrow(), "14:30")
        .at("Feed room, 2nd floor")
        .arrange(&app);
    let sensitive = Appointment::new(&crn, "po.demo", tomorrow(), "16:00")
        .at("Refuge on Mill Lane")
        .sensitive()
        .arrange(&app);
    let cancelled = Appointment::new(&crn, "po.demo", tomorrow(), "11:00")
        .at("Cancelled room")
        .arrange(&app);
    set_status(&app, cancelled, ContactStatus::Cancelled);
    let po = app.sign_in("po.demo").await;

    let subscription = app.get("/diary/calendar", Some(&po)).await;
    assert_eq!(subscription.status, StatusCode::OK, "{}", subscription.body);
    let path = feed_path(&subscription);
    assert!(path.ends_with(".ics"));

    let feed = app.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert!(feed
        .header("content-type")
        .unwrap()
        .starts_with("text/calendar"));
    assert!(!feed.body.contains("Refuge"));
    assert!(!feed.body.contains("Cancelled room"));

    let calendar = ical::IcalParser::new(feed.body.as_bytes())
        .next()
        .expect("one calendar")
        .expect("it parses");
    let property = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    let find = |id: uuid::Uuid| {
        calendar
            .events
            .iter()
            .find(|e| property(e, "UID").as_deref() == Some(&format!("{id}@keepsafe")))
    };
    let event = find(arranged).expect("the arranged appointment is in the feed");
    assert_eq!(
        property(event, "SUMMARY").as_deref(),
        Some(format!("Office appointment: {crn}").as_str())
    );
    assert_eq!(
        property(event, "LOCATION").as_deref(),
        Some("Feed room\\, 2nd floor")
    );
    assert_eq!(
        property(event, "DTSTART").as_deref(),
        Some("20261203T143000Z")
    );
    assert_eq!(
        property(event, "DTEND").as_deref(),
        Some("20261203T150000Z")
    );
    let hidden = find(sensitive).expect("the sensitive appointment is in the feed");
    assert_eq!(property(hidden, "SUMMARY").as_deref(), Some("Appointment"));
    assert_eq!(property(hidden, "LOCATION"), None);
    assert!(find(cancelled).is_none());
    for event in &calendar.events {
        let summary = property(event, "SUMMARY").unwrap_or_default();
        assert!(!summary.contains(
            &app.region
                .people
                .iter()
                .find(|p| p.crn == crn)
                .unwrap()
                .last_name
        ));
    }

    let fetches = app.audit(AuditFilter::default());
    assert!(fetches
        .iter()
        .any(|row| row.action == "fetch_calendar_feed"
            && row.staff_id == Some(app.staff_id("po.demo"))));
}

#[tokio::test]
async fn a_renewed_address_stops_at_once_and_answers_gone() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    let first = feed_path(&app.get("/diary/calendar", Some(&po)).await);
    // The address stays the same until it is renewed.
    assert_eq!(
        first,
        feed_path(&app.get("/diary/calendar", Some(&po)).await)
    );

    let renewed = app.post("/diary/calendar/renew", &po, &[]).await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER);
    let page = app.get(renewed.location().unwrap(), Some(&po)).await;
    assert!(page.body.contains("has been renewed"));
    let second = feed_path(&page);
    assert_ne!(first, second);

    let old = app.get(&first, None).await;
    assert_eq!(old.status, StatusCode::GONE);
    assert!(old
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(
        old.body.contains("was replaced on 2 December 2026"),
        "{}",
        old.body
    );
    assert_eq!(app.get(&second, None).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/calendar/not-a-real-address.ics", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let without_suffix = second.trim_end_matches(".ics").to_owned();
    assert_eq!(
        app.get(&without_suffix, None).await.status,
        StatusCode::NOT_FOUND
    );

    let renewals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        ..Default::default()
    });
    assert!(renewals
        .iter()
        .any(|row| row.action == "renew_calendar_address"));
}
