//! Unpaid work in a real browser: a practitioner opens yesterday's session, records its
//! attendance in bulk — refused first for hours longer than the session, then saved — and sees
//! the hours on the case's unpaid work page; a senior officer sees the projects and the orders
//! behind pace. Every page passes axe-core's WCAG 2.2 AA checks at desktop width and a phone's.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use chrono::Duration;
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_storage::cases::record as case_record;
use keepsafe_test_support::clock;
use keepsafe_test_support::unpaid_work::{self as fixtures, ProjectSpec};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_recorded_in_bulk_shows_its_hours_on_the_case() {
    let app = TestApp::sqlite();
    let today = clock::today();
    let yesterday = today - Duration::days(1);
    let po = app.staff_id("po.demo");
    let (crn, other_crn, project, session, first, second) = {
        let mut conn = app.db.database.connection().unwrap();
        let crn = app.case_of("po.demo");
        let other_crn = app.case_of("po.other");
        let case = case_record::locate(&mut conn, &crn).unwrap().unwrap();
        let other = case_record::locate(&mut conn, &other_crn).unwrap().unwrap();
        fixtures::community_order(&mut conn, case.person_id, 100, today - Duration::weeks(10));
        fixtures::community_order(&mut conn, other.person_id, 60, today - Duration::weeks(10));
        let project = fixtures::project(
            &mut conn,
            case.location.pdu,
            ProjectSpec {
                capacity: 6,
                travel_credited: true,
                ete_available: true,
            },
            po,
        );
        let session = fixtures::session(
            &mut conn,
            project,
            yesterday.and_hms_opt(9, 0, 0).unwrap(),
            yesterday.and_hms_opt(16, 0, 0).unwrap(),
            po,
        );
        let first = fixtures::allocate(&mut conn, session, &crn, po);
        let second = fixtures::allocate(&mut conn, session, &other_crn, po);
        (crn, other_crn, project, session, first, second)
    };
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser
        .visit(&format!("/unpaid-work?day={yesterday}&project={project}"))
        .await;
    browser.find("[data-testid=sessions-table]").await;
    report
        .check(&browser, "unpaid work sessions (po.demo)")
        .await;
    browser
        .follow(&browser.find("[data-testid=session-row] a").await)
        .await;
    assert_eq!(
        browser.path().await,
        format!("/unpaid-work/sessions/{session}")
    );
    report
        .check(&browser, "an unpaid work session (po.demo)")
        .await;
    browser
        .follow(&browser.find("[data-testid=record-attendance]").await)
        .await;
    report
        .check(&browser, "recording attendance (po.demo)")
        .await;

    // Nine hours of a seven-hour session: refused, nothing saved.
    let field = |allocation: uuid::Uuid, name: &str| format!("#row-{allocation}-{name}");
    browser
        .find(&field(first, "outcome"))
        .await
        .select_by_value("attended_worked")
        .await
        .unwrap();
    browser
        .find(&field(first, "quality"))
        .await
        .select_by_value("good")
        .await
        .unwrap();
    browser
        .find(&field(first, "behaviour"))
        .await
        .select_by_value("excellent")
        .await
        .unwrap();
    browser.type_into(&field(first, "worked_hours"), "9").await;
    browser.click_button("Save the attendance").await;
    let errors = browser.error_summary().await;
    assert!(
        errors.iter().any(|e| e.contains("the session's length")),
        "{errors:?}"
    );
    report
        .check(&browser, "recording attendance, refused (po.demo)")
        .await;

    browser.type_into(&field(first, "worked_hours"), "6").await;
    browser
        .type_into(&field(first, "worked_minutes"), "30")
        .await;
    browser
        .find(&field(second, "outcome"))
        .await
        .select_by_value("failed_to_attend")
        .await
        .unwrap();
    browser
        .find(&format!(
            "[data-testid=attendance-row][data-crn=\"{other_crn}\"] summary"
        ))
        .await
        .click()
        .await
        .unwrap();
    browser
        .find(&field(second, "judgement"))
        .await
        .select_by_value("acceptable")
        .await
        .unwrap();
    browser
        .type_into(&field(second, "reason"), "In hospital after a fall")
        .await;
    browser
        .type_into(&field(second, "evidence"), "Discharge letter seen")
        .await;
    browser.click_button("Save the attendance").await;
    assert!(browser
        .path()
        .await
        .starts_with(&format!("/unpaid-work/sessions/{session}?recorded=2")));
    assert_eq!(
        browser.text("[data-testid=banner]").await,
        "The attendance of 2 people has been recorded."
    );
    report
        .check(&browser, "an unpaid work session, recorded (po.demo)")
        .await;

    browser.visit(&format!("/cases/{crn}")).await;
    browser
        .follow(&browser.find("[data-testid=case-unpaid-work-link]").await)
        .await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/unpaid-work"));
    assert_eq!(
        browser.text("[data-testid=upw-credited]").await,
        "6 hours 30 minutes"
    );
    assert_eq!(
        browser.text("[data-testid=upw-remaining]").await,
        "93 hours 30 minutes"
    );
    report
        .check(&browser, "a case's unpaid work (po.demo)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.visit("/unpaid-work/projects").await;
    browser.find("[data-testid=projects-table]").await;
    report
        .check(&browser, "unpaid work projects (spo.demo)")
        .await;
    browser
        .follow(&browser.find("[data-testid=add-project]").await)
        .await;
    report.check(&browser, "adding a project (spo.demo)").await;
    browser.visit("/unpaid-work/at-risk").await;
    browser.find("[data-testid=at-risk-count]").await;
    report
        .check(&browser, "unpaid work orders behind pace (spo.demo)")
        .await;

    report.assert_clean(9);
    browser.close().await;
}
