//! Keeping the record current in a real browser: a practitioner changes personal details (first
//! refused, naming the field), opens the date-of-birth, alias, disability and personal-contact
//! forms, adds a domestic-abuse registration and sees the banner saying a review is due, then
//! opens its review and end forms and the task list. Every page passes axe-core's WCAG 2.2 AA
//! checks at desktop width and at a phone's width.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use keepsafe_demo::DEMO_PASSWORD;

/// The desktop window every browser test opens with.
const DESKTOP: (u32, u32) = (1280, 1000);
/// A phone held upright.
const PHONE: (u32, u32) = (390, 844);

async fn check(browser: &Browser, report: &mut AxeReport, page: &str) {
    report.check(browser, page).await;
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    report
        .check(browser, &format!("{page}, at {}px", PHONE.0))
        .await;
    browser
        .client
        .set_window_size(DESKTOP.0, DESKTOP.1)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keeping_the_record_current_passes_axe_wcag_22_aa_on_desktop_and_phone() {
    let app = TestApp::sqlite();
    let (crn, _) = crate::record_details::clean_case(&app);
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();
    browser.visit("/sign-in").await;
    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    let record = format!("/cases/{crn}");

    // Personal details: a bad email is refused beside its field; corrected, the banner says so.
    browser.visit(&record).await;
    browser.click_link("Change email").await;
    assert_eq!(browser.path().await, format!("{record}/personal-details"));
    check(&browser, &mut report, "change personal details").await;
    browser.type_into("#email", "not an email").await;
    browser.click_button("Save personal details").await;
    let errors = browser.error_summary().await;
    assert_eq!(
        errors,
        ["Enter an email address in the correct format, like name@example.com"]
    );
    check(&browser, &mut report, "change personal details with errors").await;
    browser.type_into("#email", "sam@example.com").await;
    browser.click_button("Save personal details").await;
    assert!(browser.path().await.starts_with(&record));
    assert!(browser
        .text("[data-testid=record-changed-banner]")
        .await
        .contains("Personal details updated"));
    check(&browser, &mut report, "case record after a change").await;

    // The other personal-details forms, as they open.
    for (link, heading) in [
        ("Correct date of birth", "Correct the date of birth"),
        ("Add an alias", "Add an alias"),
        (
            "Add a disability and adjustments",
            "Add a disability and adjustments",
        ),
        ("Add a personal contact", "Add a personal contact"),
    ] {
        browser.visit(&record).await;
        browser.click_link(link).await;
        assert_eq!(browser.heading().await, heading);
        check(&browser, &mut report, heading).await;
    }
    browser.click_button("Add the contact").await;
    assert!(!browser.error_summary().await.is_empty());
    check(&browser, &mut report, "add a personal contact with errors").await;

    // A domestic-abuse registration: refused without its kind, then added.
    browser.visit(&record).await;
    browser.click_link("Add a registration").await;
    check(&browser, &mut report, "add a registration").await;
    browser.click_button("Add the registration").await;
    assert_eq!(browser.error_summary().await, ["Select the registration"]);
    check(&browser, &mut report, "add a registration with errors").await;
    browser
        .find("#kind")
        .await
        .select_by_value("domestic_abuse_perpetrator")
        .await
        .unwrap();
    browser.click_button("Add the registration").await;
    assert!(browser.path().await.starts_with(&record));
    assert!(browser
        .text("[data-testid=record-changed-banner]")
        .await
        .contains("A review of the risk assessment is due by"));

    browser
        .click_link("Review the Domestic abuse perpetrator registration")
        .await;
    check(&browser, &mut report, "review a registration").await;
    browser.visit(&record).await;
    browser
        .click_link("End the Domestic abuse perpetrator registration")
        .await;
    check(&browser, &mut report, "end a registration").await;
    browser.visit("/tasks").await;
    check(&browser, &mut report, "tasks with flags to review").await;

    browser.close().await;
    report.assert_clean(2 * 13);
}
