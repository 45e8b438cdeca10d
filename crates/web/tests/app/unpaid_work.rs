//! Unpaid work (Community Payback): managers keep the PDU's projects, staff add sessions and
//! allocate people whose order has unpaid work (an appointment in their contact log), a session's
//! attendance is recorded in bulk in one transaction — any bad row refuses the whole save with
//! each field named and nothing written — the hours show on the case's unpaid work page with the
//! deadline and pace and how they were worked out, an unacceptable failure to attend leads to a
//! warning and then breach action, and managers see the orders behind pace.

use crate::record_details::error_fields;
use crate::support::{Page, Session, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use keepsafe_domain::supervision::contact::ContactType;
use keepsafe_domain::unpaid_work::UnpaidWorkRules;
use keepsafe_domain::CodedValue;
use keepsafe_storage::audit::AuditFilter;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::schema::{contacts, upw_allocations, upw_attendance, upw_projects};
use keepsafe_storage::supervision::enforcement as stored_enforcement;
use keepsafe_test_support::clock;
use keepsafe_test_support::unpaid_work::{self as fixtures, ProjectSpec};
use uuid::Uuid;

/// A case of `username`'s with a community order of `hours` unpaid work sentenced on `sentenced`.
struct Case {
    crn: String,
    person: Uuid,
    pdu: Uuid,
}

fn upw_case(app: &TestApp, username: &str, hours: i32, sentenced: NaiveDate) -> Case {
    let crn = app.case_of(username);
    let mut conn = app.db.database.connection().unwrap();
    let located = case_record::locate(&mut conn, &crn).unwrap().unwrap();
    fixtures::community_order(&mut conn, located.person_id, hours, sentenced);
    Case {
        crn,
        person: located.person_id,
        pdu: located.location.pdu,
    }
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0).unwrap()
}

fn project(app: &TestApp, pdu: Uuid, spec: ProjectSpec) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    fixtures::project(&mut conn, pdu, spec, app.staff_id("spo.demo"))
}

/// A session of `project` on `day` from 09:00 to 16:00 (seven hours).
fn session(app: &TestApp, project: Uuid, day: NaiveDate) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    fixtures::session(
        &mut conn,
        project,
        at(day, 9),
        at(day, 16),
        app.staff_id("po.demo"),
    )
}

fn allocate(app: &TestApp, session: Uuid, crn: &str) -> Uuid {
    let mut conn = app.db.database.connection().unwrap();
    fixtures::allocate(&mut conn, session, crn, app.staff_id("po.demo"))
}

fn group(capacity: u32) -> ProjectSpec {
    ProjectSpec {
        capacity,
        ..ProjectSpec::default()
    }
}

fn attendance_count(app: &TestApp) -> i64 {
    let mut conn = app.db.database.connection().unwrap();
    upw_attendance::table.count().get_result(&mut conn).unwrap()
}

/// One row of the bulk attendance form.
struct Row<'a> {
    allocation: Uuid,
    outcome: &'a str,
    hours: &'a str,
    minutes: &'a str,
    judgement: &'a str,
}

fn worked(allocation: Uuid, hours: &str) -> Row<'_> {
    Row {
        allocation,
        outcome: "attended_worked",
        hours,
        minutes: "0",
        judgement: "",
    }
}

async fn record(app: &TestApp, user: &Session, session: Uuid, rows: &[Row<'_>]) -> Page {
    let mut fields: Vec<(String, String)> = Vec::new();
    for row in rows {
        let f = |name: &str| format!("row-{}-{name}", row.allocation);
        fields.push(("row".into(), row.allocation.to_string()));
        fields.push((f("outcome"), row.outcome.into()));
        if row.outcome != "failed_to_attend" {
            fields.push((f("quality"), "good".into()));
            fields.push((f("behaviour"), "good".into()));
        }
        fields.push((f("worked_hours"), row.hours.into()));
        fields.push((f("worked_minutes"), row.minutes.into()));
        fields.push((f("judgement"), row.judgement.into()));
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post(
        &format!("/unpaid-work/sessions/{session}/attendance"),
        user,
        &form,
    )
    .await
}

/// Fills `{upw_project}`, `{upw_session}` and `{upw_allocation}` for the route walk with records
/// of po.demo's PDU: a project, a session of it today and po.demo's case allocated to it.
pub(crate) fn fill(app: &TestApp, path: &str) -> String {
    if !path.contains("{upw_") {
        return path.to_owned();
    }
    let case = upw_case(app, "po.demo", 100, clock::today() - Duration::weeks(8));
    let project = project(app, case.pdu, group(6));
    let session = session(app, project, clock::today());
    let path = path
        .replace("{upw_project}", &project.to_string())
        .replace("{upw_session}", &session.to_string());
    if path.contains("{upw_allocation}") {
        let allocation = allocate(app, session, &case.crn);
        path.replace("{upw_allocation}", &allocation.to_string())
    } else {
        path
    }
}

#[tokio::test]
async fn a_senior_officer_adds_a_project_and_it_is_listed_and_audited() {
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let saved = app
        .post(
            "/unpaid-work/projects/new",
            &spo,
            &[
                ("name", "Hillside cemetery upkeep"),
                ("kind", "group"),
                ("address", "Hillside Road, Midchester"),
                ("postcode", "NG7 2RD"),
                ("supervisor", "Alex Moore"),
                ("capacity", "7"),
                ("travel_credited", "yes"),
                ("ete_available", "no"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = app.get("/unpaid-work/projects", Some(&spo)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Hillside cemetery upkeep"));
    assert!(list.body.contains("travel time credited"));
    let audited = app.audit(AuditFilter {
        actor: Some("spo.demo".into()),
        ..Default::default()
    });
    assert!(audited.iter().any(|r| r.action == "add_upw_project"));
}

#[tokio::test]
async fn a_project_with_no_places_or_postcode_is_refused_with_each_field_named_and_nothing_written()
{
    let app = TestApp::sqlite();
    let spo = app.sign_in("spo.demo").await;
    let before: i64 = {
        let mut conn = app.db.database.connection().unwrap();
        upw_projects::table.count().get_result(&mut conn).unwrap()
    };
    let refused = app
        .post(
            "/unpaid-work/projects/new",
            &spo,
            &[
                ("name", "Hillside"),
                ("kind", "group"),
                ("address", "Hillside Road"),
                ("postcode", "nowhere"),
                ("supervisor", "Alex Moore"),
                ("capacity", "0"),
                ("travel_credited", "no"),
                ("ete_available", "no"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), ["postcode", "capacity"]);
    let after: i64 = {
        let mut conn = app.db.database.connection().unwrap();
        upw_projects::table.count().get_result(&mut conn).unwrap()
    };
    assert_eq!(before, after);
}

#[tokio::test]
async fn practitioners_may_not_manage_projects_nor_managers_another_pdus() {
    let app = TestApp::sqlite();
    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/unpaid-work/projects/new", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
    let own = upw_case(&app, "po.demo", 80, clock::today() - Duration::weeks(4)).pdu;
    let other_pdu = {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::another_pdu(&mut conn, own)
    };
    let elsewhere = project(&app, other_pdu, group(4));
    let spo = app.sign_in("spo.demo").await;
    let refused = app
        .get(&format!("/unpaid-work/projects/{elsewhere}"), Some(&spo))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Nor may a practitioner of another PDU work on its sessions.
    let there = session(&app, elsewhere, clock::today());
    let refused = app
        .get(&format!("/unpaid-work/sessions/{there}"), Some(&po))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refusals = app.audit(AuditFilter {
        actor: Some("po.demo".into()),
        outcome: Some(keepsafe_storage::audit::Outcome::Refused),
        ..Default::default()
    });
    assert!(refusals.iter().any(|r| r.action == "view_upw_session"));
}

#[tokio::test]
async fn victim_liaison_and_administrators_have_no_unpaid_work_pages() {
    let app = TestApp::sqlite();
    for username in ["vlo.demo", "admin.demo", "quality.demo"] {
        let user = app.sign_in(username).await;
        assert_eq!(
            app.get("/unpaid-work", Some(&user)).await.status,
            StatusCode::FORBIDDEN,
            "{username}"
        );
    }
    let po = app.sign_in("po.demo").await;
    assert_eq!(
        app.get("/unpaid-work/at-risk", Some(&po)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_session_is_added_and_listed_by_day_with_its_places() {
    let app = TestApp::sqlite();
    let case = upw_case(&app, "po.demo", 80, clock::today() - Duration::weeks(4));
    let project = project(&app, case.pdu, group(6));
    let po = app.sign_in("po.demo").await;
    let day = clock::today() + Duration::days(7);
    let saved = app
        .post(
            &format!("/unpaid-work/projects/{project}/sessions/new"),
            &po,
            &[
                ("day-day", "9"),
                ("day-month", "12"),
                ("day-year", "2026"),
                ("starts", "09:30"),
                ("ends", "15:30"),
                ("supervisor", "Pat Green"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = app
        .get(
            &format!("/unpaid-work?day={day}&project={project}"),
            Some(&po),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("9 December 2026"), "{}", list.body);
    assert!(list.body.contains("0 of 6 places allocated"));
    let backwards = app
        .post(
            &format!("/unpaid-work/projects/{project}/sessions/new"),
            &po,
            &[
                ("day-day", "9"),
                ("day-month", "12"),
                ("day-year", "2026"),
                ("starts", "15:00"),
                ("ends", "09:00"),
                ("supervisor", ""),
            ],
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&backwards), ["ends", "supervisor"]);
}

#[tokio::test]
async fn allocating_a_case_makes_an_unpaid_work_appointment_linked_to_the_requirement() {
    let app = TestApp::sqlite();
    let case = upw_case(&app, "po.demo", 120, clock::today() - Duration::weeks(4));
    let project = project(&app, case.pdu, group(6));
    let tomorrow = session(&app, project, clock::today() + Duration::days(1));
    let po = app.sign_in("po.demo").await;
    let saved = app
        .post(
            &format!("/unpaid-work/sessions/{tomorrow}/allocations"),
            &po,
            &[("crn", &case.crn.to_lowercase())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(saved.location().unwrap(), Some(&po)).await;
    assert!(page.body.contains("1 of 6 places allocated"));
    assert!(page.body.contains("is allocated to this session"));
    let mut conn = app.db.database.connection().unwrap();
    let (kind, requirement): (String, Option<String>) = contacts::table
        .inner_join(upw_allocations::table.on(upw_allocations::contact_id.eq(contacts::id)))
        .filter(upw_allocations::session_id.eq(tomorrow.to_string()))
        .select((contacts::contact_type, contacts::requirement_id))
        .first(&mut conn)
        .unwrap();
    assert_eq!(kind, ContactType::UnpaidWorkSession.code());
    assert!(requirement.is_some());
    let log = app
        .get(&format!("/cases/{}/contacts", case.crn), Some(&po))
        .await;
    assert!(log.body.contains("Unpaid work session"));
    let audited = app.audit(AuditFilter {
        crn: Some(case.crn.clone()),
        ..Default::default()
    });
    assert!(audited.iter().any(|r| r.action == "allocate_upw"));
}

#[tokio::test]
async fn allocation_is_refused_beyond_the_places_on_the_same_day_and_without_unpaid_work() {
    let app = TestApp::sqlite();
    let first = upw_case(&app, "po.demo", 120, clock::today() - Duration::weeks(4));
    let second = upw_case(&app, "po.other", 120, clock::today() - Duration::weeks(4));
    let one_place = project(&app, first.pdu, group(1));
    let other = project(&app, first.pdu, group(5));
    let day = clock::today() + Duration::days(2);
    let full = session(&app, one_place, day);
    let same_day = session(&app, other, day);
    allocate(&app, full, &first.crn);
    let po = app.sign_in("po.demo").await;
    let over = app
        .post(
            &format!("/unpaid-work/sessions/{full}/allocations"),
            &po,
            &[("crn", &second.crn)],
        )
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&over), ["crn"]);
    assert!(over.body.contains("This session is full"));
    let twice = app
        .post(
            &format!("/unpaid-work/sessions/{same_day}/allocations"),
            &po,
            &[("crn", &first.crn)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice
        .body
        .contains("already allocated to a session that day"));
    // A case whose order has no unpaid work cannot be allocated.
    {
        let mut conn = app.db.database.connection().unwrap();
        diesel::update(
            keepsafe_storage::schema::requirements::table
                .filter(keepsafe_storage::schema::requirements::kind.eq("unpaid_work")),
        )
        .filter(
            keepsafe_storage::schema::requirements::event_id.eq_any(
                keepsafe_storage::schema::events::table
                    .filter(
                        keepsafe_storage::schema::events::person_id.eq(second.person.to_string()),
                    )
                    .select(keepsafe_storage::schema::events::id),
            ),
        )
        .set(keepsafe_storage::schema::requirements::active.eq(false))
        .execute(&mut conn)
        .unwrap();
    }
    let none = app
        .post(
            &format!("/unpaid-work/sessions/{same_day}/allocations"),
            &po,
            &[("crn", &second.crn)],
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("no active unpaid work requirement"));
    let mut conn = app.db.database.connection().unwrap();
    let allocated: i64 = upw_allocations::table
        .filter(upw_allocations::session_id.eq_any([full.to_string(), same_day.to_string()]))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(allocated, 1, "only the first allocation was written");
}

#[tokio::test]
async fn a_session_recorded_in_bulk_credits_each_person_and_shows_on_their_case() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let first = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    let second = upw_case(&app, "po.other", 60, today - Duration::weeks(10));
    let project = project(&app, first.pdu, group(6));
    let yesterday = session(&app, project, today - Duration::days(1));
    let a = allocate(&app, yesterday, &first.crn);
    let b = allocate(&app, yesterday, &second.crn);
    let po = app.sign_in("po.demo").await;
    let form = app
        .get(
            &format!("/unpaid-work/sessions/{yesterday}/attendance"),
            Some(&po),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!("row-{a}-outcome")));
    let saved = record(
        &app,
        &po,
        yesterday,
        &[
            Row {
                minutes: "30",
                ..worked(a, "6")
            },
            worked(b, "7"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(saved.location().unwrap(), Some(&po)).await;
    assert!(page
        .body
        .contains("The attendance of 2 people has been recorded"));
    let case_page = app
        .get(&format!("/cases/{}/unpaid-work", first.crn), Some(&po))
        .await;
    assert_eq!(case_page.status, StatusCode::OK);
    assert!(case_page.body.contains("100 hours"));
    assert!(
        case_page.body.contains("6 hours 30 minutes"),
        "{}",
        case_page.body
    );
    assert!(case_page.body.contains("93 hours 30 minutes"));
    assert!(case_page.body.contains("Attended and worked"));
    assert!(case_page.body.contains("How it was worked out"));
    let audited = app.audit(AuditFilter {
        crn: Some(second.crn.clone()),
        ..Default::default()
    });
    assert!(audited.iter().any(|r| r.action == "record_upw_attendance"));
    // The appointment took the outcome.
    let mut conn = app.db.database.connection().unwrap();
    let outcome: Option<String> = contacts::table
        .inner_join(upw_allocations::table.on(upw_allocations::contact_id.eq(contacts::id)))
        .filter(upw_allocations::id.eq(a.to_string()))
        .select(contacts::outcome)
        .first(&mut conn)
        .unwrap();
    assert_eq!(outcome.as_deref(), Some("attended"));
}

#[tokio::test]
async fn any_bad_row_refuses_the_whole_save_naming_each_field_and_writing_nothing() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let first = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    // 40 hours ordered, 38 already credited: 7 more would pass them.
    let second = upw_case(&app, "po.other", 40, today - Duration::weeks(10));
    let project = project(&app, first.pdu, group(6));
    let earlier = session(&app, project, today - Duration::days(8));
    let done = allocate(&app, earlier, &second.crn);
    let po = app.sign_in("po.demo").await;
    {
        let mut conn = app.db.database.connection().unwrap();
        // 38 hours credited before (written as the bulk form would).
        diesel::insert_into(upw_attendance::table)
            .values((
                upw_attendance::allocation_id.eq(done.to_string()),
                upw_attendance::person_id.eq(second.person.to_string()),
                upw_attendance::requirement_id.eq(upw_allocations::table
                    .find(done.to_string())
                    .select(upw_allocations::requirement_id)
                    .first::<String>(&mut conn)
                    .unwrap()),
                upw_attendance::session_date.eq(today - Duration::days(8)),
                upw_attendance::outcome.eq("attended_worked"),
                upw_attendance::worked_minutes.eq(38 * 60),
                upw_attendance::travel_minutes.eq(0),
                upw_attendance::ete_minutes.eq(0),
                upw_attendance::notes.eq(""),
                upw_attendance::recorded_at.eq(clock::now().naive_utc()),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let yesterday = session(&app, project, today - Duration::days(1));
    let a = allocate(&app, yesterday, &first.crn);
    let b = allocate(&app, yesterday, &second.crn);
    let before = attendance_count(&app);
    let refused = record(&app, &po, yesterday, &[worked(a, "6"), worked(b, "7")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&refused), [format!("row-{b}-worked_hours")]);
    assert!(refused.body.contains("more than the 40 hours ordered"));
    assert!(refused.body.contains("at most 2 hours more"));
    assert_eq!(
        attendance_count(&app),
        before,
        "the good row was not saved either"
    );
    // Longer than the session (seven hours) is refused too, naming the field.
    let long = record(&app, &po, yesterday, &[worked(a, "8")]).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&long), [format!("row-{a}-worked_hours")]);
    assert!(long.body.contains("cannot be more than the session"));
    // Minutes that are not minutes.
    let bad = record(
        &app,
        &po,
        yesterday,
        &[Row {
            minutes: "75",
            ..worked(a, "1")
        }],
    )
    .await;
    assert_eq!(error_fields(&bad), [format!("row-{a}-worked_minutes")]);
    assert_eq!(attendance_count(&app), before);
}

#[tokio::test]
async fn crediting_a_session_twice_is_refused() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let case = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    let project = project(&app, case.pdu, group(6));
    let yesterday = session(&app, project, today - Duration::days(1));
    let a = allocate(&app, yesterday, &case.crn);
    let po = app.sign_in("po.demo").await;
    // The same person twice in one form.
    let doubled = record(&app, &po, yesterday, &[worked(a, "3"), worked(a, "3")]).await;
    assert_eq!(doubled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&doubled), [format!("row-{a}-outcome")]);
    assert!(doubled.body.contains("in the form twice"));
    let before = attendance_count(&app);
    let saved = record(&app, &po, yesterday, &[worked(a, "7")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(attendance_count(&app), before + 1);
    // And again, once it is credited.
    let again = record(&app, &po, yesterday, &[worked(a, "7")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&again), [format!("row-{a}-outcome")]);
    assert!(again.body.contains("already credited"));
    assert_eq!(attendance_count(&app), before + 1);
}

#[tokio::test]
async fn attendance_for_a_session_not_yet_started_is_refused() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let case = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    let project = project(&app, case.pdu, group(6));
    let tomorrow = session(&app, project, today + Duration::days(1));
    let a = allocate(&app, tomorrow, &case.crn);
    let po = app.sign_in("po.demo").await;
    let before = attendance_count(&app);
    let early = record(&app, &po, tomorrow, &[worked(a, "7")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&early), [format!("row-{a}-outcome")]);
    assert!(early.body.contains("has not started yet"));
    assert_eq!(attendance_count(&app), before);
}

#[tokio::test]
async fn an_unacceptable_failure_to_attend_gives_a_warning_and_a_second_breach_action() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let case = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    let project = project(&app, case.pdu, group(6));
    let last_week = session(&app, project, today - Duration::days(7));
    let a = allocate(&app, last_week, &case.crn);
    let po = app.sign_in("po.demo").await;
    let failed = |allocation| Row {
        allocation,
        outcome: "failed_to_attend",
        hours: "",
        minutes: "",
        judgement: "unacceptable",
    };
    let saved = record(&app, &po, last_week, &[failed(a)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let warnings = {
        let mut conn = app.db.database.connection().unwrap();
        stored_enforcement::warnings(&mut conn, case.person).unwrap()
    };
    assert_eq!(warnings.len(), 1, "a warning to send");
    let sent = app
        .post(
            &format!("/cases/{}/warnings/{}/send", case.crn, warnings[0].id),
            &po,
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // A second unacceptable failure, within 12 months of the warning.
    let this_morning = {
        let mut conn = app.db.database.connection().unwrap();
        fixtures::session(
            &mut conn,
            project,
            at(today, 8),
            at(today, 9),
            app.staff_id("po.demo"),
        )
    };
    let b = allocate(&app, this_morning, &case.crn);
    let saved = record(&app, &po, this_morning, &[failed(b)]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let breaches = {
        let mut conn = app.db.database.connection().unwrap();
        stored_enforcement::breaches(&mut conn, case.person).unwrap()
    };
    assert_eq!(breaches.len(), 1, "breach action started");
    let audited = app.audit(AuditFilter {
        crn: Some(case.crn.clone()),
        ..Default::default()
    });
    assert!(
        audited
            .iter()
            .any(|r| r.action == "record_upw_attendance"
                && r.detail.contains("breach action started"))
    );
}

#[tokio::test]
async fn a_failure_needs_a_judgement_and_an_acceptable_one_its_evidence() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let case = upw_case(&app, "po.demo", 100, today - Duration::weeks(10));
    let project = project(&app, case.pdu, group(6));
    let yesterday = session(&app, project, today - Duration::days(1));
    let a = allocate(&app, yesterday, &case.crn);
    let po = app.sign_in("po.demo").await;
    let unjudged = record(
        &app,
        &po,
        yesterday,
        &[Row {
            allocation: a,
            outcome: "failed_to_attend",
            hours: "",
            minutes: "",
            judgement: "",
        }],
    )
    .await;
    assert_eq!(unjudged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&unjudged), [format!("row-{a}-judgement")]);
    let credited = record(
        &app,
        &po,
        yesterday,
        &[Row {
            allocation: a,
            outcome: "failed_to_attend",
            hours: "3",
            minutes: "",
            judgement: "unacceptable",
        }],
    )
    .await;
    assert_eq!(error_fields(&credited), [format!("row-{a}-worked_hours")]);
}

#[tokio::test]
async fn the_deadline_follows_the_commencement_date_held_as_reference_data() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let before_act = upw_case(
        &app,
        "po.demo",
        100,
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    );
    let po = app.sign_in("po.demo").await;
    let page = app
        .get(&format!("/cases/{}/unpaid-work", before_act.crn), Some(&po))
        .await;
    assert!(page.body.contains("1 June 2027"), "{}", page.body);
    assert!(page.body.contains("unpaid-work-2026-12"));
    // The Act commences on 1 November 2026: an order made after it has no deadline.
    {
        let mut conn = app.db.database.connection().unwrap();
        keepsafe_storage::unpaid_work::set_rules(
            &mut conn,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            &UnpaidWorkRules {
                version: "unpaid-work-2026-11-act".into(),
                limit_removed_from: NaiveDate::from_ymd_opt(2026, 11, 1),
                ..UnpaidWorkRules::default()
            },
        )
        .unwrap();
    }
    let still = app
        .get(&format!("/cases/{}/unpaid-work", before_act.crn), Some(&po))
        .await;
    assert!(
        still.body.contains("1 June 2027"),
        "an earlier order keeps its deadline"
    );
    let after_act = upw_case(&app, "po.demo", 100, today - Duration::days(20));
    let page = app
        .get(&format!("/cases/{}/unpaid-work", after_act.crn), Some(&po))
        .await;
    assert!(page.body.contains("No deadline"), "{}", page.body);
    assert!(page.body.contains("unpaid-work-2026-11-act"));
    // Someone of another team may not open it.
    let other = app.sign_in("po.other").await;
    assert_eq!(
        app.get(
            &format!("/cases/{}/unpaid-work", after_act.crn),
            Some(&other)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn managers_see_the_orders_behind_pace_soonest_deadline_first() {
    let app = TestApp::sqlite();
    let today = clock::today();
    // Sentenced 30 weeks ago, nothing worked: behind.
    let behind = upw_case(&app, "po.demo", 150, today - Duration::weeks(30));
    let head = app.sign_in("head.demo").await;
    let page = app.get("/unpaid-work/at-risk", Some(&head)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "data-testid=\"at-risk-row\" data-crn=\"{}\"",
            behind.crn
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("How behind pace is worked out"));
    let spo = app.sign_in("spo.demo").await;
    let team = app.get("/unpaid-work/at-risk", Some(&spo)).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(
        team.body.contains(&behind.crn),
        "po.demo's case is in spo.demo's team"
    );
    // The demo region's own orders give a realistic list: some behind, not all.
    assert!(page.body.contains("behind pace"));
}

#[tokio::test]
async fn the_case_record_links_to_its_unpaid_work() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let po = app.sign_in("po.demo").await;
    let record = app.get(&format!("/cases/{crn}"), Some(&po)).await;
    assert!(record
        .body
        .contains(&format!("href=\"/cases/{crn}/unpaid-work\"")));
}
