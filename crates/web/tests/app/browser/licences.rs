//! A licence from draft to print, in a real browser: a practitioner drafts a licence for a custody
//! case with a curfew and an exclusion zone (the form refusing a curfew without hours, naming the
//! field), sends it for approval; the senior officer approves it; the printable licence shows both
//! conditions after the standard ones. Every page on the way passes axe-core's WCAG 2.2 AA checks
//! at desktop width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use chrono::NaiveDate;
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_storage::cases::record as case_record;
use keepsafe_test_support::licences::{approved_address, custody_case};

/// po.demo's case made a custody case with no licence work and a release address approved.
fn a_custody_case_with_an_approved_address(app: &TestApp) -> String {
    let crn = app.case_of("po.demo");
    let mut conn = app.db.database.connection().unwrap();
    let person = case_record::locate(&mut conn, &crn)
        .unwrap()
        .unwrap()
        .person_id;
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    custody_case(&mut conn, person, day(6, 1), 24);
    approved_address(&mut conn, person, app.staff_id("po.demo"), day(11, 20));
    crn
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_practitioner_drafts_a_licence_with_a_curfew_and_exclusion_zone_a_senior_officer_approves_it_and_it_prints(
) {
    let app = TestApp::sqlite();
    let crn = a_custody_case_with_an_approved_address(&app);
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;

    browser.visit(&format!("/cases/{crn}/licence")).await;
    report
        .check(&browser, "licence and release, no licence")
        .await;
    browser.click_button("Draft the licence").await;
    browser.click_link("Add a condition").await;
    report.check(&browser, "licence condition form").await;

    // A curfew without its hours is refused, naming the field.
    browser.click_label("Curfew").await;
    browser.click_button("Add the condition").await;
    let errors = browser.error_summary().await;
    assert!(errors.iter().any(|e| e.contains("curfew")), "{errors:?}");
    report
        .check(&browser, "licence condition form with errors")
        .await;
    browser.type_into("#curfew_from", "19:00").await;
    browser.type_into("#curfew_to", "07:00").await;
    browser.click_button("Add the condition").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/licence"));

    browser.click_link("Add a condition").await;
    browser.click_label("Exclusion zone").await;
    browser
        .type_into("#area", "The town centre inside the inner ring road")
        .await;
    browser.click_button("Add the condition").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/licence"));
    report
        .check(&browser, "licence, draft with conditions")
        .await;
    browser.click_button("Send for approval").await;
    browser.sign_out().await;

    browser.visit("/sign-in").await;
    browser.sign_in_with("spo.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}/licence")).await;
    report.check(&browser, "licence, awaiting approval").await;
    browser.click_button("Approve the licence").await;
    browser.find("[data-testid=in-force]").await;

    browser.click_link("Print the licence").await;
    let printed = browser.page_text().await;
    assert!(printed.contains("Not commit any offence."), "{printed}");
    assert!(
        printed.contains("Between 19:00 and 07:00 every day."),
        "{printed}"
    );
    assert!(
        printed.contains("The area: The town centre inside the inner ring road"),
        "{printed}"
    );
    report.check(&browser, "printable licence").await;

    report.assert_clean(6);
    browser.close().await;
}
