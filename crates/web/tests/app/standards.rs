//! Contact standards: the case record's line and its explanation, the list of cases behind their
//! standard, and administrators adding a version — with the refusals as carefully as the
//! successes.

use crate::support::{today, TestApp};
use axum::http::StatusCode;
use chrono::NaiveDate;
use keepsafe_domain::staff::Grade;
use keepsafe_domain::supervision::contact::{ContactOutcome, ContactType, LocationKind};
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::bulk::{self, AllocationRow, EventRow, PersonRow};
use keepsafe_storage::supervision::contacts::{self, NewContact};
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A community order made on 5 January 2026, allocated to `staff_id` in their team, with no
/// contacts and no assessment: made for the test, so its standing is known.
fn new_case(app: &TestApp, crn: &str, staff_id: Uuid) -> (Uuid, Uuid) {
    let member = app.region.staff.iter().find(|s| s.id == staff_id).unwrap();
    let mut conn = app.db.database.connection().unwrap();
    let person_id = Uuid::new_v4();
    let event_id = Uuid::new_v4();
    bulk::insert_people(
        &mut conn,
        &[PersonRow {
            id: person_id.to_string(),
            crn: crn.to_owned(),
            first_name: "Robin".to_owned(),
            last_name: "Standard".to_owned(),
            date_of_birth: date(1991, 3, 14),
            sex: "female",
            pdu_id: member.pdu_id.unwrap().to_string(),
            created_at: date(2026, 1, 5).and_hms_opt(9, 0, 0).unwrap(),
            age_at_first_sanction: Some(19),
        }],
    )
    .unwrap();
    bulk::insert_events(
        &mut conn,
        &[EventRow {
            id: event_id.to_string(),
            person_id: person_id.to_string(),
            event_number: 1,
            offence_description: "Criminal damage".to_owned(),
            offence_category: "criminal_damage",
            offence_date: date(2025, 10, 1),
            conviction_date: date(2025, 12, 1),
            court: "Test Magistrates' Court".to_owned(),
            sentence_type: "community_order",
            case_type: "community",
            sentence_date: Some(date(2026, 1, 5)),
            sentence_length_months: Some(18),
            release_date: None,
            expected_end_date: Some(date(2027, 7, 4)),
            active: true,
            sanctions_before: Some(2),
        }],
    )
    .unwrap();
    bulk::insert_allocations(
        &mut conn,
        &[AllocationRow {
            id: Uuid::new_v4().to_string(),
            person_id: person_id.to_string(),
            staff_id: staff_id.to_string(),
            team_id: member.team_id.unwrap().to_string(),
            start_date: date(2026, 1, 5),
            end_date: None,
            reason: "Made for the test".to_owned(),
        }],
    )
    .unwrap();
    (person_id, event_id)
}

/// An office appointment the person attended on `day`, recorded as the contact log records it.
fn attended(app: &TestApp, person_id: Uuid, event_id: Uuid, staff_id: Uuid, day: NaiveDate) {
    let mut conn = app.db.database.connection().unwrap();
    contacts::insert(
        &mut conn,
        &[NewContact {
            id: Uuid::new_v4(),
            person_id,
            event_id: Some(event_id),
            requirement_id: None,
            kind: ContactType::OfficeVisit,
            starts_at: day.and_hms_opt(10, 0, 0).unwrap(),
            ends_at: None,
            location_kind: LocationKind::Office,
            location: "Office".to_owned(),
            with_staff: Some(staff_id),
            sensitive: false,
            enforceable: true,
            notes: String::new(),
            series_id: None,
            outcome: Some(ContactOutcome::Attended),
            judgement: None,
            created_by: staff_id,
        }],
        keepsafe_test_support::clock::now(),
    )
    .unwrap();
}

#[tokio::test]
async fn a_case_record_says_whether_the_case_is_meeting_its_contact_standard() {
    let app = TestApp::sqlite();
    let po = app.staff_id("po.demo");
    let (person, event) = new_case(&app, "Z800001", po);
    let session = app.sign_in("po.demo").await;

    let record = app.get("/cases/Z800001", Some(&session)).await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.body);
    assert!(record
        .body
        .contains("Behind the standard since 13 January 2026"));
    assert!(record.body.contains("/cases/Z800001/contact-standard"));

    let why = app
        .get("/cases/Z800001/contact-standard", Some(&session))
        .await;
    assert_eq!(why.status, StatusCode::OK, "{}", why.body);
    assert!(why.body.contains("contact-standard-2020-01-01"));
    assert!(why
        .body
        .contains("no completed risk of serious harm assessment: the fallback level"));
    assert!(why.body.contains("Order started (sentence date)"));
    assert!(why
        .body
        .contains("National Standards for the Management of Offenders"));

    let yesterday = today().pred_opt().unwrap();
    attended(&app, person, event, po, yesterday);
    let record = app.get("/cases/Z800001", Some(&session)).await;
    assert!(
        record
            .body
            .contains("Meeting the standard: next contact due by 15 December 2026"),
        "{}",
        record.body
    );
    let views: Vec<_> = app
        .audit(AuditFilter::default())
        .into_iter()
        .filter(|r| r.action == "view_contact_standard" && r.crn.as_deref() == Some("Z800001"))
        .collect();
    assert_eq!(views.len(), 1);
}

#[tokio::test]
async fn another_teams_practitioner_and_partners_cannot_see_a_cases_standard() {
    let app = TestApp::sqlite();
    let po_team = app
        .region
        .staff
        .iter()
        .find(|s| s.username.as_deref() == Some("po.demo"))
        .unwrap()
        .team_id;
    let elsewhere = app
        .region
        .staff
        .iter()
        .find(|s| s.grade == Grade::ProbationOfficer && s.team_id.is_some() && s.team_id != po_team)
        .expect("another team has a probation officer");
    new_case(&app, "Z800002", elsewhere.id);

    let po = app.sign_in("po.demo").await;
    let refused = app.get("/cases/Z800002/contact-standard", Some(&po)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let partner = app.sign_in_as(Grade::PartnerUser).await;
    let refused = app
        .get("/cases/Z800002/contact-standard", Some(&partner))
        .await;
    assert_ne!(refused.status, StatusCode::OK);
    assert!(!refused.body.contains("Robin Standard"));
}

#[tokio::test]
async fn practitioners_and_senior_officers_see_the_cases_behind_their_standard() {
    let app = TestApp::sqlite();
    let po = app.staff_id("po.demo");
    let (person, event) = new_case(&app, "Z800003", po);
    new_case(&app, "Z800004", po);
    attended(&app, person, event, po, today().pred_opt().unwrap());

    let session = app.sign_in("po.demo").await;
    let page = app.get("/supervision/behind", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Z800004"),
        "the case never seen is behind"
    );
    assert!(
        !page.body.contains("Z800003"),
        "the case seen yesterday is not"
    );
    assert!(page.body.contains("Not assessed (medium used)"));

    let spo = app.sign_in("spo.demo").await;
    let team = app.get("/supervision/behind", Some(&spo)).await;
    assert_eq!(team.status, StatusCode::OK, "{}", team.body);
    assert!(team.body.contains("Z800004"));
    let holder = app.region.staff.iter().find(|s| s.id == po).unwrap();
    assert!(team
        .body
        .contains(&format!("{} {}", holder.first_name, holder.last_name)));

    let head = app.sign_in_as(Grade::HeadOfPdu).await;
    let pdu = app.get("/supervision/behind", Some(&head)).await;
    assert_eq!(pdu.status, StatusCode::OK, "{}", pdu.body);
    assert!(pdu.body.contains("Z800004"));

    let reads: Vec<_> = app
        .audit(AuditFilter::default())
        .into_iter()
        .filter(|r| r.action == "view_behind_standard")
        .collect();
    assert_eq!(reads.len(), 3);

    let admin = app.sign_in_as(Grade::Administrator).await;
    let refused = app.get("/supervision/behind", Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

fn version_form<'a>(day: &'a str, medium_early: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("effective-from-day", day),
        ("effective-from-month", "1"),
        ("effective-from-year", "2027"),
        ("low-early-weeks", "8"),
        ("low-early-every-days", "7"),
        ("low-then-every-days", "21"),
        ("medium-early-weeks", "12"),
        ("medium-early-every-days", medium_early),
        ("medium-then-every-days", "10"),
        ("high-early-weeks", "16"),
        ("high-early-every-days", "7"),
        ("high-then-every-days", "7"),
        ("very-high-early-weeks", "16"),
        ("very-high-early-every-days", "5"),
        ("very-high-then-every-days", "7"),
        ("source", "Regional contact policy, January 2027"),
    ]
}

fn versions_kept(app: &TestApp) -> usize {
    let mut conn = app.db.database.connection().unwrap();
    keepsafe_storage::supervision::standards::history(&mut conn)
        .unwrap()
        .versions()
        .len()
}

#[tokio::test]
async fn an_administrator_adds_a_contact_standard_version_from_a_date() {
    let app = TestApp::sqlite();
    let admin = app.sign_in_as(Grade::Administrator).await;
    let page = app.get("/admin/contact-standards", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("From 1 January 2020"));
    assert!(page.body.contains("Installed with keepsafe"));

    let saved = app
        .post("/admin/contact-standards", &admin, &version_form("4", "7"))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(versions_kept(&app), 2);
    let page = app.get("/admin/contact-standards", Some(&admin)).await;
    assert!(page.body.contains("From 4 January 2027"));
    assert!(page.body.contains("Regional contact policy, January 2027"));
    let added: Vec<_> = app
        .audit(AuditFilter::default())
        .into_iter()
        .filter(|r| r.action == "add_contact_standard")
        .collect();
    assert_eq!(added.len(), 1);
    assert!(added[0].detail.contains("from 2027-01-04"));
}

#[tokio::test]
async fn a_bad_version_is_refused_with_each_field_named_and_nothing_written() {
    let app = TestApp::sqlite();
    let admin = app.sign_in_as(Grade::Administrator).await;
    // First weeks less often than later, for medium risk.
    let refused = app
        .post("/admin/contact-standards", &admin, &version_form("4", "21"))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#medium-early-every-days\""));
    assert!(refused
        .body
        .contains("cannot be less frequent than after them"));
    assert!(
        refused
            .body
            .contains("Regional contact policy, January 2027"),
        "typed text is kept"
    );
    // A date that is not a date.
    let refused = app
        .post(
            "/admin/contact-standards",
            &admin,
            &version_form("31", "7")
                .into_iter()
                .map(|(k, v)| {
                    if k == "effective-from-month" {
                        (k, "2")
                    } else {
                        (k, v)
                    }
                })
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#effective-from-day\""));
    assert_eq!(versions_kept(&app), 1);

    let po = app.sign_in("po.demo").await;
    let refused = app
        .post("/admin/contact-standards", &po, &version_form("4", "7"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(versions_kept(&app), 1);
}
