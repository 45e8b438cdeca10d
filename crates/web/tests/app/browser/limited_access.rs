//! Limited access in a real browser: the head of the case's PDU opens its limited access page from
//! the case record, is refused an empty addition with each missing answer named, excludes a
//! colleague of the case's practitioner with a reason, and that colleague is then refused the case
//! and finds it only as restricted. Every page passes axe-core's WCAG 2.2 AA checks at desktop
//! width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use keepsafe_demo::DEMO_PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_of_pdu_excludes_a_colleague_who_is_then_refused_the_case() {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/").await;
    browser.sign_in_with("head.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;
    browser
        .click_link("Limited access: who is excluded from the case or may see it")
        .await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/access"));
    assert_eq!(browser.heading().await, "Limited access");
    report
        .check(&browser, "a case's limited access (head.demo)")
        .await;

    browser.click_button("Add to the list").await;
    let errors = browser.error_summary().await;
    assert!(
        errors.iter().any(|e| e.contains("Select which list")),
        "{errors:?}"
    );
    assert!(
        errors.len() >= 2,
        "each missing answer is named: {errors:?}"
    );
    report
        .check(&browser, "limited access, refused (head.demo)")
        .await;

    browser
        .click_label("Exclude them: they may never see the case")
        .await;
    browser.type_into("#username", "pso.demo").await;
    browser
        .type_into("#reason", "A relative of the person on probation")
        .await;
    browser.click_button("Add to the list").await;
    let page = browser.page_text().await;
    assert!(
        page.contains("A relative of the person on probation"),
        "the exclusion is listed with its reason: {page}"
    );
    report
        .check(&browser, "limited access with an exclusion (head.demo)")
        .await;
    browser.sign_out().await;

    browser.sign_in_with("pso.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;
    assert_eq!(
        browser.heading().await,
        "You do not have access to this page"
    );
    assert!(browser.page_text().await.contains("limited access"));
    report
        .check(&browser, "an excluded colleague is refused (pso.demo)")
        .await;
    browser.visit(&format!("/find?crn={crn}")).await;
    assert!(
        browser.page_text().await.contains("Restricted"),
        "search shows the case as restricted"
    );
    report
        .check(&browser, "search finds it restricted (pso.demo)")
        .await;
    browser.close().await;
    report.assert_clean(5);
}
