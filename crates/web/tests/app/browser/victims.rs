//! Victims in a real browser: a victim liaison officer records a victim's views and the exclusion
//! zone they ask for; then the practitioner sees the condition and the victim liaison officer's
//! name on the case, but not who the victim is or where they live. Every page passes axe-core's
//! WCAG 2.2 AA checks at desktop width and at a phone's.

use super::{AxeReport, Browser};
use crate::support::TestApp;
use keepsafe_demo::DEMO_PASSWORD;
use keepsafe_storage::cases::record as case_record;
use keepsafe_storage::transaction;
use keepsafe_storage::victims::records;
use keepsafe_test_support::clock;
use keepsafe_test_support::victims::{victim, NAME, POSTCODE, STREET};

const ZONE: &str = "The streets between Castle Hill and the river, Midchester";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn victim_liaison_records_views_and_an_exclusion_zone_the_practitioner_sees_only_the_condition(
) {
    let app = TestApp::sqlite();
    let crn = app.case_of("po.demo");
    let vlo_id = app.staff_id("vlo.demo");
    let victim_id = {
        let mut conn = app.db.database.connection().unwrap();
        let person = case_record::locate(&mut conn, &crn)
            .unwrap()
            .unwrap()
            .person_id;
        transaction::write(&mut conn, |conn| {
            records::add(conn, person, &victim(), vlo_id, clock::now())
        })
        .unwrap()
    };
    let vlo = app
        .region
        .staff
        .iter()
        .find(|s| s.id == vlo_id)
        .map(|s| format!("{} {}", s.first_name, s.last_name))
        .unwrap();
    let browser = Browser::open_on(&app).await;
    let mut report = AxeReport::default();

    browser.visit("/").await;
    browser.sign_in_with("vlo.demo", DEMO_PASSWORD).await;
    browser.visit("/victims").await;
    browser.find("[data-testid=measure]").await;
    report
        .check(&browser, "victim contact worklist (vlo.demo)")
        .await;
    browser.visit(&format!("/cases/{crn}/victims")).await;
    browser.find("[data-testid=victims]").await;
    report.check(&browser, "a case's victims (vlo.demo)").await;
    browser.click_link(NAME).await;
    assert_eq!(browser.heading().await, NAME);
    report.check(&browser, "a victim's record (vlo.demo)").await;

    browser.click_link("Record their views").await;
    browser.click_button("Save their views").await;
    let errors = browser.error_summary().await;
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Enter the date they gave their views")),
        "{errors:?}"
    );
    report
        .check(&browser, "their views, refused (vlo.demo)")
        .await;
    browser.type_into("#given_on-day", "1").await;
    browser.type_into("#given_on-month", "12").await;
    browser.type_into("#given_on-year", "2026").await;
    browser
        .type_into(
            "#words",
            "Wants to be told before any release; avoids the town centre.",
        )
        .await;
    browser.click_button("Save their views").await;
    assert_eq!(
        browser.path().await,
        format!("/cases/{crn}/victims/{victim_id}")
    );

    browser.click_link("Record a condition they ask for").await;
    report
        .check(&browser, "a requested condition (vlo.demo)")
        .await;
    browser.click_label("Exclusion zone").await;
    browser.type_into("#details", ZONE).await;
    browser
        .type_into(
            "#reason",
            "She lives and works there and is frightened of meeting him.",
        )
        .await;
    browser.click_button("Save the condition").await;
    assert_eq!(
        browser.path().await,
        format!("/cases/{crn}/victims/{victim_id}")
    );
    let page = browser.page_text().await;
    assert!(
        page.contains("Wants to be told before any release"),
        "{page}"
    );
    assert!(page.contains(&format!("Exclusion zone: {ZONE}")), "{page}");
    browser.sign_out().await;

    browser.sign_in_with("po.demo", DEMO_PASSWORD).await;
    browser.visit(&format!("/cases/{crn}")).await;
    browser.click_link("Victims").await;
    assert_eq!(browser.path().await, format!("/cases/{crn}/victims"));
    let conditions = browser.text("[data-testid=conditions]").await;
    assert!(
        conditions.contains(&format!("Exclusion zone: {ZONE}")),
        "{conditions}"
    );
    assert_eq!(browser.text("[data-testid=liaison]").await, vlo);
    assert_eq!(
        browser.text("[data-testid=in-scheme]").await,
        "A victim is in the victim contact scheme"
    );
    let page = browser.page_text().await;
    for secret in [NAME, STREET, POSTCODE] {
        assert!(!page.contains(secret), "the practitioner sees {secret}");
    }
    report.check(&browser, "a case's victims (po.demo)").await;

    report.assert_clean(7);
    browser.close().await;
}
